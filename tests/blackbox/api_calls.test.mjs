// Call control through the REST API against the real binary, with the test-only simulated SIP engine.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { startService, test } from './lib/harness.mjs';

describe('call control', () => {
  let service;
  let operator1;

  before(async () => {
    service = await startService();
    operator1 = await service.createToken('operator', '1001', 'Anna');
  });
  after(async () => service?.stop());

  async function inbound(extension = '1001', from = '+79991112233') {
    return (await service.simulate('/inbound', { from, extension })).call;
  }

  test('health has the seed fields plus version, uptime and active calls', async () => {
    await service.simulate('/telephony', { connected: true, registeredUsers: 3 });
    const health = await service.api('GET', '/health', undefined, null);
    assert.equal(health.status, 200);
    for (const field of ['status', 'service', 'connected', 'registeredUsers', 'timestamp', 'version', 'uptimeSeconds', 'activeCalls']) {
      assert.ok(field in health.body, field);
    }
    assert.equal(health.body.service, 'pjsip-service');
    assert.equal(health.body.status, 'ok');
    assert.deepEqual(health.body.degraded, []);
    assert.equal(typeof health.body.dependencies, 'object');
    assert.equal(health.body.connected, true);
    assert.equal(health.body.registeredUsers, 3);
    assert.match(health.body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await service.simulate('/telephony', { connected: false, registeredUsers: 0 });
    assert.equal((await service.api('GET', '/health', undefined, null)).body.connected, false);
  });

  test('click-to-call returns the seed shape and the call is active', async () => {
    const result = await service.api('POST', '/api/calls/dial', { from: '1001', to: '8 (999) 123-45-67', autoAnswer: false }, operator1);
    assert.equal(result.status, 200, result.text);
    assert.equal(result.body.success, true);
    const { call } = result.body;
    assert.match(call.id, /^[0-9a-f-]{36}$/);
    assert.equal(call.from, '1001');
    assert.equal(call.to, '+79991234567');
    assert.equal(call.status, 'ringing');
    assert.equal(call.direction, 'outbound');
    const active = await service.api('GET', '/api/calls/active', undefined, operator1);
    assert.ok(active.body.calls.some((c) => c.id === call.id));
    const hung = await service.api('POST', `/api/calls/hangup/${call.id}`, undefined, operator1);
    assert.equal(hung.status, 200);
    assert.equal(hung.body.call.status, 'ended');
    assert.equal(hung.body.call.endReason, 'cancelled');
  });

  test('dial names the wrong field with 400', async () => {
    const cases = [
      [{ to: '+79991234567' }, /^from/],
      [{ from: '1009', to: '+79991234567' }, /^from/],
      [{ from: 1001, to: '+79991234567' }, /^from/],
      [{ from: '1001' }, /^to/],
      [{ from: '1001', to: 'pizza please' }, /^to/],
      [{ from: '1001', to: '+79991234567', autoAnswer: 'yes' }, /^autoAnswer/],
    ];
    for (const [body, field] of cases) {
      const result = await service.api('POST', '/api/calls/dial', body);
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(result.body.code, 'VALIDATION_FAILED');
      assert.match(result.body.error, field);
    }
  });

  test('inbound call: answer, hold, unhold, hangup, each with the call in the answer', async () => {
    const call = await inbound();
    assert.equal(call.status, 'ringing');
    assert.equal(call.direction, 'inbound');
    const answered = await service.api('POST', `/api/calls/answer/${call.id}`, undefined, operator1);
    assert.equal(answered.status, 200, answered.text);
    assert.equal(answered.body.call.status, 'answered');
    assert.ok(answered.body.call.answerTime);
    const held = await service.api('POST', `/api/calls/hold/${call.id}`, undefined, operator1);
    assert.equal(held.body.call.status, 'held');
    const unheld = await service.api('POST', `/api/calls/unhold/${call.id}`, undefined, operator1);
    assert.equal(unheld.body.call.status, 'answered');
    const ended = await service.api('POST', `/api/calls/hangup/${call.id}`, undefined, operator1);
    assert.equal(ended.body.call.status, 'ended');
    assert.equal(ended.body.call.endReason, 'completed');
    const active = await service.api('GET', '/api/calls/active');
    assert.ok(!active.body.calls.some((c) => c.id === call.id));
  });

  test('hangup of a ringing inbound call rejects it', async () => {
    const call = await inbound();
    const ended = await service.api('POST', `/api/calls/hangup/${call.id}`);
    assert.equal(ended.body.call.endReason, 'rejected');
  });

  test('hold on a ringing call is 409 INVALID_CALL_STATE; answer on an outbound call too', async () => {
    const call = await inbound();
    const hold = await service.api('POST', `/api/calls/hold/${call.id}`);
    assert.equal(hold.status, 409);
    assert.equal(hold.body.code, 'INVALID_CALL_STATE');
    assert.match(hold.body.error, /ringing/);
    const unhold = await service.api('POST', `/api/calls/unhold/${call.id}`);
    assert.equal(unhold.status, 409);
    const transfer = await service.api('POST', `/api/calls/transfer/${call.id}`, { target: '1002' });
    assert.equal(transfer.status, 409);
    await service.api('POST', `/api/calls/hangup/${call.id}`);

    const outbound = (await service.api('POST', '/api/calls/dial', { from: '1001', to: '+79991234567' })).body.call;
    const answer = await service.api('POST', `/api/calls/answer/${outbound.id}`);
    assert.equal(answer.status, 409);
    assert.equal(answer.body.code, 'INVALID_CALL_STATE');
    await service.api('POST', `/api/calls/hangup/${outbound.id}`);
  });

  test('unknown call is 404 CALL_NOT_FOUND on every action', async () => {
    for (const action of ['answer', 'hangup', 'hold', 'unhold']) {
      const result = await service.api('POST', `/api/calls/${action}/00000000-0000-4000-8000-000000000000`);
      assert.equal(result.status, 404, action);
      assert.equal(result.body.code, 'CALL_NOT_FOUND');
    }
    const transfer = await service.api('POST', '/api/calls/transfer/00000000-0000-4000-8000-000000000000', { target: '1002' });
    assert.equal(transfer.body.code, 'CALL_NOT_FOUND');
  });

  test('transfer to another operator re-offers the call to that extension', async () => {
    const call = await inbound('1001');
    await service.api('POST', `/api/calls/answer/${call.id}`);
    const transfer = await service.api('POST', `/api/calls/transfer/${call.id}`, { target: '1002' }, operator1);
    assert.equal(transfer.status, 200, transfer.text);
    assert.equal(transfer.body.call.status, 'transferred');
    assert.equal(transfer.body.call.extension, '1002');
    assert.equal(transfer.body.call.transferTarget, '1002');
    const theirs = await service.api('GET', '/api/calls/active', undefined, operator1);
    assert.ok(!theirs.body.calls.some((c) => c.id === call.id), 'the call left operator 1001');
    await service.api('POST', `/api/calls/hangup/${call.id}`);
  });

  test('transfer to an outside number ends the call as transferred', async () => {
    const call = await inbound('1001');
    await service.api('POST', `/api/calls/answer/${call.id}`);
    const bad = await service.api('POST', `/api/calls/transfer/${call.id}`, { target: 'reception' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^target/);
    const transfer = await service.api('POST', `/api/calls/transfer/${call.id}`, { target: '8 999 000-00-00' });
    assert.equal(transfer.status, 200, transfer.text);
    assert.equal(transfer.body.call.status, 'ended');
    assert.equal(transfer.body.call.endReason, 'transferred');
    assert.equal(transfer.body.call.transferTarget, '+79990000000');
  });

  test('attended transfer: the call carries its consultation until complete moves it to the target; bad bodies are 400, settling nothing is 409', async () => {
    const call = await inbound('1001');
    await service.api('POST', `/api/calls/answer/${call.id}`);
    const path = `/api/calls/transfer/${call.id}`;
    for (const [body, field] of [[{ target: '1002', mode: 'later' }, /^mode/], [{ action: 'finish' }, /^action/],
      [{ action: 'complete', target: '1002' }, /^target/], [{ mode: 'attended' }, /^target/]]) {
      const bad = await service.api('POST', path, body, operator1);
      assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${bad.text}`);
      assert.equal(bad.body.code, 'VALIDATION_FAILED');
      assert.match(bad.body.error, field);
    }
    const nothing = await service.api('POST', path, { action: 'cancel' }, operator1);
    assert.equal(nothing.status, 409, nothing.text);
    assert.equal(nothing.body.code, 'INVALID_CALL_STATE');

    const consulting = await service.api('POST', path, { target: '1002', mode: 'attended' }, operator1);
    assert.equal(consulting.status, 200, consulting.text);
    assert.equal(consulting.body.call.status, 'transferred');
    assert.equal(consulting.body.call.extension, '1001', 'the call stays with its operator while they consult');
    assert.equal(consulting.body.call.consultation.target, '1002');
    assert.match(consulting.body.call.consultation.answeredAt, /^\d{4}-/, 'the simulated target picks up at once');
    const cancelled = await service.api('POST', path, { action: 'cancel' }, operator1);
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.call.status, 'answered');
    assert.equal(cancelled.body.call.consultation, null);

    await service.api('POST', path, { target: '1002', mode: 'attended' }, operator1);
    const completed = await service.api('POST', path, { action: 'complete' }, operator1);
    assert.equal(completed.status, 200, completed.text);
    assert.equal(completed.body.call.extension, '1002');
    assert.equal(completed.body.call.status, 'answered');
    assert.deepEqual(completed.body.call.operators.map((turn) => [turn.extension, turn.transferredTo]), [['1001', '1002'], ['1002', null]]);
    await service.api('POST', `/api/calls/hangup/${call.id}`);
  });

  test('test-connection is 503 SIP_UNAVAILABLE without a SIP engine, 400 naming the field for bad values', async () => {
    const result = await service.api('POST', '/api/settings/test-connection', { server: 'pbx.example.test' });
    assert.equal(result.status, 503);
    assert.equal(result.body.code, 'SIP_UNAVAILABLE');
    assert.match(result.body.error, /SIP engine/);
    const noServer = await service.api('POST', '/api/settings/test-connection');
    assert.equal(noServer.status, 400);
    assert.match(noServer.body.error, /^server/);
    const badPort = await service.api('POST', '/api/settings/test-connection', { server: 'pbx.example.test', port: 0 });
    assert.equal(badPort.status, 400);
    assert.match(badPort.body.error, /^port/);
  });

  test('active calls answer quickly and stay consistent while calls change', async () => {
    const calls = [];
    for (let i = 0; i < 5; i++) calls.push(await inbound('1003', `+7999555000${i}`));
    const before = await service.api('GET', '/api/calls/active');
    for (const call of calls) assert.ok(before.body.calls.some((c) => c.id === call.id));
    await service.api('POST', `/api/calls/hangup/${calls[0].id}`);
    const afterHangup = await service.api('GET', '/api/calls/active');
    assert.ok(!afterHangup.body.calls.some((c) => c.id === calls[0].id), 'a cached list never outlives a change');
    for (const call of calls.slice(1)) await service.api('POST', `/api/calls/hangup/${call.id}`);
  });
});
