// An instance that hangs for longer than a heartbeat lives (a paused virtual machine) is taken for dead and
// its calls are ended as failed by the others; once it runs again it publishes its calls and lines again, as
// after a Redis reconnection, so the others list and control its calls and know where its phones are.
// The set-up is tests/lab/lib/cluster.mjs, as in tests/lab/cluster.test.mjs.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { eventually, until } from './lib/service.mjs';
import { cluster, telephonyLines, customerPhone, activeIds, answeredAtOne } from './lib/cluster.mjs';

labTest('cluster: an instance that hung longer than a heartbeat publishes its calls and lines again once it runs', async (lab) => {
  const centre = await cluster(lab);
  const [one, two] = centre.instances;
  const customer = await customerPhone(lab);
  const id = await answeredAtOne(centre, customer);
  await until(() => activeIds(two), (ids) => ids.includes(id), 3000, 'the call listed on instance two');

  const group = -one.process.child.pid;
  process.kill(group, 'SIGSTOP');
  lab.track('SIGCONT for instance one', { stop: async () => process.kill(group, 'SIGCONT'), log: () => '' });
  await eventually(centre.consoles[1].events, 'call:ended', (call) => call.id === id, 10000); // taken for dead
  process.kill(group, 'SIGCONT');

  await until(() => activeIds(one), (ids) => ids.includes(id), 3000, 'the call still up at instance one');
  await until(() => activeIds(two), (ids) => ids.includes(id), 5000, 'the call listed on instance two again');
  await until(
    async () => telephonyLines(await centre.redis.command('HGET', 'ff:telephony', 'ff-1')),
    (lines) => lines.some((line) => line.extension === '1001' && line.deviceRegistered),
    5000,
    "instance one's lines in ff:telephony again",
  );
  const hold = await two.api('POST', `/api/calls/hold/${id}`);
  assert.equal(hold.status, 200, hold.text);
  await customer.hangup();
}, { timeoutMs: 120000 });
