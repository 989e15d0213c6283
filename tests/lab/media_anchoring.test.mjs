// Media through rtpengine (MEDIA=rtpengine): the service starts its own rtpengine from Debian's package and
// puts every leg's SDP through it. Proven with real phones: audio flows both ways, every SDP a phone receives
// names rtpengine's address (MEDIA_ADDRESS) and a port of RTP_PORT_MIN-RTP_PORT_MAX, a held customer hears
// the music file, and a call still connects, passed through, when rtpengine cannot be reached.
import assert from 'node:assert/strict';
import { delay, freePort, labTest, measureWav, readWav, writeToneWav } from './lib/lab.mjs';
import { labDir } from './lib/processes.mjs';
import { assertHeard, callCentre, customerNumber, customerPhone, loggedCall, operatorPhone, receivedSdp, talkedThrough } from './lib/call_centre.mjs';
import { eventually, healthBecomes, until } from './lib/service.mjs';
import { join } from 'node:path';

const mediaAddress = '127.0.0.9'; // a loopback address of its own, so rtpengine's SDP cannot pass for a phone's
const portMin = 16000; // below baresip's RTP ports (20000+) and Linux's ephemeral ones (32768+)
const portMax = 16199;
const anchoredEnv = { MEDIA: 'rtpengine', MEDIA_ADDRESS: mediaAddress, RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMax) };

// Share of each frequency's energy in the last `seconds` of a recording (Goertzel over that stretch).
function toneShares(file, seconds, frequencies) {
  const { sampleRate, samples } = readWav(file);
  const tail = samples.subarray(Math.max(0, samples.length - Math.round(seconds * sampleRate)));
  let total = 0;
  for (const sample of tail) total += sample * sample;
  const shares = {};
  for (const frequency of frequencies) {
    const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
    let previous = 0;
    let before = 0;
    for (const sample of tail) [before, previous] = [previous, sample + coefficient * previous - before];
    const power = previous * previous + before * before - coefficient * previous * before;
    shares[frequency] = total > 0 ? (2 * power) / (tail.length * total) : 0;
  }
  return shares;
}

function assertOnlyRtpengineSdp(phone, who) {
  const bodies = receivedSdp(phone);
  assert.ok(bodies.length > 0, `${who} received no SDP:\n${phone.log().slice(-3000)}`);
  for (const body of bodies) {
    // Click-to-call parks the phone in a black hole (its ACK answers with 0.0.0.0) until the customer answers.
    if (body.firstLine.startsWith('ACK ') && body.connection.every((line) => line === 'IN IP4 0.0.0.0')) continue;
    assert.deepEqual([...new Set(body.connection)], [`IN IP4 ${mediaAddress}`], `${who}: the address of ${body.firstLine}`);
    for (const port of body.ports) {
      assert.ok(port >= portMin && port <= portMax, `${who}: port ${port} of ${body.firstLine} outside ${portMin}-${portMax}`);
    }
  }
}

labTest('inbound through rtpengine: audio both ways, and the phone and the PBX side see only rtpengine\'s address and ports', async (lab) => {
  const centre = await callCentre(lab, { env: anchoredEnv });
  const { service } = centre;
  const health = await service.api('GET', '/health');
  assert.equal(health.body.dependencies.media?.ok, true, JSON.stringify(health.body));
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, sipTrace: true });
  const customer = await customerPhone(lab, { sipTrace: true });

  const id = await talkedThrough(centre, phone, customer);

  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
  assertOnlyRtpengineSdp(phone, 'the operator\'s phone');
  assertOnlyRtpengineSdp(customer, 'the customer behind the PBX');
  // rtpengine's counters, read as the call ended: audio went both ways (50 packets a second for ~2 s).
  const { media } = await loggedCall(service, id);
  assert.ok(media, 'the logged call carries its media report');
  assert.ok(media.customerToOperator.packets > 50 && media.operatorToCustomer.packets > 50, JSON.stringify(media));
  assert.equal(media.oneWay, false);
  assert.equal(media.noAudio, false);
});

labTest('a customer whose side sends no audio: the call is flagged one-way, the operator did not hear the customer', async (lab) => {
  const centre = await callCentre(lab, { env: { ...anchoredEnv, SIP_DIALOG_PROBE_INTERVAL: '0' } });
  const { service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, autoAnswer: true });
  // The PBX side played by SIPp: it offers audio and then sends none (no RTP at all), as a trunk behind a
  // broken NAT does; the operator's phone answers and talks.
  const pbxSide = await lab.sipp({
    scenario: 'uac_invite',
    remote: `127.0.0.1:${service.sipPort}`,
    service: 'operator1',
    caller: customerNumber,
    durationMs: 2500,
  });
  const answered = await eventually(console.events, 'call:answered', () => true, 10000);
  // While the call is up, the counters so far already say it (the operator's tone flows, nothing comes back).
  const live = await until(
    async () => (await service.api('GET', `/api/calls/${answered.payload.id}/media`)).body,
    (body) => body?.media?.operatorToCustomer?.packets > 10,
    5000,
    'the operator\'s audio counted while the call is up',
  );
  assert.equal(live.media.customerToOperator.packets, 0, JSON.stringify(live));
  assert.equal(live.media.oneWay, true, JSON.stringify(live));
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === answered.payload.id, 15000);
  assert.equal(await pbxSide.result(), 0, 'the PBX side\'s call went through');
  // The stream's call:ended already says it, so the popup can.
  assert.equal(ended.payload.media?.oneWay, true, JSON.stringify(ended.payload.media));

  const { media } = await loggedCall(service, answered.payload.id);
  assert.equal(media.customerToOperator.packets, 0, JSON.stringify(media));
  assert.ok(media.operatorToCustomer.packets > 50, JSON.stringify(media));
  assert.equal(media.oneWay, true);
  const stats = await service.api('GET', '/api/calls/stats/1001');
  assert.equal(stats.body.stats.oneWayAudioCalls, 1, JSON.stringify(stats.body));
  await phone.waitFor('CALL_CLOSED');
});

labTest('click-to-call through rtpengine: both legs get rtpengine\'s SDP and hear each other', async (lab) => {
  const customer = await customerPhone(lab, { autoAnswer: true, sipTrace: true });
  const centre = await callCentre(lab, { pstn: { port: customer.sipPort }, env: anchoredEnv });
  const { service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, autoAnswer: true, sipTrace: true });

  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: customerNumber, autoAnswer: true });
  assert.equal(dial.status, 200, dial.text);
  const { id } = dial.body.call;
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await eventually(console.events, 'call:answered', (call) => call.id === id, 5000);
  await delay(2000);
  assert.equal((await service.api('POST', `/api/calls/hangup/${id}`)).status, 200);
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);

  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
  assertOnlyRtpengineSdp(phone, 'the operator\'s phone');
  assertOnlyRtpengineSdp(customer, 'the customer');
});

labTest('hold from the CRM: the customer hears the music file, then the operator again after unhold', async (lab) => {
  const music = writeToneWav(join(labDir('music'), 'music.wav'), { frequency: 1000, seconds: 20 });
  const centre = await callCentre(lab, { env: { ...anchoredEnv, MOH_FILE: music } });
  const { pbx, service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const customer = await customerPhone(lab);
  // baresip keeps only what it heard since the last re-INVITE: each call is measured from its last one.
  const call = async ({ unhold }) => {
    const since = Date.now();
    await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
    await phone.waitFor('CALL_INCOMING');
    const { id } = (await eventually(console.events, 'call:new', () => true, 5000, since)).payload;
    await phone.answer();
    await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
    await delay(1000);
    const hold = await service.api('POST', `/api/calls/hold/${id}`);
    assert.equal(hold.status, 200, hold.text);
    await delay(2500);
    if (unhold) {
      const back = await service.api('POST', `/api/calls/unhold/${id}`);
      assert.equal(back.status, 200, back.text);
      await delay(2000);
    }
    await customer.hangup();
    await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
    return customer.measureLastRecording([1000, 440, 700]);
  };

  const held = await call({ unhold: false });
  assert.ok(held.toneSeconds[1000] >= 1.5, `the held customer heard the music: ${JSON.stringify(held)}`);
  assert.ok(held.toneSeconds[440] <= 1.3, `and the operator only before the hold: ${JSON.stringify(held)}`);
  const back = await call({ unhold: true });
  assert.ok(back.toneSeconds[1000] >= 1.5, `music while held: ${JSON.stringify(back)}`);
  assert.ok(back.toneSeconds[440] >= 2.3, `the operator before the hold and after unhold: ${JSON.stringify(back)}`);
  const tail = toneShares(customer.lastRecording(), 1.5, [440, 1000]);
  assert.ok(tail[440] > 0.8 && tail[1000] < 0.05, `after unhold the operator, no music: ${JSON.stringify(tail)}`);
});

labTest('hold pressed on the operator\'s phone: the call is held, the customer hears the music, then the operator after resume', async (lab) => {
  const music = writeToneWav(join(labDir('music'), 'music.wav'), { frequency: 1000, seconds: 20 });
  const centre = await callCentre(lab, { env: { ...anchoredEnv, MOH_FILE: music } });
  const { pbx, console } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const customer = await customerPhone(lab);
  const recordingsBefore = customer.recordings().length;
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const { id } = (await eventually(console.events, 'call:new', () => true, 5000)).payload;
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await delay(1000);
  await phone.command('hold');
  await eventually(console.events, 'call:held', (call) => call.id === id, 5000);
  await delay(2500);
  await phone.command('resume');
  await eventually(console.events, 'call:unheld', (call) => call.id === id, 5000);
  await delay(2000);
  await customer.hangup();
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  // The phone's hold and resume reach the customer as re-INVITEs (its stream kept two-way for the music);
  // what the customer heard is measured over every recording its phone made of this call.
  const heard = customer.recordings().slice(recordingsBefore).map((file) => measureWav(file, { frequencies: [1000, 440, 700] }));
  const musicSeconds = heard.reduce((sum, part) => sum + part.toneSeconds[1000], 0);
  assert.ok(musicSeconds >= 1.5, `music while held from the phone: ${JSON.stringify(heard)}`);
  const tail = toneShares(customer.lastRecording(), 1.5, [440, 1000]);
  assert.ok(tail[440] > 0.8 && tail[1000] < 0.05, `after resume the operator, no music: ${JSON.stringify(tail)}`);
});

labTest('rtpengine unreachable: the call connects with its SDP passed through, and /health says media is degraded', async (lab) => {
  const nothingThere = await freePort();
  const centre = await callCentre(lab, { env: { MEDIA: 'rtpengine', RTPENGINE_URL: `udp:127.0.0.1:${nothingThere}` } });
  const { service } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, sipTrace: true });
  const customer = await customerPhone(lab);

  const id = await talkedThrough(centre, phone, customer);

  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
  assert.equal((await loggedCall(service, id)).media, null, 'no counters for a call rtpengine did not carry');
  for (const body of receivedSdp(phone)) {
    assert.deepEqual([...new Set(body.connection)], ['IN IP4 127.0.0.1'], 'the customer\'s own SDP, passed through');
  }
  await healthBecomes(service, (health) => health.dependencies?.media?.ok === false, 5000, 'media degraded');
  const health = await service.api('GET', '/health');
  assert.equal(health.body.status, 'degraded');
  assert.match(health.body.dependencies.media.detail, new RegExp(`127\\.0\\.0\\.1:${nothingThere}`));
});
