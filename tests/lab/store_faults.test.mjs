// The real service on a real PostgreSQL 15 that goes away: calls go on while it is stopped, /health says
// degraded and why, the call records wait on local disk and are written once it is back (each call once,
// with its final state), also by the next run when the service was killed meanwhile. SIPp plays the PBX
// calling the lines; baresip phones answer by themselves.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { delay, labTest } from './lib/lab.mjs';
import { startPostgres } from './lib/postgres_server.mjs';
import { labDir, removeDir, withTimeout } from './lib/processes.mjs';
import { eventually, healthBecomes, startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
// How long the database stays away in the first test (the 30 s; shorter only to try things out).
const outageMs = Number(process.env.FF_LAB_DB_OUTAGE_MS ?? 30000);
// trust authentication takes any password: this one must never show in /health nor in the log.
const password = 'lab-db-secret-7d1f';

function databaseUrl(pg) {
  return pg.url.replace('postgresql://postgres@', `postgresql://postgres:${password}@`);
}

async function postgres(lab) {
  return lab.track('postgres', await startPostgres());
}

// The service's own pid: the lab runs it under coreutils' timeout, whose only child it is.
function servicePid(service) {
  const wrapper = service.process.child.pid;
  return Number(readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, 'utf8').trim().split(/\s+/)[0]);
}

// Lines registered at the PBX and each operator's phone registered at the service.
async function serviceWithPhones(lab, pbx, env) {
  const service = await startService(lab, { pbx, lines: users, env });
  await healthBecomes(service, (health) => health.registeredUsers === users.length, 10000, 'both lines registered');
  const console = await service.console();
  for (const user of users) {
    await lab.phone({ username: user.username, password: user.password, registrar: `127.0.0.1:${service.sipPort}`, autoAnswer: true });
    await eventually(console.events, 'line:state', (line) => line.extension === user.extension && line.deviceRegistered, 5000);
  }
  return { service, console };
}

// The PBX calling a line: SIPp's INVITE to the line's user at the service, hung up after `durationMs`.
async function call(lab, service, user, caller, durationMs) {
  return lab.sipp({ scenario: 'uac_invite', remote: `127.0.0.1:${service.sipPort}`, service: user.username, caller, durationMs, timeoutMs: durationMs + 60000 });
}

// The call-new event of the call from `caller`, then its answer.
async function answered(console, caller, since) {
  const created = await eventually(console.events, 'call:new', (c) => c.from === caller, 10000, since);
  await eventually(console.events, 'call:answered', (c) => c.id === created.payload.id, 10000, since);
  return created.payload.id;
}

// id -> {status, endReason, copies} for every row of the call log, read with psql.
async function callRows(pg) {
  const rows = await pg.query("SELECT id, status, coalesce(end_reason, ''), count(*) OVER (PARTITION BY id) FROM calls");
  return new Map(rows.map(([id, status, endReason, copies]) => [id, { status, endReason, copies: Number(copies) }]));
}

const databaseAway = (health) =>
  health.status === 'degraded' && health.dependencies?.database?.ok === false && /queued on disk/.test(health.dependencies.database.detail);
const databaseOk = (health) => health.dependencies?.database?.ok === true && !health.degraded?.some((reason) => /^database/.test(reason));

labTest('PostgreSQL stopped for 30 s during calls: calls go on, /health is degraded with the reason, every call is logged once with its final state when it returns', async (lab) => {
  const pg = await postgres(lab);
  const pbx = await lab.kamailio({ users });
  const { service, console } = await serviceWithPhones(lab, pbx, { DATABASE_URL: databaseUrl(pg) });
  assert.ok(databaseOk(await service.health()), JSON.stringify(await service.health()));

  // A call up before the outage that ends during it.
  const before = Date.now();
  const longCall = await call(lab, service, users[0], '+79990000001', Math.min(15000, outageMs / 2));
  const longId = await answered(console, '+79990000001', before);

  const stoppedAt = Date.now();
  await pg.stop();

  // A call that starts and ends during the outage, the API and the stream working all along.
  const shortCall = await call(lab, service, users[1], '+79990000002', 3000);
  const shortId = await answered(console, '+79990000002', stoppedAt);
  const active = await service.api('GET', '/api/calls/active');
  assert.equal(active.status, 200, active.text);
  assert.deepEqual(active.body.calls.map((c) => c.id).sort(), [longId, shortId].sort());

  const away = await healthBecomes(service, databaseAway, 10000, 'the database reported away with records queued');
  const { detail } = away.dependencies.database;
  assert.match(detail, /^PostgreSQL unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z: .+; \d+ call record\(s\) queued on disk in \S+call-log\.jsonl$/);
  assert.ok(away.degraded.some((reason) => reason.startsWith('database')), JSON.stringify(away));
  assert.ok(!detail.includes(password), detail);

  assert.equal(await withTimeout(shortCall.result(), 30000, 'the short call to end'), 0, shortCall.log());
  await eventually(console.events, 'call:ended', (c) => c.id === shortId, 10000, stoppedAt);
  assert.equal(await withTimeout(longCall.result(), 30000, 'the long call to end'), 0, longCall.log());
  await eventually(console.events, 'call:ended', (c) => c.id === longId, 10000, stoppedAt);
  const queued = await service.health();
  assert.ok(databaseAway(queued), JSON.stringify(queued));

  // The outage lasts its full length: the time is the scenario, not something to wait for.
  await delay(Math.max(0, stoppedAt + outageMs - Date.now()));
  // Late in the outage the API still takes the tokens it knew (their periodic reload finds no database).
  const late = await service.api('GET', '/api/calls/active');
  assert.equal(late.status, 200, late.text);
  assert.deepEqual(late.body.calls, []);
  await pg.start();
  const back = await healthBecomes(service, databaseOk, 15000, 'the database ok again');
  assert.equal(back.status, 'ok', JSON.stringify(back));

  const rows = await callRows(pg);
  assert.deepEqual([...rows.keys()].sort(), [longId, shortId].sort());
  for (const id of [longId, shortId]) {
    assert.deepEqual(rows.get(id), { status: 'ended', endReason: 'completed', copies: 1 }, id);
  }
  const logs = await service.api('GET', '/api/calls/logs?limit=10');
  assert.equal(logs.status, 200, logs.text);
  assert.deepEqual(logs.body.calls.map((c) => c.id).sort(), [longId, shortId].sort());
  assert.ok(!service.log().includes(password), 'the database password reached the log');
}, { timeoutMs: outageMs + 120000 });

labTest('service killed while PostgreSQL is away: the next run writes the records the killed one queued on disk', async (lab) => {
  const pg = await postgres(lab);
  const pbx = await lab.kamailio({ users });
  const spoolDir = labDir('spool');
  try {
    const env = { DATABASE_URL: databaseUrl(pg), SPOOL_DIR: spoolDir };
    const { service, console } = await serviceWithPhones(lab, pbx, env);
    const started = Date.now();
    const first = await call(lab, service, users[0], '+79990000003', 4000);
    const id = await answered(console, '+79990000003', started);
    await until(() => callRows(pg), (rows) => rows.get(id)?.status === 'answered', 5000, 'the answered call in the database');

    await pg.stop();
    assert.equal(await withTimeout(first.result(), 30000, 'the call to end'), 0, first.log());
    await eventually(console.events, 'call:ended', (c) => c.id === id, 10000, started);
    await healthBecomes(service, databaseAway, 10000, 'the ending queued on disk');

    process.kill(servicePid(service), 'SIGKILL');
    await withTimeout(service.process.exited, 10000, 'the killed service to exit');
    service.process = null;

    await pg.start();
    assert.equal((await callRows(pg)).get(id)?.status, 'answered'); // the ending is only on disk
    const next = await startService(lab, { pbx, lines: [], env });
    await healthBecomes(next, databaseOk, 15000, 'the queued records written');
    assert.match(next.log(), /1 call record\(s\) from an earlier run queued/);
    const rows = await callRows(pg);
    assert.deepEqual([...rows.keys()], [id]);
    assert.deepEqual(rows.get(id), { status: 'ended', endReason: 'completed', copies: 1 });
  } finally {
    removeDir(spoolDir);
  }
}, { timeoutMs: 120000 });
