// Lines of the SIP engine against the lab's PBX: the real pjsip-service registers the operators' accounts at
// Kamailio, refreshes them, recovers from a PBX restart by itself (the UDP outage: sip_pbx_outage), applies account changes live and
// un-registers on SIGTERM. Consoles watch with the official socket.io-client; /health must agree.
import assert from 'node:assert/strict';
import { delay, freePort, labTest, optionsRequest, probeOptions, statusOf, withTimeout } from './lib/lab.mjs';
import { eventually, healthBecomes, Service, startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
  { username: 'operator3', password: 'pass-three', extension: '1003', displayName: 'Operator Three' },
];
const contactsBecome = (pbx, extension, predicate, timeoutMs, what) =>
  until(() => pbx.contacts(extension), predicate, timeoutMs, `PBX location of ${extension} ${what}`);
const lineState = (extension, registered) => (line) => line.extension === extension && line.registered === registered;

// Seconds left on the registration of `extension` at the PBX (usrloc's Expires), or null.
async function registrationExpiry(pbx, extension) {
  try {
    const match = /Expires:\s*(\d+)/.exec(await pbx.rpc('ul.lookup', 'location', extension));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

labTest('every line registers at start-up: /health, the console snapshot and the PBX agree', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 2) });
  const health = await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  assert.equal(health.connected, true);

  const { snapshot } = await service.console();
  assert.equal(snapshot.sip.connected, true);
  assert.equal(snapshot.sip.registeredUsers, 2);
  assert.deepEqual(
    snapshot.sip.lines.map((line) => [line.extension, line.username, line.displayName, line.registered]),
    [
      ['1001', 'operator1', 'Operator One', true],
      ['1002', 'operator2', 'Operator Two', true],
    ],
  );
  for (const line of snapshot.sip.lines) assert.equal(line.detail, `registered at 127.0.0.1:${pbx.port} over UDP`);
  assert.deepEqual(await pbx.contacts('1001'), [`sip:operator1@127.0.0.1:${service.sipPort}`]);
  assert.deepEqual(await pbx.contacts('1002'), [`sip:operator2@127.0.0.1:${service.sipPort}`]);
  assert.deepEqual(await pbx.contacts('1003'), []);
  // The registered contact works: the stack answers OPTIONS, also when the PBX routes it to a line.
  assert.equal(await probeOptions('127.0.0.1', service.sipPort), 200);
  assert.equal(await statusOf(pbx.host, pbx.port, optionsRequest(pbx.host, pbx.port, { user: '1002' })), 200);

  // Click-to-call needs the operator's phone first: without one the API says so, at once.
  const dial = await service.api('POST', '/api/calls/dial', { from: '1001', to: '+79991234567' });
  assert.equal(dial.status, 503, dial.text);
  assert.match(dial.body.error, /the phone of extension 1001 is not registered to the service/);
});

labTest('lines come up by themselves when the PBX starts after the service, and tell the console', async (lab) => {
  const pbxPort = await freePort();
  const service = await startService(lab, { pbxPort, lines: users.slice(0, 2) });
  const { events, snapshot } = await service.console();
  assert.equal(snapshot.sip.connected, false);
  for (const line of snapshot.sip.lines) {
    assert.equal(line.registered, false);
    assert.equal(line.detail, `503 PBX unreachable at 127.0.0.1:${pbxPort} over UDP`);
  }

  const pbx = await lab.kamailio({ users, port: pbxPort });
  const ready = Date.now();
  // The lines are in backoff (1 s, 2 s, 4 s ...) since the service started: the next retry gets through.
  const connected = await eventually(events, 'sip:connected', () => true, 10000, ready);
  assert.equal(connected.payload.connected, true);
  for (const extension of ['1001', '1002']) await eventually(events, 'line:state', lineState(extension, true), 5000, ready);
  const health = await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  assert.equal(health.connected, true);
  assert.equal((await pbx.contacts('1002')).length, 1);
});

labTest('a registration is refreshed before it expires', async (lab, t) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 1), expires: 30 });
  await healthBecomes(service, (h) => h.registeredUsers === 1, 5000, 'one registered user');
  const registeredAt = Date.now();
  let lowest = await registrationExpiry(pbx, '1001');
  assert.ok(lowest > 20 && lowest <= 30, `first registration runs for 30 s at the PBX, has ${lowest}`);
  // The stack refreshes between a quarter and three quarters of the way (30 s: after 8 to 23 s).
  for (;;) {
    const left = await registrationExpiry(pbx, '1001');
    if (left !== null && left > lowest + 2) break;
    if (left !== null) lowest = Math.min(lowest, left);
    assert.ok(Date.now() - registeredAt < 28000, `no refresh before expiry (${left} s left)`);
    await delay(250);
  }
  const refreshedAfter = (Date.now() - registeredAt) / 1000;
  assert.ok(refreshedAfter >= 6, `refreshed after ${refreshedAfter} s: too early`);
  t.diagnostic(`30 s registration refreshed after ${refreshedAfter} s`);
  const health = await service.health();
  assert.equal(health.registeredUsers, 1);
  assert.equal((await pbx.contacts('1001')).length, 1);
}, { timeoutMs: 90000 });

labTest('PBX restart over TCP: the closed connection is noticed at once and the lines come back', async (lab) => {
  let pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 2), transport: 'TCP', expires: 300 });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  assert.deepEqual(await pbx.contacts('1001'), [`sip:operator1@127.0.0.1:${service.sipPort};transport=tcp`]);
  const { events } = await service.console();

  const stopped = Date.now();
  await pbx.stop();
  await eventually(events, 'sip:disconnected', () => true, 5000, stopped);
  const failed = await eventually(events, 'line:state', lineState('1002', false), 1000, stopped);
  assert.match(failed.payload.detail, /over TCP$/);

  pbx = await lab.kamailio({ users, port: pbx.port });
  const back = Date.now();
  await eventually(events, 'sip:connected', () => true, 5000, back);
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  assert.equal((await pbx.contacts('1002')).length, 1);
});

labTest('a wrong password fails that line with 403 (no retry storm); the fixed password registers it live', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const wrong = { ...users[1], password: 'not-the-password' };
  const service = await startService(lab, { pbx, lines: [users[0], wrong] });
  await healthBecomes(service, (h) => h.registeredUsers === 1 && h.connected, 5000, 'one registered user');
  const started = Date.now();
  const { snapshot, events } = await service.console();
  const [first, second] = snapshot.sip.lines;
  assert.equal(first.registered, true);
  assert.equal(second.registered, false);
  assert.equal(second.detail, '403 Forbidden: wrong password?');

  // Retries back off (1 s, 2 s ...): a few attempts in 3.5 s, each answering one challenge, never a loop.
  await delay(3500);
  const refusals = (pbx.log().match(/REGISTER for operator2 with a wrong password/g) ?? []).length;
  assert.ok(refusals >= 2 && refusals <= 4, `${refusals} refused REGISTERs in ${(Date.now() - started) / 1000} s`);
  assert.deepEqual(await pbx.contacts('1002'), []);

  // Marked before the request: the line may register again before the API has answered it.
  const changed = Date.now();
  const fixed = await service.api('PUT', '/api/settings/users/1002', { password: users[1].password });
  assert.equal(fixed.status, 200, fixed.text);
  const up = await eventually(events, 'line:state', lineState('1002', true), 5000, changed);
  assert.equal(up.payload.detail, `registered at 127.0.0.1:${pbx.port} over UDP`);
  await healthBecomes(service, (h) => h.registeredUsers === 2, 1000, 'two registered users');
  assert.equal((await pbx.contacts('1002')).length, 1);
});

labTest('accounts added and deleted through the API register and un-register live', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 1) });
  await healthBecomes(service, (h) => h.registeredUsers === 1, 5000, 'one registered user');
  const { events } = await service.console();

  const { username, password, extension, displayName } = users[2];
  const added = await service.api('POST', '/api/settings/users', { extension, username, password, displayName });
  assert.equal(added.status, 201, added.text);
  const up = await eventually(events, 'line:state', lineState('1003', true), 5000);
  assert.equal(up.payload.displayName, 'Operator Three');
  await healthBecomes(service, (h) => h.registeredUsers === 2, 1000, 'two registered users');
  assert.deepEqual(await pbx.contacts('1003'), [`sip:operator3@127.0.0.1:${service.sipPort}`]);

  const deleted = await service.api('DELETE', '/api/settings/users/1003');
  assert.equal(deleted.status, 200, deleted.text);
  const removed = await eventually(events, 'line:state', (line) => line.extension === '1003' && line.detail === 'removed', 5000);
  assert.equal(removed.payload.registered, false);
  await contactsBecome(pbx, '1003', (contacts) => contacts.length === 0, 5000, 'empty');
  const health = await service.health();
  assert.equal(health.registeredUsers, 1);
  assert.equal(health.connected, true);
  assert.equal((await pbx.contacts('1001')).length, 1, 'the other line is untouched');
});

labTest('a new PBX transport in the settings re-registers every line over it, without a restart', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 2) });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  const { events } = await service.console();

  const changed = Date.now(); // before the request: the lines may re-register before the API has answered
  const saved = await service.api('PUT', '/api/settings/pbx', { server: '127.0.0.1', port: pbx.port, transport: 'TCP' });
  assert.equal(saved.status, 200, saved.text);
  for (const extension of ['1001', '1002']) {
    await eventually(events, 'line:state', (line) => lineState(extension, true)(line) && /over TCP$/.test(line.detail), 5000, changed);
    await contactsBecome(pbx, extension, (contacts) => contacts.length === 1 && contacts[0].endsWith(';transport=tcp'), 5000, 'with one TCP contact');
  }
  assert.equal((await service.health()).registeredUsers, 2);
});

labTest('SIGTERM un-registers every line and exits cleanly', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 2) });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  const started = Date.now();
  await service.stop(); // throws unless the exit code is 0
  const took = Date.now() - started;
  assert.deepEqual(await pbx.contacts('1001'), []);
  assert.deepEqual(await pbx.contacts('1002'), []);
  assert.ok(took < 5000, `stopping took ${took} ms`);
});

labTest('a SIP port already taken stops the start-up with a message naming SIP_LISTEN', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const holder = await startService(lab, { pbx, lines: users.slice(0, 1) });
  const second = lab.track('second pjsip-service', new Service({ pbx, lines: users.slice(0, 1), sipPort: holder.sipPort }));
  const child = await second.launch();
  const { code } = await withTimeout(child.exited, 10000, 'the second service to give up');
  second.process = null;
  assert.equal(code, 1, child.output());
  assert.match(child.output(), /cannot listen for SIP on sip:127\.0\.0\.1:\d+ \(SIP_LISTEN\)/);
});
