// HTTP-level behaviour of the real binary: error shapes and statuses (404, 405, 400, 413, 415),
// CORS preflights, pages without a token, the OpenAPI document.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe } from 'node:test';

import { startService, test } from './lib/harness.mjs';

// A GET with the path sent exactly as written (fetch would resolve "..").
function rawGet(baseUrl, path) {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const outgoing = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function assertError(result, status, code, field) {
  assert.equal(result.status, status, result.text);
  assert.equal(result.body.success, false);
  assert.equal(result.body.code, code);
  assert.equal(typeof result.body.error, 'string');
  if (field) assert.match(result.body.error, field);
}

describe('HTTP errors, CORS and pages', () => {
  let service;

  before(async () => {
    service = await startService();
  });
  after(async () => service?.stop());

  test('unknown API path is 404 NOT_FOUND in JSON', async () => {
    assertError(await service.api('GET', '/api/nothing/here'), 404, 'NOT_FOUND', /\/api\/nothing\/here/);
  });

  test('wrong method is 405 METHOD_NOT_ALLOWED with Allow', async () => {
    const result = await service.api('DELETE', '/api/calls/active');
    assertError(result, 405, 'METHOD_NOT_ALLOWED');
    assert.match(result.headers.get('allow'), /GET/);
    assertError(await service.api('GET', '/api/calls/dial'), 405, 'METHOD_NOT_ALLOWED');
  });

  test('a text/plain body is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const result = await service.api('POST', '/api/calls/dial', undefined, undefined, {
      rawBody: 'from=1001&to=1002',
      contentType: 'text/plain',
    });
    assertError(result, 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/);
  });

  test('broken JSON is 400 INVALID_JSON naming the position', async () => {
    const result = await service.api('POST', '/api/calls/dial', undefined, undefined, {
      rawBody: '{"from": "1001", "to": }',
      contentType: 'application/json',
    });
    assertError(result, 400, 'INVALID_JSON', /byte \d+/);
    const array = await service.api('POST', '/api/calls/dial', undefined, undefined, {
      rawBody: '[]',
      contentType: 'application/json',
    });
    assertError(array, 400, 'VALIDATION_FAILED', /object/);
  });

  test('a body over the limit is 413 PAYLOAD_TOO_LARGE in JSON', async () => {
    const note = 'x'.repeat(70 * 1024);
    const result = await service.api('POST', '/api/calls/some-call/notes', { note });
    assertError(result, 413, 'PAYLOAD_TOO_LARGE');
  });

  test('a body of several megabytes still gets its 413 answer, every time', async () => {
    const note = 'x'.repeat(3 * 1024 * 1024);
    for (let i = 0; i < 10; i++) {
      const result = await service.api('POST', '/api/calls/some-call/notes', { note });
      assertError(result, 413, 'PAYLOAD_TOO_LARGE');
      assert.match(result.body.error, /65536 bytes/);
    }
  });

  test('API answers are not cached', async () => {
    const result = await service.api('GET', '/api/calls/active');
    assert.equal(result.headers.get('cache-control'), 'no-store');
    assert.match(result.headers.get('content-type'), /^application\/json/);
  });

  test('preflight from an allowed origin lists the methods and headers', async () => {
    const response = await fetch(`${service.baseUrl}/api/calls/dial`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://crm.example.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://crm.example.test');
    assert.match(response.headers.get('access-control-allow-methods'), /POST/);
    assert.match(response.headers.get('access-control-allow-headers'), /Authorization/);
    assert.match(response.headers.get('access-control-allow-headers'), /Content-Type/);
    const settings = await fetch(`${service.baseUrl}/api/settings/users/1001`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://crm.example.test', 'Access-Control-Request-Method': 'DELETE' },
    });
    assert.equal(settings.headers.get('access-control-allow-methods'), 'DELETE, PUT, OPTIONS');
  });

  test('preflight from another origin is refused with 403 and no CORS header', async () => {
    const response = await fetch(`${service.baseUrl}/api/calls/dial`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example.test', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const body = await response.json();
    assert.equal(body.success, false);
    assert.match(body.error, /evil\.example\.test/);
  });

  test('real requests carry the origin only when it is allowed', async () => {
    const allowed = await service.api('GET', '/api/calls/active', undefined, undefined, {
      headers: { Origin: 'http://crm.example.test' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://crm.example.test');
    assert.match(allowed.headers.get('vary'), /Origin/);
    const refused = await service.api('GET', '/api/calls/active', undefined, undefined, {
      headers: { Origin: 'http://evil.example.test' },
    });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const errors = await service.api('GET', '/api/calls/active', undefined, null, {
      headers: { Origin: 'http://crm.example.test' },
    });
    assert.equal(errors.status, 401);
    assert.equal(errors.headers.get('access-control-allow-origin'), 'http://crm.example.test');
  });

  test('pages are served without a token, and nothing outside the web directory', async () => {
    const index = await fetch(`${service.baseUrl}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/admin/..%2f..%2f..%2fetc/passwd',
      '/package.json/../../../etc/passwd', '/.gitignore']) {
      assert.equal(await rawGet(service.baseUrl, path), 404, path);
    }
  });

  test('the OpenAPI document describes the paths', async () => {
    const result = await service.api('GET', '/api/openapi.json');
    assert.equal(result.status, 200);
    assert.match(result.body.openapi, /^3\./);
    for (const path of ['/api/calls/dial', '/api/calls/transfer/{callId}', '/api/calls/stats/{extension}', '/health']) {
      assert.ok(result.body.paths[path], path);
    }
    assert.equal(result.body.components.securitySchemes.bearerAuth.scheme, 'bearer');
  });
});

describe('CORS_ORIGIN=*', () => {
  test('any origin is allowed with *, only because it was configured', async () => {
    const service = await startService({ env: { CORS_ORIGIN: '*' } });
    try {
      const result = await service.api('GET', '/api/calls/active', undefined, undefined, {
        headers: { Origin: 'http://anything.example.test' },
      });
      assert.equal(result.headers.get('access-control-allow-origin'), '*');
    } finally {
      await service.stop();
    }
  });
});
