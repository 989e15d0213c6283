// The browser phone's signalling refuses what it cannot do, saying why, over the official socket.io-client:
// this binary's SIP engine is the simulator, which carries no audio, so no socket becomes a phone here (the
// phone itself is proven in Chromium against the real engine: tests/web/browser_phone*.test.mjs). A token
// revoked through the API disconnects its sockets at once.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent, openSocket } from './lib/socket_helpers.mjs';

let service;
let operatorToken;
let supervisorToken;

before(async () => {
  service = await startService();
  operatorToken = await service.createToken('operator', '1001');
  supervisorToken = await service.createToken('supervisor');
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

const ask = (socket, name, payload) => socket.timeout(3000).emitWithAck(name, payload);

test('phone:attach without an engine that carries the audio is refused, naming MEDIA=rtpengine', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: operatorToken } });
  const reply = await ask(socket, 'phone:attach', {});
  assert.equal(reply.success, false);
  assert.equal(reply.code, 'PHONE_UNAVAILABLE');
  assert.match(reply.error, /MEDIA=rtpengine/);
  socket.disconnect();
});

test('a token without an extension cannot be a phone', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: supervisorToken } });
  const reply = await ask(socket, 'phone:attach', {});
  assert.equal(reply.success, false);
  assert.equal(reply.code, 'FORBIDDEN', JSON.stringify(reply));
  assert.match(reply.error, /extension/);
  socket.disconnect();
});

test('phone signals from a socket that is no phone, and unknown phone events, are refused; the socket stays', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: operatorToken } });
  for (const name of ['phone:sdp', 'phone:hangup', 'phone:detach']) {
    const reply = await ask(socket, name, { legId: 'x', sdp: 'v=0' });
    assert.equal(reply.code, 'PHONE_NOT_ATTACHED', `${name}: ${JSON.stringify(reply)}`);
  }
  const ping = await ask(socket, 'ping');
  assert.equal(ping.pong, true, 'the socket is still up');
  socket.disconnect();
});

test('revoking a token disconnects its open sockets at once, and they cannot come back', async () => {
  const created = await service.api('POST', '/api/tokens', { name: 'temporary', role: 'operator', extension: '1001' });
  assert.equal(created.status, 201, created.text);
  const { socket } = await connectWithSnapshot(service.baseUrl, { auth: { token: created.body.token } });
  const gone = nextEvent(socket, 'disconnect');
  assert.equal((await service.api('DELETE', `/api/tokens/${created.body.id}`)).status, 200);
  await gone; // with whatever reason the transport saw (server disconnect, transport close or error)
  socket.disconnect(); // no more reconnection attempts of its own
  const again = openSocket(service.baseUrl, { auth: { token: created.body.token }, reconnection: false });
  const refused = await nextEvent(again, 'connect_error');
  assert.match(refused.message, /unknown or revoked/);
});
