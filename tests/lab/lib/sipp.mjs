// SIPp as a scripted peer: one scenario in the foreground with a global timeout, its SIP traffic logged.
// Exit codes (SIPp's): 0 every call succeeded, 1 at least one failed, 97 stopped by a command,
// 99 no call processed, 255 (-1/-2) fatal error such as a port that cannot be bound.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delay, freePort, freeUdpPortRun, labDir, LabProcess, portBound, removeDir } from './processes.mjs';

export const scenarioDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

class Sipp {
  constructor(options) {
    this.options = options;
    this.host = options.host;
    this.dir = labDir('sipp');
    const { scenario } = options;
    this.scenarioFile = isAbsolute(scenario) ? scenario : join(scenarioDir, scenario.endsWith('.xml') ? scenario : `${scenario}.xml`);
    if (!existsSync(this.scenarioFile)) throw new Error(`no SIPp scenario ${this.scenarioFile}`);
    this.messageFile = join(this.dir, 'messages.log');
    this.errorFile = join(this.dir, 'errors.log');
  }

  args() {
    const o = this.options;
    const args = [];
    if (o.remote) args.push(o.remote);
    args.push('-sf', this.scenarioFile, '-i', this.host, '-p', String(this.port), '-bind_local');
    args.push('-mi', this.host, '-mp', String(this.mediaPort));
    args.push('-t', o.transport.toLowerCase() === 'tcp' ? 't1' : 'u1');
    args.push('-m', String(o.calls), '-d', String(o.durationMs), '-s', o.service);
    args.push('-key', 'caller', o.caller);
    // Scenarios place [headers] where extra header lines may go; it cannot be empty, so a harmless default.
    args.push('-key', 'headers', (o.headers.length ? o.headers : ['X-Lab: sipp']).join('\r\n'));
    args.push('-timeout', `${Math.ceil(o.timeoutMs / 1000)}s`, '-timeout_error');
    args.push('-nostdin', '-fd', '3600');
    args.push('-trace_err', '-error_file', this.errorFile);
    if (o.traceMessages) args.push('-trace_msg', '-message_file', this.messageFile);
    if (o.rtpEcho) args.push('-rtp_echo');
    if (o.rate) args.push('-r', String(o.rate));
    args.push(...o.extraArgs);
    return args;
  }

  async start() {
    for (let attempt = 1; attempt <= 4; attempt++) {
      this.port = this.options.port ?? (await freePort());
      this.mediaPort = await freeUdpPortRun(4);
      this.process = new LabProcess(`sipp ${this.options.scenario}`, 'sipp', this.args(), {
        cwd: this.dir,
        logFile: join(this.dir, `sipp-${attempt}.log`),
      });
      this.done = this.process.exited.then(({ code, signal }) => (code ?? (signal ? 128 : -1)));
      if (await this.waitListening()) return this;
      const output = this.process.output();
      await this.process.stop(500);
      if (attempt < 4 && !this.options.port && /bind|in use/i.test(output)) continue; // lost a port race
      throw new Error(`sipp ${this.options.scenario} did not start:\n${output.slice(-4000)}`);
    }
    throw new Error('sipp: no free port after 4 attempts');
  }

  // Waits until SIPp has bound its SIP port (a server must be before the test sends it traffic). A quick
  // client may already be done: that counts as started unless it failed on a fatal error (255).
  async waitListening() {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (!this.process.alive) return (await this.process.exited).code !== 255;
      if (portBound(this.port, this.options.transport, this.host)) return true;
      await delay(10);
    }
    return false;
  }

  get address() {
    return `${this.host}:${this.port}`;
  }

  // The exit code, after at most `timeoutMs` (then the process is stopped and the error says so).
  async result(timeoutMs = this.options.timeoutMs + 5000) {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const outcome = await Promise.race([this.done, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      await this.stop();
      throw new Error(`sipp ${this.options.scenario} still running after ${timeoutMs} ms:\n${this.log()}`);
    }
    return outcome;
  }

  // Everything SIPp sent and received, as text.
  messages() {
    return existsSync(this.messageFile) ? readFileSync(this.messageFile, 'utf8') : '';
  }

  // The same split into messages, in order: [{direction: 'sent'|'received', text}].
  exchange() {
    return this.messages()
      .split(/^-{10,}.*$/m)
      .map((block) => block.trim())
      .filter((block) => /message (sent|received)/.test(block))
      .map((block) => ({ direction: /message sent/.test(block) ? 'sent' : 'received', text: block.replace(/^.*\n+/, '') }));
  }

  errors() {
    return existsSync(this.errorFile) ? readFileSync(this.errorFile, 'utf8') : '';
  }

  log() {
    const output = this.process ? this.process.output() : '';
    return `${output.slice(-3000)}\n--- errors ---\n${this.errors().slice(-3000)}\n--- messages ---\n${this.messages().slice(-6000)}`;
  }

  async stop() {
    if (this.process) await this.process.stop(1000);
    if (!this.options.keepFiles) removeDir(this.dir);
  }
}

// scenario: a file name in tests/lab/scenarios (with or without .xml) or an absolute path.
// remote: "host:port" for a client scenario (omit for a server). service: the -s user (Request-URI of
// client scenarios); caller: the From user of uac_invite*; headers: extra header lines for uac_invite;
// durationMs: -d (pauses); calls: -m; rtpEcho: echo the RTP received (-rtp_echo); host: the local address
// SIPp binds and names (another 127.0.0.x to be a peer of its own); traceMessages: false to keep no copy of
// the traffic (a flood).
export async function startSipp({
  host = '127.0.0.1',
  traceMessages = true,
  scenario,
  remote = null,
  transport = 'udp',
  calls = 1,
  service = 'service',
  caller = '+79990000001',
  durationMs = 0,
  timeoutMs = 30000,
  rtpEcho = false,
  headers = [],
  rate = null,
  port = null,
  extraArgs = [],
  keepFiles = false,
} = {}) {
  const sipp = new Sipp({ scenario, remote, transport, calls, service, caller, durationMs, timeoutMs, rtpEcho, headers, rate, port, extraArgs, keepFiles, host, traceMessages });
  try {
    return await sipp.start();
  } catch (error) {
    await sipp.stop();
    throw error;
  }
}

// A run's -trace_counts file (pass '-trace_counts' in extraArgs): its last (final) row as {column: value}.
export function finalCounts(dir) {
  const file = readdirSync(dir).find((name) => name.endsWith('_counts.csv'));
  if (!file) throw new Error(`no SIPp counts file in ${dir}`);
  const rows = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const names = rows[0].split(';');
  const values = rows.at(-1).split(';');
  return Object.fromEntries(names.map((name, i) => [name, Number(values[i])]));
}

// One counter of finalCounts' row by the end of its column name ('_503_Recv'); 0 when absent.
export const countOf = (counts, suffix) => Object.entries(counts).find(([name]) => name.endsWith(suffix))?.[1] ?? 0;
