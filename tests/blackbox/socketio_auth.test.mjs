// Socket.IO connections are authenticated: auth { token } or an Authorization header; refusals say why.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent, openSocket } from './lib/socket_helpers.mjs';

let service;
let operatorToken;

before(async () => {
  service = await startService();
  operatorToken = await service.createToken('operator', '1001');
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

test('unknown token gets connect_error naming the problem and no connection', async () => {
  const socket = openSocket(service.baseUrl, { auth: { token: 'fft_not-a-real-token' }, reconnection: false });
  const error = await nextEvent(socket, 'connect_error');
  assert.match(error.message, /token is unknown or revoked/);
  assert.equal(socket.connected, false);
});

test('missing token gets connect_error asking for one', async () => {
  const socket = openSocket(service.baseUrl, { reconnection: false });
  const error = await nextEvent(socket, 'connect_error');
  assert.match(error.message, /token is required/);
  assert.equal(socket.connected, false);
});

test('a token that is not a string is refused', async () => {
  const socket = openSocket(service.baseUrl, { auth: { token: 42 }, reconnection: false });
  const error = await nextEvent(socket, 'connect_error');
  assert.match(error.message, /auth\.token must be a string/);
});

test('Authorization: Bearer on the handshake request authenticates too', async () => {
  for (const transports of [['polling'], ['websocket']]) {
    const { socket, snapshot } = await connectWithSnapshot(service.baseUrl, {
      transports,
      extraHeaders: { Authorization: `Bearer ${operatorToken}` },
    });
    assert.equal(socket.connected, true, transports[0]);
    assert.ok(Array.isArray(snapshot.calls));
    socket.disconnect();
  }
});

test('a namespace other than "/" is refused as invalid', async () => {
  const socket = openSocket(`${service.baseUrl}/admin`, { auth: { token: operatorToken }, reconnection: false });
  const error = await nextEvent(socket, 'connect_error');
  assert.equal(error.message, 'Invalid namespace');
});

test('a refused client can retry with a good token and connect', async () => {
  const socket = openSocket(service.baseUrl, { auth: { token: 'wrong' }, reconnection: false });
  await nextEvent(socket, 'connect_error');
  socket.auth = { token: operatorToken };
  socket.connect();
  await nextEvent(socket, 'connect');
  assert.equal(socket.connected, true);
});
