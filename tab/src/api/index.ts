export { ApiError, errorCodeOf, fieldsOf, type ApiErrorCode } from './api-error';
export {
  createApiClient,
  type ApiClient,
  type ApiClientOptions,
  type CallAction,
  type ListCallsParams,
  type ReportParams,
  type TokenSource,
} from './client';
export { followCallStream, type CallStreamHandlers, type StreamStatus } from './events';
export { createSseParser, type SseMessage } from './sse';
