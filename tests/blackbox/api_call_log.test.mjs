// The call log through the REST API: paging with totals, search by any written form of a number,
// statistics with orders and conversion, customer/order/note links, and the customer popup.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { startService, test } from './lib/harness.mjs';

// Today's date in the service's time zone (the harness sets TZ=Europe/Moscow).
function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date());
}

describe('call log', () => {
  let service;
  let operator2;

  before(async () => {
    service = await startService();
    operator2 = await service.createToken('operator', '1002', 'Boris Petrov');
  });
  after(async () => service?.stop());

  async function inbound(extension, from) {
    return (await service.simulate('/inbound', { from, extension })).call;
  }
  async function endedCall(extension, from, reason = 'missed') {
    const call = await inbound(extension, from);
    return (await service.simulate(`/calls/${call.id}/ended`, { reason })).call;
  }

  test('logs are paged newest first with the total', async () => {
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await endedCall('1003', `+7999700000${i}`)).id);
    const first = await service.api('GET', '/api/calls/logs?limit=3&offset=0');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.total, 7);
    assert.equal(first.body.limit, 3);
    assert.equal(first.body.offset, 0);
    assert.deepEqual(first.body.calls.map((c) => c.id), ids.slice(4).reverse());
    const last = await service.api('GET', '/api/calls/logs?limit=3&offset=6');
    assert.deepEqual(last.body.calls.map((c) => c.id), [ids[0]]);
    assert.equal(last.body.total, 7);
    const whole = await service.api('GET', '/api/calls/logs');
    assert.equal(whole.body.limit, 100);
    assert.equal(whole.body.calls.length, 7);
    assert.equal(whole.body.calls[0].status, 'ended');
    assert.equal(whole.body.calls[0].endReason, 'missed');
  });

  test('paging parameters out of range are 400 naming the parameter', async () => {
    for (const [query, name] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['limit=ten', 'limit'], ['offset=-1', 'offset'], ['offset=1.5', 'offset']]) {
      const result = await service.api('GET', `/api/calls/logs?${query}`);
      assert.equal(result.status, 400, query);
      assert.equal(result.body.code, 'VALIDATION_FAILED');
      assert.match(result.body.error, new RegExp(`^${name}`));
    }
  });

  test('an operator lists only the calls of its extension', async () => {
    const mine = await endedCall('1002', '+79997111111');
    const result = await service.api('GET', '/api/calls/logs', undefined, operator2);
    assert.ok(result.body.calls.length >= 1);
    assert.ok(result.body.calls.every((c) => c.extension === '1002'));
    assert.ok(result.body.calls.some((c) => c.id === mine.id));
    assert.equal(result.body.total, result.body.calls.length);
  });

  test('any written form of a number finds the same calls', async () => {
    const a = await endedCall('1001', '8 (999) 123-45-67');
    const b = await endedCall('1001', '+7 999 123 45 67');
    await endedCall('1001', '+79990000099');
    assert.equal(a.from, '+79991234567');
    const expected = [b.id, a.id];
    for (const written of ['+79991234567', '%2B79991234567', '89991234567', encodeURIComponent('8 (999) 123-45-67'), '9991234567']) {
      const result = await service.api('GET', `/api/calls/logs/phone/${written}`);
      assert.equal(result.status, 200, `${written}: ${result.text}`);
      assert.deepEqual(result.body.calls.map((c) => c.id), expected, written);
      assert.equal(result.body.total, 2);
    }
    const bad = await service.api('GET', '/api/calls/logs/phone/not-a-number');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^phone/);
  });

  test('notes carry the token name as author; their length is checked', async () => {
    const call = await endedCall('1002', '+79997222222');
    const result = await service.api('POST', `/api/calls/${call.id}/notes`, { note: 'Клиент интересовался акцией' }, operator2);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.success, true);
    const [note] = result.body.call.notes;
    assert.equal(note.text, 'Клиент интересовался акцией');
    assert.equal(note.author, 'Boris Petrov');
    assert.ok(note.createdAt);
    for (const body of [{}, { note: '' }, { note: 'x'.repeat(2001) }, { note: 42 }]) {
      const refused = await service.api('POST', `/api/calls/${call.id}/notes`, body);
      assert.equal(refused.status, 400, JSON.stringify(body).slice(0, 40));
      assert.match(refused.body.error, /^note/);
    }
    const ok = await service.api('POST', `/api/calls/${call.id}/notes`, { note: 'я'.repeat(2000) });
    assert.equal(ok.status, 200);
    const stored = await service.api('GET', `/api/calls/logs/phone/${encodeURIComponent('+79997222222')}`);
    assert.equal(stored.body.calls[0].notes.length, 2);
  });

  test('links to an unknown call are 404 CALL_NOT_FOUND', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [path, body] of [['customer', { customerId: 'c' }], ['order', { orderId: 'o' }], ['notes', { note: 'n' }]]) {
      const result = await service.api('POST', `/api/calls/${id}/${path}`, body);
      assert.equal(result.status, 404, path);
      assert.equal(result.body.code, 'CALL_NOT_FOUND');
    }
  });

  test('an order linked to an active call shows in the active list', async () => {
    const call = await inbound('1001', '+79997333333');
    const linked = await service.api('POST', `/api/calls/${call.id}/order`, { orderId: 'order-77' });
    assert.equal(linked.status, 200, linked.text);
    assert.equal(linked.body.call.status, 'ringing');
    const active = await service.api('GET', '/api/calls/active');
    const shown = active.body.calls.find((c) => c.id === call.id);
    assert.deepEqual(shown.orders.map((o) => o.orderId), ['order-77']);
    const missing = await service.api('POST', `/api/calls/${call.id}/order`, {});
    assert.match(missing.body.error, /^orderId/);
    await service.api('POST', `/api/calls/hangup/${call.id}`);
  });

  test('a caller once linked to a customer pops up with that customer on the next call', async () => {
    const first = await endedCall('1001', '+79161234567');
    const linked = await service.api('POST', `/api/calls/${first.id}/customer`, {
      customerId: 'cust-42',
      customerName: 'Иван Иванов',
      customerPhone: '8 916 123-45-67',
    });
    assert.equal(linked.status, 200, linked.text);
    assert.deepEqual(linked.body.call.customer, { id: 'cust-42', name: 'Иван Иванов', phone: '+79161234567' });
    const bad = await service.api('POST', `/api/calls/${first.id}/customer`, { customerId: 'x', customerPhone: 'abc' });
    assert.match(bad.body.error, /^customerPhone/);

    const next = await inbound('1002', '8 (916) 123-45-67');
    assert.equal(next.customer?.id, 'cust-42', 'call:new carries the customer');
    const active = await service.api('GET', '/api/calls/active', undefined, operator2);
    const shown = active.body.calls.find((c) => c.id === next.id);
    assert.equal(shown.customer.name, 'Иван Иванов');
    await service.api('POST', `/api/calls/hangup/${next.id}`);
  });
});

describe('statistics', () => {
  let service;

  before(async () => {
    service = await startService();
  });
  after(async () => service?.stop());

  test('operator statistics count calls, outcomes, orders and the conversion rate', async () => {
    // 1004 is created for this test so no other call counts.
    const created = await service.api('POST', '/api/settings/users', { extension: '1004', username: 'operator4', password: 'pass-four' });
    assert.equal(created.status, 201, created.text);

    const answered = (await service.simulate('/inbound', { from: '+79998000001', extension: '1004' })).call;
    await service.simulate(`/calls/${answered.id}/answered`);
    await service.simulate(`/calls/${answered.id}/ended`, { reason: 'completed' });
    const missed = (await service.simulate('/inbound', { from: '+79998000002', extension: '1004' })).call;
    await service.simulate(`/calls/${missed.id}/ended`, { reason: 'missed' });
    const outbound = (await service.api('POST', '/api/calls/dial', { from: '1004', to: '+79998000003' })).body.call;
    await service.simulate(`/calls/${outbound.id}/answered`);
    await service.api('POST', `/api/calls/hangup/${outbound.id}`);
    await service.api('POST', `/api/calls/${answered.id}/order`, { orderId: 'o-1' });
    await service.api('POST', `/api/calls/${answered.id}/order`, { orderId: 'o-2' });
    await service.api('POST', `/api/calls/${answered.id}/order`, { orderId: 'o-2' }); // twice: not duplicated
    await service.api('POST', `/api/calls/${outbound.id}/order`, { orderId: 'o-3' });

    const day = today();
    const result = await service.api('GET', `/api/calls/stats/1004?from=${day}&to=${day}`);
    assert.equal(result.status, 200, result.text);
    const { stats } = result.body;
    assert.equal(stats.extension, '1004');
    assert.equal(stats.totalCalls, 3);
    assert.equal(stats.inboundCalls, 2);
    assert.equal(stats.outboundCalls, 1);
    assert.equal(stats.answeredCalls, 2);
    assert.equal(stats.missedCalls, 1);
    assert.equal(typeof stats.averageDuration, 'number');
    assert.equal(typeof stats.totalDuration, 'number');
    assert.equal(stats.ordersLinked, 3);
    assert.equal(stats.callsWithOrders, 2);
    assert.ok(Math.abs(stats.conversionRate - 2 / 3) < 0.001, String(stats.conversionRate));

    const byDefault = await service.api('GET', '/api/calls/stats/1004');
    assert.equal(byDefault.body.stats.totalCalls, 3, 'the default range (last 30 days) includes today');
    const yesterday = new Date(Date.now() - 86400000 * 2).toISOString().slice(0, 10);
    const before = await service.api('GET', `/api/calls/stats/1004?from=2020-01-01&to=${yesterday}`);
    assert.equal(before.body.stats.totalCalls, 0);
    assert.equal(before.body.stats.conversionRate, 0);
  });

  test('a call whose customer was not heard carries its media report in the stream, the log and the statistics', async () => {
    const created = await service.api('POST', '/api/settings/users', { extension: '1005', username: 'operator5', password: 'pass-five' });
    assert.equal(created.status, 201, created.text);
    const call = (await service.simulate('/inbound', { from: '+79998000011', extension: '1005' })).call;
    await service.simulate(`/calls/${call.id}/answered`);
    const media = { customerToOperator: { packets: 0 }, operatorToCustomer: { packets: 1500, lost: 3, jitterMs: 4 } };
    const ended = (await service.simulate(`/calls/${call.id}/ended`, { reason: 'completed', media })).call;
    assert.deepEqual(ended.media, {
      customerToOperator: { packets: 0, lost: null, jitterMs: null },
      operatorToCustomer: { packets: 1500, lost: 3, jitterMs: 4 },
      oneWay: true,
      noAudio: false,
    });
    const heard = (await service.simulate('/inbound', { from: '+79998000012', extension: '1005' })).call;
    await service.simulate(`/calls/${heard.id}/answered`);
    await service.simulate(`/calls/${heard.id}/ended`, { reason: 'completed', media: { customerToOperator: { packets: 900 }, operatorToCustomer: { packets: 950 } } });

    const logged = await service.api('GET', `/api/calls/logs/phone/${encodeURIComponent('+79998000011')}`);
    assert.deepEqual(logged.body.calls[0].media, ended.media);
    const stats = (await service.api('GET', '/api/calls/stats/1005')).body.stats;
    assert.equal(stats.totalCalls, 2);
    assert.equal(stats.oneWayAudioCalls, 1);

    const other = (await service.simulate('/inbound', { from: '+79998000013', extension: '1005' })).call;
    // Counters of an active call need rtpengine; without it the answer says so.
    const live = await service.api('GET', `/api/calls/${other.id}/media`);
    assert.equal(live.status, 503, live.text);
    assert.match(live.body.error, /MEDIA=passthrough/);
    assert.equal((await service.api('GET', '/api/calls/no-such-call/media')).status, 404);
    const bad = await service.api('POST', `/_simulator/calls/${other.id}/ended`, { reason: 'missed', media: { customerToOperator: { packets: -1 } } }, null);
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.text, /media/);
  });

  test('bad dates and ranges are 400 naming from or to', async () => {
    for (const [query, name] of [['from=2025-13-01', 'from'], ['from=yesterday', 'from'], ['to=2025-02-30', 'to'], ['from=2025-11-09&to=2025-11-08', 'from']]) {
      const result = await service.api('GET', `/api/calls/stats/1001?${query}`);
      assert.equal(result.status, 400, query);
      assert.equal(result.body.code, 'VALIDATION_FAILED');
      assert.match(result.body.error, new RegExp(`^${name}`));
    }
    const extension = await service.api('GET', '/api/calls/stats/abc');
    assert.equal(extension.status, 400);
    assert.match(extension.body.error, /^extension/);
  });
});
