// Operators' states over the API and the stream, with the simulated SIP engine: offline until the phones are
// up, a pause with a reason from PAUSE_REASONS, on a call while a call is answered, wrap-up after it for
// WRAPUP_SECONDS and then available by itself (operator:state events, awaited); who may set whose state; the
// time in each state in the operator's statistics.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent } from './lib/socket_helpers.mjs';

let service;
let anna;
let boris;
let supervisor;

before(async () => {
  service = await startService({ env: { WRAPUP_SECONDS: 1, PAUSE_REASONS: 'обед,обучение' } });
  anna = await service.createToken('operator', '1001');
  boris = await service.createToken('operator', '1002');
  supervisor = await service.createToken('supervisor');
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

const stateOf = (body, extension) => body.operators.find((one) => one.extension === extension);

test('the board lists every operator with the pause reasons; operators are offline until their phones are up', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: supervisor } });
  const listed = await service.api('GET', '/api/operators', undefined, supervisor);
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.body.pauseReasons, ['обед', 'обучение']);
  assert.equal(listed.body.wrapupSeconds, 1);
  assert.deepEqual(listed.body.busyWhen, ['paused', 'wrapup', 'oncall']);
  assert.deepEqual(listed.body.operators.map((one) => one.extension), ['1001', '1002', '1003']);
  assert.equal(stateOf(listed.body, '1001').state, 'offline');
  assert.equal(stateOf(listed.body, '1001').name, 'Иванов И.И.');

  const up = nextEvent(socket, 'operator:state', (state) => state.extension === '1002' && state.state === 'available');
  await service.simulate('/telephony', { connected: true });
  const event = await up;
  assert.equal(event.reason, null);
  assert.ok(Date.parse(event.since) <= Date.now());
  const own = await service.api('GET', '/api/operators', undefined, anna);
  assert.deepEqual(own.body.operators.map((one) => one.extension), ['1001'], 'an operator sees only itself');
  socket.disconnect();
});

test('a pause needs a reason from the list; only the operator itself or a supervisor sets it', async () => {
  await service.simulate('/telephony', { connected: true });
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: anna } });
  const noReason = await service.api('POST', '/api/operators/1001/status', { status: 'paused' }, anna);
  assert.equal(noReason.status, 400);
  assert.match(noReason.body.error, /reason is required/);
  const unknown = await service.api('POST', '/api/operators/1001/status', { status: 'paused', reason: 'курю' }, anna);
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error, /обед, обучение/);
  const derived = await service.api('POST', '/api/operators/1001/status', { status: 'oncall' }, anna);
  assert.equal(derived.status, 400);
  const other = await service.api('POST', '/api/operators/1002/status', { status: 'paused', reason: 'обед' }, anna);
  assert.equal(other.status, 403);
  const nobody = await service.api('POST', '/api/operators/1999/status', { status: 'available' }, supervisor);
  assert.equal(nobody.status, 404);

  const paused = nextEvent(socket, 'operator:state', (state) => state.extension === '1001' && state.state === 'paused');
  const set = await service.api('POST', '/api/operators/1001/status', { status: 'paused', reason: 'обед' }, anna);
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.operator.state, 'paused');
  assert.equal((await paused).reason, 'обед');
  const back = await service.api('POST', '/api/operators/1001/status', { status: 'available' }, supervisor);
  assert.equal(back.body.operator.state, 'available');
  assert.equal(back.body.operator.reason, null);
  socket.disconnect();
});

test('an answered call is "on a call"; its end brings wrap-up, which ends by itself after WRAPUP_SECONDS', async () => {
  await service.simulate('/telephony', { connected: true });
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: boris } });
  const { call } = await service.simulate('/inbound', { from: '8 (999) 123-45-67', extension: '1002' });
  const onCall = nextEvent(socket, 'operator:state', (state) => state.extension === '1002' && state.state === 'oncall');
  await service.simulate(`/calls/${call.id}/answered`);
  await onCall;
  const wrapup = nextEvent(socket, 'operator:state', (state) => state.extension === '1002' && state.state === 'wrapup');
  await service.simulate(`/calls/${call.id}/ended`, { reason: 'completed' });
  const started = await wrapup;
  const available = await nextEvent(socket, 'operator:state', (state) => state.extension === '1002' && state.state === 'available', 5000);
  const tookMs = Date.parse(available.since) - Date.parse(started.since);
  assert.ok(tookMs >= 1000 && tookMs < 2500, `wrap-up lasted ${tookMs} ms for WRAPUP_SECONDS=1`);
  socket.disconnect();
});

test('the statistics give each operator\'s time in each state, paused by reason', async () => {
  await service.simulate('/telephony', { connected: true });
  await service.api('POST', '/api/operators/1003/status', { status: 'paused', reason: 'обучение' }, supervisor);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a stretch of paused time to measure
  await service.api('POST', '/api/operators/1003/status', { status: 'available' }, supervisor);
  const deadline = Date.now() + 5000;
  let time;
  do {
    const stats = await service.api('GET', '/api/calls/stats/1003', undefined, supervisor);
    assert.equal(stats.status, 200, stats.text);
    time = stats.body.stats.timeInStates;
  } while (!(time.pausedByReason['обучение'] >= 1) && Date.now() < deadline);
  assert.ok(time.pausedByReason['обучение'] >= 1 && time.pausedByReason['обучение'] <= 3, JSON.stringify(time));
  assert.equal(time.paused, time.pausedByReason['обучение']);
  assert.ok(time.available >= 0 && time.oncall === 0, JSON.stringify(time));
});

test('the admin edits the pause reasons: validated, used at once, kept over a restart', async () => {
  await service.simulate('/telephony', { connected: true });
  const put = (body, token) => service.api('PUT', '/api/settings/pause-reasons', body, token);
  assert.equal((await put({ reasons: ['обед'] }, supervisor)).status, 403);
  for (const [body, words] of [
    [{}, /reasons must be an array/],
    [{ reasons: [] }, /1 to 30 reasons/],
    [{ reasons: ['обед', ' обед '] }, /given twice/],
    [{ reasons: ['x'.repeat(65)] }, /1 to 64 characters/],
    [{ reasons: [42] }, /strings/],
  ]) {
    const refused = await put(body);
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.body.error, words);
  }
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: anna } });
  const told = nextEvent(socket, 'operator:reasons');
  const saved = await put({ reasons: [' техника ', 'обед'] });
  assert.equal(saved.status, 200, saved.text);
  assert.deepEqual(saved.body.pauseReasons, ['техника', 'обед']);
  assert.deepEqual((await told).pauseReasons, ['техника', 'обед'], 'every console hears of the new list');
  socket.disconnect();
  const paused = await service.api('POST', '/api/operators/1001/status', { status: 'paused', reason: 'техника' }, anna);
  assert.equal(paused.status, 200, paused.text);
  await service.api('POST', '/api/operators/1001/status', { status: 'available' }, anna);

  await service.restart();
  const listed = await service.api('GET', '/api/operators', undefined, anna);
  assert.deepEqual(listed.body.pauseReasons, ['техника', 'обед']);
});
