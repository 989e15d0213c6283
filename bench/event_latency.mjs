// Event latency from the call model to socket.io-client handlers, and server memory, for the service and
// for the official Node Socket.IO server (the peer), with the same clients and load in the same run, one
// server after the other, for each client count asked.
// Latency of a delivery = handler time - the call's startTime (stamped by the server just before it emits
// call:new), both on this machine's clock; millisecond timestamps add at most 1 ms.
// The clients are spread over CLIENT_PROCESSES child processes (bench/clients/), fresh ones for every
// server, so that one Node event loop does not hold them all; each one's CPU over the phase is printed (a
// process near 100 % of a core measures itself more than the server). This process only feeds the calls.
// Env: CLIENTS (200,500@50: client counts, each at RATE or at the rate after its @), EVENTS (2000 calls per
// phase, 3 events each: call:new is measured, call:ended and callback:missed are fan-out load), RATE (calls/s,
// 100), CLIENT_PROCESSES (4), WARMUP (200 calls fed before each measured phase and not recorded: fresh client
// processes run their handlers unoptimised for about a second, which is the clients' start, not the
// server's), CLIENT (official: socket.io-client; lean: the protocol a listener needs on a bare WebSocket, a
// third less of the clients' CPU, see bench/clients/lean_socketio.mjs), PEER (node: the official Socket.IO
// server; floor: Node's bare `ws` server with the least of the protocol, bench/peer/node_ws_floor.mjs, to see
// what any server on this machine and these clients cannot go below; a list such as node,floor measures each
// in turn after the service; 0: no peer),
// FF_SERVICE_BINARY (a built pjsip-service-simulated-sip; otherwise built as Release in build-bench/).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { releaseBinary } from './lib/release_binary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = process.env;
if (!existsSync(join(here, 'node_modules/socket.io'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
const { startClientProcesses, killClientProcesses } = await import('./clients/client_processes.mjs');
const calls = Number(env.EVENTS ?? 2000);
const warmupCalls = Number(env.WARMUP ?? 200);
const warmupPrefix = '+7998';
const defaultRate = Number(env.RATE ?? 100);
const clientProcesses = Number(env.CLIENT_PROCESSES ?? 4);
// The peers measured after the service in each row, in order ("node,floor" for both; "0" for none).
const peerKinds = env.PEER === '0' ? [] : (env.PEER ?? 'node').split(',');
const peerScripts = { node: 'peer/node_socketio_peer.mjs', floor: 'peer/node_ws_floor.mjs' };
const peerNames = { node: 'node-socket.io', floor: 'node-ws-floor' };
for (const kind of peerKinds) if (!peerScripts[kind]) throw new Error(`PEER=${env.PEER}: expected node, floor, both (node,floor) or 0`);
const clientKind = env.CLIENT ?? 'official';
// "200,500@50": 200 clients at RATE, 500 at 50 calls/s (TARGETS.md's 500-client row: 100 events/s).
const rows = (env.CLIENTS ?? '200,500@50').split(',').filter(Boolean).map((item) => {
  const [clients, rate] = item.split('@').map(Number);
  return { clients, rate: rate || defaultRate };
});

// ---- what this run started, stopped on every way out -------------------------------------------------------

const servers = new Set();
function stopEverything() {
  killClientProcesses();
  for (const server of servers) server.kill();
}
process.on('exit', stopEverything);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    stopEverything();
    process.exit(130);
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
// The server's resident memory, and the anonymous part of it (its heap and stacks: what it allocated, as
// against the pages of its binary and shared libraries, which other processes may share).
const memoryKiB = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))[1]);
  return { rss: field('VmRSS'), anon: field('RssAnon') };
};
// The server's CPU time (user + system, all threads) in clock ticks.
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

// One HTTP request through `agent`; resolves with {status, body} and never rejects (an error is a status of
// 0), so that a request still in flight when its server stops cannot end the run as an unhandled rejection.
function request(agent, base, method, path, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = http.request(`${base}${path}`, {
      method, agent,
      headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {},
    }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch {}
        resolve({ status: res.statusCode, body: parsed });
      });
      res.on('error', (error) => resolve({ status: 0, error }));
    });
    req.on('error', (error) => resolve({ status: 0, error }));
    req.end(payload);
  });
}

function serviceBinary() {
  return releaseBinary('pjsip-service-simulated-sip', env.FF_SERVICE_BINARY);
}

async function startServer(kind, binary) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ff-bench-'));
  let child;
  const token = kind === 'service' ? `bench-admin-token-${Date.now()}-0123456789` : 'peer';
  if (kind === 'service') {
    child = spawn(binary, ['--env-file', '/dev/null'], {
      env: { ...env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/calls.db`,
             ADMIN_TOKEN: token, SIP_USERS: 'op1:pw1:1001:Op1', WEB_DIR: join(root, 'web'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } else {
    child = spawn(process.execPath, [join(here, peerScripts[kind])], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const exited = new Promise((r) => child.once('exit', r));
  const server = {
    base: `http://127.0.0.1:${port}`, child, token,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
    // SIGTERM, and the server's exit awaited, before the next one starts: no two servers share the cores.
    stop: async () => {
      servers.delete(server);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  servers.add(server);
  for (let i = 0; ; i++) {
    // A new connection for each probe (no agent): nothing of the start-up is kept for the measured phase.
    if ((await request(false, server.base, 'GET', '/health')).status === 200) break;
    if (i > 400 || child.exitCode !== null) throw new Error(`${kind} did not start`);
    await delay(25);
  }
  return server;
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// The seconds of the phase (by the event's startTime) in which a delivery took over `slowMs`, worst first:
// a tail made of a few stalls reads differently from a server slow throughout.
const slowMs = 50;
function slowSeconds(results) {
  const first = Math.min(...results.map((r) => (r.eventTimes.length ? r.eventTimes.reduce((a, b) => Math.min(a, b)) : Infinity)));
  const worst = new Map();
  for (const { latencies, eventTimes } of results) {
    for (let i = 0; i < latencies.length; i++) {
      if (latencies[i] <= slowMs) continue;
      const second = Math.floor((eventTimes[i] - first) / 1000);
      worst.set(second, Math.max(worst.get(second) ?? 0, latencies[i]));
    }
  }
  return [...worst].map(([second, max]) => ({ second, max })).sort((a, b) => b.max - a.max);
}

// One server with `clients` clients: connect, feed `calls` calls at `rate`, wait for every call:new at every
// client, then stop the clients, wait for the feeding requests and stop the server.
async function measure(kind, binary, { clients, rate }) {
  const server = await startServer(kind, binary);
  // The feeding requests use keep-alive connections of this phase's own agent, destroyed with the phase:
  // none of them can be reused against the next server.
  const agent = new http.Agent({ keepAlive: true });
  const group = await startClientProcesses({ base: server.base, token: server.token, clients, processes: clientProcesses, callsPerClient: calls, record: 'latency', warmupPrefix, client: clientKind });
  const memoryConnected = memoryKiB(server.child.pid);
  const feeding = [];
  let failedRequests = 0;
  const post = async (path, body) => {
    const answer = await request(agent, server.base, 'POST', path, body);
    if (answer.status < 200 || answer.status > 299) failedRequests++;
    return answer;
  };
  const feed = async (count, prefix, onEach) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await delay(wait);
      onEach(post('/_simulator/inbound', { from: `${prefix}${String(i).padStart(7, '0')}`, extension: '1001' })
        .then((answer) => answer.body?.call && post(`/_simulator/calls/${answer.body.call.id}/ended`, { reason: 'missed' })));
    }
  };
  const warmup = [];
  await feed(warmupCalls, warmupPrefix, (p) => warmup.push(p));
  await Promise.all(warmup);
  group.start();
  const ticksBefore = cpuTicks(server.child.pid);
  const started = performance.now();
  await feed(calls, '+7999', (p) => feeding.push(p));
  const complete = await group.waitDone(60000);
  const serverCpu = (100 * (cpuTicks(server.child.pid) - ticksBefore)) / ticksPerSecond / ((performance.now() - started) / 1000);
  const memoryEnd = memoryKiB(server.child.pid);
  const results = await group.finish();
  // The calls' ends may still be on their way when the last call:new is in. A server stopped under them
  // closed those connections ("other side closed"), which used to end the run at the next server's phase.
  await Promise.all(feeding);
  agent.destroy();
  await server.stop();
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  results.reduce((at, r) => { latencies.set(r.latencies, at); return at + r.latencies.length; }, 0);
  const stalls = slowSeconds(results);
  latencies.sort();
  const expected = clients * calls;
  const result = {
    kind, clients, rate, deliveries: latencies.length, expected, complete, failedRequests,
    p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: percentile(latencies, 1),
    rssKiB: Math.max(memoryConnected.rss, memoryEnd.rss), anonKiB: Math.max(memoryConnected.anon, memoryEnd.anon),
    serverCpu, processes: results,
  };
  const cpu = results.map((r) => `${r.cpuPercent.toFixed(0)} %`).join(', ');
  console.log(`  ${kind.padEnd(8)} deliveries ${result.deliveries}/${expected}  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  max ${result.max.toFixed(2)} ms  ` +
    `RSS ${(result.rssKiB / 1024).toFixed(1)} MiB (anonymous ${(result.anonKiB / 1024).toFixed(1)} MiB)  server CPU ${serverCpu.toFixed(0)} %  client processes' CPU ${cpu} of a core (${results.map((r) => r.clients).join('+')} clients)` +
    `${failedRequests ? `  ${failedRequests} feeding requests failed` : ''}`);
  if (stalls.length) console.log(`  ${kind.padEnd(8)} seconds of the phase with a delivery over ${slowMs} ms: ${stalls.length}; the worst: ${stalls.slice(0, 5).map((s) => `${s.second} s (max ${s.max.toFixed(0)} ms)`).join(', ')}`);
  if (!complete) console.error(`  ${kind}: ${expected - result.deliveries} deliveries missing after 60 s`);
  return result;
}

async function main() {
  const binary = serviceBinary();
  const summary = [];
  let failed = false;
  for (const row of rows) {
    console.log(`${row.clients} clients (websocket) in ${Math.min(clientProcesses, row.clients)} processes, ${calls} calls at ${row.rate}/s, call:new latency`);
    const ours = await measure('service', binary, row);
    failed ||= !ours.complete || ours.failedRequests > 0;
    console.log(`RESULT event_latency server=service clients=${row.clients} rate=${row.rate} p50_ms=${ours.p50.toFixed(2)} p99_ms=${ours.p99.toFixed(2)} rss_kib=${ours.rssKiB} anon_kib=${ours.anonKiB} target_p99_ms=10`);
    const peers = [];
    for (const kind of peerKinds) {
      const peer = await measure(kind, binary, row);
      failed ||= !peer.complete || peer.failedRequests > 0;
      console.log(`RESULT event_latency server=${peerNames[kind]} clients=${row.clients} rate=${row.rate} p50_ms=${peer.p50.toFixed(2)} p99_ms=${peer.p99.toFixed(2)} rss_kib=${peer.rssKiB} anon_kib=${peer.anonKiB}`);
      console.log(`RESULT ratio clients=${row.clients} p50 service/${kind}=${(ours.p50 / peer.p50).toFixed(2)} p99 service/${kind}=${(ours.p99 / peer.p99).toFixed(2)} rss service/${kind}=${(ours.rssKiB / peer.rssKiB).toFixed(2)} anonymous service/${kind}=${(ours.anonKiB / peer.anonKiB).toFixed(2)}${kind === 'node' ? ' (targets: p99 and RSS <= 0.33)' : ''}`);
      peers.push(peer);
    }
    summary.push({ row, results: [ours, ...peers] });
  }
  console.log('\nclients @ calls/s | server | p50 / p99 / RSS (anonymous) | service / this server: p50, p99, RSS | client processes\' CPU');
  for (const { row, results } of summary) {
    const [ours] = results;
    for (const r of results) {
      const ratios = r === ours ? '' : `${(ours.p50 / r.p50).toFixed(2)}, ${(ours.p99 / r.p99).toFixed(2)}, ${(ours.rssKiB / r.rssKiB).toFixed(2)}`;
      console.log(`${`${row.clients} @ ${row.rate}`.padEnd(17)} | ${r.kind.padEnd(7)} | ${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} ms / ${(r.rssKiB / 1024).toFixed(1)} (${(r.anonKiB / 1024).toFixed(1)}) MiB | ${ratios.padEnd(16)} | ${r.processes.map((p) => p.cpuPercent.toFixed(0)).join(', ')} %`);
    }
  }
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`event_latency: ${error.stack ?? error}`);
} finally {
  stopEverything();
}
process.exit(code);
