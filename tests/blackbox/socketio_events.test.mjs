// Call and telephony events reach the right consoles: an operator its own extension, a supervisor all.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent, recordEvents } from './lib/socket_helpers.mjs';

let service;
const tokens = {};

before(async () => {
  service = await startService();
  tokens.op1001 = await service.createToken('operator', '1001');
  tokens.op1002 = await service.createToken('operator', '1002');
  tokens.supervisor = await service.createToken('supervisor');
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

const connectAs = (who, options = {}) => connectWithSnapshot(service.baseUrl, { auth: { token: tokens[who] }, ...options });
const forCall = (id) => (call) => call.id === id;

test('a call driven through the simulator emits call:new, call:answered and call:ended', async () => {
  const { socket } = await connectAs('supervisor');
  const created = nextEvent(socket, 'call:new');
  const { call } = await service.simulate('/inbound', { from: '8 (999) 123-45-67', extension: '1001' });
  const fresh = await created;
  assert.equal(fresh.id, call.id);
  assert.equal(fresh.from, '+79991234567');
  assert.equal(fresh.status, 'ringing');
  assert.equal(fresh.direction, 'inbound');

  const answered = nextEvent(socket, 'call:answered', forCall(call.id));
  await service.simulate(`/calls/${call.id}/answered`);
  assert.equal((await answered).status, 'answered');

  const held = nextEvent(socket, 'call:held', forCall(call.id));
  await service.simulate(`/calls/${call.id}/held`);
  assert.equal((await held).status, 'held');
  const unheld = nextEvent(socket, 'call:unheld', forCall(call.id));
  await service.simulate(`/calls/${call.id}/unheld`);
  assert.equal((await unheld).status, 'answered');

  const ended = nextEvent(socket, 'call:ended', forCall(call.id));
  await service.simulate(`/calls/${call.id}/ended`, { reason: 'completed' });
  const last = await ended;
  assert.equal(last.status, 'ended');
  assert.equal(last.endReason, 'completed');
  assert.equal(typeof last.duration, 'number');
});

test('operators receive only their own calls; a supervisor receives both', async () => {
  const first = await connectAs('op1001');
  const second = await connectAs('op1002');
  const boss = await connectAs('supervisor');
  const firstSeen = recordEvents(first.socket);
  const secondSeen = recordEvents(second.socket);

  const secondGets = nextEvent(second.socket, 'call:new', (call) => call.from === '+79990000002');
  const forSecond = (await service.simulate('/inbound', { from: '+79990000002', extension: '1002' })).call;
  assert.equal((await secondGets).id, forSecond.id);
  const firstGets = nextEvent(first.socket, 'call:new', (call) => call.from === '+79990000001');
  const bossGets = nextEvent(boss.socket, 'call:new', (call) => call.from === '+79990000001');
  const forFirst = (await service.simulate('/inbound', { from: '+79990000001', extension: '1001' })).call;
  assert.equal((await firstGets).id, forFirst.id);
  assert.equal((await bossGets).id, forFirst.id);

  // Events reach a client in order: had 1002's call gone to 1001, it would have arrived first.
  assert.ok(!firstSeen.some(({ args }) => args[0]?.id === forSecond.id), '1001 saw a call of 1002');
  const bossEnded = new Set();
  boss.socket.on('call:ended', (call) => bossEnded.add(call.id));
  const lastEnded = nextEvent(boss.socket, 'call:ended', forCall(forFirst.id));
  const secondEnded = nextEvent(second.socket, 'call:ended', forCall(forSecond.id));
  await service.simulate(`/calls/${forSecond.id}/ended`, { reason: 'missed' });
  await service.simulate(`/calls/${forFirst.id}/ended`, { reason: 'missed' });
  await lastEnded;
  await secondEnded; // published after 1001's call:new: anything of 1001's would have come before
  assert.ok(bossEnded.has(forSecond.id) && bossEnded.has(forFirst.id), 'the supervisor saw both calls end');
  assert.ok(!secondSeen.some(({ args }) => args[0]?.id === forFirst.id), '1002 saw a call of 1001');
});

test('the snapshot after connecting lists only the calls the principal may see', async () => {
  const mine = (await service.simulate('/inbound', { from: '+79990000011', extension: '1001' })).call;
  const theirs = (await service.simulate('/inbound', { from: '+79990000012', extension: '1002' })).call;
  const operator = await connectAs('op1001');
  const ids = operator.snapshot.calls.map((call) => call.id);
  assert.ok(ids.includes(mine.id));
  assert.ok(!ids.includes(theirs.id));
  assert.equal(typeof operator.snapshot.sip.connected, 'boolean');
  const boss = await connectAs('supervisor');
  const all = boss.snapshot.calls.map((call) => call.id);
  assert.ok(all.includes(mine.id) && all.includes(theirs.id));
  for (const call of [mine, theirs]) await service.simulate(`/calls/${call.id}/ended`, { reason: 'cancelled' });
});

test('sip:connected and sip:disconnected reach every console', async () => {
  const operator = await connectAs('op1002', { transports: ['polling'] });
  const boss = await connectAs('supervisor', { transports: ['websocket'] });
  const up = [nextEvent(operator.socket, 'sip:connected'), nextEvent(boss.socket, 'sip:connected')];
  await service.simulate('/telephony', { connected: true, registeredUsers: 2 });
  for (const status of await Promise.all(up)) {
    assert.equal(status.connected, true);
    assert.equal(status.registeredUsers, 2);
  }
  const down = [nextEvent(operator.socket, 'sip:disconnected'), nextEvent(boss.socket, 'sip:disconnected')];
  await service.simulate('/telephony', { connected: false });
  for (const status of await Promise.all(down)) assert.equal(status.connected, false);
});

test('a ping event with an acknowledgement is answered', async () => {
  const { socket } = await connectAs('op1001');
  const answer = await socket.timeout(3000).emitWithAck('ping');
  assert.equal(answer.pong, true);
  assert.match(answer.time, /^\d{4}-\d\d-\d\dT/);
});
