// BUSY_WHEN through the real SIP engine: a paused operator's line answers 486 Busy Here (so a PBX queue or
// hunt group moves on) and the operator's phone does not ring; available again, it rings; during the wrap-up
// after a call (WRAPUP_SECONDS) the line is busy too, until the wrap-up ends by itself.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { callCentre, customerPhone, operatorPhone } from './lib/call_centre.mjs';
import { eventually } from './lib/service.mjs';

labTest('a paused operator and one in wrap-up get 486 Busy Here; available again, the phone rings', async (lab) => {
  const centre = await callCentre(lab, { env: { WRAPUP_SECONDS: '2', PAUSE_REASONS: 'обед' } });
  const { service, pbx, console: stream } = centre;
  const phone = await operatorPhone(lab, centre, 0, { autoAnswer: true });
  const customer = await customerPhone(lab);
  const anna = await service.operatorToken('1001');

  const paused = await service.api('POST', '/api/operators/1001/status', { status: 'paused', reason: 'обед' }, anna);
  assert.equal(paused.status, 200, paused.text);
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const refused = await customer.waitFor('CALL_CLOSED');
  assert.match(refused.param ?? '', /486/, JSON.stringify(refused));
  assert.match(service.log(), /inbound call to 1001: the operator is busy \(BUSY_WHEN\); 486/);

  await service.api('POST', '/api/operators/1001/status', { status: 'available' }, anna);
  const since = Date.now();
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  const { payload: call } = await eventually(stream.events, 'call:answered', () => true, 5000, since);
  await customer.hangup();
  await customer.waitFor('CALL_CLOSED');
  await eventually(stream.events, 'call:ended', (ended) => ended.id === call.id, 5000);
  const wrapup = await eventually(stream.events, 'operator:state', (state) => state.extension === '1001' && state.state === 'wrapup', 5000, since);
  // Only what came after the wrap-up began: the "available" of the status set above may reach the console after
  // `since`, and would pass for the end of the wrap-up.
  const inWrapup = wrapup.at + 1;

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const busy = await customer.waitFor('CALL_CLOSED');
  assert.match(busy.param ?? '', /486/, JSON.stringify(busy));
  await eventually(stream.events, 'operator:state', (state) => state.extension === '1001' && state.state === 'available', 5000, inWrapup);
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await customer.hangup();
});
