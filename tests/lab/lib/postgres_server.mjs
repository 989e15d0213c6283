// A throwaway PostgreSQL 15 server for the lab: initdb in a temporary directory, the server on a free
// 127.0.0.1 port, stopped and started again at will (to take the database away from the service), removed at
// exit. Run as the "postgres" system user when the tests run as root: PostgreSQL refuses root.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { delay, labDir, LabProcess, stablePort } from './processes.mjs';

const run = promisify(execFile);
const binDir = process.env.FF_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid() === 0;

// Directories still to remove when Node exits, even if a test forgot to call remove().
const leftovers = new Set();
process.on('exit', () => {
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
});

function postgresUser() {
  const line = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).trim();
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

// [command, args] for a PostgreSQL program, through runuser when we are root.
function asOwner(program, args) {
  const binary = join(binDir, program);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

class PostgresServer {
  constructor({ database, startTimeoutMs }) {
    this.database = database;
    this.startTimeoutMs = startTimeoutMs;
    this.dir = labDir('postgres');
    leftovers.add(this.dir);
    this.data = join(this.dir, 'data');
    this.process = null;
    this.starts = 0;
    this.port = null;
  }

  async init() {
    if (!existsSync(join(binDir, 'initdb'))) {
      throw new Error(`no initdb in ${binDir} (apt-get install postgresql-15, or set FF_POSTGRES_BIN)`);
    }
    if (asRoot) {
      const { uid, gid } = postgresUser();
      chownSync(this.dir, uid, gid);
    }
    const [command, args] = asOwner('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-locale', '-E', 'UTF8']);
    try {
      await run(command, args, { cwd: this.dir, timeout: 60000 });
    } catch (error) {
      throw new Error(`initdb failed: ${error.stderr ?? error.message}`);
    }
  }

  // Starts the server in the foreground under the lab's process registry (killed if Node dies). The first
  // start picks a free port; later starts keep it, so the service's DATABASE_URL stays valid.
  async start() {
    if (this.process?.alive) return this;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const firstStart = this.port === null;
      if (firstStart) this.port = await stablePort();
      this.starts += 1;
      const [command, args] = asOwner('postgres', [
        '-D', this.data,
        '-p', String(this.port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', `unix_socket_directories=${this.dir}`,
        '-c', 'fsync=off',
      ]);
      this.process = new LabProcess('postgres', command, args, { cwd: this.dir, logFile: join(this.dir, `server-${this.starts}.log`) });
      try {
        await this.process.waitForOutput(/database system is ready to accept connections/, this.startTimeoutMs, 'PostgreSQL to accept connections');
      } catch (error) {
        const output = this.process.output();
        await this.process.stop();
        this.process = null;
        // Lost the race for a fresh port: take another. A port we must keep (stablePort(): no client's
        // outgoing connection takes it) is retried as it is, a moment later.
        if (/already in use/i.test(output)) {
          if (firstStart) this.port = null;
          else await delay(500);  // the port we must keep: wait for whoever holds it to let go
          continue;
        }
        throw error;
      }
      if (firstStart) await this.query(`CREATE DATABASE ${this.database}`, { database: 'postgres' });
      return this;
    }
    throw new Error(`PostgreSQL: port ${this.port ?? '(fresh)'} in use after 4 attempts`);
  }

  // Fast shutdown (SIGINT to the postmaster): open sessions are cut as when the database host goes away;
  // the data directory stays for start().
  async stop() {
    if (!this.process) return;
    const server = this.process;
    this.process = null;
    const [command, args] = asOwner('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    try {
      await run(command, args, { cwd: this.dir, timeout: 40000 });
    } catch {
      // not running any more, or did not stop in time: the group kill below settles it
    }
    await server.stop(5000);
  }

  // Stops the server and removes its directory.
  async remove() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    leftovers.delete(this.dir);
  }

  get running() {
    return Boolean(this.process?.alive);
  }

  urlFor(database) {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  // The test's database, for DATABASE_URL.
  get url() {
    return this.urlFor(this.database);
  }

  // A new empty database on the server, as a URL (one per service when tests run several).
  async createDatabase(name) {
    await this.query(`CREATE DATABASE ${name}`, { database: 'postgres' });
    return this.urlFor(name);
  }

  // Runs SQL with psql; resolves with the rows, each an array of column texts (unaligned, tab-separated).
  async query(sql, { database = this.database } = {}) {
    const args = ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-c', sql];
    try {
      const { stdout } = await run('psql', args, { timeout: 20000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } });
      return stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
    } catch (error) {
      throw new Error(`psql ${JSON.stringify(sql)}: ${error.stderr || error.message}`);
    }
  }

  log() {
    return this.process ? this.process.output() : '';
  }
}

// Starts a fresh server with an empty database `database`. Returns {url, port, dir, start(), stop(), remove(),
// query(sql), createDatabase(name), urlFor(name), running, log()}. In a LabSession: lab.track('postgres', pg)
// removes it when the test ends (track calls stop(); remove() also deletes the files, done at exit anyway).
export async function startPostgres({ database = 'ff', startTimeoutMs = 30000 } = {}) {
  const server = new PostgresServer({ database, startTimeoutMs });
  try {
    await server.init();
    return await server.start();
  } catch (error) {
    await server.remove();
    throw error;
  }
}
