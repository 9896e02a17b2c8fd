/**
 * Runs a synchronous function with some environment variables defaulted and gives the process its environment back
 * exactly as it was afterwards, whatever the function changed (the Node.js worker's environment is shared by every
 * function in it). Synchronous on purpose: no other code in the process can run while the variables are in place.
 */
export function withScopedEnvironment<T>(defaults: Record<string, string>, run: () => T): T {
  const saved = { ...process.env };
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  try {
    return run();
  } finally {
    restoreEnvironment(saved);
  }
}

function restoreEnvironment(saved: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) {
    if (!(name in saved)) delete process.env[name];
  }
  for (const [name, value] of Object.entries(saved)) {
    if (process.env[name] !== value && value !== undefined) process.env[name] = value;
  }
}
