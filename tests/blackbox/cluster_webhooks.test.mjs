// Webhooks with two instances (simulated SIP engine) on one real PostgreSQL and one real redis-server: each
// event is written by the instance where it happened and sent by one of them, so the receiver gets every
// call's events once, in order, whichever instance had the call.
import assert from 'node:assert/strict';
import { after, describe } from 'node:test';

import { startPostgres } from '../lab/lib/postgres_server.mjs';
import { RedisServer } from '../lab/lib/redis_server.mjs';
import { randomToken, startService, test, until } from './lib/harness.mjs';
import { signatureValid, startReceiver } from './lib/webhook_receiver.mjs';

async function oneCall(service, from) {
  const { call } = await service.simulate('/inbound', { from, extension: '1001' });
  await service.api('POST', `/api/calls/hangup/${call.id}`);
  return call.id;
}

describe('webhooks across instances', () => {
  const cleanups = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('two instances on one database deliver each event once between them, in order per call', async () => {
    const pg = await startPostgres();
    cleanups.push(() => pg.remove());
    const redis = await new RedisServer().start();
    cleanups.push(() => redis.remove());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const adminToken = randomToken();
    const instances = [];
    for (const id of ['wh-1', 'wh-2']) {
      const service = await startService({ adminToken, env: { DATABASE_URL: pg.url, REDIS_URL: redis.url, INSTANCE_ID: id } });
      cleanups.push(() => service.stop());
      instances.push(service);
    }
    const [one, two] = instances;
    const hook = (await one.api('POST', '/api/webhooks', { url: receiver.url, events: ['call:new', 'call:ended'] })).body;
    // Instance two reads the subscriptions every few seconds: its calls reach the receiver once it has.
    await until(async () => {
      const id = await oneCall(two, '+79991130000');
      return receiver.until((got) => got.some((d) => d.body?.data?.id === id), 2000, 'a probe call').then(() => true, () => false);
    }, Boolean, 15000, 'instance two sending the new subscription\'s events');

    const calls = [];
    for (let i = 1; i <= 6; i++) calls.push(await oneCall(i % 2 ? one : two, `+7999113000${i}`));
    await receiver.until(() => calls.every((id) => receiver.accepted().some((d) => d.body.type === 'call:ended' && d.body.data.id === id)),
      15000, 'every call ended at the receiver');
    for (const id of calls)
      assert.deepEqual(receiver.received.filter((d) => d.body.data.id === id).map((d) => d.body.type), ['call:new', 'call:ended'], `call ${id}: each event once, in order`);
    const ids = receiver.received.map((d) => d.body.id);
    assert.equal(new Set(ids).size, ids.length, 'no event sent twice');
    for (const delivery of receiver.received) assert.ok(signatureValid(delivery.headers['x-foodflow-signature'], delivery.raw, hook.secret));
  });
});
