// A console that loses its connection reconnects by itself and is never stale: the snapshot after the
// reconnect includes what happened while it was away. A TCP relay keeps the client's URL across restarts.
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';
import { Relay, closeAllSockets, connectWithSnapshot, nextEvent } from './lib/socket_helpers.mjs';

let service;
let relay;
let supervisorToken;

before(async () => {
  service = await startService();
  supervisorToken = await service.createToken('supervisor');
  relay = await new Relay().start(service.port);
});

// A failed test must not leave the relay refusing connections for the next one.
afterEach(() => relay.resume(service.port));

after(async () => {
  closeAllSockets();
  await relay?.stop();
  await service?.stop();
});

const hasCall = (id) => (snapshot) => snapshot.calls.some((call) => call.id === id);

for (const transports of [undefined, ['polling'], ['websocket']]) {
  const label = transports ? transports[0] : 'default';
  test(`connection cut (${label}): the client reconnects and its snapshot has the call created meanwhile`, async () => {
    const { socket } = await connectWithSnapshot(relay.url, { auth: { token: supervisorToken }, transports });
    const gone = nextEvent(socket, 'disconnect');
    relay.cut();
    const reason = await gone;
    assert.match(reason, /transport (close|error)/);

    const { call } = await service.simulate('/inbound', { from: '+79995550000', extension: '1001' });
    const caughtUp = nextEvent(socket, 'calls:snapshot', hasCall(call.id), 10000);
    relay.resume();
    await caughtUp;
    assert.equal(socket.connected, true);
    await service.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
    socket.disconnect();
  });
}

test('service restart: the client reconnects to the new process and gets a fresh snapshot', async () => {
  const { socket } = await connectWithSnapshot(relay.url, { auth: { token: supervisorToken } });
  const gone = nextEvent(socket, 'disconnect');
  relay.pause(); // the restart itself drops the connection; reconnects wait for the new process's call
  await service.restart();
  assert.match(await gone, /transport (close|error)/);

  const { call } = await service.simulate('/inbound', { from: '+79995551111', extension: '1002' });
  const caughtUp = nextEvent(socket, 'calls:snapshot', hasCall(call.id), 10000);
  relay.resume(service.port);
  const snapshot = await caughtUp;
  assert.equal(snapshot.calls.find((each) => each.id === call.id).extension, '1002');
  const ended = nextEvent(socket, 'call:ended', (each) => each.id === call.id);
  await service.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
  await ended;
  socket.disconnect();
});

test('service stopped with SIGTERM closes the sessions and exits 0', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: supervisorToken } });
  const gone = nextEvent(socket, 'disconnect');
  const exit = await service.terminate();
  assert.match(await gone, /transport (close|error)/);
  assert.equal(exit.code, 0);
  socket.disconnect();
  await service.start();
});
