// Recordings with several instances (REDIS_URL) sharing one call log: each instance keeps the recordings of
// its calls, and one asked for a recording another keeps gets it from there, ranges and rights included.
// The simulated SIP engine plays the recording's conversion at instance one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { RedisServer } from '../lab/lib/redis_server.mjs';
import { randomToken, startService, test } from './lib/harness.mjs';

let redis;
let shared;
const instances = [];
const adminToken = randomToken();
const audio = Buffer.from(Array.from({ length: 7000 }, (_, index) => (index * 7) % 256));

before(async () => {
  redis = await new RedisServer().start();
  shared = mkdtempSync(join(tmpdir(), 'ff-cluster-recordings-'));
  // One call log for both (an SQLite file both open, as a PostgreSQL would be); the recordings stay apart.
  for (const id of ['rec-1', 'rec-2']) {
    instances.push(await startService({ adminToken, env: { REDIS_URL: redis.url, INSTANCE_ID: id, DATABASE_URL: `sqlite:${join(shared, 'calls.db')}` } }));
  }
  for (const service of instances) {
    const deadline = Date.now() + 10000;
    while ((await service.api('GET', '/health')).body?.dependencies?.redis?.ok !== true) {
      assert.ok(Date.now() < deadline, 'Redis connected');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});

after(async () => {
  for (const service of instances) await service.stop();
  await redis?.remove();
  if (shared) rmSync(shared, { recursive: true, force: true });
});

// A call of operator 1001 at `instance`, recorded and ended; its recording made there. Returns the call.
async function recordedCallAt(instance, from) {
  const { call } = await instance.simulate('/inbound', { from, extension: '1001' });
  await instance.simulate(`/calls/${call.id}/recording-started`);
  await instance.simulate(`/calls/${call.id}/answered`);
  await instance.simulate(`/calls/${call.id}/ended`, { reason: 'completed' });
  return (await instance.simulate(`/calls/${call.id}/recording`, { status: 'ready', durationSeconds: 9, audioBase64: audio.toString('base64') })).call;
}

test('a recording kept by instance one is served through instance two, whole and by range, under the call\'s rights', async () => {
  const [one, two] = instances;
  const call = await recordedCallAt(one, '+79995551234');
  assert.equal(call.recording.instance, 'rec-1');

  const get = (token, headers = {}) => fetch(`${two.baseUrl}/api/calls/${call.id}/recording`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  const whole = await get(adminToken);
  assert.equal(whole.status, 200, await whole.clone().text());
  assert.equal(whole.headers.get('content-type'), 'audio/ogg');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), audio);
  const anna = await two.createToken('operator', '1001');
  const part = await get(anna, { Range: 'bytes=6000-' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 6000-6999/${audio.length}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), audio.subarray(6000));
  const beyond = await get(anna, { Range: 'bytes=9000-' });
  assert.equal(beyond.status, 416);
  const boris = await two.createToken('operator', '1002');
  assert.equal((await get(boris)).status, 403);
});

test('a recording whose instance is gone answers 504 naming it, after the control timeout', async () => {
  const [one, two] = instances;
  const call = await recordedCallAt(one, '+79995551235');
  process.kill(one.child.pid, 'SIGSTOP');
  try {
    const stopped = () => readFileSync(`/proc/${one.child.pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'T';
    const deadline = Date.now() + 2000;
    while (!stopped()) {
      assert.ok(Date.now() < deadline, 'instance one stopped');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const asked = await two.api('GET', `/api/calls/${call.id}/recording`);
    assert.equal(asked.status, 504, `${asked.text.slice(0, 300)} ${JSON.stringify([...asked.headers])}`);
    assert.match(asked.body.error, /rec-1/);
  } finally {
    process.kill(one.child.pid, 'SIGCONT');
  }
});
