// Tokens and roles against the real binary: 401 everywhere without a valid token, 403 by role and
// extension, token issuing and revocation, and the first admin token bootstrap.
import assert from 'node:assert/strict';
import { statSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import { startService, test } from './lib/harness.mjs';

// Every endpoint but /health, with a body where it takes one.
const protectedEndpoints = [
  ['GET', '/api/openapi.json'],
  ['GET', '/api/calls/active'],
  ['POST', '/api/calls/dial', { from: '1001', to: '+79991234567' }],
  ['POST', '/api/calls/answer/some-call'],
  ['POST', '/api/calls/hangup/some-call'],
  ['POST', '/api/calls/hold/some-call'],
  ['POST', '/api/calls/unhold/some-call'],
  ['POST', '/api/calls/transfer/some-call', { target: '1002' }],
  ['GET', '/api/calls/logs'],
  ['GET', '/api/calls/logs/phone/+79991234567'],
  ['GET', '/api/calls/stats/1001'],
  ['POST', '/api/calls/some-call/customer', { customerId: 'c1' }],
  ['POST', '/api/calls/some-call/order', { orderId: 'o1' }],
  ['POST', '/api/calls/some-call/notes', { note: 'hi' }],
  ['GET', '/api/settings/pbx'],
  ['PUT', '/api/settings/pbx', { port: 5060 }],
  ['POST', '/api/settings/test-connection'],
  ['GET', '/api/settings/users'],
  ['POST', '/api/settings/users', { extension: '1009', username: 'u', password: 'p' }],
  ['PUT', '/api/settings/users/1001', { displayName: 'x' }],
  ['DELETE', '/api/settings/users/1001'],
  ['GET', '/api/tokens'],
  ['POST', '/api/tokens', { name: 'n', role: 'admin' }],
  ['DELETE', '/api/tokens/some-id'],
];

const adminOnly = protectedEndpoints.filter(([, path]) => path.startsWith('/api/settings') || path.startsWith('/api/tokens'));

describe('tokens and roles', () => {
  let service;
  let operator;
  let supervisor;

  before(async () => {
    service = await startService();
    operator = await service.createToken('operator', '1001', 'Anna');
    supervisor = await service.createToken('supervisor', undefined, 'Lead');
  });
  after(async () => service?.stop());

  test('health needs no token', async () => {
    const health = await service.api('GET', '/health', undefined, null);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
  });

  test('every endpoint answers 401 UNAUTHORIZED without a token', async () => {
    for (const [method, path, body] of protectedEndpoints) {
      const result = await service.api(method, path, body, null);
      assert.equal(result.status, 401, `${method} ${path}`);
      assert.deepEqual(Object.keys(result.body).sort(), ['code', 'error', 'success'], `${method} ${path}`);
      assert.equal(result.body.success, false);
      assert.equal(result.body.code, 'UNAUTHORIZED');
      assert.match(result.body.error, /token/);
      assert.equal(result.headers.get('www-authenticate'), 'Bearer');
    }
  });

  test('every endpoint answers 401 with a wrong token or another scheme', async () => {
    for (const [method, path, body] of protectedEndpoints) {
      const wrong = await service.api(method, path, body, 'fft_wrongwrongwrongwrongwrongwrongwrongwrongwro');
      assert.equal(wrong.status, 401, `${method} ${path}`);
      assert.equal(wrong.body.code, 'UNAUTHORIZED');
    }
    const basic = await service.api('GET', '/api/calls/active', undefined, null, {
      headers: { Authorization: `Basic ${Buffer.from(`admin:${service.adminToken}`).toString('base64')}` },
    });
    assert.equal(basic.status, 401);
  });

  test('operators and supervisors get 403 FORBIDDEN on settings and tokens', async () => {
    for (const token of [operator, supervisor]) {
      for (const [method, path, body] of adminOnly) {
        const result = await service.api(method, path, body, token);
        assert.equal(result.status, 403, `${method} ${path}`);
        assert.equal(result.body.code, 'FORBIDDEN');
      }
    }
  });

  test('an operator gets 403 on another extension and on another operator call', async () => {
    const stats = await service.api('GET', '/api/calls/stats/1002', undefined, operator);
    assert.equal(stats.status, 403);
    assert.equal(stats.body.code, 'FORBIDDEN');
    const dial = await service.api('POST', '/api/calls/dial', { from: '1002', to: '+79991234567' }, operator);
    assert.equal(dial.status, 403);
    assert.match(dial.body.error, /1001/);

    const { call } = await service.simulate('/inbound', { from: '+79990000001', extension: '1002' });
    for (const action of ['answer', 'hangup', 'hold', 'unhold']) {
      const result = await service.api('POST', `/api/calls/${action}/${call.id}`, undefined, operator);
      assert.equal(result.status, 403, action);
      assert.equal(result.body.code, 'FORBIDDEN');
    }
    const transfer = await service.api('POST', `/api/calls/transfer/${call.id}`, { target: '1003' }, operator);
    assert.equal(transfer.status, 403);
    const note = await service.api('POST', `/api/calls/${call.id}/notes`, { note: 'mine?' }, operator);
    assert.equal(note.status, 403);
    const active = await service.api('GET', '/api/calls/active', undefined, operator);
    assert.ok(!active.body.calls.some((c) => c.id === call.id), 'an operator does not see another extension');
    const all = await service.api('GET', '/api/calls/active', undefined, supervisor);
    assert.ok(all.body.calls.some((c) => c.id === call.id), 'a supervisor sees everything');
    await service.api('POST', `/api/calls/hangup/${call.id}`, undefined, supervisor);
  });

  test('tokens are listed without secrets or hashes, created once, revoked for good', async () => {
    const created = await service.api('POST', '/api/tokens', { name: 'Temporary', role: 'operator', extension: '1003' });
    assert.equal(created.status, 201);
    assert.equal(created.body.success, true);
    assert.match(created.body.token, /^fft_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.role, 'operator');
    assert.equal(created.body.extension, '1003');
    const secret = created.body.token;

    const listed = await service.api('GET', '/api/tokens');
    assert.equal(listed.status, 200);
    const entry = listed.body.tokens.find((t) => t.id === created.body.id);
    assert.deepEqual(Object.keys(entry).sort(), ['createdAt', 'extension', 'id', 'name', 'revokedAt', 'role']);
    assert.equal(entry.revokedAt, null);
    assert.ok(!listed.text.includes(secret));
    assert.ok(!listed.text.includes(service.adminToken));
    assert.ok(!/[0-9a-f]{64}/.test(listed.text), 'no hash in the list');

    assert.equal((await service.api('GET', '/api/calls/active', undefined, secret)).status, 200);
    const revoked = await service.api('DELETE', `/api/tokens/${created.body.id}`);
    assert.equal(revoked.status, 200);
    assert.equal((await service.api('GET', '/api/calls/active', undefined, secret)).status, 401);
    const again = await service.api('GET', '/api/tokens');
    assert.ok(again.body.tokens.find((t) => t.id === created.body.id).revokedAt);

    const unknown = await service.api('DELETE', '/api/tokens/00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'NOT_FOUND');
  });

  test('token creation is validated field by field', async () => {
    const cases = [
      [{ role: 'admin' }, /name/],
      [{ name: 'x' }, /role/],
      [{ name: 'x', role: 'root' }, /role/],
      [{ name: 'x', role: 'operator' }, /extension/],
      [{ name: 'x', role: 'operator', extension: '10a1' }, /extension/],
      [{ name: 'x', role: 'supervisor', extension: '1001' }, /extension/],
      [{ name: 5, role: 'admin' }, /name/],
    ];
    for (const [body, field] of cases) {
      const result = await service.api('POST', '/api/tokens', body);
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(result.body.code, 'VALIDATION_FAILED');
      assert.match(result.body.error, field);
    }
  });

  test('tokens survive a restart; revoked ones stay revoked', async () => {
    const keep = await service.createToken('supervisor', undefined, 'Keeper');
    const created = await service.api('POST', '/api/tokens', { name: 'Gone', role: 'supervisor' });
    await service.api('DELETE', `/api/tokens/${created.body.id}`);
    await service.restart();
    assert.equal((await service.api('GET', '/api/calls/active', undefined, keep)).status, 200);
    assert.equal((await service.api('GET', '/api/calls/active', undefined, created.body.token)).status, 401);
  });
});

describe('first admin token', () => {
  test('without ADMIN_TOKEN an admin token is written to DATA_DIR/admin-token, mode 0600, never logged', async () => {
    const service = await startService({ adminToken: null });
    try {
      const file = join(service.dataDir, 'admin-token');
      assert.ok(existsSync(file));
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const token = readFileSync(file, 'utf8').trim();
      assert.ok(token.length >= 40);
      const tokens = await service.api('GET', '/api/tokens', undefined, token);
      assert.equal(tokens.status, 200);
      assert.ok(tokens.body.tokens.some((t) => t.role === 'admin'));
      await service.terminate(); // every log line flushed
      const output = service.output();
      assert.ok(output.length > 0, 'the service wrote its log');
      assert.ok(!output.includes(token), 'the bootstrapped token is not in the output');
    } finally {
      await service.stop();
    }
  });
});
