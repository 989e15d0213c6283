// The real service on a real PostgreSQL 15 that is stopped: every route that reads the call log answers
// 503 DATABASE_UNAVAILABLE with Retry-After (never an empty list, zero figures or CALL_NOT_FOUND, which a
// CRM would show as "no calls"), and the same requests succeed once the database is back. No PBX is needed:
// the ended call is written into the database directly, as the call-log writer would have.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { freePort } from './lib/processes.mjs';
import { startPostgres } from './lib/postgres_server.mjs';
import { adminToken, healthBecomes, startService } from './lib/service.mjs';

const callId = '00000000-0000-4000-8000-000000000001';
const caller = '+79991230001';
// A caller nobody answered, on another line: the callback list's entry.
const missedId = '00000000-0000-4000-8000-000000000002';
const missedCaller = '+79991230002';
// A range of days around now, whatever the service's time zone.
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

// Every read of the call log: the history, the history of one number, one operator's figures, the callback
// list and its figures, and the three CRM links to an ended call.
const requests = [
  { name: 'logs', method: 'GET', path: '/api/calls/logs?limit=10' },
  { name: 'logs by phone', method: 'GET', path: `/api/calls/logs/phone/${encodeURIComponent(caller)}` },
  { name: 'stats', method: 'GET', path: `/api/calls/stats/1001?from=${day(-1)}&to=${day(1)}` },
  { name: 'callbacks', method: 'GET', path: '/api/callbacks' },
  { name: 'callback stats', method: 'GET', path: `/api/callbacks/stats?from=${day(-1)}&to=${day(1)}` },
  { name: 'link customer', method: 'POST', path: `/api/calls/${callId}/customer`, body: { customerId: 'customer-7', customerName: 'Анна' } },
  { name: 'link order', method: 'POST', path: `/api/calls/${callId}/order`, body: { orderId: 'order-7' } },
  { name: 'add note', method: 'POST', path: `/api/calls/${callId}/notes`, body: { note: 'перезвонить после обеда' } },
];

// What each request answers once the database is there: the call, with what the links attached.
const expectations = {
  'logs': (body) => assert.deepEqual(body.calls.map((c) => c.id), [missedId, callId]),
  'logs by phone': (body) => assert.deepEqual(body.calls.map((c) => c.id), [callId]),
  'stats': (body) => assert.equal(body.stats.totalCalls, 1),
  'callbacks': (body) => assert.deepEqual(body.callbacks.map((c) => c.phone), [missedCaller]),
  'callback stats': (body) => assert.equal(body.stats.missedCallers, 1),
  'link customer': (body) => assert.equal(body.call.customer.id, 'customer-7'),
  'link order': (body) => assert.ok(body.call.orders.some((o) => o.orderId === 'order-7'), JSON.stringify(body)),
  'add note': (body) => assert.ok(body.call.notes.some((n) => n.text === 'перезвонить после обеда'), JSON.stringify(body)),
};

async function send(service, { method, path, body }) {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined, text };
}

const databaseOk = (health) => health.dependencies?.database?.ok === true;

labTest('PostgreSQL stopped: the call log routes answer 503 DATABASE_UNAVAILABLE with Retry-After, and succeed again once it is back', async (lab) => {
  const pg = lab.track('postgres', await startPostgres());
  // No PBX: the routes under test never reach SIP, and a port nobody listens on keeps the service from one.
  const service = await startService(lab, { pbxPort: await freePort(), lines: [], env: { DATABASE_URL: pg.url } });
  await healthBecomes(service, databaseOk, 15000, 'the database ok');
  const started = Date.now() - 60000;
  await pg.query(`INSERT INTO calls (id, direction, from_number, to_number, extension, status, end_reason, start_ms, answer_ms, end_ms)
                  VALUES ('${callId}', 'inbound', '${caller}', '1001', '1001', 'ended', 'completed', ${started}, ${started + 1000}, ${started + 31000})`);
  await pg.query(`INSERT INTO call_operators (call_id, position, extension, from_ms, answered_ms, until_ms)
                  VALUES ('${callId}', 0, '1001', ${started}, ${started + 1000}, ${started + 31000})`);
  await pg.query(`INSERT INTO calls (id, direction, from_number, to_number, extension, status, end_reason, start_ms, end_ms)
                  VALUES ('${missedId}', 'inbound', '${missedCaller}', '1002', '1002', 'ended', 'missed', ${started + 1}, ${started + 20001})`);

  // Before the outage every request works, so the 503s below are the outage's doing.
  for (const request of requests.filter((r) => r.method === 'GET')) {
    const answer = await send(service, request);
    assert.equal(answer.status, 200, `${request.name}: ${answer.text}`);
    expectations[request.name](answer.body);
  }

  await pg.stop();
  for (const request of requests) {
    const answer = await send(service, request);
    assert.equal(answer.status, 503, `${request.name} while the database is away: ${answer.text}`);
    assert.equal(answer.retryAfter, '5', `${request.name}: Retry-After`);
    assert.equal(answer.body.success, false, request.name);
    assert.equal(answer.body.code, 'DATABASE_UNAVAILABLE', `${request.name}: ${answer.text}`);
    assert.match(answer.body.error, /^the database did not answer: (listing calls|computing statistics of extension 1001|reading call [-0-9a-f]+|reading the callback list): .+/, request.name);
  }

  await pg.start();
  for (const request of requests) {
    const answer = await send(service, request);
    assert.equal(answer.status, 200, `${request.name} once the database is back: ${answer.text}`);
    assert.equal(answer.retryAfter, null, request.name);
    expectations[request.name](answer.body);
  }
  // The links written after the outage are in the log the next read returns.
  const logs = await send(service, requests[0]);
  const call = logs.body.calls.find((c) => c.id === callId);
  assert.equal(call.customer.id, 'customer-7');
  assert.deepEqual(call.orders.map((o) => o.orderId), ['order-7']);
  assert.deepEqual(call.notes.map((n) => n.text), ['перезвонить после обеда']);
}, { timeoutMs: 120000 });

labTest('a call that is not in the log stays 404 CALL_NOT_FOUND while PostgreSQL is up', async (lab) => {
  const pg = lab.track('postgres', await startPostgres());
  const service = await startService(lab, { pbxPort: await freePort(), lines: [], env: { DATABASE_URL: pg.url } });
  await healthBecomes(service, databaseOk, 15000, 'the database ok');
  for (const request of requests.filter((r) => r.method === 'POST')) {
    const answer = await send(service, request);
    assert.equal(answer.status, 404, `${request.name}: ${answer.text}`);
    assert.equal(answer.body.code, 'CALL_NOT_FOUND', request.name);
    assert.equal(answer.retryAfter, null, request.name);
  }
}, { timeoutMs: 60000 });
