// INVITE from the PBX -> call:new at a socket.io client, through the production binary (release
// pjsip-service) with real SIP on 127.0.0.1: the whole inbound path, Sofia-SIP, the bridge, the call model,
// the customer lookup and the Socket.IO fan-out.
//
// This script plays the PBX itself, from one UDP socket: a plain-text INVITE (with SDP, its own Call-ID,
// the caller number in From) to an operator's line at RATE calls/s, cycling over OPERATORS lines; the send
// time of each is noted just before the datagram leaves. Each call rings RING_MS and is then cancelled
// (CANCEL, the 487 ACKed). A second socket plays every operator's phone, registered to the service: 180 to
// each INVITE, 200 and 487 to a CANCEL. It is a load generator, not a SIP stack: nothing is retransmitted on
// loopback, and a lost datagram shows as a missing event. CLIENTS socket.io clients (an admin's token) in
// CLIENT_PROCESSES child processes (bench/clients/) note when each call:new arrives; the event's `from` is
// the caller number, which names the INVITE. Latency = arrival - send, both on this machine's wall clock
// (performance.timeOrigin + performance.now() in each process). The lines register at the lab's Kamailio
// (tests/lab), which is not on the call path.
//
// Env: CALLS (2000), RATE (100 calls/s), RING_MS (1000), OPERATORS (20), CLIENTS (4), CLIENT_PROCESSES (2),
// SERVICE_LOG_LEVEL (warn), FF_SERVICE_BINARY_REAL (a built pjsip-service; otherwise built as Release in
// build-bench/), KEEP=1 keeps the service's directory (its log) and prints it.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseBinary } from './lib/release_binary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = process.env;
if (!existsSync(join(here, 'node_modules/socket.io-client'))) execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
// Every process the lab helpers start dies under coreutils' timeout after this long, whatever happens to Node.
env.FF_LAB_MAX_SECONDS ??= '600';
const { LabProcess, freePort, delay } = await import('../tests/lab/lib/processes.mjs');
const { startKamailio } = await import('../tests/lab/lib/kamailio.mjs');
const { registerContact } = await import('../tests/lab/lib/sip_client.mjs');
const { startClientProcesses, killClientProcesses } = await import('./clients/client_processes.mjs');

const callCount = Number(env.CALLS ?? 2000);
const rate = Number(env.RATE ?? 100);
const ringMs = Number(env.RING_MS ?? 1000);
const operatorCount = Number(env.OPERATORS ?? 20);
const clientCount = Number(env.CLIENTS ?? 4);
const clientProcesses = Number(env.CLIENT_PROCESSES ?? 2);
const adminToken = `bench-admin-token-${Date.now()}-0123456789abcdef`;
const now = () => performance.timeOrigin + performance.now();

const work = mkdtempSync(join(tmpdir(), 'ff-bench-invite-'));
const cleanups = [];
let cleaning = null;
// One cleanup for every way out; a second caller (a signal during the run's own end) waits for the first.
function cleanup() {
  cleaning ??= (async () => {
    killClientProcesses();
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup: ${error.message}`);
      }
    }
    if (env.KEEP === '1') console.log(`work directory kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---- SIP text ------------------------------------------------------------------------------------------------

// The header's value (full or compact name), or null.
function header(text, full, compact) {
  const match = new RegExp(`^(?:${full}${compact ? `|${compact}` : ''})[ \\t]*:[ \\t]*(.*)$`, 'im').exec(text);
  return match ? match[1].trim() : null;
}
const headerLines = (text) => text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n').slice(1);

// A response to `request` with its Via, From, Call-ID and CSeq, and its To with `toTag` added.
function response(request, status, reason, toTag, extra = []) {
  const copied = [];
  for (const line of headerLines(request)) {
    if (/^(via|v|from|f|call-id|i|cseq)[ \t]*:/i.test(line)) copied.push(line);
    else if (/^(to|t)[ \t]*:/i.test(line)) copied.push(/;\s*tag=/i.test(line) ? line : `${line};tag=${toTag}`);
  }
  return [`SIP/2.0 ${status} ${reason}`, ...copied, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

// Caller numbers as keys: the last ten digits, whatever form the service gives the number back in.
const callerKey = (number) => String(number).replace(/\D/g, '').slice(-10);

// ---- the PBX: INVITEs out, each cancelled after RING_MS -------------------------------------------------------

class Pbx {
  constructor(sipAddress, operators) {
    this.sipAddress = sipAddress; // "127.0.0.1:port" of the service
    this.operators = operators;
    this.socket = dgram.createSocket('udp4');
    this.calls = new Map(); // Call-ID -> call
    this.finals = new Map(); // final status of the INVITEs -> count
    this.socket.on('message', (data, from) => this.received(data.toString('latin1'), from));
  }

  async bind() {
    await new Promise((r) => this.socket.bind(0, '127.0.0.1', r));
    this.port = this.socket.address().port;
  }

  send(text) {
    if (this.closed) return; // a CANCEL timer firing after the run stopped
    const [host, port] = this.sipAddress.split(':');
    this.socket.send(Buffer.from(text, 'latin1'), Number(port), host);
  }

  invite(index) {
    const operator = this.operators[index % this.operators.length];
    const caller = `+7999${String(2000000 + index)}`;
    const local = `127.0.0.1:${this.port}`;
    const sdp = ['v=0', `o=pbx ${index} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
      `m=audio ${20000 + (index % 5000) * 2} RTP/AVP 0 8 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
    const call = {
      index, caller,
      uri: `sip:${operator.username}@${this.sipAddress}`,
      via: `SIP/2.0/UDP ${local};branch=z9hG4bK-ff-bench-${index};rport`,
      from: `<sip:${caller}@${local}>;tag=pbx${index}`,
      callId: `ff-bench-${process.pid}-${index}@127.0.0.1`,
      sentAt: 0, firstAnswerAt: 0, provisional: false, cancelDue: false, cancelled: false, final: 0,
    };
    this.calls.set(call.callId, call);
    const text = [
      `INVITE ${call.uri} SIP/2.0`, `Via: ${call.via}`, 'Max-Forwards: 70', `From: ${call.from}`, `To: <${call.uri}>`,
      `Call-ID: ${call.callId}`, 'CSeq: 1 INVITE', `Contact: <sip:${caller}@${local}>`, 'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(sdp, 'latin1')}`, '', sdp,
    ].join('\r\n');
    call.sentAt = now();
    this.send(text);
    setTimeout(() => this.cancel(call), ringMs);
    return call;
  }

  // RFC 3261 9.1: a CANCEL only once a provisional answer has come; until then it waits for one.
  cancel(call) {
    if (call.final || call.cancelled) return;
    if (!call.provisional) {
      call.cancelDue = true;
      return;
    }
    call.cancelled = true;
    this.send([`CANCEL ${call.uri} SIP/2.0`, `Via: ${call.via}`, 'Max-Forwards: 70', `From: ${call.from}`, `To: <${call.uri}>`,
      `Call-ID: ${call.callId}`, 'CSeq: 1 CANCEL', 'Content-Length: 0', '', ''].join('\r\n'));
  }

  received(text, from) {
    const status = Number((/^SIP\/2\.0 (\d{3})/.exec(text) ?? [])[1]);
    if (!status) {
      // A request to the PBX (none is expected on this path): answered, so the service does not retry it.
      if (!/^ACK /.test(text)) this.socket.send(Buffer.from(response(text, 200, 'OK', 'pbx'), 'latin1'), from.port, from.address);
      return;
    }
    const call = this.calls.get(header(text, 'call-id', 'i'));
    const method = (/^\d+\s+(\w+)/.exec(header(text, 'cseq') ?? '') ?? [])[1];
    if (!call || method !== 'INVITE') return;
    call.firstAnswerAt ||= now();
    if (status < 200) {
      call.provisional = true;
      if (call.cancelDue) this.cancel(call);
      return;
    }
    if (call.final) return; // a retransmitted final answer: our ACK crossed it
    call.final = status;
    this.finals.set(status, (this.finals.get(status) ?? 0) + 1);
    // The ACK of a final answer. A 2xx (no phone here answers) would need its own dialog's ACK and a BYE:
    // it is only counted.
    if (status >= 300) {
      this.send([`ACK ${call.uri} SIP/2.0`, `Via: ${call.via}`, 'Max-Forwards: 70', `From: ${call.from}`, `To: ${header(text, 'to', 't')}`,
        `Call-ID: ${call.callId}`, 'CSeq: 1 ACK', 'Content-Length: 0', '', ''].join('\r\n'));
    }
  }

  open() {
    return [...this.calls.values()].filter((c) => !c.final).length;
  }

  close() {
    this.closed = true;
    this.socket.close();
  }
}

// ---- the operators' phones: ring, and give up when cancelled ---------------------------------------------------

class Phones {
  constructor() {
    this.socket = dgram.createSocket('udp4');
    this.invites = new Map(); // Call-ID -> {text of the INVITE, To tag}, until the ACK of the 487
    this.rung = 0;
    this.socket.on('message', (data, from) => this.received(data.toString('latin1'), from));
  }

  async bind() {
    await new Promise((r) => this.socket.bind(0, '127.0.0.1', r));
    this.port = this.socket.address().port;
  }

  reply(text, to) {
    this.socket.send(Buffer.from(text, 'latin1'), to.port, to.address);
  }

  received(text, from) {
    if (text.startsWith('SIP/2.0')) return;
    const method = text.slice(0, text.indexOf(' '));
    const callId = header(text, 'call-id', 'i');
    let invite = this.invites.get(callId);
    if (method === 'INVITE') {
      // A retransmitted INVITE gets the same To tag: one early dialog per call.
      if (!invite) {
        invite = { text, tag: `phone${++this.rung}` };
        this.invites.set(callId, invite);
      }
      this.reply(response(text, 180, 'Ringing', invite.tag, [`Contact: <sip:phone@127.0.0.1:${this.port}>`]), from);
    } else if (method === 'CANCEL') {
      this.reply(response(text, 200, 'OK', invite?.tag ?? 'phone0'), from);
      if (invite) this.reply(response(invite.text, 487, 'Request Terminated', invite.tag), from);
    } else if (method === 'ACK') {
      this.invites.delete(callId);
    } else {
      this.reply(response(text, 200, 'OK', invite?.tag ?? 'phone0'), from); // BYE, OPTIONS ...: nothing to keep
    }
  }

  close() {
    this.socket.close();
  }
}

// ---- the service ------------------------------------------------------------------------------------------------

function serviceBinary() {
  return releaseBinary('pjsip-service', env.FF_SERVICE_BINARY_REAL);
}

// The program under the LabProcess's timeout wrapper (its only child): the service's own pid.
async function programPid(proc) {
  for (let i = 0; i < 200; i++) {
    const pid = Number(readFileSync(`/proc/${proc.child.pid}/task/${proc.child.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    if (pid) return pid;
    await delay(10);
  }
  throw new Error('pjsip-service: no process under the timeout wrapper');
}
const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

async function startService(binary, pbxPort, operators) {
  const dir = join(work, 'service');
  mkdirSync(dir);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const sipPort = await freePort();
    const proc = new LabProcess('pjsip-service', binary, ['--env-file', '/dev/null'], {
      cwd: dir,
      logFile: join(dir, `service-${attempt}.log`),
      env: {
        PATH: env.PATH, HOME: dir, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: join(dir, 'data'),
        DATABASE_URL: `sqlite:${join(dir, 'calls.db')}`, WEB_DIR: join(root, 'web'), ADMIN_TOKEN: adminToken,
        SIP_SERVER: '127.0.0.1', SIP_PORT: String(pbxPort), SIP_LISTEN: `127.0.0.1:${sipPort}`, SIP_REGISTER_EXPIRES: '3600',
        SIP_USERS: operators.map((o) => `${o.username}:${o.password}:${o.extension}:${o.displayName}`).join(','),
        LOG_LEVEL: env.SERVICE_LOG_LEVEL ?? 'warn',
      },
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && proc.alive) {
      try {
        if ((await fetch(`${base}/health`)).ok) {
          const service = { proc, base, sipPort, pid: await programPid(proc) };
          service.health = async () => (await fetch(`${base}/health`)).json();
          service.stop = async () => {
            if (!proc.alive) return;
            process.kill(service.pid, 'SIGTERM');
            const killer = setTimeout(() => proc.stop(0), 15000);
            await proc.exited;
            clearTimeout(killer);
          };
          cleanups.push(() => service.stop());
          return service;
        }
      } catch {
        // not listening yet
      }
      await delay(25);
    }
    const output = proc.output();
    await proc.stop(2000);
    if (!/in use/i.test(output)) throw new Error(`pjsip-service did not start:\n${output.slice(-4000)}`);
  }
  throw new Error('pjsip-service: lost the race for a free port three times');
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : '-');

// ---- the run ------------------------------------------------------------------------------------------------

async function main() {
  const binary = serviceBinary();
  const operators = Array.from({ length: operatorCount }, (_, i) => ({
    username: `bench${String(i + 1).padStart(3, '0')}`, password: `pw-${i + 1}-bench`, extension: String(3001 + i), displayName: `Bench ${i + 1}`,
  }));
  const kamailio = await startKamailio({ users: operators });
  cleanups.push(() => kamailio.stop());
  const service = await startService(binary, kamailio.port, operators);
  for (let i = 0; (await service.health()).registeredUsers !== operators.length; i++) {
    if (i > 400) throw new Error('the lines did not all register at the PBX within 20 s');
    await delay(50);
  }

  const phones = new Phones();
  await phones.bind();
  cleanups.push(() => phones.close());
  for (const operator of operators) {
    const status = await registerContact({
      server: `127.0.0.1:${service.sipPort}`, username: operator.username, password: operator.password,
      contact: `sip:${operator.username}@127.0.0.1:${phones.port}`, expires: 600,
    });
    if (status !== 200) throw new Error(`the phone of ${operator.username} did not register: ${status}`);
  }
  const pbx = new Pbx(`127.0.0.1:${service.sipPort}`, operators);
  await pbx.bind();
  cleanups.push(() => pbx.close());

  const clients = await startClientProcesses({
    base: service.base, token: adminToken, clients: clientCount, processes: clientProcesses, callsPerClient: callCount, record: 'arrival',
  });
  const rssBefore = rssKiB(service.pid);
  const ticksBefore = cpuTicks(service.pid);
  console.log(`${callCount} INVITEs at ${rate}/s to ${operators.length} operator lines (each rings ${ringMs} ms, then cancelled), ` +
    `${clientCount} socket.io clients in ${clients.shares.length} processes, the production binary on 127.0.0.1`);
  clients.start();
  const started = performance.now();
  for (let i = 0; i < callCount && !cleaning; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await delay(wait);
    if (!cleaning) pbx.invite(i);
  }
  if (cleaning) return 130;
  const sendSeconds = (performance.now() - started) / 1000;
  const serviceCpu = (100 * (cpuTicks(service.pid) - ticksBefore)) / ticksPerSecond / sendSeconds;
  const rssLoaded = rssKiB(service.pid);
  const complete = await clients.waitDone(15000);
  for (let i = 0; pbx.open() > 0 && i < (ringMs + 10000) / 100; i++) await delay(100);
  const results = await clients.finish();

  // Every delivery against the send time of the INVITE it names.
  const sentAt = new Map([...pbx.calls.values()].map((c) => [callerKey(c.caller), c.sentAt]));
  const latencies = [];
  const seen = new Set();
  let unmatched = 0;
  for (const result of results) {
    result.callers.forEach((caller, i) => {
      const key = callerKey(caller);
      const sent = sentAt.get(key);
      if (sent === undefined) unmatched++;
      else {
        latencies.push(result.arrivals[i] - sent);
        seen.add(key);
      }
    });
  }
  latencies.sort((a, b) => a - b);
  const answers = [...pbx.calls.values()].filter((c) => c.firstAnswerAt).map((c) => c.firstAnswerAt - c.sentAt).sort((a, b) => a - b);
  const finals = [...pbx.finals].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${n}× ${status}`).join(', ') || 'none';

  console.log(`INVITE -> call:new at a client: p50 ${ms(percentile(latencies, 0.5))}  p90 ${ms(percentile(latencies, 0.9))}  p99 ${ms(percentile(latencies, 0.99))}  ` +
    `max ${ms(percentile(latencies, 1))}  (${latencies.length} deliveries of ${callCount * clientCount} expected; calls seen ${seen.size}/${callCount})`);
  console.log(`INVITE -> the service's first answer (100/180) at the PBX: p50 ${ms(percentile(answers, 0.5))}  p99 ${ms(percentile(answers, 0.99))}  (${answers.length} calls)`);
  console.log(`final answers at the PBX: ${finals}; calls still open ${pbx.open()}; the phones rang ${phones.rung} times; events not matched to an INVITE ${unmatched}`);
  console.log(`service: CPU ${serviceCpu.toFixed(1)} % of a core while the INVITEs came, RSS ${(rssBefore / 1024).toFixed(1)} -> ${(rssLoaded / 1024).toFixed(1)} MiB; ` +
    `client processes' CPU ${results.map((r) => `${r.cpuPercent.toFixed(0)} %`).join(', ')} of a core`);
  console.log(`RESULT invite_to_event rate=${rate} calls=${callCount} p50_ms=${percentile(latencies, 0.5).toFixed(2)} p99_ms=${percentile(latencies, 0.99).toFixed(2)} target_p99_ms=10`);
  if (!complete || seen.size !== callCount) {
    const log = service.proc.output().split('\n').filter((line) => /\b(warn|warning|error|critical)\b/i.test(line));
    if (log.length) console.log(`service log, ${log.length} warning/error lines; first ones:\n${log.slice(0, 8).map((l) => `  ${l}`).join('\n')}`);
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`invite_to_event: ${error.stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(code);
