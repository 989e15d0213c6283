// Webhook delivery latency to a healthy receiver: a Node HTTP server on 127.0.0.1 in this process is
// subscribed to call:new and call:ended (POST /api/webhooks), and calls are created and ended through the
// test-only binary's /_simulator/… routes at a steady RATE of events. Every delivery's signature is checked
// as README tells receivers to, duplicates (an event id seen twice) and lost events (a call's call:new or
// call:ended that never came) are counted once the outbox has drained. Each delivery's latency is read two
// ways: from the moment this script sent the simulator request that caused the event (one monotonic clock,
// so it holds the whole path: HTTP in, call model, outbox write, dispatcher, HTTP out), and from the event's
// own occurredAt (the service's wall clock, millisecond resolution, so up to 1 ms too long).
// Env: RATE (events/s, 50: a call created and ended is 2 events), DURATION (seconds of load, 20),
// DRAIN_SECONDS (30: how long the deliveries may still come after the load), FF_SERVICE_BINARY (a built
// pjsip-service-simulated-sip; otherwise built as Release in build-bench/), POSTGRES=1 (the service on a
// throwaway PostgreSQL 15 instead of its SQLite file), KEEP=1 keeps the files.
// Exits non-zero if an event is lost or a signature is bad.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

import { signatureValid } from '../tests/blackbox/lib/webhook_receiver.mjs';
import { releaseBinary } from './lib/release_binary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = process.env;
const rate = Number(env.RATE ?? 50);
const duration = Number(env.DURATION ?? 20);
const drainSeconds = Number(env.DRAIN_SECONDS ?? 30);
const withPostgres = env.POSTGRES === '1';
const calls = Math.max(1, Math.round((rate * duration) / 2));
const measured = ['call:new', 'call:ended'];
const targetP99Ms = 100;
// The lab's PostgreSQL helper puts its processes under coreutils' timeout: long enough for any run here.
env.FF_LAB_MAX_SECONDS ??= String(Math.ceil(duration + drainSeconds + 600));

const workdir = mkdtempSync(join(tmpdir(), 'ff-bench-webhook-'));
const logFile = join(workdir, 'service.log');
let service;
let receiverServer;
let cleaned = false;
// Synchronous, so that it also runs from the 'exit' handler; the PostgreSQL helper removes its own cluster
// at exit (tests/lab/lib/processes.mjs and postgres_server.mjs).
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  receiverServer?.closeAllConnections();
  receiverServer?.close();
  if (service && service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
  if (env.KEEP !== '1') rmSync(workdir, { recursive: true, force: true });
  else console.error(`files kept in ${workdir}`);
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { cleanup(); process.exit(130); });

function fail(message) {
  console.error(`webhook_delivery: ${message}`);
  const log = (() => { try { return readFileSync(logFile, 'utf8'); } catch { return ''; } })();
  if (log) console.error(`service log (last lines):\n${log.split('\n').slice(-30).join('\n')}`);
  process.exit(1);
}

const delay = (ms) => new Promise((done) => setTimeout(done, ms));
const freePort = () => new Promise((done) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => done(port));
  });
});

function serviceBinary() {
  return releaseBinary('pjsip-service-simulated-sip', env.FF_SERVICE_BINARY);
}

// The service's resident memory and CPU time, from /proc (it is our direct child: no wrapper in between).
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const rssMiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const cpuSeconds = (pid) => {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
};

// ---- the receiver ---------------------------------------------------------------------------------------

// Every request is kept with its arrival time (after the whole body: the signature needs it) and answered
// 200 at once, as a healthy receiver would; `waiters` are woken on each arrival. Two clocks: the monotonic
// one against this script's own sends, the wall clock against occurredAt (the service's wall clock). Not
// performance.timeOrigin + now() for the latter: on this VM it drifts from the wall clock by milliseconds
// within seconds.
const deliveries = [];
const waiters = new Set();
async function startReceiver() {
  receiverServer = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      deliveries.push({ at, wallAt: Date.now(), raw, body, headers: request.headers });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise((done, reject) => receiverServer.once('error', reject).listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${receiverServer.address().port}/hooks/telephony`;
}

// Resolves once check() holds after an arrival (or at once); rejects after `ms` naming `what`.
function arrivalsUntil(check, ms, what) {
  if (check()) return Promise.resolve();
  return new Promise((done, reject) => {
    const timer = setTimeout(() => { waiters.delete(wake); reject(new Error(`${what} not within ${ms} ms`)); }, ms);
    const wake = () => {
      if (!check()) return;
      clearTimeout(timer);
      waiters.delete(wake);
      done();
    };
    waiters.add(wake);
  });
}

// ---- the service ----------------------------------------------------------------------------------------

async function startService(binary, databaseUrl) {
  const port = await freePort();
  const token = `bench-admin-token-${Date.now()}-0123456789`;
  const out = openSync(logFile, 'a');
  service = spawn(binary, ['--env-file', '/dev/null'], {
    cwd: workdir,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: workdir, DATABASE_URL: databaseUrl,
           ADMIN_TOKEN: token, SIP_USERS: 'op1:pw1:1001:Op1,op2:pw2:1002:Op2,op3:pw3:1003:Op3,op4:pw4:1004:Op4',
           WEB_DIR: join(root, 'web'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (service.exitCode !== null) fail('the service exited at start-up');
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 400) fail('the service did not answer /health within 10 s');
    await delay(25);
  }
  const call = async (method, path, body, bearer = token) => {
    const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: body && JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) fail(`${method} ${path}: ${response.status} ${text}`);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return { base, call, pid: service.pid };
}

// The dispatcher's own counters, as a cross-check of what the receiver saw.
async function webhookMetrics(api) {
  const text = await api('GET', '/metrics');
  const value = (name) => Number((new RegExp(`^${name} (\\S+)$`, 'm').exec(text) ?? [])[1] ?? NaN);
  return { delivered: value('ff_webhook_delivered_total'), failedAttempts: value('ff_webhook_failed_attempts_total') };
}

// The service counts a delivery once its outcome is written, a moment after the receiver answered: the
// counters are read again until they show `delivered`, for at most 5 s.
async function webhookMetricsOnce(api, delivered) {
  let metrics = await webhookMetrics(api);
  for (const until = performance.now() + 5000; metrics.delivered < delivered && performance.now() < until;) {
    await delay(50);
    metrics = await webhookMetrics(api);
  }
  return metrics;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length))) - 1];
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}

// ---- the run --------------------------------------------------------------------------------------------

const binary = serviceBinary();
let databaseUrl = `sqlite:${join(workdir, 'calls.db')}`;
if (withPostgres) {
  const { startPostgres } = await import('../tests/lab/lib/postgres_server.mjs');
  databaseUrl = (await startPostgres({ database: 'ff_bench' })).url;
}
const { call: api, pid } = await startService(binary, databaseUrl);
const receiverUrl = await startReceiver();
const webhook = await api('POST', '/api/webhooks', { url: receiverUrl, events: measured });

// A first call, not measured: the subscription works end to end and the first connection is made.
{
  const { call } = await api('POST', '/_simulator/inbound', { from: '+79990000000', extension: '1001' }, null);
  await api('POST', `/_simulator/calls/${call.id}/ended`, { reason: 'missed' }, null);
  await arrivalsUntil(() => deliveries.some((d) => d.body?.type === 'call:ended' && d.body?.data?.id === call.id), 10000, 'the warm-up call\'s call:ended')
    .catch((error) => fail(error.message));
  deliveries.length = 0;
}
const metricsBefore = await webhookMetricsOnce(api, 2);

// Slots of 1/RATE s: an even slot creates a call, the next one ends it. The end waits for the create's
// answer without holding up the slots after it, so the rate stays steady if one answer is slow. Each
// event's cause is kept under "<type> <call id>" with the moment its request was sent (on both clocks).
console.error(`${calls} calls, ${calls * 2} events (call:new, call:ended) at ${rate}/s for ${duration} s ...`);
const sentAt = new Map();
const requests = [];
const rssSamples = [rssMiB(pid)];
const rssBefore = rssSamples[0];
const sampler = setInterval(() => { try { rssSamples.push(rssMiB(pid)); } catch {} }, 250);
const cpuStart = cpuSeconds(pid);
const started = performance.now();
let created;
for (let slot = 0; slot < calls * 2; slot++) {
  const wait = started + (slot * 1000) / rate - performance.now();
  if (wait > 0) await delay(wait);
  if (slot % 2 === 0) {
    const from = `+7999${String(slot / 2 + 1).padStart(7, '0')}`;
    const at = { mono: performance.now(), wall: Date.now() };
    created = api('POST', '/_simulator/inbound', { from, extension: String(1001 + ((slot / 2) % 4)) }, null)
      .then(({ call }) => { sentAt.set(`call:new ${call.id}`, at); return call; });
    requests.push(created);
  } else {
    const due = started + (slot * 1000) / rate;
    requests.push(created.then(async (call) => {
      const wait = due - performance.now();
      if (wait > 0) await delay(wait);
      sentAt.set(`call:ended ${call.id}`, { mono: performance.now(), wall: Date.now() });
      return api('POST', `/_simulator/calls/${call.id}/ended`, { reason: 'missed' }, null);
    }));
  }
}
await Promise.all(requests);
const loadSeconds = (performance.now() - started) / 1000;

// Drained: every event caused above has arrived once; the wait ends there or at DRAIN_SECONDS.
const arrivedKeys = new Set();
let counted = 0;
const allArrived = () => {
  for (; counted < deliveries.length; counted++) {
    const body = deliveries[counted].body;
    if (body?.data?.id) arrivedKeys.add(`${body.type} ${body.data.id}`);
  }
  return [...sentAt.keys()].every((key) => arrivedKeys.has(key));
};
const drained = await arrivalsUntil(allArrived, drainSeconds * 1000, 'every event delivered').then(() => true, () => false);
const busySeconds = (performance.now() - started) / 1000;
const cpuShare = (cpuSeconds(pid) - cpuStart) / busySeconds;
clearInterval(sampler);
rssSamples.push(rssMiB(pid));
const metricsAfter = await webhookMetricsOnce(api, metricsBefore.delivered + deliveries.length);

// ---- the figures ----------------------------------------------------------------------------------------

const firstOf = new Map();
let duplicates = 0;
let badSignatures = 0;
let unexpected = 0;
for (const delivery of deliveries) {
  const { body, headers } = delivery;
  if (!signatureValid(headers['x-foodflow-signature'], delivery.raw, webhook.secret)) badSignatures++;
  if (!body?.id) continue;
  if (firstOf.has(body.id)) {
    duplicates++;
    continue;
  }
  firstOf.set(body.id, delivery);
  if (!sentAt.has(`${body.type} ${body.data?.id}`)) unexpected++;
}
const fromTrigger = Object.fromEntries(measured.map((type) => [type, []]));
const fromOccurred = [];
const serviceStamp = [];  // occurredAt - the request's send: how late in the path the event is stamped
for (const delivery of firstOf.values()) {
  const key = `${delivery.body.type} ${delivery.body.data?.id}`;
  const sent = sentAt.get(key);
  if (sent === undefined) continue;
  fromTrigger[delivery.body.type].push(delivery.at - sent.mono);
  const occurred = Date.parse(delivery.body.occurredAt);
  fromOccurred.push(delivery.wallAt - occurred);
  serviceStamp.push(occurred - sent.wall);
}
allArrived();
const lost = [...sentAt.keys()].filter((key) => !arrivedKeys.has(key)).length;
const allTrigger = [...fromTrigger['call:new'], ...fromTrigger['call:ended']];
const overall = summary(allTrigger);
const line = (label, values) => {
  const s = summary(values);
  return `${label.padEnd(40)} ${String(s.count).padStart(6)} ${[s.p50, s.p90, s.p99, s.max].map((v) => (v ?? NaN).toFixed(2).padStart(8)).join(' ')}`;
};
const rssPeak = Math.max(...rssSamples);

console.log(`\nWebhook delivery: ${sentAt.size} events (call:new, call:ended of ${calls} calls) at ${(sentAt.size / loadSeconds).toFixed(1)}/s, ` +
            `a receiver on 127.0.0.1, ${withPostgres ? 'PostgreSQL 15 (throwaway, fsync off)' : 'SQLite'}`);
console.log(`events sent ${sentAt.size}, deliveries received ${deliveries.length}, lost ${lost}, duplicates ${duplicates}, ` +
            `bad signatures ${badSignatures}${unexpected ? `, not caused here ${unexpected}` : ''}${drained ? '' : ` (not drained within ${drainSeconds} s)`}`);
console.log(`${'latency (ms)'.padEnd(40)} ${'count'.padStart(6)} ${['p50', 'p90', 'p99', 'max'].map((h) => h.padStart(8)).join(' ')}`);
console.log(line('request sent -> delivered', allTrigger));
for (const type of measured) console.log(line(`  of which ${type}`, fromTrigger[type]));
console.log(line('occurredAt -> delivered', fromOccurred));
console.log(line('  (request sent -> occurredAt)', serviceStamp));
console.log(`service: RSS ${rssBefore.toFixed(1)} MiB before the load, ${rssPeak.toFixed(1)} MiB at most during it; ` +
            `CPU ${(cpuShare * 100).toFixed(1)} % of a core over the load and drain (${busySeconds.toFixed(1)} s)`);
console.log(`service's counters over the run: delivered ${metricsAfter.delivered - metricsBefore.delivered}, ` +
            `failed attempts ${metricsAfter.failedAttempts - metricsBefore.failedAttempts}`);
console.log(`RESULT webhook_delivery events=${sentAt.size} lost=${lost} duplicates=${duplicates} bad_signatures=${badSignatures} ` +
            `p50_ms=${overall.p50?.toFixed(2)} p90_ms=${overall.p90?.toFixed(2)} p99_ms=${overall.p99?.toFixed(2)} max_ms=${overall.max?.toFixed(2)} ` +
            `rss_mib=${rssPeak.toFixed(1)} cpu_percent=${(cpuShare * 100).toFixed(1)} target_p99_ms=${targetP99Ms} ` +
            `target_met=${lost === 0 && overall.p99 < targetP99Ms ? 'yes' : 'no'}`);

// A graceful stop, so that the service's shutdown is part of every run; SIGKILL if it hangs.
service.kill('SIGTERM');
const stopped = await Promise.race([new Promise((done) => service.once('exit', () => done(true))), delay(10000).then(() => false)]);
if (!stopped) console.error('the service did not stop within 10 s of SIGTERM: killed');
const failures = [lost > 0 && `${lost} event(s) lost`, badSignatures > 0 && `${badSignatures} bad signature(s)`].filter(Boolean);
if (failures.length > 0) fail(failures.join(', '));
cleanup();
process.exit(0);
