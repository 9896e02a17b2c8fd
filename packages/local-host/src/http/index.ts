/** The HTTP front door room. */

export { createFrontDoor, buildHttpRoutes, normaliseRoutePrefix, MAX_REQUEST_BODY_BYTES } from './frontDoor';
export type { FrontDoor, HttpRoute } from './frontDoor';
export { compileRoute, matchRoute, compareRoutes, RouteTemplateError } from './routes';
export { toRpcHttpRequest } from './toRpcHttpRequest';
export { fromRpcHttpResponse, toSetCookie } from './fromRpcHttpResponse';
export { formatFunctionList, formatAuthNotice, formatReadyBanner, displayOrigin } from './banner';
export { HOST_ERROR_CODES, rawHostError, sendHostError } from './hostErrors';
export type { HostErrorCode } from './hostErrors';
