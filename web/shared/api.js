// REST calls to the service with the session's token. A refused token (401) ends the session in one place;
// every other error keeps the API's message, which names the field or the state that is wrong.
export class ApiError extends Error {
  constructor(status, code, message, retryAfterSeconds = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds; // from Retry-After: when the failure is expected to pass
  }
}

export class ApiClient {
  constructor(token, { onUnauthorized = () => {} } = {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  async send(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'OFFLINE', 'Сервис недоступен: нет связи');
    }
  }

  async failure(response, payload) {
    if (response.status === 401) this.onUnauthorized(payload?.error ?? 'токен не принят');
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    return new ApiError(response.status, payload?.code ?? 'HTTP_ERROR', payload?.error ?? `${response.status} ${response.statusText}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }

  async request(method, path, body) {
    const response = await this.send(method, path, body);
    const text = await response.text();
    let payload = null;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = null;
    }
    if (!response.ok) throw await this.failure(response, payload);
    return payload;
  }

  // A file the API serves (a call's recording), as a Blob; errors as request() reports them.
  async blob(path) {
    const response = await this.send('GET', path);
    if (response.ok) return response.blob();
    const payload = await response.json().catch(() => null);
    throw await this.failure(response, payload);
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body = {}) {
    return this.request('POST', path, body);
  }

  put(path, body = {}) {
    return this.request('PUT', path, body);
  }

  delete(path) {
    return this.request('DELETE', path);
  }
}
