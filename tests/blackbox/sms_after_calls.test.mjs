// SMS after calls against the real binary (simulated SIP engine) and a local stand-in for the call centre's
// SMS gateway (Node, loopback; no real gateway can be reached from here): a missed call sends the missed-call
// text, a call that produced an order the order text, at most one per number per SMS_MIN_INTERVAL_MINUTES and
// never to a colleague's extension; each SMS and its result is on the call in the history; a gateway that
// refuses is "failed" with its words.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe } from 'node:test';

import { startService, test, until } from './lib/harness.mjs';

describe('SMS after calls', () => {
  let service;
  let gateway;
  const received = [];
  let refuse = false;

  before(async () => {
    gateway = createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (refuse) return response.writeHead(402, { 'Content-Type': 'application/json' }).end('{"status":"ERROR","status_text":"no balance"}');
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      });
    });
    await new Promise((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    service = await startService({
      env: {
        SMS_GATEWAY_URL: `http://127.0.0.1:${gateway.address().port}/sms/send?to={phone}`,
        SMS_GATEWAY_METHOD: 'POST',
        SMS_GATEWAY_CONTENT_TYPE: 'application/json',
        SMS_GATEWAY_BODY: '{"to":"{phone}","text":"{text}","sender":"FoodFlow"}',
        SMS_GATEWAY_HEADERS: 'Authorization: Bearer sms-key-1; X-Sender: FoodFlow',
        SMS_MISSED_TEXT: 'Мы пропустили ваш звонок — перезвоним. "Пицца"',
        SMS_ORDER_TEXT: 'Спасибо за заказ!',
        SMS_MIN_INTERVAL_MINUTES: 60,
      },
    });
  });
  after(async () => {
    await service?.stop();
    gateway?.closeAllConnections();
    await new Promise((resolve) => gateway?.close(resolve) ?? resolve());
  });

  const missedCall = async (from, extension = '1001') => {
    const { call } = await service.simulate('/inbound', { from, extension });
    await service.simulate(`/calls/${call.id}/ended`, { reason: 'missed' });
    return call;
  };
  const logged = (id, ok, what) =>
    until(async () => (await service.api('GET', '/api/calls/logs?limit=50')).body.calls.find((call) => call.id === id), (call) => call && ok(call), 10000, what);

  test('a missed call sends the missed-call text through the gateway as configured, kept on the call as sent', async () => {
    const call = await missedCall('8 (999) 140-00-01');
    const sent = await logged(call.id, (c) => c.sms.some((s) => s.status === 'sent'), 'the SMS sent');
    assert.deepEqual(sent.sms.map(({ kind, phone, text, status, detail }) => ({ kind, phone, text, status, detail })),
      [{ kind: 'missed', phone: '+79991400001', text: 'Мы пропустили ваш звонок — перезвоним. "Пицца"', status: 'sent', detail: null }]);
    const request = received.find((r) => r.url === '/sms/send?to=%2B79991400001');
    assert.ok(request, JSON.stringify(received));
    assert.equal(request.method, 'POST');
    assert.equal(request.headers.authorization, 'Bearer sms-key-1');
    assert.equal(request.headers['x-sender'], 'FoodFlow');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), { to: '+79991400001', text: 'Мы пропустили ваш звонок — перезвоним. "Пицца"', sender: 'FoodFlow' });
    assert.ok(!service.output().includes('sms-key-1'), 'the gateway\'s key is never logged');
  });

  test('a second missed call within the interval sends none and says why; a colleague\'s extension gets none', async () => {
    await missedCall('+79991400002');
    await until(async () => received.filter((r) => r.url.endsWith('%2B79991400002')).length, (n) => n === 1, 10000, 'the first SMS');
    const again = await missedCall('+79991400002');
    const skipped = await logged(again.id, (c) => c.sms.length === 1, 'the second call\'s SMS decision');
    assert.equal(skipped.sms[0].status, 'skipped');
    assert.match(skipped.sms[0].detail, /^an SMS went to this number 0 min ago \(SMS_MIN_INTERVAL_MINUTES: 60\)/);
    assert.equal(received.filter((r) => r.url.endsWith('%2B79991400002')).length, 1);

    const colleague = await missedCall('1003', '1001');
    const internal = await logged(colleague.id, (c) => c.status === 'ended', 'the colleague\'s call logged');
    assert.deepEqual(internal.sms, []);
    assert.ok(!received.some((r) => r.url.endsWith('to=1003')));
  });

  test('a call that produced an order sends the order text once; a gateway that refuses is "failed" with its words', async () => {
    const { call } = await service.simulate('/inbound', { from: '+79991400003', extension: '1001' });
    await service.api('POST', `/api/calls/answer/${call.id}`);
    await service.api('POST', `/api/calls/hangup/${call.id}`);
    assert.equal((await service.api('POST', `/api/calls/${call.id}/order`, { orderId: 'order-1' })).status, 200);
    assert.equal((await service.api('POST', `/api/calls/${call.id}/order`, { orderId: 'order-2' })).status, 200);
    const ordered = await logged(call.id, (c) => c.sms.some((s) => s.status === 'sent'), 'the order SMS');
    assert.deepEqual(ordered.sms.map((s) => [s.kind, s.text]), [['order', 'Спасибо за заказ!']], 'one for the call, however many orders');

    refuse = true;
    const failed = await missedCall('+79991400004');
    const kept = await logged(failed.id, (c) => c.sms.some((s) => s.status === 'failed'), 'the refused SMS');
    assert.match(kept.sms[0].detail, /^the gateway answered HTTP 402: \{"status":"ERROR","status_text":"no balance"\}/);
    refuse = false;
  });

  test('the settings page changes the texts for the next SMS and keeps them across a restart; an empty text sends none', async () => {
    const shown = await service.api('GET', '/api/settings/sms');
    assert.equal(shown.status, 200, shown.text);
    assert.deepEqual(shown.body.settings, { missedText: 'Мы пропустили ваш звонок — перезвоним. "Пицца"', orderText: 'Спасибо за заказ!',
      gateway: '127.0.0.1', minIntervalMinutes: 60 }, 'the environment\'s texts until the page saves; the gateway by its host only');
    assert.ok(!shown.text.includes('sms-key-1') && !shown.text.includes('/sms/send'), 'neither the key nor the URL');

    const saved = await service.api('PUT', '/api/settings/sms', { missedText: 'Перезвоним через 5 минут', orderText: '' });
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.body.settings.missedText, 'Перезвоним через 5 минут');
    const call = await missedCall('+79991400005');
    const sent = await logged(call.id, (c) => c.sms.some((s) => s.status === 'sent'), 'the SMS with the new text');
    assert.equal(sent.sms[0].text, 'Перезвоним через 5 минут');
    assert.equal(JSON.parse(received.at(-1).body).text, 'Перезвоним через 5 минут');

    const ordered = (await service.simulate('/inbound', { from: '+79991400006', extension: '1001' })).call;
    await service.api('POST', `/api/calls/answer/${ordered.id}`);
    await service.api('POST', `/api/calls/hangup/${ordered.id}`);
    assert.equal((await service.api('POST', `/api/calls/${ordered.id}/order`, { orderId: 'order-3' })).status, 200);
    await until(async () => (await service.api('GET', '/api/calls/logs?limit=50')).body.calls.find((c) => c.id === ordered.id),
      (c) => c?.orders.length === 1, 10000, 'the order logged');
    assert.ok(!received.some((r) => r.body.includes('+79991400006')), 'no order text: none sent');

    await service.restart();
    assert.deepEqual((await service.api('GET', '/api/settings/sms')).body.settings.missedText, 'Перезвоним через 5 минут');
  });

  test('texts are checked: too long or not text is refused naming the field; only an admin changes them', async () => {
    const long = await service.api('PUT', '/api/settings/sms', { missedText: 'я'.repeat(501) });
    assert.equal(long.status, 400, long.text);
    assert.match(long.body.error, /^missedText/);
    const wrong = await service.api('PUT', '/api/settings/sms', { orderText: 5 });
    assert.equal(wrong.status, 400, wrong.text);
    assert.match(wrong.body.error, /^orderText/);
    const operator = await service.createToken('operator', '1001');
    assert.equal((await service.api('GET', '/api/settings/sms', undefined, operator)).status, 403);
    assert.equal((await service.api('PUT', '/api/settings/sms', { missedText: 'x' }, operator)).status, 403);
  });
});
