// Self-tests of the SIP lab without our service: the PBX authenticates and routes, phones hear each other,
// and every SIPp scenario behaves as its comment says. Engine tests build on exactly these behaviours.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRequest, delay, labTest, registerContact, statusOf, withTimeout } from './lib/lab.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001' },
  { username: 'operator2', password: 'pass-two', extension: '1002' },
];
const customerNumber = '+79991234567';
const talkMs = 2000; // how long phones talk before hanging up: enough audio to measure

// A phone of `users[index]` registered at the PBX.
function operatorPhone(lab, pbx, index, options = {}) {
  const { username, password } = users[index];
  return lab.phone({ username, password, registrar: pbx.address, ...options });
}

// The recording holds mostly `heard` (and not `own`, which would mean an echo or a crossed stream).
function assertHeard(phone, heard, own) {
  const measured = phone.measureLastRecording([heard, own]);
  assert.ok(measured.tones[heard] > 0.8, `${phone.uri} should hear ${heard} Hz: ${JSON.stringify(measured)}`);
  assert.ok(measured.toneSeconds[heard] >= 1, `${phone.uri} heard ${heard} Hz too briefly: ${JSON.stringify(measured)}`);
  assert.ok(measured.tones[own] < 0.05, `${phone.uri} hears its own ${own} Hz: ${JSON.stringify(measured)}`);
}

labTest('pbx answers OPTIONS and still answers after malformed traffic', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const options = await lab.sipp({ scenario: 'uac_options', remote: pbx.address });
  assert.equal(await options.result(), 0);
  const optionsTcp = await lab.sipp({ scenario: 'uac_options', remote: pbx.address, transport: 'tcp' });
  assert.equal(await optionsTcp.result(), 0);
  const malformed = await lab.sipp({ scenario: 'uac_malformed', remote: pbx.address, service: '1001' });
  assert.equal(await malformed.result(), 0, 'the valid OPTIONS after the malformed messages got 200');
});

labTest('pbx registrar: challenge, 403 for a wrong password or foreign credentials, 404 for an unknown user', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const contact = 'sip:somewhere@127.0.0.1:9';
  const register = (options) => registerContact({ server: pbx.address, contact, ...options });
  assert.equal(await register({ username: 'operator1', password: 'pass-one' }), 200);
  assert.equal(await register({ username: 'operator1', password: 'pass-one', aorUser: '1001' }), 200, 'by extension');
  assert.equal(await register({ username: 'operator1', password: 'wrong' }), 403);
  assert.equal(await register({ username: 'operator2', password: 'pass-two', aorUser: 'operator1' }), 403);
  assert.equal(await register({ username: 'nobody', password: 'x' }), 404);
  assert.deepEqual(await pbx.contacts('1001'), [contact], 'login and extension share one location record');
  assert.deepEqual(await pbx.contacts('1002'), []);

  // Calls from a known user need proxy credentials; outside callers may reach extensions only.
  const unauthenticated = buildRequest('INVITE', pbx.host, pbx.port, { user: '1002', fromUser: 'operator1' });
  assert.equal(await statusOf(pbx.host, pbx.port, unauthenticated), 407);
  const outsideToNumber = buildRequest('INVITE', pbx.host, pbx.port, { user: customerNumber, fromUser: '+78120000000' });
  assert.equal(await statusOf(pbx.host, pbx.port, outsideToNumber), 403);
  const outsideToNobody = buildRequest('INVITE', pbx.host, pbx.port, { user: '1002', fromUser: '+78120000000' });
  assert.equal(await statusOf(pbx.host, pbx.port, outsideToNobody), 480, 'extension with no phone registered');
});

labTest('a phone with a wrong password is refused with 403', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const phone = await lab.phone({ username: 'operator1', password: 'wrong', registrar: pbx.address, waitRegistration: false });
  const failure = await phone.waitFor('REGISTER_FAIL');
  assert.match(failure.param, /^403/);
  assert.deepEqual(await pbx.contacts('1001'), []);
});

labTest('two operators call each other through the pbx and hear each other (UDP and TCP)', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const caller = await operatorPhone(lab, pbx, 0, { audio: { frequency: 440 } });
  const callee = await operatorPhone(lab, pbx, 1, { audio: { frequency: 1200 }, transport: 'tcp', autoAnswer: true });
  assert.equal((await pbx.contacts('1002')).length, 1);

  await caller.dial('1002');
  await Promise.all([caller.waitFor('CALL_ESTABLISHED'), callee.waitFor('CALL_ESTABLISHED')]);
  await delay(talkMs);
  await caller.hangup();
  const [callerClosed, calleeClosed] = await Promise.all([caller.waitFor('CALL_CLOSED'), callee.waitFor('CALL_CLOSED')]);
  assert.equal(calleeClosed.direction, 'incoming');
  assert.equal(callerClosed.direction, 'outgoing');

  assertHeard(caller, 1200, 440);
  assertHeard(callee, 440, 1200);
});

labTest('a manual phone rings until it answers, and the caller cancelling stops the ringing', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const caller = await operatorPhone(lab, pbx, 0);
  const callee = await operatorPhone(lab, pbx, 1);

  await caller.dial('operator2'); // by login, same phone as 1002
  await callee.waitFor('CALL_INCOMING');
  await caller.waitFor('CALL_RINGING');
  await callee.answer();
  await Promise.all([caller.waitFor('CALL_ESTABLISHED'), callee.waitFor('CALL_ESTABLISHED')]);
  await callee.hangup();
  await Promise.all([caller.waitFor('CALL_CLOSED'), callee.waitFor('CALL_CLOSED')]);

  await caller.dial('1002');
  await callee.waitFor('CALL_INCOMING');
  await caller.hangup();
  const closed = await callee.waitFor('CALL_CLOSED');
  assert.equal(closed.direction, 'incoming');
});

labTest('a phone number goes to the PSTN peer: a baresip customer answers and audio flows both ways', async (lab) => {
  const customer = await lab.phone({ username: customerNumber, audio: { frequency: 700 }, autoAnswer: true });
  const pbx = await lab.kamailio({ users, pstn: { port: customer.sipPort } });
  const operator = await operatorPhone(lab, pbx, 0, { audio: { frequency: 440 } });

  await operator.dial(customerNumber);
  await Promise.all([operator.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await delay(talkMs);
  await customer.hangup(); // the customer hangs up first this time
  await Promise.all([operator.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);

  assertHeard(operator, 700, 440);
  assertHeard(customer, 440, 700);
});

labTest('a SIPp customer answers a number, echoes the audio, and the pbx can move its PSTN peer at run time', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const operator = await operatorPhone(lab, pbx, 0, { audio: { frequency: 440 } });
  const customer = await lab.sipp({ scenario: 'uas_answer', rtpEcho: true });
  await pbx.setPstn({ port: customer.port });

  await operator.dial(customerNumber);
  await operator.waitFor('CALL_ESTABLISHED');
  await delay(talkMs);
  await operator.hangup();
  await operator.waitFor('CALL_CLOSED');
  assert.equal(await customer.result(), 0);
  assert.match(customer.messages(), new RegExp(`INVITE sip:\\${customerNumber}@`), 'the number reaches the peer as dialled');
  const measured = operator.measureLastRecording([440]);
  assert.ok(measured.tones[440] > 0.8 && measured.toneSeconds[440] >= 1, `echo heard: ${JSON.stringify(measured)}`);
});

for (const [scenario, status] of [
  ['uas_busy', '486 Busy Here'],
  ['uas_reject', '603 Decline'],
]) {
  labTest(`a ${scenario.slice(4)} customer ends the call with ${status}`, async (lab) => {
    const customer = await lab.sipp({ scenario });
    const pbx = await lab.kamailio({ users, pstn: { port: customer.port } });
    const operator = await operatorPhone(lab, pbx, 0);
    await operator.dial(customerNumber);
    const closed = await operator.waitFor('CALL_CLOSED');
    assert.equal(closed.param, status);
    assert.equal(await customer.result(), 0);
  });
}

labTest('a customer who does not answer rings until the caller cancels', async (lab) => {
  const customer = await lab.sipp({ scenario: 'uas_no_answer' });
  const pbx = await lab.kamailio({ users, pstn: { port: customer.port } });
  const operator = await operatorPhone(lab, pbx, 0);
  await operator.dial(customerNumber);
  await operator.waitFor('CALL_RINGING');
  await operator.hangup();
  await operator.waitFor('CALL_CLOSED');
  assert.equal(await customer.result(), 0, 'CANCEL, 200, 487 and ACK went as scripted');
});

labTest('a customer who answers and hangs up first sends BYE through the pbx (PSTN peer over TCP)', async (lab) => {
  const customer = await lab.sipp({ scenario: 'uas_answer_then_bye', transport: 'tcp', durationMs: 300 });
  const pbx = await lab.kamailio({ users, pstn: { port: customer.port, transport: 'tcp' } });
  const operator = await operatorPhone(lab, pbx, 0);
  await operator.dial(customerNumber);
  await operator.waitFor('CALL_ESTABLISHED');
  const closed = await operator.waitFor('CALL_CLOSED');
  assert.match(closed.param, /reset by peer/i);
  assert.equal(await customer.result(), 0);
});

labTest('a PBX leg refuses REFER with 501, or accepts it and reports the outcome in NOTIFYs', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const operator = await operatorPhone(lab, pbx, 0);

  const refusing = await lab.sipp({ scenario: 'uas_refer_refused' });
  await pbx.setPstn({ port: refusing.port });
  await operator.dial(customerNumber);
  await operator.waitFor('CALL_ESTABLISHED');
  await operator.command('transfer', pbx.uri('1002'));
  const failed = await operator.waitFor('TRANSFER_FAILED');
  assert.match(failed.param, /^501/);
  // baresip 1.0 drops the call after a failed transfer without a CALL_CLOSED event: hang up in case.
  await operator.hangup();
  assert.equal(await refusing.result(), 0, 'REFER refused, then BYE');

  const accepting = await lab.sipp({ scenario: 'uas_refer_accepted' });
  await pbx.setPstn({ port: accepting.port });
  await operator.dial(customerNumber);
  await operator.waitFor('CALL_ESTABLISHED');
  await operator.command('transfer', pbx.uri('1002'));
  const closed = await operator.waitFor('CALL_CLOSED'); // baresip hangs up once the NOTIFY says 200
  assert.match(closed.param, /transfer/i);
  assert.equal(await accepting.result(), 0);
  assert.match(accepting.messages(), /REFER sip:/);
  assert.match(accepting.messages(), /Refer-To: <?sip:1002@/);
});

labTest('an outside caller reaches an extension; giving up before the answer cancels the ringing phone', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const operator = await operatorPhone(lab, pbx, 1, { audio: { frequency: 900 }, autoAnswer: true });
  const call = await lab.sipp({ scenario: 'uac_invite', remote: pbx.address, service: '1002', durationMs: 1500, rtpEcho: true });
  assert.equal(await call.result(), 0);
  await operator.waitFor('CALL_CLOSED');
  const measured = operator.measureLastRecording([900]);
  assert.ok(measured.tones[900] > 0.8, `the echoing customer sent the operator's tone back: ${JSON.stringify(measured)}`);

  const ringingOnly = await lab.phone({ username: 'operator1', password: 'pass-one', registrar: pbx.address });
  const giveUp = await lab.sipp({ scenario: 'uac_invite_cancel', remote: pbx.address, service: '1001', durationMs: 300 });
  await ringingOnly.waitFor('CALL_INCOMING');
  assert.equal(await giveUp.result(), 0);
  await ringingOnly.waitFor('CALL_CLOSED');
});

labTest('the auto-answer check answers with Call-Info and Alert-Info and refuses with 400 without', async (lab) => {
  const pbx = await lab.kamailio({ users });
  for (const [headers, expected] of [
    [['Call-Info: <sip:127.0.0.1>;answer-after=0', 'Alert-Info: <http://127.0.0.1>;info=alert-autoanswer'], 0],
    [['Call-Info: <sip:127.0.0.1>;answer-after=0'], 1],
    [[], 1],
  ]) {
    const phone = await lab.sipp({ scenario: 'uas_autoanswer_check' });
    // A scripted phone cannot register itself: register its address on its behalf.
    const registration = { server: pbx.address, username: 'operator1', password: 'pass-one', contact: `sip:operator1@${phone.address}` };
    assert.equal(await registerContact(registration), 200);
    const call = await lab.sipp({ scenario: 'uac_invite', remote: pbx.address, service: '1001', headers });
    assert.equal(await call.result(), expected, `caller with headers ${JSON.stringify(headers)}`);
    assert.equal(await phone.result(), expected, `phone with headers ${JSON.stringify(headers)}`);
    if (expected) assert.match(call.messages(), /SIP\/2\.0 400 Auto-Answer Headers Missing/);
    // Unregister, or the next round would fork to this finished phone too and wait for it.
    assert.equal(await registerContact({ ...registration, expires: 0 }), 200);
  }
});

labTest('start-lab.mjs starts the lab, prints where it is, and stops it on Ctrl-C', async () => {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'start-lab.mjs');
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await withTimeout(
      (async () => {
        while (!/Lab ready/.test(output)) {
          if (child.exitCode !== null) throw new Error(`start-lab.mjs exited:\n${output}`);
          await delay(50);
        }
      })(),
      30000,
      'start-lab.mjs to be ready',
    );
    assert.match(output, /PBX\s+127\.0\.0\.1:\d+/);
    child.kill('SIGINT');
    assert.equal(await withTimeout(exited, 15000, 'start-lab.mjs to stop'), 0, output);
  } finally {
    child.kill('SIGKILL');
  }
});
