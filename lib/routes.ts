/** The route shared by the singleton's HTTP functions (POST start, GET status, DELETE stop). */
export const SINGLETON_ROUTE = 'orchestrators/{functionName}/{instanceId}';
