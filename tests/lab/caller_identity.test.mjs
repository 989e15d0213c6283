// Who is calling, as the PBX says it: behind a PBX that puts its trunk's number in From, the customer's number
// comes from P-Asserted-Identity, or from Remote-Party-ID (CALLER_ID_ORDER, default pai,rpid,from); the call,
// the popup's customer lookup and the log carry that number. SIPp callers through Kamailio.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { callCentre, callWithHeaders as callWith } from './lib/call_centre.mjs';

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
