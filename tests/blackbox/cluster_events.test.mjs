// Cluster mode (REDIS_URL) with the simulated SIP engine: two instances on one real redis-server. Every call
// event of instance one reaches instance two's clients with the same payload and the same rooms, the active
// list and the call buttons on instance two cover instance one's call. The SIP side of the same features is
// proven with real phones by the lab's cluster tests.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { RedisServer } from '../lab/lib/redis_server.mjs';
import { randomToken, startService, test } from './lib/harness.mjs';
import { closeAllSockets, connectWithSnapshot, nextEvent, recordEvents } from './lib/socket_helpers.mjs';

let redis;
const instances = [];
const adminToken = randomToken();

async function until(read, predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let value;
  do {
    value = await read();
    if (predicate(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < deadline);
  throw new Error(`${what} not seen within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
}

before(async () => {
  redis = await new RedisServer().start();
  for (const id of ['bb-1', 'bb-2']) {
    // Each keeps its own SQLite log: what is shared here is Redis only.
    instances.push(await startService({ adminToken, env: { REDIS_URL: redis.url, INSTANCE_ID: id } }));
  }
  for (const service of instances) {
    await until(async () => (await service.api('GET', '/health')).body, (health) => health?.dependencies?.redis?.ok === true, 10000, 'Redis connected');
  }
});

after(async () => {
  closeAllSockets();
  for (const service of instances) await service.stop();
  await redis?.remove();
});

// Resolves once `seen` (recordEvents) holds `name` for the call: events that came before the wait count too.
const received = (seen, name, id) =>
  until(async () => seen.some((event) => event.name === name && event.args[0]?.id === id), Boolean, 5000, `${name} for ${id}`);

const callEvents = (seen) => seen.filter(({ name }) => name.startsWith('call:')).map(({ name, args }) => [name, args[0]]);

test('every call event of instance one reaches instance two\'s clients with the same payload and rooms; the list and buttons there cover it', async () => {
  const [one, two] = instances;
  assert.equal((await two.api('GET', '/health')).body.instance, 'bb-2');
  const local = await connectWithSnapshot(one.baseUrl, { auth: { token: await one.createToken('supervisor') } });
  const remote = await connectWithSnapshot(two.baseUrl, { auth: { token: await two.createToken('supervisor') } });
  const own = await connectWithSnapshot(two.baseUrl, { auth: { token: await two.createToken('operator', '1001') } });
  const other = await connectWithSnapshot(two.baseUrl, { auth: { token: await two.createToken('operator', '1002') } });
  const seen = { local: recordEvents(local.socket), remote: recordEvents(remote.socket), own: recordEvents(own.socket), other: recordEvents(other.socket) };

  const arrived = nextEvent(remote.socket, 'call:new');
  const { call } = await one.simulate('/inbound', { from: '8 (999) 123-45-67', extension: '1001' });
  assert.equal((await arrived).id, call.id);
  await one.simulate(`/calls/${call.id}/ringing`);
  await one.simulate(`/calls/${call.id}/answered`);
  await received(seen.remote, 'call:answered', call.id);

  const listed = await until(async () => (await two.api('GET', '/api/calls/active')).body.calls, (calls) => calls.length === 1, 3000, 'the call on instance two');
  const here = (await one.api('GET', '/api/calls/active')).body.calls;
  assert.deepEqual(listed, here, 'instance two lists the call as instance one shows it');

  // Buttons pressed on instance two run at instance one and answer with its call.
  const hold = await two.api('POST', `/api/calls/hold/${call.id}`);
  assert.equal(hold.status, 200, hold.text);
  assert.equal(hold.body.call.status, 'held');
  const unhold = await two.api('POST', `/api/calls/unhold/${call.id}`);
  assert.equal(unhold.status, 200, unhold.text);
  assert.equal(unhold.body.call.status, 'answered');
  const linked = await one.api('POST', `/api/calls/${call.id}/customer`, { customerId: 'c-7', customerName: 'Анна', customerPhone: '+79991234567' });
  assert.equal(linked.status, 200, linked.text);
  await received(seen.remote, 'call:updated', call.id);
  const transfer = await two.api('POST', `/api/calls/transfer/${call.id}`, { target: '+79990000002' });
  assert.equal(transfer.status, 200, transfer.text);
  await Promise.all([received(seen.remote, 'call:ended', call.id), received(seen.local, 'call:ended', call.id), received(seen.own, 'call:ended', call.id)]);

  const expected = callEvents(seen.local);
  const names = expected.map(([name]) => name);
  for (const name of ['call:new', 'call:ringing', 'call:answered', 'call:held', 'call:unheld', 'call:updated', 'call:transferred', 'call:ended']) {
    assert.ok(names.includes(name), `instance one sent ${name}: ${names}`);
  }
  assert.deepEqual(callEvents(seen.remote), expected, 'the supervisor on instance two got the same events, in order, with the same payloads');
  assert.deepEqual(callEvents(seen.own), expected, 'operator 1001 on instance two got its call\'s events');
  assert.deepEqual(callEvents(seen.other), [], 'operator 1002 got none of them');
  assert.deepEqual((await two.api('GET', '/api/calls/active')).body.calls, []);
});

test('a button on instance two for a call that ended at instance one, or never was, answers 404', async () => {
  const [one, two] = instances;
  const { call } = await one.simulate('/inbound', { from: '+79991234568', extension: '1002' });
  await until(async () => (await two.api('GET', '/api/calls/active')).body.calls, (calls) => calls.some((c) => c.id === call.id), 3000, 'the call on instance two');
  const missing = await two.api('POST', '/api/calls/hangup/no-such-call');
  assert.equal(missing.status, 404, missing.text);
  const ended = await one.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
  assert.equal(ended.call.status, 'ended');
  await until(async () => (await two.api('GET', '/api/calls/active')).body.calls, (calls) => calls.length === 0, 3000, 'no call on instance two');
  const late = await two.api('POST', `/api/calls/hangup/${call.id}`);
  assert.equal(late.status, 404, late.text);
});

// Last in this file: it takes Redis away. hiredis writes with write(), so an instance writing its call events to
// a connection whose server died would be killed by SIGPIPE unless the service ignores it.
test('Redis killed while instance one writes call events: both instances go on, report Redis away, and come back with it', async () => {
  const [one, two] = instances;
  await redis.kill();
  for (let i = 0; i < 5; i++) {
    const { call } = await one.simulate('/inbound', { from: `+7999123460${i}`, extension: '1001' });
    await one.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
  }
  for (const service of instances) {
    await until(async () => (await service.api('GET', '/health')).body, (health) => health?.dependencies?.redis?.ok === false, 10000, 'Redis reported away');
    assert.equal(service.child.signalCode, null, `instance ${service === one ? 'one' : 'two'} is alive`);
  }
  await redis.start();
  for (const service of instances) {
    await until(async () => (await service.api('GET', '/health')).body, (health) => health?.dependencies?.redis?.ok === true, 10000, 'Redis back');
  }
  const { call } = await one.simulate('/inbound', { from: '+79991234610', extension: '1001' });
  await until(async () => (await two.api('GET', '/api/calls/active')).body.calls, (calls) => calls.some((c) => c.id === call.id), 5000, 'a new call of instance one on instance two');
  await one.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
});
