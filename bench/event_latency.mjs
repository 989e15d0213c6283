// Event latency from the call model to socket.io-client handlers: N clients, calls created at a fixed rate.
// Latency of a delivery = handler time - the call's startTime (set by the registry just before it publishes
// call:new), both on this machine's clock; the server's millisecond rounding adds at most 1 ms.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { io } = createRequire(join(root, "web/"))("socket.io-client");
const clients = Number(process.env.CLIENTS ?? 200);
const events = Number(process.env.EVENTS ?? 2000);
const rate = Number(process.env.RATE ?? 100);

const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

const buildDir = execFileSync(join(root, "scripts/build.sh"), ["release"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
const binary = join(root, buildDir, "src/pjsip-service-simulated-sip");
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "ff-bench-"));
const token = "bench-admin-token-" + Math.random().toString(36).slice(2) + Date.now();
const service = spawn(binary, ["--env-file", "/dev/null"], {
  env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/calls.db`,
         ADMIN_TOKEN: token, SIP_USERS: "op1:pw1:1001:Op1", WEB_DIR: join(root, "web"), LOG_LEVEL: "warn" },
  stdio: ["ignore", "inherit", "inherit"],
});
const base = `http://127.0.0.1:${port}`;
const stop = () => { service.kill("SIGTERM"); rmSync(dataDir, { recursive: true, force: true }); };
process.on("exit", stop);

for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/health`)).ok) break; } catch {}
  if (i > 200) throw new Error("service did not start");
  await new Promise((r) => setTimeout(r, 25));
}

const latencies = [];
const sockets = [];
let pending = clients * events;
let allDelivered;
const delivered = new Promise((resolve) => { allDelivered = resolve; });
await Promise.all(Array.from({ length: clients }, () => new Promise((resolve, reject) => {
  const socket = io(base, { auth: { token }, transports: ["websocket"], reconnection: false });
  socket.on("calls:snapshot", resolve);
  socket.on("connect_error", reject);
  socket.on("call:new", (call) => {
    latencies.push(performance.timeOrigin + performance.now() - Date.parse(call.startTime));
    if (--pending === 0) allDelivered();
  });
  sockets.push(socket);
})));
console.log(`${clients} clients connected; sending ${events} calls at ${rate}/s`);

const post = (path, body) => fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
const started = performance.now();
for (let i = 0; i < events; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  post("/_simulator/inbound", { from: `+7999${String(i).padStart(7, "0")}`, extension: "1001" })
    .then(({ call }) => post(`/_simulator/calls/${call.id}/ended`, { reason: "missed" }));
}
const timeout = setTimeout(() => { console.error(`timed out with ${pending} deliveries missing`); process.exit(1); }, 60000);
await delivered;
clearTimeout(timeout);
sockets.forEach((s) => s.close());

latencies.sort((a, b) => a - b);
const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2);
console.log(`deliveries: ${latencies.length}  p50: ${pick(0.5)} ms  p99: ${pick(0.99)} ms  max: ${pick(1)} ms`);
console.log(`RESULT event_latency clients=${clients} rate=${rate} p50_ms=${pick(0.5)} p99_ms=${pick(0.99)} target_p99_ms=10`);
process.exit(0);
