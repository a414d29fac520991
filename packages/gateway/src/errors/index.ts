// OpenAI-shaped errors, shared by the HTTP layer (plugins, routes, generation) and anything below it.
export {
  ApiError,
  insufficientQuota,
  invalidKey,
  invalidRequest,
  modelNotFound,
  modelNotServed,
  rateLimited,
  toApiError,
  TOP_UP,
  type ErrorBody,
} from "./api-error.ts";
