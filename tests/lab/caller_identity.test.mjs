// Who is calling, as the PBX says it: behind a PBX that puts its trunk's number in From, the customer's number
// comes from P-Asserted-Identity, or from Remote-Party-ID (CALLER_ID_ORDER, default pai,rpid,from); the call,
// the popup's customer lookup and the log carry that number. SIPp callers through Kamailio.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { callCentre } from './lib/call_centre.mjs';
import { eventually } from './lib/service.mjs';

// A caller whose From is the trunk's number 100, with the identity headers given; resolves with its call's
// call:new, told from the others' by the SIP Call-ID the PBX passed on (no phone is registered: the call is
// created, then refused with 480, which ends SIPp's scenario early).
async function callWith(lab, { pbx, console: stream }, headers) {
  const sipp = await lab.sipp({ scenario: 'uac_invite', remote: `127.0.0.1:${pbx.port}`, service: '1001', caller: '100', headers, durationMs: 500 });
  await sipp.result();
  const callId = sipp.messages().match(/^Call-ID: *(\S+)/m)?.[1];
  assert.ok(callId, sipp.messages());
  const created = await eventually(stream.events, 'call:new', (call) => call.sipCallId === callId, 5000);
  return created.payload;
}

labTest('the customer\'s number comes from P-Asserted-Identity, else Remote-Party-ID, else From', async (lab) => {
  const centre = await callCentre(lab);
  const asserted = await callWith(lab, centre, [
    'P-Asserted-Identity: "Иван" <sip:+79991234567@pbx.lab>',
    'Remote-Party-ID: <sip:+79997654321@pbx.lab>;party=calling;screen=yes',
  ]);
  assert.equal(asserted.from, '+79991234567');
  const party = await callWith(lab, centre, ['Remote-Party-ID: "Пётр" <sip:+79997654321@pbx.lab>;party=calling;screen=yes']);
  assert.equal(party.from, '+79997654321');
  const plain = await callWith(lab, centre, []);
  assert.equal(plain.from, '100');
});

labTest('CALLER_ID_ORDER=from reads From even when the PBX asserts another identity', async (lab) => {
  const centre = await callCentre(lab, { env: { CALLER_ID_ORDER: 'from' } });
  const call = await callWith(lab, centre, ['P-Asserted-Identity: <sip:+79991234567@pbx.lab>']);
  assert.equal(call.from, '100');
});
