// Event latency from the call model to socket.io-client handlers, and server memory, for the service and
// for the official Node Socket.IO server (the peer), with the same clients and load in the same run.
// Latency of a delivery = handler time - the call's startTime (stamped by the server just before it emits
// call:new), both on this machine's clock; millisecond timestamps add at most 1 ms.
// Env: CLIENTS (200), EVENTS (2000 calls: 2 events each), RATE (calls/s, 100), PEER=0 to skip the peer.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
if (!existsSync(join(here, 'node_modules/socket.io'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
const { io } = await import('socket.io-client');
const clients = Number(process.env.CLIENTS ?? 200);
const calls = Number(process.env.EVENTS ?? 2000);
const rate = Number(process.env.RATE ?? 100);

const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const rssKiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

async function startServer(kind) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ff-bench-'));
  let child;
  const token = kind === 'service' ? `bench-admin-token-${Date.now()}-0123456789` : 'peer';
  if (kind === 'service') {
    const buildDir = execFileSync(join(root, 'scripts/build.sh'), ['release'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    child = spawn(join(root, buildDir, 'src/pjsip-service-simulated-sip'), ['--env-file', '/dev/null'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/calls.db`,
             ADMIN_TOKEN: token, SIP_USERS: 'op1:pw1:1001:Op1', WEB_DIR: join(root, 'web'), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } else {
    child = spawn(process.execPath, [join(here, 'peer/node_socketio_peer.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/health`)).ok) break; } catch {}
    if (i > 400) throw new Error(`${kind} did not start`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { base, child, token, stop: () => { child.kill('SIGTERM'); rmSync(dataDir, { recursive: true, force: true }); } };
}

async function measure(kind) {
  const server = await startServer(kind);
  const auth = { token: server.token };
  const latencies = [];
  const sockets = [];
  let pending = clients * calls;
  let allDelivered;
  const delivered = new Promise((resolve) => { allDelivered = resolve; });
  await Promise.all(Array.from({ length: clients }, () => new Promise((resolve, reject) => {
    const socket = io(server.base, { auth, transports: ['websocket'], reconnection: false });
    socket.on('calls:snapshot', resolve);
    socket.on('connect_error', reject);
    socket.on('call:new', (call) => {
      latencies.push(performance.timeOrigin + performance.now() - Date.parse(call.startTime));
      if (--pending === 0) allDelivered();
    });
    sockets.push(socket);
  })));
  const rssConnected = rssKiB(server.child.pid);
  const post = (path, body) => fetch(server.base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    post('/_simulator/inbound', { from: `+7999${String(i).padStart(7, '0')}`, extension: '1001' })
      .then(({ call }) => post(`/_simulator/calls/${call.id}/ended`, { reason: 'missed' }));
  }
  const timeout = setTimeout(() => { console.error(`${kind}: timed out with ${pending} deliveries missing`); process.exit(1); }, 60000);
  await delivered;
  clearTimeout(timeout);
  const rssEnd = rssKiB(server.child.pid);
  sockets.forEach((s) => s.close());
  server.stop();
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const result = { kind, deliveries: latencies.length, p50: pick(0.5), p99: pick(0.99), max: pick(1), rssKiB: Math.max(rssConnected, rssEnd) };
  console.log(`${kind.padEnd(8)} deliveries ${result.deliveries}  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  max ${result.max.toFixed(2)} ms  RSS ${(result.rssKiB / 1024).toFixed(1)} MiB`);
  return result;
}

console.log(`${clients} clients (websocket), ${calls} calls at ${rate}/s, call:new latency`);
const ours = await measure('service');
console.log(`RESULT event_latency server=service clients=${clients} p50_ms=${ours.p50.toFixed(2)} p99_ms=${ours.p99.toFixed(2)} rss_kib=${ours.rssKiB} target_p99_ms=10`);
if (process.env.PEER !== '0') {
  const peer = await measure('node');
  console.log(`RESULT event_latency server=node-socket.io clients=${clients} p50_ms=${peer.p50.toFixed(2)} p99_ms=${peer.p99.toFixed(2)} rss_kib=${peer.rssKiB}`);
  console.log(`RESULT ratio p99 service/node=${(ours.p99 / peer.p99).toFixed(2)} rss service/node=${(ours.rssKiB / peer.rssKiB).toFixed(2)} (targets: <= 0.33 both)`);
}
process.exit(0);
