// The callback list over the API and the stream, with the simulated SIP engine: an inbound call nobody
// answered puts its number on the list (callback:missed, awaited), another one in a row counts as a second
// attempt, an operator's answered call to the number takes it off (callback:resolved) and shows who called
// back; colleagues' extensions never enter it; the figures of a period; bad queries named.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent } from './lib/socket_helpers.mjs';

let service;
let anna;
let supervisor;

before(async () => {
  service = await startService();
  anna = await service.createToken('operator', '1001');
  supervisor = await service.createToken('supervisor');
  await service.simulate('/telephony', { connected: true });
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

async function unansweredCall(from, extension, reason) {
  const { call } = await service.simulate('/inbound', { from, extension });
  await service.simulate(`/calls/${call.id}/ended`, { reason });
  return call;
}

const waiting = async (token) => {
  const listed = await service.api('GET', '/api/callbacks', undefined, token);
  assert.equal(listed.status, 200, listed.text);
  return listed.body.callbacks;
};

test('a missed caller waits on the list until an operator\'s call to them is answered', async () => {
  const { socket: operatorSocket } = await connectWithSnapshot(service.baseUrl, { auth: { token: anna } });
  const { socket: supervisorSocket } = await connectWithSnapshot(service.baseUrl, { auth: { token: supervisor } });
  const phone = '+79991234567';

  const firstEvent = nextEvent(operatorSocket, 'callback:missed', (entry) => entry.phone === phone);
  const missed = await unansweredCall('8 (999) 123-45-67', '1002', 'missed');
  const first = await firstEvent;
  assert.equal(first.attempts, 1);
  assert.equal(first.status, 'waiting');
  assert.equal(first.lastCallId, missed.id);
  assert.equal(first.lastReason, 'missed');

  // Given up while it rang on a busy centre: the same entry, a second attempt; every console hears of it.
  const secondEvent = nextEvent(supervisorSocket, 'callback:missed', (entry) => entry.phone === phone && entry.attempts === 2);
  const busy = await unansweredCall('+7 999 123-45-67', '1003', 'busy');
  assert.equal((await secondEvent).lastCallId, busy.id);

  const listed = await waiting(anna);
  const entry = listed.find((one) => one.phone === phone);
  assert.ok(entry, JSON.stringify(listed));
  assert.equal(entry.attempts, 2);
  assert.equal(entry.lastReason, 'busy');
  assert.equal(entry.resolvedAt, null);
  assert.ok(entry.waitingSeconds >= 0);
  assert.ok(Date.parse(entry.firstMissedAt) <= Date.parse(entry.lastMissedAt));

  // Dialling alone is not calling back: the entry waits until the customer answers.
  const resolvedEvent = nextEvent(supervisorSocket, 'callback:resolved', (one) => one.phone === phone);
  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: phone }, anna);
  assert.equal(dial.status, 200, dial.text);
  assert.ok((await waiting(anna)).some((one) => one.phone === phone), 'still waiting while the call rings');
  await service.simulate(`/calls/${dial.body.call.id}/answered`);
  const resolved = await resolvedEvent;
  assert.equal(resolved.status, 'calledBack');
  assert.equal(resolved.resolvedBy, '1001');
  assert.equal(resolved.resolvedCallId, dial.body.call.id);
  assert.equal(resolved.attempts, 2);

  assert.ok(!(await waiting(anna)).some((one) => one.phone === phone), 'off the list once called back');
  const done = await service.api('GET', '/api/callbacks?status=calledBack', undefined, supervisor);
  assert.equal(done.status, 200, done.text);
  assert.deepEqual(done.body.callbacks.map((one) => one.phone), [phone]);
  assert.equal(done.body.days, 7);

  const stats = await service.api('GET', '/api/callbacks/stats', undefined, supervisor);
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.body.stats.missedCallers, 1);
  assert.equal(stats.body.stats.calledBack, 1);
  assert.equal(stats.body.stats.calledBackRate, 1);
  assert.equal(stats.body.stats.waiting, 0);
  assert.equal(typeof stats.body.stats.medianSecondsToCallBack, 'number');
  operatorSocket.disconnect();
  supervisorSocket.disconnect();
});

test('a customer who gets through again leaves the list as "called again"; a colleague\'s extension never enters it', async () => {
  const phone = '+79997654321';
  await unansweredCall(phone, '1001', 'cancelled');
  await unansweredCall('1003', '1001', 'missed');
  const listed = await waiting(supervisor);
  assert.ok(listed.some((one) => one.phone === phone && one.lastReason === 'cancelled'), JSON.stringify(listed));
  assert.ok(!listed.some((one) => one.phone === '1003'), 'an internal number is not a customer to call back');

  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: supervisor } });
  const resolvedEvent = nextEvent(socket, 'callback:resolved', (one) => one.phone === phone);
  const { call } = await service.simulate('/inbound', { from: phone, extension: '1002' });
  await service.simulate(`/calls/${call.id}/answered`);
  const resolved = await resolvedEvent;
  assert.equal(resolved.status, 'calledAgain');
  assert.equal(resolved.resolvedBy, '1002');
  socket.disconnect();
});

test('bad queries are named; the list needs a token', async () => {
  const bad = await service.api('GET', '/api/callbacks?status=someday', undefined, anna);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /status must be waiting, calledBack, calledAgain or all/);
  const badDate = await service.api('GET', '/api/callbacks/stats?from=2026-02-30', undefined, anna);
  assert.equal(badDate.status, 400);
  const anonymous = await service.api('GET', '/api/callbacks', undefined, null);
  assert.equal(anonymous.status, 401);
});
