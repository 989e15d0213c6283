// Operators' states with two instances sharing one PostgreSQL and one Redis (cluster mode): a pause chosen at
// either instance holds at both (each refuses the operator's calls, BUSY_WHEN), each board counts the phones
// registered at the other instance and the calls the other one carries, and the shared database counts each
// stretch of a state once.
import assert from 'node:assert/strict';
import { delay, labTest } from './lib/lab.mjs';
import { eventually, until } from './lib/service.mjs';
import { cluster, customerPhone } from './lib/cluster.mjs';

const stateAt = async (service, extension) =>
  (await service.api('GET', '/api/operators')).body.operators.find((operator) => operator.extension === extension)?.state;

labTest('cluster: a pause chosen at instance two holds at instance one, whose line refuses the call with 486; a call at one puts the operator on a call at two', async (lab) => {
  const centre = await cluster(lab);
  const [one, two] = centre.instances;
  const [console1, console2] = centre.consoles;
  const [phone] = centre.phones;
  const customer = await customerPhone(lab);

  // 1001's phone is at instance one, 1002's at two: on both boards both are available, not offline.
  for (const service of [one, two]) {
    for (const extension of ['1001', '1002'])
      await until(() => stateAt(service, extension), (state) => state === 'available', 5000, `${extension} available at ${service.baseUrl}`);
  }

  const reason = (await two.api('GET', '/api/operators')).body.pauseReasons[0];
  const pausedAt = Date.now();
  const paused = await two.api('POST', '/api/operators/1001/status', { status: 'paused', reason });
  assert.equal(paused.status, 200, paused.text);
  await eventually(console1.events, 'operator:state', (state) => state.extension === '1001' && state.state === 'paused' && state.reason === reason, 5000, pausedAt);
  assert.equal(await stateAt(one, '1001'), 'paused');
  await customer.dial(`sip:1001@127.0.0.1:${centre.pbx.port}`);
  const refused = await customer.waitFor('CALL_CLOSED');
  assert.match(refused.param ?? '', /486/, JSON.stringify(refused));
  assert.match(one.log(), /inbound call to 1001: the operator is busy \(BUSY_WHEN\); 486/);
  await delay(1500); // a stretch of paused time long enough to count in whole seconds

  // Available again, chosen at instance one: two hears of it; the call reaches the phone, and two shows
  // 1001 on a call while it lasts.
  const availableAt = Date.now();
  const back = await one.api('POST', '/api/operators/1001/status', { status: 'available' });
  assert.equal(back.status, 200, back.text);
  await eventually(console2.events, 'operator:state', (state) => state.extension === '1001' && state.state === 'available', 5000, availableAt);
  await customer.dial(`sip:1001@127.0.0.1:${centre.pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await until(() => stateAt(two, '1001'), (state) => state === 'oncall', 5000, '1001 on a call at instance two');
  await customer.hangup();
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  await until(() => stateAt(two, '1001'), (state) => state === 'available', 5000, '1001 available again at instance two');

  // The shared database has the pause once, not once per instance.
  const pausedSeconds = (availableAt - pausedAt) / 1000;
  const time = await until(async () => (await two.api('GET', '/api/calls/stats/1001')).body.stats?.timeInStates,
    (states) => states?.pausedByReason?.[reason] > 0, 5000, 'the pause in the statistics');
  assert.ok(time.pausedByReason[reason] <= pausedSeconds + 1, `paused ${JSON.stringify(time)} for ${pausedSeconds} s`);
});
