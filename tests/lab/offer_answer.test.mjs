// Every offer/answer pattern a PBX uses, with media passed through (MEDIA=passthrough) and anchored in
// rtpengine (MEDIA=rtpengine). A SIPp peer plays the PBX's side. Inbound, it calls the operator's line
// straight at the service from 127.0.0.1 (the PBX's host) with an early offer, a late offer (the offer in
// our 200, the answer in its ACK) or 100rel (PRACK), or, once the call is up, sends an offerless re-INVITE
// or an UPDATE with a new offer. Outbound, it is the customer Kamailio sends the number to, answering with
// early media (183 with SDP), once unreliably and once with PRACK, to a click-to-call and to a call dialled
// on the operator's phone. Each call must connect for the console and the operator's baresip phone, the
// phone must receive an SDP it can send audio to (rtpengine's address in that mode), the scripted side must
// see the exchange its scenario demands, and the call must end cleanly and be in the log.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { labTest } from './lib/lab.mjs';
import { callCentre, customerNumber, loggedCall, operatorPhone, receivedSdp, sdpSummary } from './lib/call_centre.mjs';
import { eventually, until } from './lib/service.mjs';

const modes = ['passthrough', 'rtpengine'];
const talkMs = 1000;
const mediaAddress = '127.0.0.9'; // rtpengine's own loopback address: its SDP cannot pass for SIPp's
const sippAddress = '127.0.0.1';

function environment(mode, index) {
  // No dialog probes: the scripted PBX side answers only what its scenario expects.
  const env = { SIP_DIALOG_PROBE_INTERVAL: '0' };
  if (mode !== 'rtpengine') return env;
  // A port range per test so that the two modes' rtpengines, running side by side, never share ports.
  // Above media_anchoring's 16000-16199, below baresip's RTP ports (20000+).
  const portMin = 16400 + index * 200;
  return { ...env, MEDIA: 'rtpengine', MEDIA_ADDRESS: mediaAddress, RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 199) };
}

// The SDP bodies in SIPp's messages in one direction, as {firstLine, connection, ports}.
function sdpBodies(sipp, direction) {
  return sipp
    .exchange()
    .filter((message) => message.direction === direction)
    .map(({ text }) => sdpSummary(text))
    .filter(Boolean);
}

// A body someone can send audio to: one address, not the black hole, and no refused (port 0) stream.
function assertUsable(body, address, who) {
  assert.ok(body, `${who} received no SDP`);
  assert.deepEqual([...new Set(body.connection)], [`IN IP4 ${address}`], `${who}: the address in ${body.firstLine}`);
  assert.ok(body.ports.length > 0 && body.ports.every((port) => port > 0), `${who}: ports ${body.ports} in ${body.firstLine}`);
}

// The first message of the scripted side whose first line matches `start` (and `cseq`, e.g. /CSeq: 2 /).
function message(sipp, direction, start, cseq = /./) {
  const found = sipp.exchange().filter((m) => m.direction === direction && start.test(m.text) && cseq.test(m.text));
  assert.ok(found.length > 0, `${sipp.options.scenario} ${direction} no ${start} ${cseq}:\n${sipp.messages()}`);
  return found[0].text;
}

// `promise`, unless the scripted side exits with an error first: then its log at once, not a timeout later.
function unlessSippFails(sipp, promise) {
  const failed = sipp.done.then((code) => {
    if (code === 0) return new Promise(() => {});
    throw new Error(`${sipp.options.scenario} exited with ${code}:\n${sipp.log()}`);
  });
  return Promise.race([promise, failed]);
}

const hasSdp = (text) => /\r?\nv=0\r?\n[\s\S]*\r?\nm=audio [1-9]\d* /.test(text);

// The inbound patterns: the PBX's side calls the line; `check` looks at what it sent and received.
const inbound = [
  {
    name: 'early offer: the INVITE carries the offer, the 200 the answer',
    scenario: 'uac_invite',
    check(sipp) {
      assert.ok(hasSdp(message(sipp, 'sent', /^INVITE /)), 'the INVITE offers');
      assert.ok(hasSdp(message(sipp, 'received', /^SIP\/2\.0 200 /, /CSeq: 1 INVITE/)), 'the 200 answers');
    },
  },
  {
    name: 'late offer: an INVITE without SDP, the offer in the 200, the answer in the ACK',
    scenario: 'uac_late_offer',
    check(sipp) {
      assert.ok(!hasSdp(message(sipp, 'sent', /^INVITE /)), 'the INVITE has no offer');
      assert.ok(hasSdp(message(sipp, 'received', /^SIP\/2\.0 200 /, /CSeq: 1 INVITE/)), 'the 200 offers');
      assert.ok(hasSdp(message(sipp, 'sent', /^ACK /)), 'the ACK answers');
    },
  },
  {
    name: '100rel: the 180 is sent reliably, PRACKed, then the 200',
    scenario: 'uac_prack',
    check(sipp) {
      assert.match(message(sipp, 'received', /^SIP\/2\.0 180 /), /\r?\nRSeq: *\d+/i);
      assert.match(message(sipp, 'sent', /^PRACK /), /\r?\nRAck: *\d+ 1 INVITE/i);
      message(sipp, 'received', /^SIP\/2\.0 200 /, /CSeq: 2 PRACK/);
      assert.ok(hasSdp(message(sipp, 'received', /^SIP\/2\.0 200 /, /CSeq: 1 INVITE/)), 'the 200 answers');
    },
  },
  {
    name: 're-INVITE without SDP mid-call: the 200 offers, the ACK answers with a new port, the phone follows it',
    scenario: 'uac_reinvite_no_sdp',
    movesTo: 2, // the ACK answers with SIPp's media port + 2
    check(sipp) {
      assert.ok(!hasSdp(message(sipp, 'sent', /^INVITE /, /CSeq: 2 INVITE/)), 'the re-INVITE has no offer');
      assert.ok(hasSdp(message(sipp, 'received', /^SIP\/2\.0 200 /, /CSeq: 2 INVITE/)), 'its 200 offers');
      assert.ok(hasSdp(message(sipp, 'sent', /^ACK /, /CSeq: 2 ACK/)), 'the ACK answers');
    },
  },
  {
    name: 'UPDATE with a new offer mid-call: answered in its 200, the phone follows the new port',
    scenario: 'uac_update_sdp',
    movesTo: 2, // the UPDATE offers SIPp's media port + 2
    check(sipp) {
      assert.ok(hasSdp(message(sipp, 'sent', /^UPDATE /)), 'the UPDATE offers');
      assert.ok(hasSdp(message(sipp, 'received', /^SIP\/2\.0 200 /, /CSeq: 2 UPDATE/)), 'its 200 answers');
    },
  },
];

// The outbound patterns, click-to-call first: the customer's side (Kamailio's PSTN peer) answers this way.
const outbound = [
  {
    name: 'click-to-call, early media: 183 with SDP, then 200',
    scenario: 'uas_early_media',
    check(sipp) {
      assert.ok(hasSdp(message(sipp, 'sent', /^SIP\/2\.0 183 /)), 'the 183 carries the early media');
    },
  },
  {
    name: 'click-to-call, early media with PRACK: 183 with Require: 100rel and SDP, PRACK, then 200',
    scenario: 'uas_early_media_prack',
    check(sipp) {
      assert.match(message(sipp, 'received', /^INVITE /), /\r?\nSupported:[^\r\n]*100rel/i);
      assert.match(message(sipp, 'received', /^PRACK /), /\r?\nRAck: *1 \d+ INVITE/i);
    },
  },
];

// The operator dials the customer on the phone: the customer's side answers this way, and its early media
// must reach the phone in a 183 of ours.
const fromPhone = outbound.map((pattern) => ({ ...pattern, name: pattern.name.replace('click-to-call', 'dialled on the phone') }));

// The test's own subtests append every part's logs to a failure, as labTest does for the whole test. The
// patterns share one service and one phone, so after a failure (which may leave a call behind) the rest are
// skipped rather than failed for the wrong reason.
function steps(t, lab) {
  let failed = null;
  return (name, fn) => {
    if (failed) return t.test(name, { skip: `after "${failed}" failed` }, () => {});
    return t.test(name, async () => {
      try {
        await fn();
      } catch (error) {
        failed = name;
        error.message = `${error.message}\n${lab.logs()}`;
        throw error;
      }
    });
  };
}

async function inboundCall(lab, centre, phone, mode, pattern) {
  const { service, console } = centre;
  const since = Date.now();
  const sdpBefore = receivedSdp(phone).length;
  const pbxSide = await lab.sipp({
    scenario: pattern.scenario,
    remote: `127.0.0.1:${service.sipPort}`,
    service: 'operator1',
    durationMs: talkMs,
  });
  const answered = await unlessSippFails(pbxSide, eventually(console.events, 'call:answered', () => true, 10000, since));
  const { id, sipCallId } = answered.payload;
  await unlessSippFails(pbxSide, phone.waitFor('CALL_ESTABLISHED'));
  assert.equal(await pbxSide.result(), 0, `the PBX's side of ${pattern.scenario}:\n${pbxSide.messages()}`);
  // Only once SIPp has exited is its message trace complete: it writes the file through a buffer.
  assert.ok(message(pbxSide, 'sent', /^INVITE /).includes(`\nCall-ID: ${sipCallId}\r\n`), `the console's call ${sipCallId} is the PBX's`);
  await phone.waitFor('CALL_CLOSED');
  const ended = await eventually(console.events, 'call:ended', (call) => call.id === id, 5000, since);
  assert.equal(ended.payload.endReason, 'completed');

  pattern.check(pbxSide);
  // The phone heard of the PBX's media (through rtpengine or as SIPp offered it) and can send audio there.
  const bodies = receivedSdp(phone).slice(sdpBefore);
  const last = bodies.at(-1);
  assertUsable(last, mode === 'rtpengine' ? mediaAddress : sippAddress, `the operator's phone (${pattern.scenario})`);
  if (mode !== 'rtpengine') {
    assert.deepEqual(last.ports, [pbxSide.mediaPort + (pattern.movesTo ?? 0)], 'the PBX\'s own port, where it moved last');
  } else if (pattern.movesTo) {
    // rtpengine keeps its own port for the phone; the move shows as a second INVITE telling it so.
    const invites = bodies.filter((body) => body.firstLine.startsWith('INVITE '));
    assert.ok(invites.length >= 2, `the phone was told of the move: ${JSON.stringify(bodies)}`);
  }
  // And the PBX's side was given somewhere to send its audio too.
  for (const body of sdpBodies(pbxSide, 'received')) assertUsable(body, mode === 'rtpengine' ? mediaAddress : '127.0.0.1', `the PBX's side (${pattern.scenario})`);

  const logged = await loggedCall(service, id);
  assert.equal(logged.direction, 'inbound');
  assert.equal(logged.endReason, 'completed');
}

async function clickToCall(lab, centre, phone, mode, pattern) {
  const { pbx, service, console } = centre;
  const since = Date.now();
  const sdpBefore = receivedSdp(phone).length;
  const customer = await lab.sipp({ scenario: pattern.scenario, durationMs: talkMs });
  await pbx.setPstn({ port: customer.port });
  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: customerNumber, autoAnswer: true });
  assert.equal(dial.status, 200, dial.text);
  const { id } = dial.body.call;
  await unlessSippFails(customer, phone.waitFor('CALL_ESTABLISHED'));
  await unlessSippFails(customer, eventually(console.events, 'call:answered', (call) => call.id === id, 10000, since));
  // The phone leaves the black hole once the customer's side sends SDP: wait for that re-INVITE's SDP.
  const usable = (body) => !body.connection.includes('IN IP4 0.0.0.0');
  const bodies = (
    await until(() => receivedSdp(phone).slice(sdpBefore), (seen) => seen.some(usable), 5000, 'the phone\'s re-INVITE with the customer\'s SDP')
  ).filter(usable);
  assertUsable(bodies.at(-1), mode === 'rtpengine' ? mediaAddress : sippAddress, `the operator's phone (${pattern.scenario})`);
  if (mode !== 'rtpengine') assert.deepEqual(bodies.at(-1).ports, [customer.mediaPort], 'the customer\'s own port');
  // The early media took the phone out of its black hole before the 200 did: a re-INVITE for each, so the
  // operator hears the ringback or announcement of the customer's side.
  await until(() => receivedSdp(phone).slice(sdpBefore).filter(usable), (seen) => seen.length >= 2, 5000, 'a re-INVITE for the early media and one for the answer');

  assert.equal((await service.api('POST', `/api/calls/hangup/${id}`)).status, 200);
  await phone.waitFor('CALL_CLOSED');
  await customerSideEnded(centre, customer, mode, pattern, id);
}

// After the operator hung up: the customer's side got its BYE and saw the exchange it demands, every SDP it
// was sent names somewhere to send audio, and the call is in the log.
async function customerSideEnded({ service }, customer, mode, pattern, id) {
  assert.equal(await customer.result(), 0, `the customer's side of ${pattern.scenario}:\n${customer.messages()}`);
  pattern.check(customer);
  for (const body of sdpBodies(customer, 'received')) assertUsable(body, mode === 'rtpengine' ? mediaAddress : '127.0.0.1', `the customer's side (${pattern.scenario})`);
  const logged = await loggedCall(service, id);
  assert.equal(logged.direction, 'outbound');
  assert.equal(logged.endReason, 'completed');
}

async function dialledOnPhone(lab, centre, phone, mode, pattern) {
  const { pbx, console } = centre;
  const since = Date.now();
  const sdpBefore = receivedSdp(phone).length;
  const customer = await lab.sipp({ scenario: pattern.scenario, durationMs: talkMs });
  await pbx.setPstn({ port: customer.port });
  await phone.dial(customerNumber);
  const created = await unlessSippFails(customer, eventually(console.events, 'call:new', () => true, 10000, since));
  const { id } = created.payload;
  await unlessSippFails(customer, phone.waitFor('CALL_ESTABLISHED'));
  await eventually(console.events, 'call:answered', (call) => call.id === id, 5000, since);
  const address = mode === 'rtpengine' ? mediaAddress : sippAddress;
  const bodies = receivedSdp(phone).slice(sdpBefore);
  // The early media came in a 183 the phone could play, then the 200 with the same media.
  const early = bodies.find((body) => /^SIP\/2\.0 183 /.test(body.firstLine));
  assertUsable(early, address, `the operator's phone's 183 (${pattern.scenario})`);
  const answer = bodies.find((body) => /^SIP\/2\.0 200 /.test(body.firstLine));
  assertUsable(answer, address, `the operator's phone's 200 (${pattern.scenario})`);
  if (mode !== 'rtpengine') assert.deepEqual(answer.ports, [customer.mediaPort], 'the customer\'s own port');

  await phone.hangup();
  await phone.waitFor('CALL_CLOSED');
  await customerSideEnded(centre, customer, mode, pattern, id);
}

// FF_LAB_PATTERNS=<regular expression> runs only the patterns whose scenario matches (when chasing one).
const chosen = (pattern) => new RegExp(process.env.FF_LAB_PATTERNS ?? '.').test(pattern.scenario);

// The two modes side by side; within a mode one call after another, on one service and one phone.
describe('offer/answer patterns', { concurrency: true }, () => {
  modes.forEach((mode, index) => {
    labTest(`${mode}: every offer/answer pattern connects the phone with usable media`, async (lab, t) => {
      const centre = await callCentre(lab, { env: environment(mode, index) });
      if (mode === 'rtpengine') {
        const health = await centre.service.api('GET', '/health');
        assert.equal(health.body.dependencies.media?.ok, true, JSON.stringify(health.body));
      }
      const phone = await operatorPhone(lab, centre, 0, { autoAnswer: true, sipTrace: true });
      const step = steps(t, lab);
      for (const pattern of inbound.filter(chosen)) await step(pattern.name, () => inboundCall(lab, centre, phone, mode, pattern));
      for (const pattern of outbound.filter(chosen)) await step(pattern.name, () => clickToCall(lab, centre, phone, mode, pattern));
      for (const pattern of fromPhone.filter(chosen)) await step(pattern.name, () => dialledOnPhone(lab, centre, phone, mode, pattern));
    }, { timeoutMs: 55000 });
  });
});
