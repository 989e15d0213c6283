// Kamailio as the lab's office PBX: fills the config template, starts it in the foreground, waits for OPTIONS.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { delay, freePort, labDir, LabProcess, removeDir, stablePort } from './processes.mjs';
import { probeOptions } from './sip_client.mjs';

const run = promisify(execFile);
const templateFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'kamailio', 'pbx.cfg.tmpl');

// Values go into double-quoted cfg strings; refuse what would need escaping rather than escape it.
function cfgString(value, what) {
  const text = String(value);
  if (!/^[A-Za-z0-9 !#%&'()*+,\-./:;<=>?@[\]^_`{|}~]*$/.test(text)) {
    throw new Error(`${what} ${JSON.stringify(text)}: only printable ASCII without quotes, backslashes or $`);
  }
  return `"${text}"`;
}

function userName(value, what) {
  if (!/^[A-Za-z0-9_.+-]+$/.test(String(value))) throw new Error(`${what} ${JSON.stringify(value)} is not a plain SIP user`);
  return String(value);
}

export function pstnUri({ host = '127.0.0.1', port, transport = 'udp' }) {
  return `sip:${host}:${port};transport=${transport.toLowerCase()}`;
}

function htableInit(users, pstn) {
  const lines = [];
  for (const { username, password, extension } of users) {
    const login = userName(username, 'username');
    const ext = userName(extension ?? username, 'extension');
    lines.push(`    $sht(users=>password:${login}) = ${cfgString(password, 'password')};`);
    lines.push(`    $sht(users=>extension:${login}) = "${ext}";`);
    lines.push(`    $sht(users=>login:${ext}) = "${login}";`);
  }
  if (pstn) lines.push(`    $sht(routes=>pstn) = ${cfgString(pstnUri(pstn), 'PSTN peer')};`);
  if (lines.length === 0) lines.push('    return;');
  return lines.join('\n');
}

// The tls module's own config: the PBX's certificate; clients (the service's lines) are not asked for one.
function tlsConfig({ certificate, key }) {
  return [
    '[server:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    `private_key = ${key}`,
    `certificate = ${certificate}`,
    '',
    '[client:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    '',
  ].join('\n');
}

export function renderConfig({ port, runtimeDir, users, pstn, realm, ringTimeoutMs, debugLevel, tls = null, tlsPort = null }) {
  let tlsListen = '';
  let tlsModule = '';
  if (tls) {
    const file = join(runtimeDir, 'tls.cfg');
    writeFileSync(file, tlsConfig(tls));
    tlsListen = `enable_tls=yes\nlisten=tls:127.0.0.1:${tlsPort}`;
    tlsModule = `loadmodule "tls.so"\nmodparam("tls", "config", ${cfgString(file, 'tls config')})`;
  }
  const values = {
    TLS_LISTEN: tlsListen,
    TLS_MODULE: tlsModule,
    PORT: String(port),
    RUNTIME_DIR: runtimeDir,
    REALM: userName(realm, 'realm'),
    AUTH_SECRET: randomBytes(12).toString('hex'),
    DEBUG_LEVEL: String(debugLevel),
    RING_TIMEOUT_MS: String(ringTimeoutMs),
    HTABLE_INIT: htableInit(users, pstn),
  };
  return readFileSync(templateFile, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (all, name) => {
    if (!(name in values)) throw new Error(`pbx.cfg.tmpl: unknown placeholder ${all}`);
    return values[name];
  });
}

class Kamailio {
  constructor(options) {
    this.options = options;
    this.host = '127.0.0.1';
    this.realm = options.realm;
    this.dir = labDir('kamailio');
    this.process = null;
  }

  async start() {
    for (let attempt = 1; attempt <= 4; attempt++) {
      this.port = this.options.port ?? (await stablePort());
      if (this.options.tls) this.tlsPort = await freePort();
      const cfg = join(this.dir, 'pbx.cfg');
      writeFileSync(cfg, renderConfig({ ...this.options, port: this.port, tlsPort: this.tlsPort, runtimeDir: this.dir }));
      this.process = new LabProcess(
        'kamailio',
        'kamailio',
        ['-DD', '-E', '-f', cfg, '-Y', this.dir, '-m', '32', '-M', '4'],
        { cwd: this.dir, logFile: join(this.dir, `kamailio-${attempt}.log`) },
      );
      if (await this.waitReady(this.options.startTimeoutMs)) return this;
      const output = this.process.output();
      await this.process.stop();
      if (!this.options.port && /already in use/i.test(output)) continue; // lost the port race: take another
      throw new Error(`kamailio did not answer OPTIONS on ${this.host}:${this.port}:\n${output.slice(-4000)}`);
    }
    throw new Error('kamailio: no free port after 4 attempts');
  }

  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.process.alive) {
      if ((await probeOptions(this.host, this.port, 200)) === 200) return true;
      await delay(20);
    }
    return false;
  }

  get address() {
    return `${this.host}:${this.port}`;
  }

  // A SIP URI at this PBX: uri('1001') -> sip:1001@127.0.0.1:port
  uri(user, transport) {
    return `sip:${user}@${this.address}${transport ? `;transport=${transport.toLowerCase()}` : ''}`;
  }

  log() {
    return this.process ? this.process.output() : '';
  }

  // Runs a Kamailio RPC command over the ctl socket; returns kamcmd's text output.
  // Every argument is passed as a string ("s:"), so an extension like 1001 is not taken for a number.
  async rpc(command, ...args) {
    const { stdout } = await run(
      'kamcmd',
      ['-s', `unix:${join(this.dir, 'kamailio_ctl')}`, command, ...args.map((arg) => `s:${arg}`)],
      { timeout: 5000 },
    );
    if (/^error: /m.test(stdout)) throw new Error(`kamcmd ${command}: ${stdout.trim()}`);
    return stdout;
  }

  // Moves the PSTN peer at run time (or removes it with null: numbers then get 503).
  async setPstn(pstn) {
    if (pstn) await this.rpc('htable.sets', 'routes', 'pstn', pstnUri(pstn));
    else await this.rpc('htable.delete', 'routes', 'pstn');
  }

  // Adds a user or changes a password at run time.
  async setUser({ username, password, extension }) {
    const ext = extension ?? username;
    await this.rpc('htable.sets', 'users', `password:${userName(username, 'username')}`, String(password));
    await this.rpc('htable.sets', 'users', `extension:${username}`, userName(ext, 'extension'));
    await this.rpc('htable.sets', 'users', `login:${ext}`, username);
  }

  // The contact URIs registered for an extension (empty when none).
  async contacts(extension) {
    let output;
    try {
      output = await this.rpc('ul.lookup', 'location', extension);
    } catch (error) {
      if (/404|not found/i.test(error.message)) return [];
      throw error;
    }
    return [...output.matchAll(/Address:\s*(\S+)/g)].map((match) => match[1]);
  }

  async stop() {
    if (this.process) await this.process.stop();
    if (!this.options.keepFiles) removeDir(this.dir);
  }
}

// users: [{username, password, extension}]; pstn: {host, port, transport} or null; port: fixed (else free);
// tls: {certificate, key} (PEM files) to listen for TLS too, on `tlsPort` (free).
export async function startKamailio({
  port = null,
  tls = null,
  users = [],
  pstn = null,
  realm = 'pbx.lab',
  ringTimeoutMs = 60000,
  debugLevel = 2,
  startTimeoutMs = 10000,
  keepFiles = false,
} = {}) {
  const kamailio = new Kamailio({ port, tls, users, pstn, realm, ringTimeoutMs, debugLevel, startTimeoutMs, keepFiles });
  try {
    return await kamailio.start();
  } catch (error) {
    await kamailio.stop();
    throw error;
  }
}
