// Malformed traffic closes that one connection with a clear reason; every other client is unaffected.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import WebSocket from 'ws';
import { startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent } from './lib/socket_helpers.mjs';

let service;
let supervisorToken;
let bystander; // a well-behaved client that must keep receiving events throughout

before(async () => {
  service = await startService();
  supervisorToken = await service.createToken('supervisor');
  bystander = (await connectWithSnapshot(service.baseUrl, { auth: { token: supervisorToken } })).socket;
});

after(async () => {
  closeAllSockets();
  await service?.stop();
});

// A raw WebSocket that has passed the engine.io handshake and, if asked, the Socket.IO connect.
async function rawSocket({ connect = true } = {}) {
  const url = `${service.baseUrl.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url);
  const frames = [];
  const waiters = [];
  ws.on('message', (data) => {
    frames.push(data.toString());
    for (const waiter of waiters.splice(0)) waiter();
  });
  ws.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.frame = async (predicate) => {
    for (;;) {
      const found = frames.find(predicate);
      if (found) return found;
      await new Promise((resolve, reject) => {
        waiters.push(resolve);
        setTimeout(() => reject(new Error(`frame not received; got ${JSON.stringify(frames)}`)), 5000);
      });
    }
  };
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const open = await ws.frame((text) => text.startsWith('0'));
  assert.deepEqual(JSON.parse(open.slice(1)).upgrades, []);
  if (connect) {
    ws.send(`40${JSON.stringify({ token: supervisorToken })}`);
    await ws.frame((text) => text.startsWith('40{"sid"'));
    await ws.frame((text) => text.startsWith('42["calls:snapshot"'));
  }
  return ws;
}

async function bystanderStillServed() {
  assert.equal(bystander.connected, true);
  const received = nextEvent(bystander, 'call:new');
  const { call } = await service.simulate('/inbound', { from: '+79997770000', extension: '1001' });
  assert.equal((await received).id, call.id);
  await service.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
}

const malformed = [
  ['broken JSON in an event', '42["call:new"'],
  ['an event payload that is not an array', '42{"a":1}'],
  ['an unknown socket.io packet type', '49[]'],
  ['a namespace without its slash', '42admin,["x"]'],
  ['text that is not an engine.io packet', 'hello'],
  ['a binary engine.io packet', 'bAQIDBA=='],
  ['a ping from the client', '2'],
];

for (const [what, text] of malformed) {
  test(`${what} closes only that connection`, async () => {
    const ws = await rawSocket();
    ws.send(text);
    const { code } = await ws.closed;
    assert.equal(code, 1002);
    await bystanderStillServed();
  });
}

test('an event before the Socket.IO connect closes that connection', async () => {
  const ws = await rawSocket({ connect: false });
  ws.send('42["ping"]');
  assert.equal((await ws.closed).code, 1002);
  await bystanderStillServed();
});

test('a binary WebSocket frame closes that connection', async () => {
  const ws = await rawSocket();
  ws.send(Buffer.from([1, 2, 3]), { binary: true });
  assert.equal((await ws.closed).code, 1002);
  await bystanderStillServed();
});

test('a WebSocket frame over maxPayload closes that connection with 1009', async () => {
  const ws = await rawSocket();
  ws.send(`42["x","${'y'.repeat(1000001)}"]`);
  // 1009 when the close frame gets through; the server stops reading at the frame header, so the rest of
  // the frame still in flight can reset the connection first (1006).
  assert.ok([1009, 1006].includes((await ws.closed).code));
  await bystanderStillServed();
});

test('a malformed polling POST is refused with 400 and ends that session', async () => {
  const base = `${service.baseUrl}/socket.io/?EIO=4&transport=polling`;
  const open = JSON.parse((await (await fetch(base)).text()).slice(1));
  const posted = await fetch(`${base}&sid=${open.sid}`, { method: 'POST', body: '4\x1ezzz' });
  assert.equal(posted.status, 400);
  const after = await fetch(`${base}&sid=${open.sid}`);
  assert.equal(after.status, 400);
  assert.equal((await after.json()).code, 1);
  await bystanderStillServed();
});

test('a polling client that never reads, whose accepted connect overflows its queue, is closed and nothing else', async () => {
  // Found by fuzzing: the answer to the accepted CONNECT closed the session (10,000 frames unread) while the
  // server still used what the close had freed; the service could crash on one POST of 30 KB.
  const base = `${service.baseUrl}/socket.io/?EIO=4&transport=polling`;
  const open = JSON.parse((await (await fetch(base)).text()).slice(1));
  const refused = Array(10000).fill('40').join('\x1e'); // each refused for want of a token, none read
  const body = `${refused}\x1e40${JSON.stringify({ token: supervisorToken })}`;
  const posted = await fetch(`${base}&sid=${open.sid}`, { method: 'POST', body });
  assert.equal(posted.status, 200);
  const after = await fetch(`${base}&sid=${open.sid}`);
  assert.equal(after.status, 400, 'the session was closed');
  assert.equal((await after.json()).code, 1);
  await bystanderStillServed();
  assert.equal((await fetch(`${service.baseUrl}/health`)).status, 200);
});

test('a polling POST over maxPayload is refused with 413', async () => {
  const base = `${service.baseUrl}/socket.io/?EIO=4&transport=polling`;
  const open = JSON.parse((await (await fetch(base)).text()).slice(1));
  const posted = await fetch(`${base}&sid=${open.sid}`, { method: 'POST', body: `4${'x'.repeat(1000001)}` });
  assert.equal(posted.status, 413);
  await bystanderStillServed();
});

test('overlapping polls end that session: the held poll gets a close packet, the other 400', async () => {
  const base = `${service.baseUrl}/socket.io/?EIO=4&transport=polling`;
  const open = JSON.parse((await (await fetch(base)).text()).slice(1));
  // Both are held (nothing to send), so whichever arrives second overlaps the first.
  const answers = await Promise.all(
    [1, 2].map(async () => {
      const response = await fetch(`${base}&sid=${open.sid}`);
      return `${response.status} ${await response.text()}`;
    }),
  );
  answers.sort();
  assert.equal(answers[0], '200 1');
  assert.match(answers[1], /^400 .*"code":3/);
  await bystanderStillServed();
});
