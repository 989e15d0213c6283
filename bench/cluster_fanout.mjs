// The extra latency the Redis fan-out adds to a call event: two instances of the service share one Redis
// (cluster mode, REDIS_URL); calls are created and ended on instance 1, and one supervisor's
// socket.io-client on each instance records when each event arrives. Both clients live in one child process
// (bench/clients/cluster_pair_process.mjs), apart from this one that feeds the calls, so the difference
// between the two arrivals of one event (instance 2 through Redis minus instance 1 locally) is read on one
// clock by a process doing nothing else. The latency of each side is its arrival minus the event's own time
// (startTime for call:new, endTime for call:ended, stamped by instance 1; millisecond resolution).
// Env: EVENTS (2000: a call:new and a call:ended per call), RATE (events/s, 100), FF_SERVICE_BINARY (a
// built pjsip-service-simulated-sip; otherwise built as Release in build-bench/), DATABASE_URL (shared by
// both instances, e.g. a PostgreSQL URL; default: an SQLite file per instance), KEEP=1 keeps the files,
// CLIENT (official: socket.io-client; lean: bench/clients/lean_socketio.mjs, each arrival read before it is
// decoded, so that the client's own work on one arrival delays the other less).
import { spawn, fork, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { releaseBinary } from './lib/release_binary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = process.env;
if (!existsSync(join(here, 'node_modules/socket.io-client'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
const events = Number(env.EVENTS ?? 2000);
const rate = Number(env.RATE ?? 100);
const calls = Math.ceil(events / 2);
const measured = ['call:new', 'call:ended'];

const workdir = mkdtempSync(join(tmpdir(), 'ff-bench-fanout-'));
const children = [];
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (env.KEEP !== '1') rmSync(workdir, { recursive: true, force: true });
  else console.error(`files kept in ${workdir}`);
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanup(); process.exit(130); });

function fail(message) {
  console.error(`cluster_fanout: ${message}`);
  process.exit(1);
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

function serviceBinary() {
  return releaseBinary('pjsip-service-simulated-sip', env.FF_SERVICE_BINARY);
}

// A PING over RESP answered +PONG: the server is ready.
function redisPing(port) {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
    socket.once('data', (data) => { resolve(data.toString().startsWith('+PONG')); socket.end(); });
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
  });
}

async function startRedis() {
  const port = await freePort();
  const dir = join(workdir, 'redis');
  mkdirSync(dir);
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', '--logfile', join(dir, 'redis.log')], { stdio: 'ignore' });
  children.push(child);
  for (let i = 0; i < 250; i++) {
    if (child.exitCode !== null) fail('redis-server exited at start-up');
    if (await redisPing(port)) return `redis://127.0.0.1:${port}`;
    await delay(20);
  }
  fail('redis-server did not answer PING within 5 s');
}

async function startInstance(binary, name, redisUrl) {
  const port = await freePort();
  const dir = join(workdir, name);
  mkdirSync(dir);
  const token = `bench-admin-token-${name}-${Date.now()}-0123456789`;
  const logFile = join(dir, 'service.log');
  const child = spawn('sh', ['-c', 'exec "$0" --env-file /dev/null >"$1" 2>&1', binary, logFile], {
    cwd: dir,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dir, DATABASE_URL: env.DATABASE_URL || `sqlite:${dir}/calls.db`,
           ADMIN_TOKEN: token, SIP_USERS: 'op1:pw1:1001:Op1,op2:pw2:1002:Op2', WEB_DIR: join(root, 'web'), LOG_LEVEL: 'warn',
           REDIS_URL: redisUrl, INSTANCE_ID: `bench-${name}` },
    stdio: 'ignore',
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  const log = () => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) fail(`instance ${name} exited at start-up:\n${log()}`);
    try {
      const response = await fetch(`${base}/health`);
      if (response.ok) {
        const health = await response.json();
        // Cluster mode shows itself in /health: this instance's id and the Redis dependency.
        if (health.instance !== `bench-${name}`) fail(`instance ${name}: /health has no "instance" bench-${name}: this build has no cluster mode?\n${JSON.stringify(health)}`);
        if (health.dependencies?.redis?.ok === true) break;
      }
    } catch {}
    if (i > 400) fail(`instance ${name} not ready with Redis within 10 s:\n${log()}`);
    await delay(25);
  }
  const api = async (method, path, body, bearer = token) => {
    const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: body && JSON.stringify(body) });
    const json = await response.json().catch(() => undefined);
    if (!response.ok) fail(`${name} ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  // Tokens live in each instance's database (one per instance unless DATABASE_URL is shared).
  const supervisor = (await api('POST', '/api/tokens', { name: `Supervisor ${name}`, role: 'supervisor' })).token;
  return { name, base, api, supervisor, log };
}

// The two supervisors' clients, in a child process of their own (bench/clients/cluster_pair_process.mjs).
function startClients(instances) {
  const child = fork(join(here, 'clients/cluster_pair_process.mjs'), [JSON.stringify({
    sides: instances.map(({ name, base, supervisor }) => ({ name, base, token: supervisor })),
    events: measured, expected: calls * 2, warmupCaller, client: env.CLIENT ?? 'official',
  })], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  child.once('exit', (code, signal) => { if (!cleaned && code !== 0) fail(`client process exited (${code ?? signal})`); });
  // Resolves with the child's next message of `type` that `predicate` accepts, or rejects after `ms`.
  const next = (type, ms, predicate = () => true) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.off('message', listener); reject(new Error(`client process: no "${type}" within ${ms} ms`)); }, ms);
    const listener = (message) => {
      if (message.type === 'error') fail(message.message);
      if (message.type !== type || !predicate(message)) return;
      clearTimeout(timer);
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
  });
  return { child, next };
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length))) - 1];
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}

const binary = serviceBinary();
const redisUrl = await startRedis();
const first = await startInstance(binary, 'one', redisUrl);
const second = await startInstance(binary, 'two', redisUrl);
const warmupCaller = '+79990000000';
const clients = startClients([first, second]);
await clients.next('connected', 10000).catch((error) => fail(error.message));

// The fan-out is live once a call made on instance 1 reaches instance 2's client; that call is not measured.
{
  const arrived = clients.next('warmup', 10000, (m) => m.side === 1 && m.event === 'call:new');
  const { call } = await first.api('POST', '/_simulator/inbound', { from: warmupCaller, extension: '1001' }, null);
  await arrived.catch((error) => fail(`call:new of instance one (fan-out): ${error.message}`));
  const ended = [0, 1].map((side) => clients.next('warmup', 10000, (m) => m.side === side && m.event === 'call:ended'));
  await first.api('POST', `/_simulator/calls/${call.id}/ended`, { reason: 'missed' }, null);
  await Promise.all(ended).catch((error) => fail(`call:ended of the warm-up call: ${error.message}`));
}

console.error(`${calls} calls on instance one, ${calls * 2} events at ${rate}/s ...`);
const expected = calls * 2;
const allArrived = clients.next('done', 30000 + (expected * 1000) / rate);
clients.child.send({ type: 'start' });
// Slots of 1/RATE s: an even slot creates a call, the next one ends it (the create's answer came back by then).
const started = performance.now();
let created;
for (let slot = 0; slot < expected; slot++) {
  const wait = started + (slot * 1000) / rate - performance.now();
  if (wait > 0) await delay(wait);
  if (slot % 2 === 0) {
    created = first.api('POST', '/_simulator/inbound', { from: `+7999${String(slot / 2 + 1).padStart(7, '0')}`, extension: slot % 4 === 0 ? '1001' : '1002' }, null);
  } else {
    const { call } = await created;
    first.api('POST', `/_simulator/calls/${call.id}/ended`, { reason: 'missed' }, null);
  }
}
const outcome = await allArrived.then(() => null, (error) => error.message);
const offered = (expected * 1000) / (performance.now() - started);
const reported = clients.next('result', 10000);
clients.child.send({ type: 'finish' });
const result = await reported.catch((error) => fail(error.message));

const [local, remote] = result.sides.map((side) => new Map(side.keys.map((key, i) => [key, { at: side.arrivals[i], stamp: side.stamps[i] }])));
const rows = { local: [], remote: [], difference: [] };
const byEvent = Object.fromEntries(measured.map((name) => [name, []]));
for (const [key, seen] of local) {
  const through = remote.get(key);
  if (!through) continue;
  rows.local.push(seen.at - seen.stamp);
  rows.remote.push(through.at - through.stamp);
  rows.difference.push(through.at - seen.at);
  byEvent[key.split(' ')[0]].push(through.at - seen.at);
}
const line = (label, values) => {
  const s = summary(values);
  return `${label.padEnd(44)} ${String(s.count).padStart(6)} ${[s.p50, s.p90, s.p99, s.max].map((v) => (v ?? NaN).toFixed(2).padStart(8)).join(' ')}`;
};
console.log(`\nRedis fan-out: ${expected} events (call:new, call:ended) from instance one at ${offered.toFixed(1)}/s, ` +
            `a supervisor's ${env.CLIENT === 'lean' ? 'lean client' : 'socket.io-client'} on each instance, ${env.DATABASE_URL ? 'shared DATABASE_URL' : 'SQLite per instance'}`);
console.log(`${'latency (ms)'.padEnd(44)} ${'count'.padStart(6)} ${['p50', 'p90', 'p99', 'max'].map((h) => h.padStart(8)).join(' ')}`);
console.log(line('instance one, local (arrival - event time)', rows.local));
console.log(line('instance two, through Redis (arrival - time)', rows.remote));
console.log(line('fan-out extra (two - one, same event)', rows.difference));
for (const name of measured) console.log(line(`  of which ${name}`, byEvent[name]));
const missing = [local, remote].map((side) => expected - side.size);
console.log(`events missing: instance one ${missing[0]}, instance two ${missing[1]}`);
console.log(`client process: ${((100 * result.cpuSeconds) / result.seconds).toFixed(0)} % of a core`);
if (outcome) fail(outcome);
cleanup();
process.exit(0);
