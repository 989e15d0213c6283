// Past its limits the service refuses new calls at once with 503 and Retry-After (MAX_CONCURRENT_CALLS),
// and the calls it carries go on untouched. Kamailio is the PBX; the callers are SIPp, waiting in a queue
// whose only member has no phone, so that each call stays up without an operator.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { callCentre } from './lib/call_centre.mjs';
import { eventually } from './lib/service.mjs';

const member = { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' };
const queueLine = { username: 'queue-delivery', password: 'pass-queue', extension: '2000', displayName: 'Доставка' };

labTest('with MAX_CONCURRENT_CALLS=2 a third caller gets 503 with Retry-After at once; the two waiting stay up', async (lab) => {
  const centre = await callCentre(lab, { lines: [member, queueLine], env: { MAX_CONCURRENT_CALLS: '2' } });
  const { pbx, service, console: stream } = centre;
  const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'round-robin', members: [{ extension: '1001' }] });
  assert.equal(put.status, 200, put.text);
  const call = (index, scenario, durationMs) =>
    lab.sipp({ scenario, remote: `127.0.0.1:${pbx.port}`, service: '2000', caller: `+7999000000${index}`, durationMs });

  const waiting = [];
  for (const index of [1, 2]) {
    const since = Date.now();
    waiting.push(await call(index, 'uac_invite_cancel', 4000));
    await eventually(stream.events, 'call:new', (created) => created.from === `+7999000000${index}`, 5000, since);
  }
  // The third INVITE as the PBX sends it to the service (to the line's contact, from the PBX's address): a
  // proxy in between answers its caller 500 in place of a 503 (RFC 3261, 16.7), so SIPp plays the PBX here.
  const refusedAt = Date.now();
  const third = await lab.sipp({ scenario: 'uac_invite', remote: `127.0.0.1:${service.sipPort}`, service: queueLine.username,
    caller: '+79990000003', durationMs: 1000 });
  await third.result();
  const refusedMs = Date.now() - refusedAt;
  assert.match(third.messages(), /SIP\/2\.0 503 /, third.messages());
  assert.match(third.messages(), /^Retry-After: *\d+/m, 'the refusal says when to try again');
  assert.ok(refusedMs < 3000, `refused at once (${refusedMs} ms)`);
  assert.match(service.log(), /new calls refused with 503 .*MAX_CONCURRENT_CALLS/);
  // The two waiting callers were untouched: each gives up (CANCEL) after its 4 s as scripted.
  for (const sipp of waiting) assert.equal(await sipp.result(), 0, sipp.log());
  const active = await service.api('GET', '/api/calls/active');
  assert.ok(!active.body.calls.some((one) => one.from === '+79990000003'), 'the third never became a call');
}, { timeoutMs: 60000 });
