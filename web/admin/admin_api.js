// The settings page's REST calls (the shared client) and which form field an API refusal names.
import { ApiClient, ApiError } from '../shared/api.js';

export const createApi = (token) => new ApiClient(token);

// The field an API validation error names ("port must be …", "users[0].password …"), if it is one of `fields`.
export function fieldOfError(error, fields) {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return null;
  const name = /^([A-Za-z]+)/.exec(error.message)?.[1];
  return fields.includes(name) ? name : null;
}
