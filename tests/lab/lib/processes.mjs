// Lab processes: spawn in their own process group with output to a file, stop for sure, free loopback ports.
// Every process a lab helper starts is registered here and killed when Node exits, even after a crash.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const running = new Set();

// Even if Node dies without running its exit handlers (SIGKILL from a test timeout), no lab process
// outlives this many seconds: each one runs under coreutils' timeout.
const maxLifetimeSeconds = Number(process.env.FF_LAB_MAX_SECONDS ?? 900);

function killAll() {
  for (const child of running) killGroup(child, 'SIGKILL');
}

process.on('exit', killAll);

// For test processes: a SIGINT/SIGTERM/SIGHUP kills every lab process, then ends Node as the signal would.
export function killLabProcessesOnSignals() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function labDir(prefix) {
  return mkdtempSync(join(tmpdir(), `ff-lab-${prefix}-`));
}

// Rejects after `ms` with a message saying what was awaited; `promise` wins if it settles first.
export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function bindUdp(port) {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

function bindTcp(port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// A port for a server the test stops and starts again on the same port (a database, Redis, the PBX, the
// service): free for UDP and TCP now, and below Linux's ephemeral range (32768+) and the phones' and
// rtpengine's RTP ranges (16000-32000), so that no client's outgoing connection takes it while the server is
// down. The caller must still retry a first start that loses the race for it.
export async function stablePort() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 12000 + Math.floor(Math.random() * 4000);
    let udp = null;
    try {
      udp = await bindUdp(port);
      const tcp = await bindTcp(port);
      await new Promise((resolve) => tcp.close(resolve));
      return port;
    } catch {
      // taken: try another
    } finally {
      udp?.close();
    }
  }
  throw new Error('no port free for both UDP and TCP in 12000-15999 on 127.0.0.1');
}

// A port free on 127.0.0.1 for both UDP and TCP at the time of the call (SIP listens on both).
// The caller must still retry when the process it starts loses the race for the port.
// A base port with `count` UDP ports free from it on: SIPp binds its media port and the next three (audio RTCP,
// video RTP and RTCP); one of them taken makes it stop at its first call, having sent nothing.
export async function freeUdpPortRun(count) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await bindUdp(0);
    const base = first.address().port;
    const held = [first];
    try {
      for (let next = 1; next < count; next++) held.push(await bindUdp(base + next));
      return base;
    } catch {
      // one of the next ports is taken (or past 65535): try another base
    } finally {
      for (const socket of held) socket.close();
    }
  }
  throw new Error(`no ${count} consecutive UDP ports free on 127.0.0.1`);
}

export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const udp = await bindUdp(0);
    const { port } = udp.address();
    try {
      const tcp = await bindTcp(port);
      await new Promise((resolve) => tcp.close(resolve));
      return port;
    } catch {
      // taken for TCP: try another
    } finally {
      udp.close();
    }
  }
  throw new Error('no port free for both UDP and TCP on 127.0.0.1');
}

// True when a socket is bound to host:port (UDP) or listens there (TCP), host an IPv4 address (127.0.0.1 by
// default), read from /proc/net so that checking never races the program that is about to bind.
export function portBound(port, transport = 'udp', host = '127.0.0.1') {
  const tcp = transport.toLowerCase() === 'tcp';
  const table = readFileSync(tcp ? '/proc/net/tcp' : '/proc/net/udp', 'utf8');
  // /proc/net writes the address as one number in hexadecimal, in the host's (little-endian) byte order.
  const address = host
    .split('.')
    .reverse()
    .map((byte) => Number(byte).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
  const local = `${address}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const any = `00000000:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table.split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    return (fields[1] === local || fields[1] === any) && (!tcp || fields[3] === '0A');
  });
}

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole group: Kamailio forks its workers
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

// A started program: its output goes to `logFile`; `exited` resolves with {code, signal}.
export class LabProcess {
  constructor(name, command, args, { cwd, logFile, env }) {
    this.name = name;
    this.logFile = logFile;
    const out = openSync(logFile, 'a');
    this.child = spawn('timeout', ['--kill-after=5', String(maxLifetimeSeconds), command, ...args], {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', out, out],
      detached: true, // own process group, so stop() reaches every child it forks
    });
    closeSync(out);
    running.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        resolve({ code, signal });
      });
      this.child.once('error', (error) => {
        running.delete(this.child);
        resolve({ code: null, signal: null, error });
      });
    });
  }

  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output() {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  // Waits until the output matches `pattern`; fails at once if the process exits first.
  async waitForOutput(pattern, timeoutMs, what = String(pattern)) {
    const deadline = Date.now() + timeoutMs;
    let pause = 5;
    while (Date.now() < deadline) {
      if (pattern.test(this.output())) return;
      if (!this.alive) throw new Error(`${this.name} exited while waiting for ${what}:\n${this.tail()}`);
      await delay(pause);
      pause = Math.min(pause * 2, 50);
    }
    throw new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}:\n${this.tail()}`);
  }

  tail(lines = 60) {
    return this.output().split('\n').slice(-lines).join('\n');
  }

  // SIGTERM to the group (again after `secondTermMs` if given: baresip takes a second one as "now"),
  // SIGKILL after `graceMs`. Returns how the process exited.
  async stop(graceMs = 3000, secondTermMs = null) {
    killGroup(this.child, 'SIGTERM');
    const timers = [setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs)];
    if (secondTermMs !== null) timers.push(setTimeout(() => killGroup(this.child, 'SIGTERM'), secondTermMs));
    const result = await this.exited;
    for (const timer of timers) clearTimeout(timer);
    try {
      process.kill(-this.child.pid, 'SIGKILL'); // workers that outlived their parent, if any
    } catch {
      // the group is empty
    }
    return result;
  }
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
