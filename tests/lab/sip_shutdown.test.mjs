// SIGTERM with calls up: the calls are ended and logged, the lines un-registered (as far as the PBX still
// answers), and the process exits 0 within seconds: also when nobody answers the BYEs and the
// un-registrations any more (Sofia would wait ~30 s for those transactions), and when a second SIGTERM lands
// during the shutdown. SIPp plays the PBX calling the lines; baresip phones answer by themselves.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { delay, labTest, withTimeout } from './lib/lab.mjs';
import { eventually, healthBecomes, startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
const exitWithinMs = 8000;

// The service's own pid: the lab runs it under coreutils' timeout, whose only child it is.
function servicePid(service) {
  const wrapper = service.process.child.pid;
  return Number(readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, 'utf8').trim().split(/\s+/)[0]);
}

// One call per line up through the service: SIPp as the PBX calls each line, each operator's phone answers.
async function callsUp(lab) {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users });
  await healthBecomes(service, (health) => health.registeredUsers === 2, 10000, 'both lines registered');
  const console = await service.console();
  const phones = [];
  for (const user of users) {
    phones.push(await lab.phone({ username: user.username, password: user.password, registrar: `127.0.0.1:${service.sipPort}`, autoAnswer: true }));
    await eventually(console.events, 'line:state', (line) => line.extension === user.extension && line.deviceRegistered, 5000);
  }
  const callers = [];
  for (const [i, user] of users.entries()) {
    callers.push(await lab.sipp({ scenario: 'uac_invite', remote: `127.0.0.1:${service.sipPort}`, service: user.username, caller: `+7999000000${i + 1}`, durationMs: 120000, timeoutMs: 150000 }));
  }
  const active = await until(
    async () => (await service.api('GET', '/api/calls/active')).body.calls,
    (calls) => calls.length === 2 && calls.every((call) => call.status === 'answered'),
    10000,
    'both calls answered',
  );
  return { pbx, service, phones, callers, ids: active.map((call) => call.id).sort() };
}

// Stops (SIGSTOP) or resumes (SIGCONT) a lab part and every process of its group.
function signalGroup(part, signal) {
  process.kill(-part.process.child.pid, signal);
}

// SIGTERM to the service itself, again after each of `againAfterMs`; resolves with the exit and how long it
// took. The service's directory (its call log) stays for the caller to read.
async function terminate(service, againAfterMs = []) {
  const pid = servicePid(service);
  const started = Date.now();
  process.kill(pid, 'SIGTERM');
  for (const after of againAfterMs) {
    await delay(after);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const { code, signal } = await withTimeout(service.process.exited, 40000, 'the service to exit');
  const output = service.process.output();
  service.process = null; // exited: the lab's clean-up only removes its directory
  return { code, signal, took: Date.now() - started, output };
}

// The call log the stopped service left, read by a fresh service on the same database.
async function callLog(lab, stopped, pbx) {
  const reader = await startService(lab, { pbx, lines: [], env: { DATABASE_URL: `sqlite:${join(stopped.dir, 'calls.db')}` } });
  const { body } = await reader.api('GET', '/api/calls/logs?limit=20');
  return body.calls;
}

// The names `top -H`, perf and gdb show for the service's threads (README, Threads).
function threadNames(pid) {
  return readdirSync(`/proc/${pid}/task`).map((tid) => readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
}

labTest('SIGTERM with calls up ends and logs them, un-registers the lines and exits 0 within seconds', async (lab) => {
  const { pbx, service, ids } = await callsUp(lab);
  // With calls up every long-lived thread is there: each named for its job, and the SIP stack in one thread
  // (a second would be Sofia's own, whose every event crosses to ours).
  const names = threadNames(servicePid(service));
  for (const name of ['pjsip-service', 'ff-sip', 'ff-store']) assert.ok(names.includes(name), `${name} in ${names}`);
  assert.equal(names.filter((name) => name === 'ff-sip').length, 1, `${names}`);
  const stop = await terminate(service);
  assert.equal(stop.code, 0, `exit ${stop.code ?? stop.signal}:\n${stop.output.slice(-4000)}`);
  assert.ok(stop.took < exitWithinMs, `stopping took ${stop.took} ms`);
  assert.deepEqual(await pbx.contacts('1001'), []);
  assert.deepEqual(await pbx.contacts('1002'), []);
  const logged = (await callLog(lab, service, pbx)).filter((call) => ids.includes(call.id));
  assert.deepEqual(logged.map((call) => call.id).sort(), ids);
  for (const call of logged) assert.equal(call.status, 'ended', JSON.stringify(call));
});

labTest('SIGTERM when nobody answers any more, and a second SIGTERM during it: exit 0 within seconds, calls logged ended', async (lab) => {
  const { pbx, service, phones, callers, ids } = await callsUp(lab);
  // The far ends and the PBX hang (an overload, a network cut): no BYE and no un-REGISTER gets an answer.
  const frozen = [pbx, ...phones, ...callers];
  for (const part of frozen) signalGroup(part, 'SIGSTOP');
  try {
    const stop = await terminate(service, [700]);
    assert.equal(stop.code, 0, `exit ${stop.code ?? stop.signal}:\n${stop.output.slice(-4000)}`);
    assert.ok(stop.took < exitWithinMs, `stopping took ${stop.took} ms`);
    assert.match(stop.output, /stopped; \d+ call log write/);
  } finally {
    for (const part of frozen) signalGroup(part, 'SIGCONT');
  }
  const logged = (await callLog(lab, service, pbx)).filter((call) => ids.includes(call.id));
  assert.deepEqual(logged.map((call) => call.id).sort(), ids);
  for (const call of logged) assert.equal(call.status, 'ended', JSON.stringify(call));
});
