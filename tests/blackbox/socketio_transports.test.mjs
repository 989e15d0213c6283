// Socket.IO transports with the official client: polling then upgrade, websocket only, polling only;
// the engine's error answers and the client bundle served at /socket.io/socket.io.js.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent } from './lib/socket_helpers.mjs';

let service;
let supervisorToken;

before(async () => {
  service = await startService();
  supervisorToken = await service.createToken('supervisor');
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

async function inboundCall(extension = '1001') {
  const created = await service.simulate('/inbound', { from: '+79991234567', extension });
  return created.call;
}

test('default transports connect over polling, then upgrade to websocket and keep receiving events', async () => {
  const { socket, snapshot } = await connectWithSnapshot(service.baseUrl, { auth: { token: supervisorToken } });
  assert.ok(Array.isArray(snapshot.calls));
  const engine = socket.io.engine;
  if (engine.transport.name !== 'websocket') {
    assert.equal(engine.transport.name, 'polling');
    await nextEvent(engine, 'upgrade');
  }
  assert.equal(engine.transport.name, 'websocket');
  const received = nextEvent(socket, 'call:new');
  const call = await inboundCall();
  assert.equal((await received).id, call.id);
});

test('websocket-only transport connects without polling and receives events', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, {
    auth: { token: supervisorToken },
    transports: ['websocket'],
  });
  assert.equal(socket.io.engine.transport.name, 'websocket');
  const received = nextEvent(socket, 'call:new');
  const call = await inboundCall('1002');
  assert.equal((await received).id, call.id);
});

test('polling-only transport receives events through long-polling', async () => {
  const { socket } = await connectWithSnapshot(service.baseUrl, {
    auth: { token: supervisorToken },
    transports: ['polling'],
  });
  const received = nextEvent(socket, 'call:new');
  const call = await inboundCall();
  assert.equal((await received).id, call.id);
  assert.equal(socket.io.engine.transport.name, 'polling');
  // A second event on the same session: the held GET is renewed after each answer.
  const ended = nextEvent(socket, 'call:ended');
  await service.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
  assert.equal((await ended).id, call.id);
});

test('polling handshake answers an open packet with the session parameters', async () => {
  const response = await fetch(`${service.baseUrl}/socket.io/?EIO=4&transport=polling`);
  assert.equal(response.status, 200);
  const body = await response.text();
  assert.equal(body[0], '0');
  const open = JSON.parse(body.slice(1));
  assert.equal(typeof open.sid, 'string');
  assert.deepEqual(open.upgrades, ['websocket']);
  assert.equal(open.pingInterval, 25000);
  assert.equal(open.pingTimeout, 20000);
  assert.equal(open.maxPayload, 1000000);
});

test('bad engine requests get the standard error answers', async () => {
  const cases = [
    ['/socket.io/?EIO=4&transport=carrier-pigeon', 0, 'Transport unknown'],
    ['/socket.io/?EIO=4&transport=polling&sid=no-such-session', 1, 'Session ID unknown'],
    ['/socket.io/?EIO=3&transport=polling', 5, 'Unsupported protocol version'],
    ['/socket.io/?EIO=4&transport=websocket', 3, 'Bad request'],
  ];
  for (const [path, code, message] of cases) {
    const response = await fetch(`${service.baseUrl}${path}`);
    assert.equal(response.status, 400, path);
    assert.deepEqual(await response.json(), { code, message }, path);
  }
  const post = await fetch(`${service.baseUrl}/socket.io/?EIO=4&transport=polling`, { method: 'POST', body: '40' });
  assert.equal(post.status, 400);
  assert.deepEqual(await post.json(), { code: 2, message: 'Bad handshake method' });
});

test('upgrade at the protocol level: 2probe gets 3probe, the held poll ends with noop, then 5 switches', async () => {
  const base = `${service.baseUrl}/socket.io/?EIO=4&transport=polling`;
  const { sid } = JSON.parse((await (await fetch(base)).text()).slice(1));
  const posted = await fetch(`${base}&sid=${sid}`, { method: 'POST', body: `40${JSON.stringify({ token: supervisorToken })}` });
  assert.equal(await posted.text(), 'ok');
  const connected = await (await fetch(`${base}&sid=${sid}`)).text();
  assert.match(connected, /^40\{"sid":/);
  const held = fetch(`${base}&sid=${sid}`).then((response) => response.text());

  const ws = new WebSocket(`${service.baseUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
  const frames = [];
  const nextFrame = () => new Promise((resolve) => ws.once('message', (data) => resolve(data.toString())));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const probeAnswer = nextFrame();
  ws.send('2probe');
  assert.equal(await probeAnswer, '3probe');
  assert.equal(await held, '6');
  ws.send('5');
  // Every frame from now on comes over the WebSocket: the PBX's state, and the operators' states it changes.
  ws.on('message', (data) => frames.push(data.toString()));
  await service.simulate('/telephony', { connected: true, registeredUsers: 1 });
  const deadline = Date.now() + 5000;
  while (!frames.some((frame) => frame.startsWith('42["sip:connected",')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(frames.some((frame) => frame.startsWith('42["sip:connected",')), JSON.stringify(frames));
  assert.ok(frames.every((frame) => frame.startsWith('42[')), `only events: ${JSON.stringify(frames)}`);
  const afterUpgrade = await fetch(`${base}&sid=${sid}`);
  assert.equal(afterUpgrade.status, 400); // polling is over for an upgraded session
  ws.close();
});

test('a WebSocket upgrade for an unknown session is refused with the engine error', async () => {
  const ws = new WebSocket(`${service.baseUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=nope`);
  ws.on('error', () => {}); // the refusal is the expected outcome
  const response = await new Promise((resolve) => ws.once('unexpected-response', (request, answer) => resolve(answer)));
  assert.equal(response.statusCode, 400);
  const body = await new Promise((resolve) => {
    let text = '';
    response.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
  });
  assert.deepEqual(JSON.parse(body), { code: 1, message: 'Session ID unknown' });
  ws.terminate();
});

test('the client bundle is served at /socket.io/socket.io.js with a validator', async () => {
  const response = await fetch(`${service.baseUrl}/socket.io/socket.io.js`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /javascript/);
  assert.equal(response.headers.get('cache-control'), 'public, max-age=0');
  const etag = response.headers.get('etag');
  assert.ok(etag);
  assert.match(await response.text(), /Socket\.IO/);
  const again = await fetch(`${service.baseUrl}/socket.io/socket.io.js`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const minified = await fetch(`${service.baseUrl}/socket.io/socket.io.min.js`);
  assert.equal(minified.status, 200);
  const map = await fetch(`${service.baseUrl}/socket.io/socket.io.min.js.map`);
  assert.equal(map.status, 200);
  assert.equal(typeof (await map.json()).version, 'number');
});
