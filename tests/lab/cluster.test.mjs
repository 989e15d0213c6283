// Two instances of the service sharing one PostgreSQL and one Redis (cluster mode, REDIS_URL), both
// registering the same operator lines at Kamailio: the PBX forks every inbound INVITE to both. Operator 1's
// phone registers to instance one, operator 2's to instance two. Each test proves what the phones and the
// customer see (baresip), what the CRM sees on each instance (socket.io-client supervisors, the REST API)
// and what the shared call log keeps, also when an instance is killed or Redis goes away.
import assert from 'node:assert/strict';
import { labTest } from './lib/lab.mjs';
import { eventually, healthBecomes, until } from './lib/service.mjs';
import {
  activeIds,
  answeredAtOne,
  cluster,
  customerNumber,
  customerPhone,
  holdsFor,
  loggedOnce,
  logRows,
  operatorScreen,
  secondCustomerNumber,
  sinceMark,
} from './lib/cluster.mjs';

labTest('cluster: a call at instance one is seen, listed and controlled from instance two, and logged once; tokens are shared', async (lab) => {
  const centre = await cluster(lab);
  const [one, two] = centre.instances;
  const [console1, console2] = centre.consoles;
  const [phone] = centre.phones;
  const customer = await customerPhone(lab);

  // The CRM holds one token for every instance: one made on instance one is taken up by instance two.
  const token = await one.api('POST', '/api/tokens', { name: 'crm', role: 'supervisor' });
  assert.equal(token.status, 201, token.text);
  await until(
    async () => (await fetch(`${two.baseUrl}/api/me`, { headers: { Authorization: `Bearer ${token.body.token}` } })).status,
    (status) => status === 200,
    5000,
    'the token made on instance one accepted by instance two',
  );

  // Operators' screens on instance two: 1001's gets the call of its extension held at instance one, 1002's not.
  const screen1001 = await operatorScreen(lab, two, '1001');
  const screen1002 = await operatorScreen(lab, two, '1002');

  await customer.dial(`sip:1001@127.0.0.1:${centre.pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const created = await eventually(console2.events, 'call:new', (call) => call.extension === '1001', 5000);
  const { id } = created.payload;
  assert.equal(created.payload.direction, 'inbound');
  assert.equal(created.payload.from, customerNumber);
  await eventually(console1.events, 'call:new', (call) => call.id === id, 5000);
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await eventually(console2.events, 'call:answered', (call) => call.id === id && call.status === 'answered', 5000);
  for (const service of centre.instances) await until(() => activeIds(service), (ids) => ids.length === 1 && ids[0] === id, 3000, `the call listed on ${service.baseUrl}`);
  await eventually(screen1001.events, 'call:answered', (call) => call.id === id, 5000);
  assert.deepEqual(await activeIds(two, screen1001.token), [id], 'operator 1001 lists its call at instance two');
  assert.deepEqual(await activeIds(two, screen1002.token), [], 'operator 1002 does not');
  const late = await two.console(); // a client (re)connecting to instance two gets the call in its snapshot
  assert.deepEqual(late.snapshot.calls.map((call) => call.id), [id], `snapshot: ${JSON.stringify(late.snapshot)}`);

  // Hold, unhold and hangup sent to ff-2 reach ff-1, which re-INVITEs both legs and answers with the call.
  const phoneMark = phone.mark();
  const customerMark = customer.mark();
  const hold = await two.api('POST', `/api/calls/hold/${id}`);
  assert.equal(hold.status, 200, hold.text);
  assert.equal(hold.body.call.id, id);
  assert.equal(hold.body.call.status, 'held');
  await until(async () => [sinceMark(phone, phoneMark, 'CALL_REMOTE_SDP').length, sinceMark(customer, customerMark, 'CALL_REMOTE_SDP').length],
    ([a, b]) => a > 0 && b > 0, 5000, 'a re-INVITE on both legs after the hold');
  await eventually(console2.events, 'call:held', (call) => call.id === id, 5000);
  await eventually(console1.events, 'call:held', (call) => call.id === id, 5000);

  const unholdMark = phone.mark();
  const unhold = await two.api('POST', `/api/calls/unhold/${id}`);
  assert.equal(unhold.status, 200, unhold.text);
  assert.equal(unhold.body.call.status, 'answered');
  await until(async () => sinceMark(phone, unholdMark, 'CALL_REMOTE_SDP').length, (count) => count > 0, 5000, 'a re-INVITE to the phone after the unhold');
  await eventually(console2.events, 'call:unheld', (call) => call.id === id, 5000);

  const hangup = await two.api('POST', `/api/calls/hangup/${id}`);
  assert.equal(hangup.status, 200, hangup.text);
  assert.equal(hangup.body.call.id, id);
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  const ended = await eventually(console2.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  for (const service of centre.instances) await until(() => activeIds(service), (ids) => ids.length === 0, 3000, `no call listed on ${service.baseUrl}`);

  // ff-2 answered its branch of the fork with 480 and made no call of its own: one call everywhere.
  for (const { events } of centre.consoles) {
    const ids = new Set(events.filter((event) => event.name === 'call:new').map((event) => event.payload.id));
    assert.deepEqual([...ids], [id], 'one call:new, for the call at ff-1');
  }
  await eventually(screen1001.events, 'call:ended', (call) => call.id === id, 5000);
  assert.deepEqual(screen1002.events.filter((event) => event.name.startsWith('call:')), [], 'operator 1002 saw none of 1001\'s call');
  for (const service of centre.instances) {
    const row = await loggedOnce(service, id, (call) => call.status === 'ended', `call ${id} ended in the log of ${service.baseUrl}`);
    assert.equal(row.endReason, 'completed');
    assert.equal((await logRows(service, id)).total, 1, 'no other call was logged');
  }

  // A PBX user saved on instance one's settings page is applied by instance two too (told through Redis).
  const saved = await one.api('PUT', '/api/settings/users/1002', { displayName: 'Оператор Два' });
  assert.equal(saved.status, 200, saved.text);
  await until(
    async () => (await two.api('GET', '/api/settings/users')).body?.users?.find((user) => user.extension === '1002')?.displayName,
    (name) => name === 'Оператор Два',
    5000,
    'the display name saved at instance one shown by instance two',
  );
}, { timeoutMs: 120000 });

labTest('cluster: click-to-call on instance one for operator 2 rings operator 2\'s phone at instance two', async (lab) => {
  const customer = await customerPhone(lab, customerNumber, { autoAnswer: true });
  const centre = await cluster(lab, { pstn: { port: customer.sipPort } });
  const [one] = centre.instances;
  const [console1, console2] = centre.consoles;
  const [first, second] = centre.phones;

  const dial = await one.api('POST', '/api/calls/dial', { from: '1002', to: customerNumber, autoAnswer: false });
  assert.equal(dial.status, 200, dial.text);
  const { id } = dial.body.call;
  assert.equal(dial.body.call.extension, '1002');
  assert.equal(dial.body.call.to, customerNumber);
  await second.waitFor('CALL_INCOMING');
  await eventually(console2.events, 'call:new', (call) => call.id === id, 5000);
  await second.answer();
  await Promise.all([second.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await eventually(console1.events, 'call:answered', (call) => call.id === id, 5000);
  assert.equal(first.events.filter((event) => event.type === 'CALL_INCOMING').length, 0, 'operator 1\'s phone was left alone');

  const hangup = await one.api('POST', `/api/calls/hangup/${id}`);
  assert.equal(hangup.status, 200, hangup.text);
  await Promise.all([second.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  const ended = await eventually(console1.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  await loggedOnce(one, id, (call) => call.status === 'ended', `call ${id} in the log`);
}, { timeoutMs: 120000 });

labTest('cluster: an instance killed during an answered call: the other ends it as failed within 5 s', async (lab) => {
  const centre = await cluster(lab);
  const [one, two] = centre.instances;
  const [, console2] = centre.consoles;
  const customer = await customerPhone(lab);
  const id = await answeredAtOne(centre, customer);
  await eventually(console2.events, 'call:answered', (call) => call.id === id, 5000);
  await until(() => activeIds(two), (ids) => ids.length === 1 && ids[0] === id, 3000, 'the call listed on instance two');

  const killedAt = Date.now();
  await one.kill();
  const ended = await eventually(console2.events, 'call:ended', (call) => call.id === id, 5000, killedAt);
  assert.ok(ended.at - killedAt <= 5000, `call:ended ${ended.at - killedAt} ms after the kill`);
  assert.equal(ended.payload.endReason, 'failed');
  assert.ok(ended.payload.endTime, `endTime set: ${JSON.stringify(ended.payload)}`);
  assert.deepEqual(await activeIds(two), [], 'instance two lists the call no more');
  const row = await loggedOnce(two, id, (call) => call.status === 'ended', `call ${id} ended in the log`);
  assert.equal(row.endReason, 'failed');
}, { timeoutMs: 120000 });

labTest('cluster: a control request to an owner that does not answer gets 504 after 5 s', async (lab) => {
  const centre = await cluster(lab);
  const [one, two] = centre.instances;
  const customer = await customerPhone(lab);
  const id = await answeredAtOne(centre, customer);
  await until(() => activeIds(two), (ids) => ids.includes(id), 3000, 'the call listed on instance two');

  // Instance one hangs (SIGSTOP): its Redis connection stays open, nothing answers on it.
  const group = -one.process.child.pid;
  process.kill(group, 'SIGSTOP');
  lab.track('SIGCONT for instance one', { stop: async () => process.kill(group, 'SIGCONT'), log: () => '' });
  const sentAt = Date.now();
  const hold = await two.api('POST', `/api/calls/hold/${id}`);
  const waited = Date.now() - sentAt;
  process.kill(group, 'SIGCONT');
  assert.equal(hold.status, 504, hold.text);
  assert.equal(hold.body.success, false);
  assert.ok(hold.body.error && hold.body.code, `a JSON error: ${hold.text}`);
  assert.ok(waited >= 4500 && waited <= 7000, `answered after ${waited} ms`);
  // Resumed, instance one finds the request that waited out its time and drops it: the operator was told 504,
  // so the call must not be held behind the operator's back.
  await until(async () => one.log(), (log) => /dropped a hold request for call/.test(log), 5000, 'the late hold dropped by instance one');
  assert.equal(centre.consoles[0].events.some((event) => event.name === 'call:held'), false, 'the call was never held');
  // The scenario ends with the call: the lab stops the phones before the services, and a BYE still on its
  // way to a phone that is gone would hold instance one's shutdown for the transaction's whole timeout.
  const hangupAt = Date.now();
  await customer.hangup();
  await centre.phones[0].waitFor('CALL_CLOSED');
  await eventually(centre.consoles[0].events, 'call:ended', (call) => call.id === id, 10000, hangupAt);
}, { timeoutMs: 120000 });

labTest('cluster: Redis away during calls: degraded, local calls go on, remote control 503; Redis back: all shared again, nothing reaped', async (lab) => {
  const centre = await cluster(lab);
  const { redis, instances, consoles } = centre;
  const [one, two] = instances;
  const [console1, console2] = consoles;
  const firstCustomer = await customerPhone(lab);
  const secondCustomer = await customerPhone(lab, secondCustomerNumber, { audio: { frequency: 900 } });
  const a = await answeredAtOne(centre, firstCustomer, '1001', 0);
  const b = await answeredAtOne(centre, secondCustomer, '1002', 1);
  for (const service of instances) {
    await until(() => activeIds(service), (ids) => ids.length === 2, 5000, `both calls listed on ${service.baseUrl}`);
  }

  const killedAt = Date.now();
  await redis.kill();
  for (const service of instances) {
    const health = await healthBecomes(service, (h) => h.status === 'degraded' && h.dependencies?.redis?.ok === false, 10000, 'Redis away');
    assert.ok(health.degraded.some((reason) => /redis/i.test(reason)), `a reason names Redis: ${JSON.stringify(health)}`);
    assert.ok(health.dependencies.redis.detail, 'the Redis state has a detail');
  }
  assert.deepEqual(await activeIds(one), [a], 'instance one lists its own call only');
  assert.deepEqual(await activeIds(two), [b], 'instance two lists its own call only');

  // Each instance still controls its own call and its own clients still hear about it.
  const hold = await one.api('POST', `/api/calls/hold/${a}`);
  assert.equal(hold.status, 200, hold.text);
  await eventually(console1.events, 'call:held', (call) => call.id === a, 5000, killedAt);
  const unhold = await one.api('POST', `/api/calls/unhold/${a}`);
  assert.equal(unhold.status, 200, unhold.text);
  await eventually(console1.events, 'call:unheld', (call) => call.id === a, 5000, killedAt);
  const remote = await one.api('POST', `/api/calls/hold/${b}`);
  assert.equal(remote.status, 503, `control of a call at the other instance without Redis: ${remote.text}`);

  const backAt = Date.now();
  await redis.start(); // empty: the instances publish everything again
  for (const service of instances) {
    await healthBecomes(service, (h) => h.status === 'ok' && h.dependencies?.redis?.ok === true, 10000, 'Redis back');
  }
  for (const service of instances) {
    await until(() => activeIds(service), (ids) => ids.length === 2 && ids[0] === a && ids[1] === b, 10000, `both calls, oldest first, on ${service.baseUrl}`);
  }
  const held = await one.api('POST', `/api/calls/hold/${b}`);
  assert.equal(held.status, 200, held.text);
  assert.equal(held.body.call.status, 'held');
  await eventually(console1.events, 'call:held', (call) => call.id === b, 5000, backAt);
  const resumed = await two.api('POST', `/api/calls/unhold/${b}`);
  assert.equal(resumed.status, 200, resumed.text);

  // A heartbeat lapses after 3 s and a dead instance's calls go within 5 s: watch that long past the restart.
  await holdsFor(async () => ((await activeIds(one)).length === 2 && (await activeIds(two)).length === 2), backAt + 6000, 'both calls listed on both instances');
  for (const { events } of consoles) {
    const ended = events.filter((event) => event.name === 'call:ended' && event.at >= killedAt);
    assert.deepEqual(ended, [], 'no call was reaped');
  }

  const hangups = [await two.api('POST', `/api/calls/hangup/${a}`), await one.api('POST', `/api/calls/hangup/${b}`)];
  for (const hangup of hangups) assert.equal(hangup.status, 200, hangup.text);
  await Promise.all([firstCustomer.waitFor('CALL_CLOSED'), secondCustomer.waitFor('CALL_CLOSED')]);
  for (const id of [a, b]) {
    const row = await loggedOnce(one, id, (call) => call.status === 'ended', `call ${id} ended in the log`);
    assert.equal(row.endReason, 'completed');
  }
  assert.equal((await logRows(two, a)).total, 2, 'two calls in the shared log');
}, { timeoutMs: 120000 });

labTest('cluster: a call to an operator whose phone is registered nowhere is refused with 480 and logged missed once', async (lab) => {
  const centre = await cluster(lab, { withPhones: false });
  const customer = await customerPhone(lab);

  await customer.dial(`sip:1002@127.0.0.1:${centre.pbx.port}`);
  const refused = await customer.waitFor('CALL_CLOSED');
  assert.match(refused.param, /480/);
  const missed = await eventually(centre.consoles[1].events, 'call:ended', (call) => call.extension === '1002', 5000);
  assert.equal(missed.payload.endReason, 'missed');
  const row = await loggedOnce(centre.instances[1], missed.payload.id, (call) => call.status === 'ended', 'the missed call in the log');
  assert.equal(row.endReason, 'missed');
  assert.equal((await logRows(centre.instances[0], missed.payload.id)).total, 1, 'one row for both instances\' 480s');
  for (const { events } of centre.consoles) {
    const ids = new Set(events.filter((event) => event.name === 'call:new').map((event) => event.payload.id));
    assert.deepEqual([...ids], [missed.payload.id], 'one call:new, from the instance with the smallest id');
  }
}, { timeoutMs: 120000 });

labTest('cluster: PostgreSQL away when an instance dies: the failed end of its call is kept and written once the database is back', async (lab) => {
  const centre = await cluster(lab);
  const { database, instances, consoles } = centre;
  const customer = await customerPhone(lab);
  const id = await answeredAtOne(centre, customer);
  const row = () => database.query(`SELECT status, end_reason FROM calls WHERE id = '${id}'`);
  await until(row, (rows) => rows[0]?.[0] === 'answered', 5000, 'the answered call in PostgreSQL');

  await database.stop();
  await instances[0].kill();
  const ended = await eventually(consoles[1].events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.endReason, 'failed');
  await database.start();
  const [[status, endReason]] = await until(row, (rows) => rows[0]?.[0] === 'ended', 20000, 'the failed end in PostgreSQL');
  assert.equal(status, 'ended');
  assert.equal(endReason, 'failed');
}, { timeoutMs: 120000 });
