// A call centre in the lab: Kamailio as the PBX with the operators' lines, the service registered on them,
// operators' baresip phones registered to the service, customers' phones behind the PBX, and what each
// phone heard.
import assert from 'node:assert/strict';
import { measureWav } from './audio.mjs';
import { delay } from './processes.mjs';
import { eventually, healthBecomes, startService, until } from './service.mjs';

export const operators = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
export const customerNumber = '+79991234567';

// PBX, the service with every line registered, a supervisor console.
export async function callCentre(lab, { pstn, env = {}, lines = operators } = {}) {
  const pbx = await lab.kamailio({ users: lines, pstn });
  const service = await startService(lab, { pbx, lines, env });
  await healthBecomes(service, (health) => health.registeredUsers === lines.length, 10000, 'every line registered');
  const console = await service.console();
  return { pbx, service, console };
}

// An operator's phone registered to the service (not to the PBX).
export async function operatorPhone(lab, { service, console }, index, options = {}) {
  const user = operators[index];
  const phone = await lab.phone({
    username: user.username,
    password: user.password,
    registrar: `127.0.0.1:${service.sipPort}`,
    ...options,
  });
  await eventually(console.events, 'line:state', (line) => line.extension === user.extension && line.deviceRegistered, 5000);
  return phone;
}

// The customer calls the operator's line, the operator answers, they talk `talkMs`, the customer hangs up;
// resolves with the call's id once the stream has said it ended.
export async function talkedThrough({ pbx, console: stream }, phone, customer, { talkMs = 2000 } = {}) {
  const since = Date.now();
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const created = await eventually(stream.events, 'call:new', () => true, 5000, since);
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await delay(talkMs);
  await customer.hangup();
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  await eventually(stream.events, 'call:ended', (call) => call.id === created.payload.id, 5000);
  return created.payload.id;
}

// A customer's phone outside the PBX: calls extensions at the PBX, or is the PSTN peer numbers go to.
export function customerPhone(lab, options = {}) {
  return lab.phone({ username: customerNumber, audio: { frequency: 700 }, ...options });
}

// Seconds of each of `frequencies` the phone heard over all its recordings (baresip may start one at a
// re-INVITE): {frequency: seconds}.
export function heardSeconds(phone, frequencies) {
  const total = Object.fromEntries(frequencies.map((frequency) => [frequency, 0]));
  for (const file of phone.recordings()) {
    const { toneSeconds } = measureWav(file, { frequencies });
    for (const frequency of frequencies) total[frequency] += toneSeconds[frequency];
  }
  return total;
}

// The phone's last call carried `heard` (at least a second of it) and not its own tone `own`.
export function assertHeard(phone, heard, own) {
  const measured = phone.measureLastRecording([heard, own]);
  assert.ok(measured.tones[heard] > 0.8, `${phone.uri} should hear ${heard} Hz: ${JSON.stringify(measured)}`);
  assert.ok(measured.toneSeconds[heard] >= 1, `${phone.uri} heard ${heard} Hz too briefly: ${JSON.stringify(measured)}`);
  assert.ok(measured.tones[own] < 0.05, `${phone.uri} hears its own ${own} Hz: ${JSON.stringify(measured)}`);
}

// The call once the log has it ended.
export async function loggedCall(service, id) {
  return until(
    async () => (await service.api('GET', '/api/calls/logs?limit=20')).body,
    (body) => body?.calls?.some((call) => call.id === id && call.status === 'ended'),
    5000,
    `call ${id} in the log`,
  ).then((body) => body.calls.find((call) => call.id === id));
}

// Where the SDP of one SIP message (its text) sends the media: {firstLine, connection, ports}; null when
// the message has no SDP.
export function sdpSummary(text) {
  if (!/\r?\nv=0\r?\n/.test(text)) return null;
  const lines = text.split(/\r?\n/);
  return {
    firstLine: lines[0],
    connection: lines.filter((line) => line.startsWith('c=')).map((line) => line.slice(2).trim()),
    ports: lines.filter((line) => line.startsWith('m=')).map((line) => Number(line.split(' ')[1])),
  };
}

// The SDP bodies a baresip phone started with `sipTrace: true` received: [{firstLine, connection, ports}].
// baresip prints each message as "ESC[36;1m#\n<transport> <from> -> <to>\n<message>ESC[;m".
export function receivedSdp(phone) {
  const ownAddress = `127.0.0.1:${phone.sipPort}`;
  const bodies = [];
  for (const message of phone.log().split(/\x1b\[36;1m#\r?\n/)) {
    const [header = '', ...rest] = message.split('\n');
    if (!header.trimEnd().endsWith(`-> ${ownAddress}`)) continue;
    const body = sdpSummary(rest.join('\n'));
    if (body) bodies.push(body);
  }
  return bodies;
}


// A SIPp caller from the trunk's number 100 to line 1001 through the lab's PBX, its INVITE carrying `headers`;
// resolves with its call's call:new, told from the others' by the SIP Call-ID the PBX passed on (no phone is
// registered: the call is created, then refused with 480, which ends SIPp's scenario early).
export async function callWithHeaders(lab, { pbx, console: stream }, headers) {
  const sipp = await lab.sipp({ scenario: 'uac_invite', remote: `127.0.0.1:${pbx.port}`, service: '1001', caller: '100', headers, durationMs: 500 });
  await sipp.result();
  const callId = sipp.messages().match(/^Call-ID: *(\S+)/m)?.[1];
  assert.ok(callId, sipp.messages());
  const created = await eventually(stream.events, 'call:new', (call) => call.sipCallId === callId, 5000);
  return created.payload;
}
