// Webhooks through a PostgreSQL outage, against the real binary (simulated SIP engine) and a real PostgreSQL
// 15 that is stopped while calls happen: their events wait in the spool with the call records, and once the
// database is back every one of them reaches the receiver, signed and in order per call.
import assert from 'node:assert/strict';
import { after, describe } from 'node:test';

import { startPostgres } from '../lab/lib/postgres_server.mjs';
import { startService, test, until } from './lib/harness.mjs';
import { signatureValid, startReceiver } from './lib/webhook_receiver.mjs';

describe('webhooks through a database outage', () => {
  const cleanups = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('events of calls made while PostgreSQL is stopped are delivered once it is back, none lost, in order per call', async () => {
    const pg = await startPostgres();
    cleanups.push(() => pg.remove());
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const service = await startService({ env: { DATABASE_URL: pg.url, WEBHOOK_RETRY_MAX_SECONDS: 1 } });
    cleanups.push(() => service.stop());
    const hook = (await service.api('POST', '/api/webhooks', { url: receiver.url, events: ['call:*'] })).body;
    assert.match(hook.secret ?? '', /^whsec_/);

    const before = (await service.simulate('/inbound', { from: '+79991120001', extension: '1001' })).call;
    await service.api('POST', `/api/calls/hangup/${before.id}`);
    await receiver.until(() => receiver.accepted().some((d) => d.body.type === 'call:ended' && d.body.data.id === before.id),
      10000, 'the first call delivered while the database is up');
    // Its outcome is written just after the receiver's answer: stopping the database in between would leave that
    // delivery claimed, to be sent again when its claim runs out (at least once), after this test's wait.
    await until(() => pg.query("SELECT count(*) FROM webhook_deliveries WHERE state <> 'delivered'"),
      (rows) => rows[0]?.[0] === '0', 5000, 'the first call\'s deliveries written as delivered');

    await pg.stop();
    const during = [];
    for (const from of ['+79991120002', '+79991120003']) {
      const { call } = await service.simulate('/inbound', { from, extension: '1001' });
      await service.api('POST', `/api/calls/hangup/${call.id}`);
      during.push(call.id);
    }
    // The records and their events wait in the spool; nothing can be delivered meanwhile.
    await until(() => service.api('GET', '/health'), (answer) => answer.body.dependencies?.database?.ok === false, 15000,
      'the database reported away');
    assert.ok(!receiver.received.some((d) => during.includes(d.body?.data?.id)), 'nothing of the outage delivered before the database is back');
    // Meanwhile the subscriptions and their backlog cannot be read: said so, never an empty list.
    const listed = await service.api('GET', '/api/webhooks');
    assert.equal(listed.status, 503, listed.text);
    assert.equal(listed.body.code, 'DATABASE_UNAVAILABLE');

    await pg.start();
    await receiver.until(() => during.every((id) => receiver.accepted().some((d) => d.body.type === 'call:ended' && d.body.data.id === id)),
      30000, 'both calls of the outage delivered');
    for (const id of during)
      assert.deepEqual(receiver.accepted().filter((d) => d.body.data.id === id).map((d) => d.body.type), ['call:new', 'call:ended'], id);
    for (const delivery of receiver.received)
      assert.ok(signatureValid(delivery.headers['x-foodflow-signature'], delivery.raw, hook.secret));
    // The last outcome is written just after the receiver's answer: then the outbox owes nothing.
    await until(() => pg.query("SELECT count(*) FROM webhook_deliveries WHERE state <> 'delivered'"),
      (rows) => rows[0]?.[0] === '0', 5000, 'every delivery written as delivered');
  });
});
