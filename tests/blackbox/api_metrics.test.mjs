// GET /metrics against the real binary (test-only simulated SIP engine): Prometheus's text format, checked by
// promtool (Debian's prometheus package); only an admin or metrics token, or a scraper from METRICS_ALLOW,
// reads it; a metrics token opens nothing else, not even the stream; the counters move with the calls.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe } from 'node:test';

import { startService, test, until } from './lib/harness.mjs';
import { closeAllSockets, nextEvent, openSocket } from './lib/socket_helpers.mjs';

// promtool's verdict on the text: {code, output}.
function promtool(text) {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) =>
      resolve({ code: error ? error.code ?? 1 : 0, output: `${stdout}${stderr}` }));
    child.stdin.end(text);
  });
}

// The value of one sample ("name{labels}" as printed), or undefined.
function sample(text, series) {
  const line = text.split('\n').find((one) => one.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  let service;
  let scraper;

  before(async () => {
    service = await startService({ env: { METRICS_ALLOW: '10.20.0.0/16,::1' } });
    scraper = await service.createToken('metrics', undefined, 'prometheus');
  });
  after(async () => {
    closeAllSockets();
    await service?.stop();
  });

  test('a metrics token reads the figures in a format promtool accepts; an operator token and none are refused', async () => {
    const read = await service.api('GET', '/metrics', undefined, scraper);
    assert.equal(read.status, 200, read.text);
    assert.match(read.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const verdict = await promtool(read.text);
    assert.equal(verdict.code, 0, `promtool check metrics:\n${verdict.output}\n${read.text}`);
    for (const family of ['ff_calls_active', 'ff_lines', 'ff_phones_registered', 'ff_operators',
      'ff_socketio_clients', 'ff_call_log_written_total', 'ff_call_log_spool_depth', 'ff_dependency_up', 'ff_build_info'])
      assert.match(read.text, new RegExp(`^# TYPE ${family} `, 'm'), family);
    assert.equal(sample(read.text, 'ff_dependency_up{dependency="database"}'), 1);
    assert.equal((await service.api('GET', '/metrics')).status, 200, 'an admin token reads it too');

    const none = await service.api('GET', '/metrics', undefined, null);
    assert.equal(none.status, 401, 'a scraper at 127.0.0.1 is not in METRICS_ALLOW');
    const operator = await service.api('GET', '/metrics', undefined, await service.createToken('operator', '1001'));
    assert.equal(operator.status, 403, operator.text);
    assert.match(operator.body.error, /admin or metrics token/);
  });

  test('a metrics token opens nothing else: not the API, not the stream', async () => {
    const calls = await service.api('GET', '/api/calls/active', undefined, scraper);
    assert.equal(calls.status, 403, calls.text);
    assert.match(calls.body.error, /metrics token may only read \/metrics/);
    const socket = openSocket(service.baseUrl, { auth: { token: scraper } });
    const refused = await nextEvent(socket, 'connect_error');
    assert.match(refused.message, /metrics token/);
  });

  test('the counters and gauges move with the calls', async () => {
    const before = (await service.api('GET', '/metrics', undefined, scraper)).text;
    const series = 'ff_calls_ended_total{direction="inbound",end_reason="rejected"}';
    const endedBefore = sample(before, series) ?? 0;
    const { call } = await service.simulate('/inbound', { from: '+79991112233', extension: '1001' });
    const during = (await service.api('GET', '/metrics', undefined, scraper)).text;
    assert.equal(sample(during, 'ff_calls_active'), 1, during);
    await service.api('POST', `/api/calls/hangup/${call.id}`);
    const after = (await service.api('GET', '/metrics', undefined, scraper)).text;
    assert.equal(sample(after, 'ff_calls_active'), 0);
    assert.equal(sample(after, series), endedBefore + 1, after);
    // The call's events reached the stream, and its record the database: both latencies were observed.
    assert.ok(sample(after, 'ff_event_fanout_seconds_count') > (sample(before, 'ff_event_fanout_seconds_count') ?? 0), after);
    const written = await until(async () => (await service.api('GET', '/metrics', undefined, scraper)).text,
      (text) => sample(text, 'ff_call_log_write_seconds_count') > (sample(before, 'ff_call_log_write_seconds_count') ?? 0),
      5000, 'a call record write observed');
    assert.ok(sample(written, 'ff_call_log_written_total') >= 1, written);
    assert.equal((await promtool(written)).code, 0, 'the histograms are valid too');
  });

  test("a queue's ended calls count by outcome into its service level; the stream's deliveries count per client", async () => {
    const line = await service.api('POST', '/api/settings/users', { extension: '2000', username: 'queue-delivery', password: 'queue-secret', displayName: 'Доставка' });
    assert.equal(line.status, 201, line.text);
    const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'ringall', members: [{ extension: '1001' }] });
    assert.equal(put.status, 200, put.text);
    const socket = openSocket(service.baseUrl, { auth: { token: service.adminToken } });
    await nextEvent(socket, 'connect');
    const before = (await service.api('GET', '/metrics', undefined, scraper)).text;
    // One caller answered at once (within QUEUE_SERVICE_LEVEL_SECONDS), one who hung up at once (a short abandon).
    const served = (await service.simulate('/inbound', { from: '+79990000001', extension: '2000' })).call;
    await service.simulate(`/calls/${served.id}/answered`);
    await service.simulate(`/calls/${served.id}/ended`, { reason: 'completed' });
    const left = (await service.simulate('/inbound', { from: '+79990000002', extension: '2000' })).call;
    await service.simulate(`/calls/${left.id}/ended`, { reason: 'missed' });
    const after = (await service.api('GET', '/metrics', undefined, scraper)).text;
    const outcome = (name) => sample(after, `ff_queue_calls_total{outcome="${name}",queue="2000"}`) ?? 0;
    assert.equal(outcome('served_in_time'), 1, after);
    assert.equal(outcome('short_abandoned'), 1, after);
    assert.equal(outcome('abandoned'), 0, after);
    assert.equal(sample(after, 'ff_queue_service_level{queue="2000"}'), 1, 'short abandons are left out');
    const sent = sample(after, 'ff_socketio_deliveries_total') - (sample(before, 'ff_socketio_deliveries_total') ?? 0);
    assert.ok(sent >= 5, `the two calls' events reached the connected client: ${sent} deliveries`);
    assert.equal((await promtool(after)).code, 0);
  });
});

describe('metrics from an allowed address', () => {
  let service;
  before(async () => {
    service = await startService({ env: { METRICS_ALLOW: '127.0.0.0/8' } });
  });
  after(async () => service?.stop());

  test('a scraper in METRICS_ALLOW reads /metrics without a token, and still nothing else', async () => {
    const read = await service.api('GET', '/metrics', undefined, null);
    assert.equal(read.status, 200, read.text);
    assert.match(read.text, /^ff_calls_active 0$/m);
    assert.equal((await service.api('GET', '/api/calls/active', undefined, null)).status, 401);
  });

  test('a METRICS_ALLOW that is no address stops the service at start, naming the value', async () => {
    await assert.rejects(startService({ env: { METRICS_ALLOW: '127.0.0.1,prometheus.lan' } }), /METRICS_ALLOW.*prometheus\.lan/s);
  });
});
