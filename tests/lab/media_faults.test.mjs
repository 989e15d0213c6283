// The media plane when an rtpengine fails: with two in RTPENGINE_URL and one stopped, new calls are anchored
// by the other; when the service's own rtpengine dies during a call, it is started again and logged, the call
// keeps its signalling and ends cleanly, and the next call is anchored again. Real rtpengines, Kamailio and
// baresip phones.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { delay, labTest } from './lib/lab.mjs';
import { assertHeard, callCentre, customerPhone, operatorPhone, receivedSdp, talkedThrough } from './lib/call_centre.mjs';
import { startRtpengine } from './lib/rtpengine.mjs';
import { eventually } from './lib/service.mjs';

const talk = (centre, phone, customer) => talkedThrough(centre, phone, customer, { talkMs: 1500 });

// The addresses in the SDP the phone received last (the newest call's INVITE or re-INVITE).
function lastSdpAddresses(phone) {
  const bodies = receivedSdp(phone);
  assert.ok(bodies.length > 0, `the phone received no SDP:\n${phone.log().slice(-2000)}`);
  return [...new Set(bodies.at(-1).connection)];
}

labTest('two rtpengines, the first stopped: a new call is anchored by the second, with audio both ways', async (lab) => {
  const first = await startRtpengine(lab, { address: '127.0.0.11', portMin: 16600, portMax: 16699 });
  const second = await startRtpengine(lab, { address: '127.0.0.12', portMin: 16700, portMax: 16799 });
  const centre = await callCentre(lab, { env: { MEDIA: 'rtpengine', RTPENGINE_URL: `${first.url},${second.url}` } });
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, sipTrace: true });
  const customer = await customerPhone(lab);

  await first.process.stop();
  await talk(centre, phone, customer);
  assert.deepEqual(lastSdpAddresses(phone), ['IN IP4 127.0.0.12'], 'the call went through the rtpengine still up');
  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
  assert.match(second.log(), /Received command 'offer'/);
}, { timeoutMs: 60000 });

labTest('the service\'s own rtpengine dies during a call: restarted and logged, the call ends cleanly, the next is anchored again', async (lab) => {
  const centre = await callCentre(lab, { env: { MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.13', RTP_PORT_MIN: '16800', RTP_PORT_MAX: '16899' } });
  const { service, pbx, console: stream } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 }, sipTrace: true });
  const customer = await customerPhone(lab);

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const created = await eventually(stream.events, 'call:new', () => true, 5000);
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  // rtpengine is the service's child, in its process group; SIGKILL, as the OOM killer would.
  const pid = Number(/rtpengine started \(pid (\d+)\)/.exec(service.log())?.[1]);
  assert.ok(pid > 0, `the service logs its rtpengine's pid:\n${service.log().slice(-2000)}`);
  execFileSync('kill', ['-KILL', String(pid)]);
  const deadline = Date.now() + 10000;
  while (!/rtpengine restarted \(pid \d+, restart 1\)/.test(service.log())) {
    assert.ok(Date.now() < deadline, `rtpengine restarted within 10 s:\n${service.log().slice(-3000)}`);
    await delay(50);
  }
  assert.match(service.log(), new RegExp(`rtpengine \\(pid ${pid}\\) .*restarting it`));
  // The call's signalling is the service's: hanging up still reaches both sides and ends the call.
  await customer.hangup();
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  const ended = await eventually(stream.events, 'call:ended', (call) => call.id === created.payload.id, 10000);
  assert.equal(ended.payload.endReason, 'completed', JSON.stringify(ended.payload));

  await talk(centre, phone, customer);
  assert.deepEqual(lastSdpAddresses(phone), ['IN IP4 127.0.0.13'], 'the next call is anchored by the restarted rtpengine');
  assertHeard(phone, 700, 440);
  assertHeard(customer, 440, 700);
}, { timeoutMs: 60000 });
