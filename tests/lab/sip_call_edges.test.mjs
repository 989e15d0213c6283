// Edges of calls through the service that the everyday tests do not reach: RFC 4028 session timers asked for
// by the PBX, and a blind transfer to a number when the PBX refuses REFER. Kamailio is the PBX the lines
// register to; a SIPp peer plays the PBX side of the call itself (it calls the line from 127.0.0.1, the
// PBX's host), so the test can script what that side sends and check what it receives.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { eventually, healthBecomes, startService, until } from './lib/service.mjs';

const users = [{ username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' }];
const caller = '+79990000001';

// The PBX with the line registered, the operator's phone registered to the service, a supervisor console.
async function callCentre(lab, { pstn = null, env = {} } = {}) {
  const pbx = await lab.kamailio({ users, pstn });
  // No dialog probes: the scripted PBX side answers only what its scenario expects.
  const service = await startService(lab, { pbx, lines: users, env: { SIP_DIALOG_PROBE_INTERVAL: '0', ...env } });
  await healthBecomes(service, (health) => health.registeredUsers === 1, 10000, 'the line registered');
  const console = await service.console();
  const phone = await lab.phone({
    username: 'operator1',
    password: 'pass-one',
    registrar: `127.0.0.1:${service.sipPort}`,
    autoAnswer: true,
  });
  await eventually(console.events, 'line:state', (line) => line.extension === '1001' && line.deviceRegistered, 5000);
  return { pbx, service, console, phone };
}

async function loggedCall(service, id) {
  return until(
    async () => (await service.api('GET', '/api/calls/logs?limit=20')).body,
    (body) => body?.calls?.some((call) => call.id === id && call.status === 'ended'),
    5000,
    `call ${id} in the log`,
  ).then((body) => body.calls.find((call) => call.id === id));
}

labTest('session timers: the 200 keeps the PBX\'s Session-Expires, UPDATE and re-INVITE refreshes are answered 200, the call stays up', async (lab) => {
  const { service, console, phone } = await callCentre(lab);
  const pbxSide = await lab.sipp({
    scenario: 'uac_session_timer',
    remote: `127.0.0.1:${service.sipPort}`,
    service: 'operator1',
    caller,
    durationMs: 1500,
  });

  const answered = await eventually(console.events, 'call:answered', () => true, 10000);
  const { id } = answered.payload;
  await phone.waitFor('CALL_ESTABLISHED');
  // Both refreshes happen while the call is up; the scenario fails unless each 200 carries Session-Expires.
  assert.equal(await pbxSide.result(), 0, `the PBX side's session timer exchange:\n${pbxSide.messages()}`);
  const messages = pbxSide.messages();
  assert.match(messages, /SIP\/2\.0 200 OK[\s\S]*?CSeq: 1 INVITE/);
  assert.match(messages, /Session-Expires: 90;refresher=uac/i, 'the 200 keeps the PBX as refresher at 90 s');
  assert.match(messages, /CSeq: 2 UPDATE[\s\S]*?SIP\/2\.0 200 OK/);
  assert.match(messages, /CSeq: 3 INVITE[\s\S]*?SIP\/2\.0 200 OK/);

  // The phone leg stayed up through both refreshes and was let go only by the PBX's BYE.
  const phoneClosed = await phone.waitFor('CALL_CLOSED', { timeoutMs: 5000 });
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  assert.ok(phoneClosed.at >= answered.at + 1500, 'the phone was hung up before the PBX refreshed the session');
  const refreshesSeen = console.events.filter((event) => event.payload?.id === id).map((event) => event.name);
  assert.deepEqual(
    refreshesSeen.filter((name) => name !== 'call:updated'),
    ['call:new', 'call:ringing', 'call:answered', 'call:ended'],
    'a session refresh is no hold or other change of the call',
  );
  const logged = await loggedCall(service, id);
  assert.equal(logged.endReason, 'completed');
  assert.ok(logged.duration >= 1, JSON.stringify(logged));
}, { timeoutMs: 60000 });

const transferTarget = '+79997654321';

// An answered inbound call from a PBX that refuses REFER, transferred from the CRM to a number: the service
// calls the number through the line (Kamailio sends it to the `outside` SIPp), then re-INVITEs the PBX side.
async function transferWhenReferRefused(lab) {
  const outside = await lab.sipp({ scenario: 'uas_answer' });
  const centre = await callCentre(lab, { pstn: { port: outside.port } });
  const pbxSide = await lab.sipp({
    scenario: 'uac_refer_refused',
    remote: `127.0.0.1:${centre.service.sipPort}`,
    service: 'operator1',
    caller,
    durationMs: 2000,
  });
  const answered = await eventually(centre.console.events, 'call:answered', () => true, 10000);
  const { id } = answered.payload;
  await centre.phone.waitFor('CALL_ESTABLISHED');
  const transfer = await centre.service.api('POST', `/api/calls/transfer/${id}`, { target: transferTarget });
  assert.equal(transfer.status, 200, transfer.text);
  assert.equal(transfer.body.call.status, 'transferred');
  assert.equal(transfer.body.call.transferTarget, transferTarget);
  const ended = await eventually(centre.console.events, 'call:ended', (call) => call.id === id, 10000);
  return { ...centre, outside, pbxSide, id, ended };
}

labTest('transfer to a number when the PBX refuses REFER: 501, a new call through the line to the number, the PBX side re-INVITEd to it', async (lab) => {
  const { pbx, service, console, phone, outside, pbxSide, id, ended } = await transferWhenReferRefused(lab);

  // The CRM: the transfer started, then the call left the operator as transferred to the number.
  assert.equal(ended.payload.endReason, 'transferred');
  assert.equal(ended.payload.transferTarget, transferTarget);
  await phone.waitFor('CALL_CLOSED');
  const names = console.events.filter((event) => event.payload?.id === id).map((event) => event.name);
  assert.deepEqual(
    names.filter((name) => name !== 'call:updated'),
    ['call:new', 'call:ringing', 'call:answered', 'call:transferred', 'call:ended'],
  );
  const logged = await loggedCall(service, id);
  assert.equal(logged.endReason, 'transferred');
  assert.equal(logged.transferTarget, transferTarget);
  assert.equal(logged.direction, 'inbound');

  // The number was called through the line: the PBX authenticated it as operator1 and sent it on.
  assert.match(pbx.log(), new RegExp(`INVITE from operator1 to number \\${transferTarget}`));
  await until(() => outside.exchange(), (messages) => messages.some((m) => m.direction === 'sent' && /^SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ INVITE/.test(m.text)), 10000, 'the number to answer');
  const numberInvite = outside.exchange().find((m) => m.direction === 'received' && /^INVITE /.test(m.text));
  assert.match(numberInvite.text, new RegExp(`^INVITE sip:\\${transferTarget}@`));
  const numberAnswer = outside.exchange().find((m) => m.direction === 'sent' && /^SIP\/2\.0 200 OK/.test(m.text));
  const numberPort = numberAnswer.text.match(/m=audio (\d+)/)[1];

  // The PBX side: REFER to the number refused with 501, then a re-INVITE carrying the number's media.
  const seen = await until(
    () => pbxSide.exchange(),
    (messages) => messages.some((m) => m.direction === 'received' && /^ACK /.test(m.text) && !/CSeq: 1 ACK/.test(m.text)),
    10000,
    'the re-INVITE to be acknowledged',
  );
  const refer = seen.find((m) => m.direction === 'received' && /^REFER /.test(m.text));
  assert.ok(refer, 'no REFER reached the PBX side');
  assert.match(refer.text, new RegExp(`Refer-To: <?sip:\\${transferTarget}@`));
  assert.ok(seen.some((m) => m.direction === 'sent' && /^SIP\/2\.0 501 /.test(m.text)), 'the PBX side refused REFER');
  const reinvite = seen.find((m) => m.direction === 'received' && /^INVITE /.test(m.text));
  assert.ok(reinvite, 'no re-INVITE reached the PBX side');
  assert.match(reinvite.text, new RegExp(`m=audio ${numberPort} `), 'the re-INVITE offers the number\'s media');
}, { timeoutMs: 60000 });

labTest(
  'transfer to a number when the PBX refuses REFER: the customer keeps talking to the number until one of them hangs up',
  async (lab) => {
    const { outside, pbxSide } = await transferWhenReferRefused(lab);
    // The PBX side talks for 2 s after the re-INVITE and hangs up itself; only then does the number get BYE.
    assert.equal(await pbxSide.result(), 0, `the PBX side was hung up on:\n${pbxSide.messages()}`);
    const pbxBye = pbxSide.exchange().find((m) => m.direction === 'sent' && /^BYE /.test(m.text));
    assert.ok(pbxBye, 'the PBX side did not get to hang up');
    assert.equal(await outside.result(), 0, outside.messages());
  },
  { timeoutMs: 60000 },
);
