// A queue in the service through the real SIP engine: Kamailio routes the customers' calls to the queue's
// line, which the service registers like an operator's; its callers wait (they hear ringing) and are offered
// to the members' baresip phones by the queue's strategy, one offer per member at a time; a member who does
// not answer in the ring time is passed over for the next; callers past the maximum wait are let go, and
// those who hang up while waiting are on the callback list.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { callCentre } from './lib/call_centre.mjs';
import { eventually, until } from './lib/service.mjs';

const members = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
  { username: 'operator3', password: 'pass-three', extension: '1003', displayName: 'Operator Three' },
];
const queueLine = { username: 'queue-delivery', password: 'pass-queue', extension: '2000', displayName: 'Доставка' };
const caller = (index) => `+7999000000${index}`;

async function queueCentre(lab, queue, { phoneOptions = () => ({ autoAnswer: true }) } = {}) {
  const centre = await callCentre(lab, { lines: [...members, queueLine] });
  const { service, console: stream } = centre;
  const phones = [];
  for (const [index, member] of members.entries()) {
    phones.push(await lab.phone({ username: member.username, password: member.password, registrar: `127.0.0.1:${service.sipPort}`, ...phoneOptions(index) }));
    await eventually(stream.events, 'operator:state', (state) => state.extension === member.extension && state.state === 'available', 5000);
  }
  const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', members: members.map((m) => ({ extension: m.extension })), ...queue });
  assert.equal(put.status, 200, put.text);
  return { ...centre, phones };
}

// A customer dials the queue's number at the PBX; resolves once the service has the call.
async function callQueue(lab, { pbx, console: stream }, index, options) {
  const since = Date.now();
  const sipp = await lab.sipp({ remote: `127.0.0.1:${pbx.port}`, service: '2000', caller: caller(index), ...options });
  const created = await eventually(stream.events, 'call:new', (call) => call.from === caller(index), 5000, since);
  return { sipp, id: created.payload.id };
}

async function loggedCalls(service) {
  const answer = await service.api('GET', '/api/calls/logs?limit=50');
  assert.equal(answer.status, 200, answer.text);
  return answer.body.calls;
}

labTest('round-robin: five callers go to three members in turn; two wait ringing until a member is free', async (lab) => {
  const centre = await queueCentre(lab, { strategy: 'round-robin', ringSeconds: 10, maxWaitSeconds: 60 });
  const { service } = centre;
  // Different talk times free the members one after another: 1001 first, then 1002.
  const talk = [1000, 3000, 6000, 4000, 4000];
  const callers = [];
  for (const [index, durationMs] of talk.entries()) callers.push(await callQueue(lab, centre, index + 1, { scenario: 'uac_invite', durationMs }));

  // While the first three talk, the last two wait on the queue's line, ringing.
  const waiting = await until(async () => (await service.api('GET', '/api/calls/active')).body.calls,
    (calls) => calls.filter((call) => call.status === 'answered').length === 3, 10000, 'three callers answered');
  const queued = waiting.filter((call) => call.status === 'ringing');
  assert.deepEqual(queued.map((call) => call.from).sort(), [caller(4), caller(5)]);
  assert.ok(queued.every((call) => call.extension === '2000'), JSON.stringify(queued));
  // The boards: queue:state names them in order, and so does GET /api/queues.
  const state = await eventually(centre.console.events, 'queue:state',
    (event) => event.queue === '2000' && event.waiting.length === 2 && event.waiting.every((one) => one.ringing.length === 0), 5000);
  assert.deepEqual(state.payload.waiting.map((one) => [one.position, one.caller]), [[1, caller(4)], [2, caller(5)]]);
  const [board] = (await service.api('GET', '/api/queues')).body.queues;
  assert.deepEqual(board.waiting.map((one) => one.caller), [caller(4), caller(5)]);

  for (const { sipp } of callers) assert.equal(await sipp.result(), 0, `a caller's SIPp:\n${sipp.log()}`);
  await eventually(centre.console.events, 'queue:state', (event) => event.queue === '2000' && event.waiting.length === 0, 5000);
  const calls = await until(() => loggedCalls(service), (list) => list.filter((call) => call.status === 'ended').length === 5, 10000, 'five calls logged');
  const takenBy = Object.fromEntries(calls.map((call) => [call.from, call.extension]));
  assert.deepEqual(takenBy, { [caller(1)]: '1001', [caller(2)]: '1002', [caller(3)]: '1003', [caller(4)]: '1001', [caller(5)]: '1002' });
  for (const call of calls) {
    assert.equal(call.endReason, 'completed', JSON.stringify(call));
    assert.equal(call.to, '2000');
  }
  // The queue's line had each call first, then the member who took it.
  const fourth = calls.find((call) => call.from === caller(4));
  assert.deepEqual(fourth.operators.map((turn) => turn.extension), ['2000', '1001']);
  assert.equal(fourth.operators[0].answeredAt, null);
  // The queue's figures: five offered, five answered, the last two after waiting for a member.
  const stats = await service.api('GET', '/api/queues/2000/stats');
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.body.stats.offered, 5);
  assert.equal(stats.body.stats.answered, 5);
  assert.equal(stats.body.stats.abandoned, 0);
  assert.ok(stats.body.stats.longestWaitSeconds >= 0.9, stats.text);
  assert.ok(stats.body.stats.averageHandleSeconds >= 1, stats.text);
}, { timeoutMs: 90000 });

labTest('longest-idle: a free member whose last call ended longest ago is offered the caller before one free again more recently', async (lab) => {
  const centre = await queueCentre(lab, { strategy: 'longest-idle', ringSeconds: 10, maxWaitSeconds: 60 });
  const { service } = centre;
  const answeredBy = async (index, durationMs) => {
    const { sipp, id } = await callQueue(lab, centre, index, { scenario: 'uac_invite', durationMs });
    const answered = await eventually(centre.console.events, 'call:answered', (call) => call.id === id, 10000);
    return { sipp, extension: answered.payload.extension };
  };
  // Nobody has had a call: the members in their order. 1001 talks 3 s, 1002 only 1 s: 1002 is free first.
  const first = await answeredBy(1, 3000);
  const second = await answeredBy(2, 1000);
  assert.deepEqual([first.extension, second.extension], ['1001', '1002']);
  for (const { sipp } of [first, second]) assert.equal(await sipp.result(), 0, sipp.log());
  // 1003 never had one: longest idle of all. Then 1002, free since before 1001 (round-robin would pick 1001).
  const third = await answeredBy(3, 500);
  assert.equal(third.extension, '1003');
  assert.equal(await third.sipp.result(), 0, third.sipp.log());
  const fourth = await answeredBy(4, 500);
  assert.equal(fourth.extension, '1002', 'the member free the longest');
  assert.equal(await fourth.sipp.result(), 0, fourth.sipp.log());
  const stats = await service.api('GET', '/api/queues/2000/stats');
  assert.equal(stats.body.stats.answered, 4, stats.text);
}, { timeoutMs: 60000 });

labTest('ringall: every free member rings; the first to answer takes the caller and the others stop', async (lab) => {
  // Only 1002 picks up by itself; 1001 and 1003 just ring.
  const centre = await queueCentre(lab, { strategy: 'ringall', ringSeconds: 10, maxWaitSeconds: 60 },
    { phoneOptions: (index) => ({ autoAnswer: index === 1 }) });
  const { service, phones } = centre;
  const { sipp, id } = await callQueue(lab, centre, 1, { scenario: 'uac_invite', durationMs: 1000 });
  // (A phone that answers by itself reports no CALL_INCOMING, only the call it took.)
  await Promise.all([phones[0].waitFor('CALL_INCOMING'), phones[2].waitFor('CALL_INCOMING'), phones[1].waitFor('CALL_ESTABLISHED')]);
  await Promise.all([phones[0].waitFor('CALL_CLOSED'), phones[2].waitFor('CALL_CLOSED')]);
  assert.equal(await sipp.result(), 0, sipp.log());
  const logged = await until(async () => (await loggedCalls(service)).find((call) => call.id === id),
    (call) => call?.status === 'ended', 10000, 'the call logged');
  assert.equal(logged.extension, '1002');
  assert.equal(logged.endReason, 'completed');
}, { timeoutMs: 60000 });

labTest('a member who does not answer in the ring time is passed over; a caller who waits too long is let go and is on the callback list', async (lab) => {
  // 1001 never answers by itself; 1003 is paused.
  const centre = await queueCentre(lab, { strategy: 'round-robin', ringSeconds: 5, maxWaitSeconds: 10 },
    { phoneOptions: (index) => ({ autoAnswer: index !== 0 }) });
  const { service, phones, console: stream } = centre;
  const pause = async (extension) => {
    const paused = await service.api('POST', `/api/operators/${extension}/status`, { status: 'paused', reason: 'обед' });
    assert.equal(paused.status, 200, paused.text);
  };
  await pause('1003');
  const first = await callQueue(lab, centre, 1, { scenario: 'uac_invite', durationMs: 1000 });
  await phones[0].waitFor('CALL_INCOMING');
  await phones[0].waitFor('CALL_CLOSED');  // 5 s of ringing, then the next member
  await phones[1].waitFor('CALL_ESTABLISHED');
  assert.equal(await first.sipp.result(), 0, first.sipp.log());
  const taken = await until(async () => (await loggedCalls(service)).find((call) => call.id === first.id),
    (call) => call?.status === 'ended', 10000, 'the first call logged');
  assert.equal(taken.extension, '1002');
  assert.deepEqual(taken.operators.map((turn) => [turn.extension, Boolean(turn.answeredAt)]), [['2000', false], ['1001', false], ['1002', true]]);
  const rangMs = Date.parse(taken.operators[1].until) - Date.parse(taken.operators[1].from);
  assert.ok(rangMs >= 4500 && rangMs < 7000, `1001 rang ${rangMs} ms for ringSeconds 5`);

  // Nobody free: the caller waits the maximum wait, then is let go, unanswered.
  await pause('1001');
  await pause('1002');
  const since = Date.now();
  const second = await callQueue(lab, centre, 2, { scenario: 'uac_invite_cancel', durationMs: 30000 });
  const ended = await eventually(stream.events, 'call:ended', (call) => call.id === second.id, 15000, since);
  assert.equal(ended.payload.endReason, 'missed');
  const waitedMs = Date.parse(ended.payload.endTime) - Date.parse(ended.payload.startTime);
  assert.ok(waitedMs >= 9500 && waitedMs < 13000, `let go after ${waitedMs} ms for maxWaitSeconds 10`);
  // SIPp writes its message trace through a buffer: the 480 shows in it once written, at its exit at the latest.
  await until(() => second.sipp.messages(), (messages) => /SIP\/2\.0 480 /.test(messages), 5000, 'the PBX hearing 480');
  await second.sipp.stop();
  const callbacks = await service.api('GET', '/api/callbacks');
  assert.ok(callbacks.body.callbacks.some((entry) => entry.phone === caller(2)), callbacks.text);
  assert.match(service.log(), /waited the longest queue 2000 allows; let go/);
  const stats = await service.api('GET', '/api/queues/2000/stats');
  assert.deepEqual([stats.body.stats.offered, stats.body.stats.answered, stats.body.stats.abandoned], [2, 1, 1], stats.text);
  assert.equal(stats.body.stats.serviceLevel, 0.5, 'one of two answered within 20 s');
}, { timeoutMs: 60000 });
