// Starts the real service binary for black-box tests: free port, fresh data directory, known admin token.
// Every started process is killed at the end; its output is printed when a test using it fails.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as nodeTest } from 'node:test';

const running = new Set(); // processes alive
const known = new Set(); // services not stopped yet, alive or not: their output is still on disk

// A process still alive when Node exits (a test crashed) must not outlive the run.
process.on('exit', () => {
  for (const service of running) service.killNow();
});

export function binaryPath() {
  const binary = process.env.FF_SERVICE_BINARY;
  if (!binary) throw new Error('FF_SERVICE_BINARY must name the pjsip-service-simulated-sip binary');
  return binary;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// 40 URL-safe characters.
export function randomToken() {
  return randomBytes(30).toString('base64url');
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const defaultSipUsers = 'operator1:pass-one:1001:Иванов И.И.,operator2:pass-two:1002:Петров П.П.,operator3:pass-three:1003:Сидоров С.С.';

class Service {
  constructor(options) {
    this.options = options;
    this.dir = mkdtempSync(join(tmpdir(), 'ff-service-'));
    this.dataDir = join(this.dir, 'data');
    this.logFile = join(this.dir, 'service.log');
    this.adminToken = 'adminToken' in options ? options.adminToken : randomToken();
    this.child = null;
    this.exited = null;
    known.add(this);
  }

  environment() {
    const env = {
      PATH: process.env.PATH,
      HOME: this.dir,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATA_DIR: this.dataDir,
      DATABASE_URL: `sqlite:${join(this.dir, 'calls.db')}`,
      WEB_DIR: process.env.FF_WEB_DIR ?? '',
      CORS_ORIGIN: 'http://crm.example.test',
      SIP_USERS: defaultSipUsers,
      DEFAULT_REGION: 'RU',
      TZ: 'Europe/Moscow',
      LOG_LEVEL: 'debug',
    };
    if (this.adminToken) env.ADMIN_TOKEN = this.adminToken;
    for (const [name, value] of Object.entries(this.options.env ?? {})) {
      if (value === undefined || value === null) delete env[name];
      else env[name] = String(value);
    }
    return env;
  }

  async start() {
    for (let attempt = 1; ; attempt++) {
      // A restart keeps its port when it can, so baseUrl stays valid for clients that reconnect.
      this.port = attempt === 1 && this.port ? this.port : await freePort();
      this.baseUrl = `http://127.0.0.1:${this.port}`;
      this.logStart = this.output().length;  // a restart appends to the same log
      const out = openSync(this.logFile, 'a');
      this.child = spawn(binaryPath(), this.options.args ?? [], {
        cwd: this.dir, // no stray .env from the repository
        env: this.environment(),
        stdio: ['ignore', out, out],
      });
      closeSync(out);
      running.add(this);
      this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
      const ready = await this.waitReady();
      if (ready) return this;
      running.delete(this);
      // Another process may have taken the port between our probe and the bind: try a new one.
      if (attempt < 3 && /in use/i.test(this.output())) continue;
      throw new Error(`service did not become ready:\n${this.output()}`);
    }
  }

  // Polls /health until it answers and this process says it listens on the port (another process that took
  // the port between freePort() and the bind answers /health too, while this one exits "address in use");
  // gives up at once if the process exits.
  async waitReady(timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    this.exited.then(() => { gone = true; });
    const { LOG_LEVEL: level, HOST: host } = this.environment();
    const quiet = ['warn', 'error', 'critical', 'off'].includes(level);
    const listening = `listening on http://${host}:${this.port} `;
    let pause = 5;
    while (!gone && Date.now() < deadline) {
      try {
        const response = await fetch(`${this.baseUrl}/health`);
        if (response.ok && (quiet || this.output().slice(this.logStart).includes(listening))) return true;
      } catch {
        // not listening yet
      }
      await delay(pause);
      pause = Math.min(pause * 2, 100);
    }
    return false;
  }

  output() {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  killNow() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  // SIGTERM, then SIGKILL if it does not exit in time. Returns how it exited.
  async terminate() {
    if (!this.child) return null;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.killNow(), 10000);
    const result = await this.exited;
    clearTimeout(timer);
    running.delete(this);
    return result;
  }

  async restart() {
    await this.terminate();
    await this.start();
    return this;
  }

  async stop() {
    const result = await this.terminate();
    known.delete(this);
    if (!this.options.keepFiles) rmSync(this.dir, { recursive: true, force: true });
    return result;
  }

  // fetch() with JSON in and out. `token` undefined: the admin token; null: none.
  async api(method, path, body, token, { headers = {}, rawBody, contentType } = {}) {
    const request = { method, headers: { ...headers } };
    const bearer = token === undefined ? this.adminToken : token;
    if (bearer) request.headers.Authorization = `Bearer ${bearer}`;
    if (rawBody !== undefined) {
      request.body = rawBody;
      if (contentType) request.headers['Content-Type'] = contentType;
    } else if (body !== undefined) {
      request.body = JSON.stringify(body);
      request.headers['Content-Type'] = contentType ?? 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, request);
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, body: json, text };
  }

  // A new token of that role (operators need their extension); returns the secret.
  async createToken(role, extension, name = `${role} ${extension ?? ''}`.trim()) {
    const created = await this.api('POST', '/api/tokens', { name, role, ...(extension ? { extension } : {}) });
    if (created.status !== 201) throw new Error(`cannot create a ${role} token: ${created.status} ${created.text}`);
    return created.body.token;
  }

  // Plays the SIP side through the test-only routes (no token).
  async simulate(path, body = {}) {
    const result = await this.api('POST', `/_simulator${path}`, body, null);
    if (result.status >= 300) throw new Error(`simulator ${path}: ${result.status} ${result.text}`);
    return result.body;
  }
}

// Starts a service; `env` entries override the defaults (undefined or null removes one).
export async function startService(options = {}) {
  const service = new Service(options);
  try {
    return await service.start();
  } catch (error) {
    await service.stop();
    throw error;
  }
}

// node:test's test(), printing the output of every running service when the test fails.
export function test(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  return nodeTest(name, options, async (context) => {
    try {
      await fn(context);
    } catch (error) {
      for (const service of known) {
        process.stderr.write(`\n----- service output (${service.baseUrl}) for failed test "${name}" -----\n`);
        process.stderr.write(service.output());
        process.stderr.write('----- end of service output -----\n');
      }
      throw error;
    }
  });
}

// Reads `read()` until `ok(value)` holds, for at most `timeoutMs`; resolves with that value. For what the
// service does after answering (a record written on the storage thread), which no event announces here.
export async function until(read, ok, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
