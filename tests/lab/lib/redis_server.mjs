// A throwaway Redis (Debian's redis-server) for the cluster tests: loopback only, a free port, no
// persistence, in a temporary directory. stop() and start() keep the port, so a test can take Redis away
// during calls and bring it back empty at the same address the instances keep retrying.
import net from 'node:net';
import { join } from 'node:path';
import { delay, labDir, LabProcess, removeDir, stablePort } from './processes.mjs';

// One command in RESP over a fresh connection, for PING and for tests that read a key. Resolves with the
// reply: a simple string or integer as text, a bulk string (null when absent); an error reply rejects, and
// so does a server that does not listen. Arrays are not needed and not read.
export function redisCommand(port, ...words) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    socket.setTimeout(2000, () => socket.destroy(new Error(`no answer from Redis on port ${port}`)));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const reply = parseReply(received);
      if (reply === undefined) return;
      socket.end();
      if (reply instanceof Error) reject(reply);
      else resolve(reply);
    });
    socket.once('connect', () => {
      const parts = words.map((word) => `$${Buffer.byteLength(String(word))}\r\n${word}\r\n`);
      socket.write(`*${words.length}\r\n${parts.join('')}`);
    });
  });
}

// The reply in `buffer`, or undefined while it is incomplete.
function parseReply(buffer) {
  const end = buffer.indexOf('\r\n');
  if (end < 0) return undefined;
  const kind = String.fromCharCode(buffer[0]);
  const line = buffer.subarray(1, end).toString('utf8');
  if (kind === '-') return new Error(`Redis: ${line}`);
  if (kind !== '$') return line;
  const length = Number(line);
  if (length < 0) return null;
  if (buffer.length < end + 2 + length + 2) return undefined;
  return buffer.subarray(end + 2, end + 2 + length).toString('utf8');
}

export class RedisServer {
  constructor() {
    this.dir = labDir('redis');
    this.port = null;
    this.process = null;
    this.starts = 0;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  // Starts (again) on this server's port; the first start picks a free one and retries on a lost race.
  async start() {
    const restart = this.port !== null;
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (!restart) this.port = await stablePort();
      this.starts += 1;
      this.process = new LabProcess('redis-server', 'redis-server', this.arguments(), {
        cwd: this.dir,
        logFile: join(this.dir, `redis-${this.starts}.log`),
      });
      this.lastProcess = this.process;
      if (await this.waitReady()) return this;
      const output = this.process.output();
      await this.process.stop();
      this.process = null;
      if (!/in use/i.test(output)) throw new Error(`redis-server did not start:\n${output}`);
      if (restart) throw new Error(`redis-server could not take its port ${this.port} back:\n${output}`);
    }
    throw new Error('redis-server: lost the race for a free port three times');
  }

  arguments() {
    return [
      '--bind', '127.0.0.1',
      '--port', String(this.port),
      '--dir', this.dir,
      '--save', '',
      '--appendonly', 'no',
      '--protected-mode', 'yes',
      '--daemonize', 'no',
      '--loglevel', 'notice',
    ];
  }

  // Ready when it answers PING; false when it exits first or does not answer within `timeoutMs`.
  async waitReady(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.process.alive) {
      try {
        if ((await redisCommand(this.port, 'PING')) === 'PONG') return true;
      } catch {
        // not listening yet
      }
      await delay(20);
    }
    return false;
  }

  // Takes Redis away (SIGKILL: no goodbye to the clients, as when the server dies); the port stays ours to
  // start on again.
  async kill() {
    if (!this.process) return;
    try {
      process.kill(-this.process.child.pid, 'SIGKILL'); // its process group: the wrapper and the server
    } catch {
      // gone already
    }
    await this.process.exited;
    this.process = null;
  }

  // A clean shutdown (SIGTERM); the data is not kept either way.
  async stop() {
    if (this.process) await this.process.stop(3000);
    this.process = null;
  }

  // The server is gone for good: stopped and its directory removed (a lab session calls this).
  async remove() {
    await this.stop();
    removeDir(this.dir);
  }

  command(...words) {
    return redisCommand(this.port, ...words);
  }

  // The output of the last start (each start writes its own file in the directory).
  log() {
    return this.lastProcess ? this.lastProcess.output() : '';
  }
}

// A started Redis tracked by the lab session: removed at the end of the test, also on failure.
export async function startRedis(lab) {
  const server = await new RedisServer().start();
  lab.track('redis-server', { stop: () => server.remove(), log: () => server.log() });
  return server;
}
