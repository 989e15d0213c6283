// Webhooks against the real binary (test-only simulated SIP engine) and a receiver on loopback that checks
// each signature as README tells receivers to: admins subscribe, every event of a call arrives signed and in
// order, and a receiver that fails, times out or is away (the service restarted meanwhile) gets every event
// later, a duplicate only ever under the same id.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { startService, test, until } from './lib/harness.mjs';
import { signatureValid, startReceiver } from './lib/webhook_receiver.mjs';

const receivers = [];
async function receiver(options) {
  const made = await startReceiver(options);
  receivers.push(made);
  return made;
}

// One call through the simulated engine: rings operator 1001, then the operator hangs up.
async function oneCall(service, from) {
  const { call } = await service.simulate('/inbound', { from, extension: '1001' });
  await service.api('POST', `/api/calls/hangup/${call.id}`);
  return call;
}

const typesOf = (deliveries, callId) =>
  deliveries.filter((d) => d.body?.data?.id === callId).map((d) => d.body.type);

describe('webhooks', () => {
  let service;

  before(async () => {
    // Fast retries and a short timeout, so that failures come back within the test's time.
    service = await startService({ env: { WEBHOOK_TIMEOUT_SECONDS: 1, WEBHOOK_RETRY_MAX_SECONDS: 1 } });
  });
  after(async () => {
    await service?.stop();
    for (const one of receivers) await one.close();
  });

  test('admins subscribe with a url and the events wanted; the secret is shown once; bad bodies are refused naming the field', async () => {
    const url = 'https://crm.example.test/hooks/telephony';
    for (const [body, field] of [
      [{ url: 'ftp://crm.example.test/x', events: ['call:ended'] }, /^url must be an http/],
      [{ url: 'https://user:pw@crm.example.test/', events: ['call:ended'] }, /^url must be/],
      [{ url, events: ['call:exploded'] }, /"call:exploded" names no event/],
      [{ url, events: [] }, /^events must name at least one/],
      [{ url }, /^events must be a list/],
    ]) {
      const refused = await service.api('POST', '/api/webhooks', body);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.code, 'VALIDATION_FAILED');
      assert.match(refused.body.error, field);
    }
    const operator = await service.createToken('operator', '1001');
    assert.equal((await service.api('POST', '/api/webhooks', { url, events: ['*'] }, operator)).status, 403);
    assert.equal((await service.api('GET', '/api/webhooks', undefined, operator)).status, 403);

    const created = await service.api('POST', '/api/webhooks', { url, events: ['call:ended', 'operator:*'] });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.id, /^wh_[0-9a-f]{32}$/);
    assert.match(created.body.secret, /^whsec_[0-9a-f]{64}$/);
    assert.deepEqual(created.body.events, ['call:ended', 'operator:*']);
    const listed = await service.api('GET', '/api/webhooks');
    assert.equal(listed.status, 200);
    const mine = listed.body.webhooks.find((w) => w.id === created.body.id);
    assert.equal(mine.url, url);
    assert.equal(mine.backlog, 0);
    assert.ok(!listed.text.includes(created.body.secret), 'the list never shows a secret');
    assert.ok(!service.output().includes(created.body.secret), 'nor does the log');
    assert.equal((await service.api('DELETE', `/api/webhooks/${created.body.id}`)).status, 200);
    const gone = await service.api('DELETE', `/api/webhooks/${created.body.id}`);
    assert.equal(gone.status, 404, gone.text);
    assert.match(gone.body.error, /no webhook with id wh_/);
  });

  test("a call's events reach the receiver signed, in order, carrying the stream's payload; a webhook gets only what it asked for", async () => {
    const everything = await receiver();
    const endings = await receiver();
    const all = (await service.api('POST', '/api/webhooks', { url: everything.url, events: ['call:*'] })).body;
    const ended = (await service.api('POST', '/api/webhooks', { url: endings.url, events: ['call:ended'] })).body;

    const call = await oneCall(service, '+79991110001');
    await everything.until((got) => typesOf(got, call.id).includes('call:ended'), 10000, 'call:ended');
    await endings.until((got) => typesOf(got, call.id).includes('call:ended'), 10000, 'call:ended');
    assert.deepEqual(typesOf(everything.received, call.id), ['call:new', 'call:ended']);
    assert.deepEqual(typesOf(endings.received, call.id), ['call:ended']);
    for (const [got, secret] of [[everything, all.secret], [endings, ended.secret]]) {
      for (const delivery of got.received) {
        assert.ok(signatureValid(delivery.headers['x-foodflow-signature'], delivery.raw, secret), delivery.headers['x-foodflow-signature']);
        assert.ok(!signatureValid(delivery.headers['x-foodflow-signature'], delivery.raw, 'whsec_other'), 'another secret does not verify');
        assert.equal(delivery.headers['content-type'], 'application/json');
        assert.equal(delivery.headers['x-foodflow-event-id'], delivery.body.id);
        assert.equal(delivery.headers['x-foodflow-event'], delivery.body.type);
        assert.match(delivery.body.id, /^evt_[0-9a-f]{32}$/);
        assert.match(delivery.body.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
    const last = endings.received.at(-1).body;
    assert.equal(last.data.id, call.id);
    assert.equal(last.data.status, 'ended');
    assert.equal(last.data.from, '+79991110001');

    const deliveries = await until(() => service.api('GET', `/api/webhooks/${ended.id}/deliveries`),
      (answer) => answer.body.deliveries?.[0]?.status === 'delivered', 5000, 'the delivery written as delivered');
    assert.equal(deliveries.body.deliveries[0].type, 'call:ended');
    assert.equal(deliveries.body.deliveries[0].httpStatus, 200);
    assert.equal(deliveries.body.deliveries[0].attempts, 1);

    const tested = await service.api('POST', `/api/webhooks/${ended.id}/test`);
    assert.equal(tested.status, 202, tested.text);
    const test = await endings.until((got) => got.some((d) => d.body?.id === tested.body.eventId), 10000, 'the test event');
    const delivery = test.find((d) => d.body?.id === tested.body.eventId);
    assert.equal(delivery.body.type, 'webhook:test');
    assert.deepEqual(delivery.body.data, { webhookId: ended.id });
    assert.equal((await service.api('POST', '/api/webhooks/wh_unknown/test')).status, 404);
    for (const id of [all.id, ended.id]) await service.api('DELETE', `/api/webhooks/${id}`);
  });

  test('a receiver that fails, times out or is away while the service restarts gets every event later, in order, duplicates only under the same id', async () => {
    // The first attempt of call:new gets 500, the first of call:ended no answer at all (past the 1 s timeout).
    const flaky = await receiver({
      respond: (delivery, attempt) => {
        if (attempt > 1) return 200;
        if (delivery.body?.type === 'call:new') return 500;
        if (delivery.body?.type === 'call:ended') return 'hang';
        return 200;
      },
    });
    const hook = (await service.api('POST', '/api/webhooks', { url: flaky.url, events: ['call:*'] })).body;
    const first = await oneCall(service, '+79991110002');
    await flaky.until(() => flaky.accepted().some((d) => d.body.type === 'call:ended' && d.body.data.id === first.id), 15000,
      'call:ended accepted after a timeout');
    assert.deepEqual(flaky.accepted().filter((d) => d.body.data.id === first.id).map((d) => d.body.type), ['call:new', 'call:ended']);
    // call:ended waited for call:new: one call's events in order, even while the first one is retried.
    const firstNew = flaky.received.find((d) => d.body.type === 'call:new' && d.status === 200);
    const firstEnded = flaky.received.find((d) => d.body.type === 'call:ended');
    assert.ok(firstEnded.at >= firstNew.at, 'call:ended was not sent before call:new was accepted');
    const history = await until(() => service.api('GET', `/api/webhooks/${hook.id}/deliveries`),
      (answer) => answer.body.deliveries.filter((d) => d.status === 'delivered').length === 2, 5000, 'both written delivered');
    const newDelivery = history.body.deliveries.find((d) => d.type === 'call:new');
    assert.equal(newDelivery.attempts, 2);

    // The receiver goes away; a call happens; the service restarts; the receiver comes back on its address.
    const port = flaky.port;
    await flaky.close();
    const second = await oneCall(service, '+79991110003');
    await until(() => service.api('GET', '/api/webhooks'), (answer) => answer.body.webhooks.find((w) => w.id === hook.id)?.backlog >= 1,
      5000, 'a backlog while the receiver is away');
    await service.restart();
    const back = await receiver({ port });
    await back.until(() => back.accepted().some((d) => d.body.type === 'call:ended' && d.body.data.id === second.id), 15000,
      'the second call\'s events after the restart');
    assert.deepEqual(back.accepted().filter((d) => d.body.data.id === second.id).map((d) => d.body.type), ['call:new', 'call:ended']);
    for (const delivery of back.received)
      assert.ok(signatureValid(delivery.headers['x-foodflow-signature'], delivery.raw, hook.secret));
    // Every id received more than once is the same event each time.
    const byId = new Map();
    for (const delivery of [...flaky.received, ...back.received]) {
      if (byId.has(delivery.body.id)) assert.equal(byId.get(delivery.body.id), delivery.raw, 'a duplicate carries the same body');
      byId.set(delivery.body.id, delivery.raw);
    }
    await until(() => service.api('GET', '/api/webhooks'), (answer) => answer.body.webhooks.find((w) => w.id === hook.id)?.backlog === 0,
      5000, 'the backlog empty again');
    // The backlog's gauge is read from the outbox every second.
    const metrics = await until(async () => (await service.api('GET', '/metrics')).text, (text) => /^ff_webhook_backlog 0$/m.test(text),
      5000, 'ff_webhook_backlog 0');
    assert.match(metrics, /^ff_webhook_delivered_total [1-9]/m);
    await service.api('DELETE', `/api/webhooks/${hook.id}`);
  });
});
