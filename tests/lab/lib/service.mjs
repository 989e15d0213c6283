// The real pjsip-service binary for the lab tests, started like production on fresh ports around the
// test's PBX, and the polling helpers the tests wait with.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delay, LabProcess, removeDir, stablePort, withTimeout } from './processes.mjs';

// The lab has no npm packages of its own: the client comes from the black-box suite's install.
const require = createRequire(new URL('../../blackbox/package.json', import.meta.url));
const { io } = require('socket.io-client');

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const adminToken = 'lab-admin-token-0123456789abcdef';

function serviceBinary() {
  const binary = process.env.FF_SERVICE_BINARY_REAL ?? join(repository, 'build', 'release', 'src', 'pjsip-service');
  if (!existsSync(binary)) throw new Error(`no pjsip-service at ${binary}: build it or set FF_SERVICE_BINARY_REAL`);
  return binary;
}

// The real service binary, started like production with the PBX of the test.
export class Service {
  constructor({ pbx, pbxPort, lines, transport = 'UDP', expires = 30, sipPort = null, env = {} }) {
    this.dir = mkdtempSync(join(tmpdir(), 'ff-lab-service-'));
    this.settings = { pbxPort: pbxPort ?? pbx.port, lines, transport, expires, fixedSipPort: sipPort, env };
  }

  // Spawns the binary on fresh ports (the SIP port fixed when asked); does not wait for it.
  async launch(attempt = 1) {
    const { pbxPort, lines, transport, expires, fixedSipPort } = this.settings;
    this.port = await stablePort();
    this.sipPort = fixedSipPort ?? (await stablePort());
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    const env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      HOST: '127.0.0.1',
      PORT: String(this.port),
      DATA_DIR: join(this.dir, 'data'),
      DATABASE_URL: `sqlite:${join(this.dir, 'calls.db')}`,
      WEB_DIR: process.env.FF_WEB_DIR ?? join(repository, 'web'),
      ADMIN_TOKEN: adminToken,
      SIP_SERVER: '127.0.0.1',
      SIP_PORT: String(pbxPort),
      SIP_TRANSPORT: transport,
      SIP_USERS: lines.map((u) => `${u.username}:${u.password}:${u.extension}:${u.displayName}`).join(','),
      SIP_LISTEN: `127.0.0.1:${this.sipPort}`,
      SIP_REGISTER_EXPIRES: String(expires),
      LOG_LEVEL: 'debug',
      ...this.settings.env,
    };
    for (const name of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) {
      if (process.env[name]) env[name] = process.env[name];
    }
    const logFile = join(this.dir, `service-${attempt}.log`);
    this.quietLog = ['warn', 'error', 'critical', 'off'].includes(env.LOG_LEVEL);
    this.host = env.HOST;
    this.logStart = existsSync(logFile) ? readFileSync(logFile, 'utf8').length : 0;  // a restart appends
    this.process = new LabProcess('pjsip-service', serviceBinary(), [], { cwd: this.dir, logFile, env });
    return this.process;
  }

  async start() {
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.launch(attempt);
      if (await this.waitReady()) return this;
      const output = this.process.output();
      await this.process.stop();
      this.process = null;
      if (!/in use/i.test(output)) throw new Error(`pjsip-service did not start:\n${output.slice(-4000)}`);
    }
    throw new Error('pjsip-service: lost the race for a free port three times');
  }

  // Ready once /health answers and this process says it listens on the port: another process that took the
  // port between stablePort() and the bind answers /health too, while this one exits "address in use".
  async waitReady(timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    const listening = `listening on http://${this.host}:${this.port} `;
    while (Date.now() < deadline && this.process.alive) {
      try {
        const ours = this.quietLog || this.process.output().slice(this.logStart).includes(listening);
        if ((await fetch(`${this.baseUrl}/health`)).ok && ours) return true;
      } catch {
        // not listening yet
      }
      await delay(25);
    }
    return false;
  }

  // A REST call with the admin's token, or with `token` (an operator's, say).
  async api(method, path, body, token = adminToken) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
  }

  // A new operator token for `extension`.
  async operatorToken(extension) {
    const created = await this.api('POST', '/api/tokens', { name: `operator ${extension}`, role: 'operator', extension });
    assert.equal(created.status, 201, created.text);
    return created.body.token;
  }

  async health() {
    return (await fetch(`${this.baseUrl}/health`)).json();
  }

  // A supervisor console: sees every line and every sip:* event. Resolves once connected, with the snapshot.
  async console() {
    const created = await this.api('POST', '/api/tokens', { name: 'lab supervisor', role: 'supervisor' });
    assert.equal(created.status, 201, created.text);
    const socket = io(this.baseUrl, { auth: { token: created.body.token }, reconnection: false });
    this.sockets = [...(this.sockets ?? []), socket];
    const events = [];
    socket.onAny((name, payload) => events.push({ name, payload, at: Date.now() }));
    const connected = new Promise((resolve, reject) => {
      socket.once('calls:snapshot', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, events, snapshot: await withTimeout(connected, 5000, 'the console to connect') };
  }

  log() {
    return this.process ? this.process.output() : '';
  }

  // SIGKILL to the whole group, as when the host dies: no goodbye to the PBX, the phones or Redis.
  async kill() {
    for (const socket of this.sockets ?? []) socket.disconnect();
    this.sockets = [];
    if (!this.process) return;
    try {
      process.kill(-this.process.child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    await this.process.exited;
    this.process = null;
  }

  // SIGTERM; a clean exit (0) is part of every test: under ASan a leak or an error makes it non-zero.
  async stop() {
    for (const socket of this.sockets ?? []) socket.disconnect();
    this.sockets = [];
    if (!this.process) return removeDir(this.dir);
    // One SIGTERM, to the `timeout` wrapper the lab runs every process under: it passes it on once. A
    // second one (to the whole group) could land while the service is already shutting down.
    const wrapper = this.process.child;
    wrapper.kill('SIGTERM');
    const killer = setTimeout(() => {
      try {
        process.kill(-wrapper.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }, 15000);
    const { code, signal } = await this.process.exited;
    clearTimeout(killer);
    const output = this.process.output();
    this.process = null;
    removeDir(this.dir);
    if (code !== 0) throw new Error(`pjsip-service exited with ${code ?? signal} after SIGTERM:\n${output.slice(-6000)}`);
  }
}

export async function startService(lab, options) {
  const service = lab.track('pjsip-service', new Service(options));
  return service.start();
}

// Resolves with the first recorded event (from `since` on) matching, waiting up to `timeoutMs`.
export async function eventually(events, name, predicate, timeoutMs, since = 0) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events.find((event) => event.at >= since && event.name === name && predicate(event.payload));
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = events.map((event) => `${event.name} ${JSON.stringify(event.payload)}`).join('\n');
      throw new Error(`no ${name} within ${timeoutMs} ms; events so far:\n${seen}`);
    }
    await delay(20);
  }
}

// Polls `read` until its value satisfies `predicate`; the error shows the last value.
export async function until(read, predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  let value;
  do {
    value = await read();
    if (predicate(value)) return value;
    await delay(50);
  } while (Date.now() < deadline);
  throw new Error(`${what} not seen within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
}

export const healthBecomes = (service, predicate, timeoutMs, what) =>
  until(() => service.health(), predicate, timeoutMs, `/health with ${what}`);
