// Attended transfer end to end (Kamailio as the PBX, baresip phones): the operator puts the customer on hold
// and talks with the target first, then joins the two or goes back to the customer. What each phone heard
// proves who talked with whom; the stream, the active calls and the log show the consultation and its outcome.
import assert from 'node:assert/strict';
import { delay, labTest } from './lib/lab.mjs';
import { callCentre, customerNumber, customerPhone, heardSeconds, loggedCall, operatorPhone, operators } from './lib/call_centre.mjs';
import { eventually, healthBecomes, startService } from './lib/service.mjs';

const tones = { operator1: 440, customer: 700, operator2: 1200, outside: 1500 };
const talkMs = 1500; // each conversation long enough to be heard for more than a second
const consultMs = 3000; // the first test's consultation: long enough that hearing it would show

// The customer calls 1001, whose phone answers; resolves with the call's id once they talk.
async function customerTalksToFirst(centre, first, customer) {
  const answering = first.waitFor('CALL_INCOMING').then(() => first.answer());
  await customer.dial(`sip:1001@127.0.0.1:${centre.pbx.port}`);
  await answering;
  await Promise.all([first.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  const answered = await eventually(centre.console.events, 'call:answered', () => true, 5000);
  return answered.payload.id;
}

const heard = (phone) => heardSeconds(phone, Object.values(tones));

// The RTP sources (ports on 127.0.0.1) a baresip phone received audio from, in order. baresip 1.0 drops the
// frames of a new source whose RTP timestamps run behind the previous source's (it does not start again at an
// SSRC change), so what a phone plays after its media moved depends on two random timestamps; where its
// packets came from does not. Audio is measured where it is a phone's first source.
function rtpSources(phone) {
  return [...phone.log().matchAll(/(?:receiving from|bytes from) 127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
}

// The target of a completed transfer hears the operator, then the customer. At the switch both send to it for
// a moment (the customer starts once its re-INVITE arrives, the operator's phone stops once its BYE does; the
// two leave together), so its log may flip between them there: first the operator, last the customer, no one else.
function assertHeardInTurn(phone, first, then, message) {
  const sources = rtpSources(phone);
  assert.ok(sources[0] === first && sources.at(-1) === then && sources.every((source) => source === first || source === then),
    `${message}: ${sources} (first ${first}, then ${then})`);
}

// The target's phone rings a while before it is answered, as a person's does. (baresip names its recordings
// by the second: the hold's re-INVITE and the target's answer in one second would write one file.)
async function answerAfterRinging(phone) {
  await phone.waitFor('CALL_INCOMING');
  await delay(1100);
  await phone.answer();
}

// Both operators' phones and the customer's, each with its tone; the customer talks with 1001.
async function customerTalkingToFirst(lab) {
  const centre = await callCentre(lab);
  const first = await operatorPhone(lab, centre, 0, { audio: { frequency: tones.operator1 } });
  const second = await operatorPhone(lab, centre, 1, { audio: { frequency: tones.operator2 } });
  const customer = await customerPhone(lab, { audio: { frequency: tones.customer } });
  const id = await customerTalksToFirst(centre, first, customer);
  return { centre, first, second, customer, id };
}

async function consult(centre, id, target) {
  const started = await centre.service.api('POST', `/api/calls/transfer/${id}`, { target, mode: 'attended' });
  assert.equal(started.status, 200, started.text);
  assert.equal(started.body.call.status, 'transferred');
  assert.equal(started.body.call.consultation?.target, target);
  assert.equal(started.body.call.consultation.answeredAt, null);
  const answered = await eventually(centre.console.events, 'call:updated',
    (call) => call.id === id && call.consultation?.answeredAt, 10000);
  return answered.payload;
}

labTest('attended transfer to an operator: the customer holds while 1001 talks with 1002, then complete joins the customer and 1002', async (lab) => {
  const { centre, first, second, customer, id } = await customerTalkingToFirst(lab);
  const { service, console } = centre;
  await delay(talkMs);

  const [consulting] = await Promise.all([consult(centre, id, '1002'), answerAfterRinging(second)]);
  assert.equal(consulting.extension, '1001', 'the call stays with 1001 while they consult');
  await second.waitFor('CALL_ESTABLISHED');
  const active = (await service.api('GET', '/api/calls/active')).body.calls;
  assert.deepEqual(active.map((call) => [call.id, call.status, call.consultation?.target]), [[id, 'transferred', '1002']]);
  // A second transfer, or hold, while one is under way is refused; so is completing a call without one.
  const again = await service.api('POST', `/api/calls/transfer/${id}`, { target: '+79990000002', mode: 'attended' });
  assert.equal(again.status, 409, again.text);
  await delay(consultMs);

  const completed = await service.api('POST', `/api/calls/transfer/${id}`, { action: 'complete' });
  assert.equal(completed.status, 200, completed.text);
  assert.equal(completed.body.call.extension, '1002');
  assert.equal(completed.body.call.status, 'answered');
  assert.equal(completed.body.call.consultation, null);
  await first.waitFor('CALL_CLOSED');
  await delay(talkMs);
  await customer.hangup();
  await Promise.all([second.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'completed');

  // Where each phone's audio came from: 1001 from the customer, then from 1002; 1002 from 1001 (the
  // consultation), then from the customer; the customer from 1001, then from 1002.
  const [fromCustomer, fromSecond] = rtpSources(first);
  const [fromFirst] = rtpSources(customer);
  assertHeardInTurn(second, fromFirst, fromCustomer, '1002 heard 1001, then the customer');
  assert.deepEqual(rtpSources(customer), [fromFirst, fromSecond], 'the customer heard 1001, then 1002');
  assert.equal(new Set([fromCustomer, fromSecond, fromFirst]).size, 3, `three parties: ${[fromCustomer, fromSecond, fromFirst]}`);
  // What was heard: 1002 heard 1001's voice; the customer heard 1001 only before the consultation (which is
  // longer than that), nothing of it.
  const bySecond = heard(second);
  const byCustomer = heard(customer);
  assert.ok(bySecond[tones.operator1] >= 1, `1002 heard 1001: ${JSON.stringify(bySecond)}`);
  assert.ok(byCustomer[tones.operator1] >= 1 && byCustomer[tones.operator1] < (talkMs + consultMs) / 1000 - 0.5,
    `the customer heard 1001 before the consultation only: ${JSON.stringify(byCustomer)}`);
  const logged = await loggedCall(service, id);
  assert.deepEqual(logged.operators.map((turn) => [turn.extension, turn.transferredTo]), [['1001', '1002'], ['1002', null]]);
  assert.equal(logged.endReason, 'completed');
});

labTest('attended transfer cancelled: 1002 is let go and the customer talks with 1001 again; a target that declines brings 1001 back too', async (lab) => {
  const { centre, first, second, customer, id } = await customerTalkingToFirst(lab);
  const { service, console } = centre;

  await Promise.all([consult(centre, id, '1002'), answerAfterRinging(second)]);
  const cancelled = await service.api('POST', `/api/calls/transfer/${id}`, { action: 'cancel' });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.call.status, 'answered');
  assert.equal(cancelled.body.call.extension, '1001');
  assert.equal(cancelled.body.call.consultation, null);
  await second.waitFor('CALL_CLOSED');
  const twice = await service.api('POST', `/api/calls/transfer/${id}`, { action: 'cancel' });
  assert.equal(twice.status, 409, twice.text);
  assert.match(twice.body.error, /cannot cancel the transfer of call .*: it is answered/);

  // Consulted again, 1002 declines: the consultation ends at once and the call is 1001's again.
  const since = Date.now();
  const again = await service.api('POST', `/api/calls/transfer/${id}`, { target: '1002', mode: 'attended' });
  assert.equal(again.status, 200, again.text);
  await second.waitFor('CALL_INCOMING');
  await delay(1100);
  await second.hangup();
  const back = await eventually(console.events, 'call:updated',
    (call) => call.id === id && call.status === 'answered' && call.consultation === null, 10000, since);
  assert.equal(back.payload.extension, '1001');
  await delay(talkMs);
  await customer.hangup();
  await Promise.all([first.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  await eventually(console.events, 'call:ended', (call) => call.id === id && call.endReason === 'completed', 5000);
  // 1001's audio came from the customer, from 1002 while they consulted, then from the customer again; the
  // customer never got 1002's.
  const [fromCustomer, fromSecond, fromCustomerAgain] = rtpSources(first);
  assert.ok(fromSecond && fromSecond !== fromCustomer, `1001 heard 1002 during the consultation: ${rtpSources(first)}`);
  assert.equal(fromCustomerAgain, fromCustomer, `1001 heard the customer again after it: ${rtpSources(first)}`);
  assert.ok(!rtpSources(customer).includes(fromSecond), `the customer never got 1002's audio: ${rtpSources(customer)}`);
  const logged = await loggedCall(service, id);
  assert.deepEqual(logged.operators.map((turn) => [turn.extension, turn.transferredTo]), [['1001', null]]);
});

labTest('attended transfer to an outside number: 1001 talks with the number through the PBX, then complete leaves the customer and the number talking', async (lab) => {
  const outside = await customerPhone(lab, { username: '+79990000002', audio: { frequency: tones.outside } });
  const centre = await callCentre(lab, { pstn: { port: outside.sipPort } });
  const { service, console } = centre;
  const first = await operatorPhone(lab, centre, 0, { audio: { frequency: tones.operator1 } });
  const customer = await customerPhone(lab, { audio: { frequency: tones.customer }, sipTrace: true });
  const id = await customerTalksToFirst(centre, first, customer);

  await Promise.all([consult(centre, id, '+79990000002'), answerAfterRinging(outside)]);
  await delay(talkMs);
  const completed = await service.api('POST', `/api/calls/transfer/${id}`, { action: 'complete' });
  assert.equal(completed.status, 200, completed.text);
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'transferred');
  // The PBX was asked to join them itself (REFER with Replaces naming the number's dialog); the lab's PBX
  // passes the REFER to the customer's phone, whose INVITE to a number it refuses (outside callers reach
  // extensions only), so they are joined in the service.
  assert.match(service.log(), /asking the PBX to join the customer with \+79990000002 \(REFER with Replaces\)/);
  assert.match(service.log(), /the PBX did not join the customer with \+79990000002 \(403\); joining them here/);
  assert.match(customer.log(), /Refer-To: <sip:\+79990000002@[^>]*\?Replaces=[^>]+>/i);
  assert.equal(ended.payload.transferTarget, '+79990000002');
  await first.waitFor('CALL_CLOSED');
  await delay(talkMs); // the customer and the number talk on through the service
  await customer.hangup();
  await Promise.all([outside.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);

  // The number heard 1001, then the customer; the customer heard 1001, then the number.
  const [fromCustomer, fromOutside] = rtpSources(first);
  const [fromFirst] = rtpSources(customer);
  assertHeardInTurn(outside, fromFirst, fromCustomer, 'the number heard 1001, then the customer');
  assert.deepEqual(rtpSources(customer), [fromFirst, fromOutside], 'the customer heard 1001, then the number');
  const byOutside = heard(outside);
  assert.ok(byOutside[tones.operator1] >= 1, `the number heard 1001: ${JSON.stringify(byOutside)}`);
  const logged = await loggedCall(service, id);
  assert.deepEqual(logged.operators.map((turn) => [turn.extension, turn.transferredTo]), [['1001', '+79990000002']]);
});

labTest('attended transfer to a number at a PBX that joins them itself: REFER with Replaces naming the number\'s dialog, then every leg of ours ends', async (lab) => {
  // The customer is a PBX leg (SIPp) that carries the REFER out; the number is a desk phone at the PBX.
  const customer = await lab.sipp({ scenario: 'uas_hold_then_refer_accepted' });
  const desk = { username: 'desk', password: 'pass-desk', extension: '3001', displayName: 'Desk' };
  const pbx = await lab.kamailio({ users: [...operators, desk], pstn: { port: customer.port } });
  const service = await startService(lab, { pbx, lines: operators });
  await healthBecomes(service, (health) => health.registeredUsers === operators.length, 10000, 'every line registered');
  const stream = await service.console();
  const centre = { pbx, service, console: stream };
  const first = await operatorPhone(lab, centre, 0, { autoAnswer: true });
  const deskPhone = await lab.phone({ username: desk.username, password: desk.password, registrar: `127.0.0.1:${pbx.port}` });

  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: customerNumber });
  assert.equal(dial.status, 200, dial.text);
  const { id } = dial.body.call;
  await eventually(stream.events, 'call:answered', (call) => call.id === id, 5000);
  await Promise.all([consult(centre, id, '3001'), answerAfterRinging(deskPhone)]);
  const completed = await service.api('POST', `/api/calls/transfer/${id}`, { action: 'complete' });
  assert.equal(completed.status, 200, completed.text);
  const ended = await eventually(stream.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'transferred');
  assert.equal(ended.payload.transferTarget, '3001');
  await Promise.all([first.waitFor('CALL_CLOSED'), deskPhone.waitFor('CALL_CLOSED')]);
  assert.equal(await customer.result(), 0, `hold, REFER, NOTIFYs and BYE as expected:\n${customer.messages()}`);
  // The REFER names the desk's dialog: its Call-ID, as the PBX logged the INVITE to the desk.
  const deskCallId = pbx.log().match(/cid:([^}\s]+)\} <script>: INVITE from operator1 to extension 3001/)?.[1];
  assert.ok(deskCallId, 'the PBX logged the INVITE to the desk');
  const referTo = customer.messages().match(/^Refer-To: *(.+)$/im)?.[1] ?? '';
  assert.match(referTo, /^<sip:3001@[^?]+\?Replaces=/, referTo);
  assert.ok(decodeURIComponent(referTo).includes(deskCallId), `${referTo} names ${deskCallId}`);
  assert.match(service.log(), /asking the PBX to join the customer with 3001 \(REFER with Replaces\)/);
  assert.doesNotMatch(service.log(), /joining them here/);
});
