// NAT (MEDIA=rtpengine, MEDIA_PUBLIC_ADDRESS unset, STUN_SERVER set): the service learns its public address
// from a real STUN server (coturn) and every SDP rtpengine writes carries it instead of rtpengine's own
// address. On loopback there is no NAT: the address a STUN server sees is 127.0.0.1 while rtpengine listens on
// MEDIA_ADDRESS (127.0.0.20), which tells the two apart in the SDP; nothing carries RTP sent to 127.0.0.1 back
// to rtpengine here, so this test proves the addresses, and the anchoring tests prove the audio.
import assert from 'node:assert/strict';
import { freePort, labTest } from './lib/lab.mjs';
import { callCentre, customerPhone, operatorPhone, receivedSdp } from './lib/call_centre.mjs';
import { startStunServer } from './lib/stun_server.mjs';
import { eventually } from './lib/service.mjs';

const mediaAddress = '127.0.0.20';
const natEnv = { MEDIA: 'rtpengine', MEDIA_ADDRESS: mediaAddress, RTP_PORT_MIN: '16900', RTP_PORT_MAX: '16999' };

async function waitForLog(service, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(service.log())) {
    assert.ok(Date.now() < deadline, `the service's log says ${pattern}:\n${service.log().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The connection addresses of the SDP the operator's phone got for a call from the customer.
async function addressesThePhoneGot(centre, lab) {
  const phone = await operatorPhone(lab, centre, 0, { sipTrace: true, autoAnswer: false });
  const customer = await customerPhone(lab);
  await customer.dial(`sip:1001@127.0.0.1:${centre.pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await eventually(centre.console.events, 'call:new', () => true, 5000);
  await customer.hangup();
  return [...new Set(receivedSdp(phone).flatMap((body) => body.connection))];
}

labTest('STUN: the public address learned from STUN_SERVER is what the phones\' SDP carries', async (lab) => {
  const stun = await startStunServer(lab);
  const centre = await callCentre(lab, { env: { ...natEnv, STUN_SERVER: stun.address } });
  await waitForLog(centre.service, new RegExp(`public address 127\\.0\\.0\\.1 learned from the STUN server ${stun.address.replaceAll('.', '\\.')}`), 10000);
  assert.deepEqual(await addressesThePhoneGot(centre, lab), ['IN IP4 127.0.0.1']);
});

labTest('STUN: a STUN server that does not answer is logged, and the SDP carries rtpengine\'s own address', async (lab) => {
  const nothingThere = `127.0.0.1:${await freePort()}`;
  const centre = await callCentre(lab, { env: { ...natEnv, STUN_SERVER: nothingThere } });
  await waitForLog(centre.service, /STUN server .* did not answer/, 20000);
  assert.match(centre.service.log(), /SDP carries rtpengine's own address/);
  assert.deepEqual(await addressesThePhoneGot(centre, lab), [`IN IP4 ${mediaAddress}`]);
}, { timeoutMs: 60000 });
