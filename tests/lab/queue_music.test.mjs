// A queue's callers hear the music while they wait (MEDIA=rtpengine with MOH_FILE): the service answers the
// caller at once through rtpengine and plays the file; the keys the caller presses meanwhile make the call's
// IVR choice; the member who takes the call is joined through rtpengine, and the music stops. Kamailio is the PBX, baresip the caller and the member's phone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { delay, labTest, writeToneWav } from './lib/lab.mjs';
import { labDir } from './lib/processes.mjs';
import { callCentre, customerPhone, heardSeconds, loggedCall } from './lib/call_centre.mjs';
import { eventually } from './lib/service.mjs';

const member = { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' };
const queueLine = { username: 'queue-delivery', password: 'pass-queue', extension: '2000', displayName: 'Доставка' };
const env = { MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.9', RTP_PORT_MIN: '16200', RTP_PORT_MAX: '16399' };
const tones = { member: 440, caller: 700, music: 1000 };

labTest('a queued caller is answered with the music, chooses with the keys, then talks with the member who picks up; the call stays ringing for the model until then', async (lab) => {
  const music = writeToneWav(join(labDir('music'), 'music.wav'), { frequency: tones.music, seconds: 20 });
  const centre = await callCentre(lab, { lines: [member, queueLine], env: { ...env, MOH_FILE: music } });
  const { pbx, service, console: stream } = centre;
  const phone = await lab.phone({ username: member.username, password: member.password, registrar: `127.0.0.1:${service.sipPort}`,
    audio: { frequency: tones.member } });
  await eventually(stream.events, 'operator:state', (state) => state.extension === '1001' && state.state === 'available', 5000);
  const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'round-robin', members: [{ extension: '1001' }] });
  assert.equal(put.status, 200, put.text);
  const caller = await customerPhone(lab, { audio: { frequency: tones.caller }, sipTrace: true });

  await caller.dial(`sip:2000@127.0.0.1:${pbx.port}`);
  // Answered by the service before any member: the caller's call is up and the member's phone rings.
  await caller.waitFor('CALL_ESTABLISHED');
  const created = await eventually(stream.events, 'call:new', (call) => call.to === '2000', 5000);
  const { id } = created.payload;
  await phone.waitFor('CALL_INCOMING');
  const waiting = (await service.api('GET', '/api/calls/active')).body.calls.find((call) => call.id === id);
  assert.equal(waiting.status, 'ringing', 'for the model the call rings until a member takes it');
  const listening = delay(2500); // the caller listens to the music
  // The keys pressed while waiting reach the service through rtpengine's DTMF log: the call's IVR choice.
  await caller.pressKeys('2');
  await eventually(stream.events, 'call:updated', (call) => call.id === id && call.ivrChoice === '2', 5000);
  await caller.pressKeys('5');
  await eventually(stream.events, 'call:updated', (call) => call.id === id && call.ivrChoice === '25', 5000);
  await listening;
  await phone.answer();
  await phone.waitFor('CALL_ESTABLISHED');
  const answered = await eventually(stream.events, 'call:answered', (call) => call.id === id, 5000);
  assert.equal(answered.payload.extension, '1001');
  assert.equal(answered.payload.ivrChoice, '25');
  await caller.pressKeys('9'); // during the talk: for the operator, not a choice
  await delay(2000); // they talk
  await caller.hangup();
  await Promise.all([caller.waitFor('CALL_CLOSED'), phone.waitFor('CALL_CLOSED')]);
  await eventually(stream.events, 'call:ended', (call) => call.id === id && call.endReason === 'completed', 5000);

  // The caller heard the music, then the member (both from rtpengine); the member heard the caller.
  const byCaller = heardSeconds(caller, Object.values(tones));
  assert.ok(byCaller[tones.music] >= 2, `the caller heard the music while waiting: ${JSON.stringify(byCaller)}`);
  assert.ok(byCaller[tones.member] >= 1.5, `then the member: ${JSON.stringify(byCaller)}`);
  const byMember = phone.measureLastRecording(Object.values(tones)).toneSeconds;
  assert.ok(byMember[tones.caller] >= 1.5, `the member heard the caller: ${JSON.stringify(byMember)}`);
  assert.ok(byMember[tones.music] < 0.3, `and no music: ${JSON.stringify(byMember)}`);
  const logged = await loggedCall(service, id);
  assert.deepEqual(logged.operators.map((turn) => turn.extension), ['2000', '1001']);
  assert.ok(logged.operators[1].answeredAt, 'the member took the call');
  assert.equal(logged.ivrChoice, '25', 'the keys pressed while waiting, not those of the talk');
});

labTest('a caller who waited with the music as long as the queue allows is transferred to its overflow number (REFER)', async (lab) => {
  const music = writeToneWav(join(labDir('music'), 'music.wav'), { frequency: tones.music, seconds: 20 });
  const reception = { username: 'reception', password: 'pass-reception', extension: '3000', displayName: 'Ресепшн' };
  const centre = await callCentre(lab, { lines: [member, queueLine, reception], env: { ...env, MOH_FILE: music } });
  const { pbx, service, console: stream } = centre;
  const overflow = await lab.phone({ username: reception.username, password: reception.password, registrar: `127.0.0.1:${service.sipPort}`, autoAnswer: true });
  await eventually(stream.events, 'operator:state', (state) => state.extension === '3000' && state.state === 'available', 5000);
  // Nobody to offer the caller to: the queue's only member has no phone.
  const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'round-robin', members: [{ extension: '1001' }],
    maxWaitSeconds: 10, overflowNumber: '3000' });
  assert.equal(put.status, 200, put.text);
  const caller = await customerPhone(lab);

  const since = Date.now();
  await caller.dial(`sip:2000@127.0.0.1:${pbx.port}`);
  await caller.waitFor('CALL_ESTABLISHED');
  const ended = await eventually(stream.events, 'call:ended', (call) => call.to === '2000', 15000, since);
  assert.equal(ended.payload.endReason, 'missed');
  const waitedMs = Date.parse(ended.payload.endTime) - Date.parse(ended.payload.startTime);
  assert.ok(waitedMs >= 9500 && waitedMs < 13000, `let go after ${waitedMs} ms for maxWaitSeconds 10`);
  // The caller's phone took the REFER and called the overflow number (the reception's line, through the PBX),
  // whose phone answered: a new call for the service, to 3000.
  await overflow.waitFor('CALL_ESTABLISHED', { timeoutMs: 5000 });
  const moved = await eventually(stream.events, 'call:answered', (call) => call.extension === '3000', 5000, since);
  assert.equal(moved.payload.from, '+79991234567');
  assert.match(service.log(), /waited the longest queue 2000 allows; sent on to 3000/);
  await caller.hangup();
  await overflow.waitFor('CALL_CLOSED');
}, { timeoutMs: 60000 });
