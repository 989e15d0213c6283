// Calls through the service, end to end: Kamailio is the PBX, baresip phones register to the service as the
// operators, customers are lone baresip phones (or SIPp peers) behind the PBX. Each test proves what the
// operator hears (recordings), what the PBX side sees, and what the CRM sees (socket.io-client events and
// the call log).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { delay, labTest, registerContact } from './lib/lab.mjs';
import { eventually, healthBecomes, startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
const customerNumber = '+79991234567';
const customerName = 'Иван Петров';
const talkMs = 2000; // enough audio to measure

// A CRM that knows one customer, for the popup.
async function startCrm(lab) {
  const server = createServer((request, response) => {
    const phone = new URL(request.url, 'http://crm').searchParams.get('phone');
    if (phone !== customerNumber) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ id: 'cust-42', name: customerName, phone }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  lab.track('crm', { stop: () => new Promise((resolve) => server.close(resolve)), log: () => '' });
  return `http://127.0.0.1:${server.address().port}/customers?phone={phone}`;
}

// PBX, service with both lines registered, a supervisor console.
async function callCentre(lab, { pstn, env = {} } = {}) {
  const pbx = await lab.kamailio({ users, pstn });
  const service = await startService(lab, { pbx, lines: users, env });
  await healthBecomes(service, (health) => health.registeredUsers === 2, 10000, 'both lines registered');
  const console = await service.console();
  return { pbx, service, console };
}

// An operator's phone registered to the service (not to the PBX).
async function operatorPhone(lab, { service, console }, index, options = {}) {
  const user = users[index];
  const phone = await lab.phone({
    username: user.username,
    password: user.password,
    registrar: `127.0.0.1:${service.sipPort}`,
    ...options,
  });
  await eventually(console.events, 'line:state', (line) => line.extension === user.extension && line.deviceRegistered, 5000);
  return phone;
}

// A customer's phone outside the PBX: calls extensions at the PBX, or is the PSTN peer numbers go to.
function customerPhone(lab, options = {}) {
  return lab.phone({ username: customerNumber, audio: { frequency: 700 }, ...options });
}

function assertHeard(phone, heard, own) {
  const measured = phone.measureLastRecording([heard, own]);
  assert.ok(measured.tones[heard] > 0.8, `${phone.uri} should hear ${heard} Hz: ${JSON.stringify(measured)}`);
  assert.ok(measured.toneSeconds[heard] >= 1, `${phone.uri} heard ${heard} Hz too briefly: ${JSON.stringify(measured)}`);
  assert.ok(measured.tones[own] < 0.05, `${phone.uri} hears its own ${own} Hz: ${JSON.stringify(measured)}`);
}

async function loggedCall(service, id) {
  return until(
    async () => (await service.api('GET', '/api/calls/logs?limit=20')).body,
    (body) => body?.calls?.some((call) => call.id === id && call.status === 'ended'),
    5000,
    `call ${id} in the log`,
  ).then((body) => body.calls.find((call) => call.id === id));
}

labTest('inbound: the popup comes before the phone rings, the call is answered on the phone, audio flows, BYE ends it', async (lab) => {
  const crm = await startCrm(lab);
  const centre = await callCentre(lab, { env: { CUSTOMER_LOOKUP_URL: crm } });
  const { pbx, service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const customer = await customerPhone(lab);

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const incoming = await phone.waitFor('CALL_INCOMING');
  const created = await eventually(console.events, 'call:new', () => true, 5000);
  assert.ok(created.at <= incoming.at, 'call:new reaches the CRM before the phone rings');
  assert.equal(created.payload.direction, 'inbound');
  assert.equal(created.payload.status, 'ringing');
  assert.equal(created.payload.from, customerNumber);
  assert.equal(created.payload.extension, '1001');
  assert.equal(created.payload.customer?.name, customerName, 'the customer card is in call:new');
  const id = created.payload.id;

  await customer.waitFor('CALL_RINGING');
  await eventually(console.events, 'call:ringing', (call) => call.id === id, 5000);
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await eventually(console.events, 'call:answered', (call) => call.id === id && call.status === 'answered', 5000);
  const active = await service.api('GET', '/api/calls/active');
  assert.deepEqual(active.body.calls.map((call) => [call.id, call.status]), [[id, 'answered']]);

  await delay(talkMs);
  await customer.hangup();
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  assert.ok(ended.payload.duration >= 1, `talk time counted: ${JSON.stringify(ended.payload)}`);

  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
  const logged = await loggedCall(service, id);
  assert.equal(logged.endReason, 'completed');
  assert.equal(logged.customer?.id, 'cust-42');
});

labTest('inbound: the caller hanging up before an answer is missed; no phone registered gives the PBX 480, also missed', async (lab) => {
  const centre = await callCentre(lab);
  const { pbx, service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0);
  const customer = await customerPhone(lab);

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await customer.hangup();
  await customer.waitFor('CALL_CLOSED');
  const closed = await phone.waitFor('CALL_CLOSED');
  assert.equal(closed.direction, 'incoming');
  const missed = await eventually(console.events, 'call:ended', () => true, 5000);
  assert.equal(missed.payload.endReason, 'missed');
  assert.equal(missed.payload.duration, 0);

  // 1002 has no phone registered to the service: the PBX is told at once, the call is still logged.
  await customer.dial(`sip:1002@127.0.0.1:${pbx.port}`);
  const refused = await customer.waitFor('CALL_CLOSED');
  assert.match(refused.param, /480/);
  const unanswered = await eventually(console.events, 'call:ended', (call) => call.extension === '1002', 5000);
  assert.equal(unanswered.payload.endReason, 'missed');
  await loggedCall(service, unanswered.payload.id);
});

labTest('inbound: several phones of one extension all ring; the first to answer takes the call', async (lab) => {
  const centre = await callCentre(lab);
  const { pbx, service, console } = centre;
  const desk = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const soft = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const customer = await customerPhone(lab);

  await customer.dial(`sip:operator1@127.0.0.1:${pbx.port}`);
  await Promise.all([desk.waitFor('CALL_INCOMING'), soft.waitFor('CALL_INCOMING')]);
  await soft.answer();
  await Promise.all([soft.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await desk.waitFor('CALL_CLOSED'); // stops ringing
  await delay(talkMs);
  await soft.hangup(); // the operator hangs up this time
  await customer.waitFor('CALL_CLOSED');
  const ended = await eventually(console.events, 'call:ended', () => true, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  assertHeard(customer, 440, 700);
});

// A SIPp peer registered to the service as operator1's phone.
async function scriptedPhone(lab, service, scenario) {
  const phone = await lab.sipp({ scenario });
  const status = await registerContact({
    server: `127.0.0.1:${service.sipPort}`,
    username: 'operator1',
    password: 'pass-one',
    contact: `sip:operator1@127.0.0.1:${phone.port}`,
    expires: 300,
  });
  assert.equal(status, 200, 'the scripted phone registers to the service');
  return phone;
}

labTest('click-to-call: the operator\'s phone rings first, then the customer; they hear each other; hangup from the API', async (lab) => {
  const customer = await customerPhone(lab, { autoAnswer: true });
  const centre = await callCentre(lab, { pstn: { port: customer.sipPort } });
  const { service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, autoAnswer: true });

  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: '8 (999) 123-45-67', autoAnswer: true });
  assert.equal(dial.status, 200, dial.text);
  const { id } = dial.body.call;
  assert.equal(dial.body.call.to, customerNumber);
  assert.equal(dial.body.call.direction, 'outbound');
  // A baresip that answers by itself reports no CALL_INCOMING: its CALL_ESTABLISHED is the pick-up.
  const [operatorOn, customerOn] = await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  assert.ok(operatorOn.at < customerOn.at, 'the operator is on the line before the customer is called');
  await eventually(console.events, 'call:answered', (call) => call.id === id, 5000);

  await delay(talkMs);
  const hangup = await service.api('POST', `/api/calls/hangup/${id}`);
  assert.equal(hangup.status, 200, hangup.text);
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
});

for (const [scenario, reason] of [
  ['uas_busy', 'busy'],
  ['uas_reject', 'rejected'],
  ['uas_no_answer', 'missed'],
]) {
  labTest(`click-to-call: a ${scenario.slice(4).replace('_', ' ')} customer ends the call as ${reason}; the phone was asked to auto-answer`, async (lab) => {
    const customer = await lab.sipp({ scenario });
    const centre = await callCentre(lab, {
      pstn: { port: customer.port },
      env: { DIAL_FORMAT: 'national', SIP_RING_TIMEOUT: '5' },
    });
    const { service, console } = centre;
    const phone = await scriptedPhone(lab, service, 'uas_autoanswer_check');

    const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: customerNumber, autoAnswer: true });
    assert.equal(dial.status, 200, dial.text);
    const ended = await eventually(console.events, 'call:ended', (call) => call.id === dial.body.call.id, 15000);
    assert.equal(ended.payload.endReason, reason);
    assert.equal(await phone.result(), 0, `the phone got the auto-answer headers and a BYE:\n${phone.messages()}`);
    assert.equal(await customer.result(), 0, `the customer's side ended cleanly:\n${customer.messages()}`);
    assert.match(customer.messages(), /INVITE sip:89991234567@/, 'DIAL_FORMAT=national reaches the PBX');
  });
}

labTest('click-to-call: the operator hanging up while the customer rings cancels the customer\'s call', async (lab) => {
  const customer = await lab.sipp({ scenario: 'uas_no_answer' });
  const centre = await callCentre(lab, { pstn: { port: customer.port } });
  const { service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { autoAnswer: true });

  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: customerNumber, autoAnswer: false });
  assert.equal(dial.status, 200, dial.text);
  await phone.waitFor('CALL_ESTABLISHED');
  await eventually(console.events, 'call:ringing', (call) => call.id === dial.body.call.id, 5000);
  await phone.hangup();
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === dial.body.call.id, 5000);
  assert.equal(ended.payload.endReason, 'cancelled');
  assert.equal(await customer.result(), 0, `the customer's INVITE was cancelled:\n${customer.messages()}`);
});
