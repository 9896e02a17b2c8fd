/**
 * The app's cloud role name (`ai.cloud.role`): the Function App's name, which Azure sets as `WEBSITE_SITE_NAME`, as
 * the Functions host names its own telemetry, so the app's items and the host's share one node on the application
 * map. Undefined outside Azure (the SDK's default then applies).
 */
export function cloudRoleName(env: NodeJS.ProcessEnv): string | undefined {
  const name = env.WEBSITE_SITE_NAME?.trim();
  return name === undefined || name === '' ? undefined : name;
}
