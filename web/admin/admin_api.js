// REST calls of the settings page with the admin's token; errors keep the API's status, code and message.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function createApi(token) {
  async function request(method, path, body) {
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'OFFLINE', 'Служба недоступна: нет связи');
    }
    const text = await response.text();
    let payload = null;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, payload?.code ?? 'HTTP_ERROR', payload?.error ?? `${response.status} ${response.statusText}`);
    }
    return payload;
  }
  return {
    get: (path) => request('GET', path),
    post: (path, body = {}) => request('POST', path, body),
    put: (path, body = {}) => request('PUT', path, body),
    delete: (path) => request('DELETE', path),
  };
}

// The field an API validation error names ("port must be …", "users[0].password …"), if it is one of `fields`.
export function fieldOfError(error, fields) {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return null;
  const name = /^([A-Za-z]+)/.exec(error.message)?.[1];
  return fields.includes(name) ? name : null;
}
