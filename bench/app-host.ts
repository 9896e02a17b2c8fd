/** The app under the local host, in a child process, for the conflict and start paths. */

export interface AppHost {
  url: string;
  dispose(): Promise<void>;
}

export function openAppHost(_repoRoot: string): Promise<AppHost> {
  return Promise.reject(new Error('the local host API is not available'));
}
