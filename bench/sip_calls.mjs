// Call setup and concurrent calls through the B2BUA, with SIPp on both sides and no PBX in the call path:
// a SIPp client plays the PBX offering customers' calls to the operators' lines, a SIPp server plays the
// operators' phones (registered to the service as every operator). The lines themselves register to the
// lab's Kamailio PBX (tests/lab), which is not on the call path.
//
// 1. concurrency: CONCURRENT calls set up at CONCURRENT_RATE and held HOLD_SECONDS together; the service's
//    RSS before and while they are held (KiB per active call), cross-checked with GET /api/calls/active.
// 2. rate: RATES calls/s, STEP_SECONDS each, calls of CALL_MS; the highest rate with every call set up and
//    torn down (0 failed calls at the PBX side and at the phones' side) and the rate actually reached.
// 3. the same rate steps through Kamailio 5.6 as a transaction-stateful proxy (bench/kamailio/proxy.cfg.tmpl)
//    between the same SIPp client and server, in the same run; the ratio of the two sustained rates.
// 4. PostgreSQL away (OUTAGE seconds, off by default): the service on a throwaway PostgreSQL 15 takes calls at
//    OUTAGE_RATE calls/s; the server is stopped 10 s in, for OUTAGE seconds, and started again. Every call must
//    succeed at both SIPp, and once the records queued on disk are written the database must hold each call
//    once, ended: calls made, rows, missing, duplicated, not ended, the most queued and how long they took.
// CPU % (utime+stime of the process, or of all Kamailio processes, over the step; 100 % = one core) for
// each step, and the SIPp processes' own CPU, since all of them share this machine's cores.
// 5. audio (RTP=1): both SIPp stream G.711 RTP (20 ms packets) for every call of phase 1, which runs once per
//    media mode of MEDIA: `passthrough` (the RTP goes from SIPp to SIPp) and `rtpengine` (anchored by the
//    service's own rtpengine); the CPU per held call of the service and of rtpengine are printed apart.
//
// Env: RATES (100,200,400,600,800,1000,1200,1500,2000,3000), STEP_SECONDS (10), CALL_MS (1000),
// CONCURRENT (5000; 0 skips), CONCURRENT_RATE (250), HOLD_SECONDS (20), CONCURRENT_ROUNDS (2: a second
// round on the same service, to tell retained memory from leaked), OPERATORS (20), PEER=0 (no Kamailio),
// PEER_CHILDREN (4), PEER_SHM_MB (1024: shared memory for its transactions at 2,000+ calls/s),
// RATE=0 (no rate phase), RTP=1 (phase 5), MEDIA (passthrough; a comma-separated list of modes for phase 1,
// e.g. passthrough,rtpengine), SERVICE_LOG_LEVEL (warn), KEEP=1 (keep the work directory and print it),
// SIPP_TRACE=1 (every SIP message SIPp sees, in the work directory), FF_SERVICE_BINARY (a built
// pjsip-service; otherwise built as Release in build-bench/), OUTAGE (0: seconds PostgreSQL is away in
// phase 4, e.g. 30), OUTAGE_RATE (50). Only phase 4: RATE=0 CONCURRENT=0 OUTAGE=30.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = process.env;
const rates = (env.RATES ?? '100,200,400,600,800,1000,1200,1500,2000,3000').split(',').map(Number).filter((r) => r > 0);
const stepSeconds = Number(env.STEP_SECONDS ?? 10);
const callMs = Number(env.CALL_MS ?? 1000);
// SHED_MS: the service runs with SIP_MAX_DELAY_MS at this value and a step counts as sustained when every call
// it admitted succeeded (the rest refused 503 at once); refused = answered 503 at the PBX side.
const shedMs = Number(env.SHED_MS ?? 0);
const concurrent = Number(env.CONCURRENT ?? 5000);
const concurrentRate = Number(env.CONCURRENT_RATE ?? 250);
const holdSeconds = Number(env.HOLD_SECONDS ?? 20);
const rounds = Number(env.CONCURRENT_ROUNDS ?? 2);
const withRtp = env.RTP === '1';
const mediaModes = (env.MEDIA ?? 'passthrough').split(',').filter(Boolean);
// The service's own rtpengine, when a mode anchors the calls: its RTP ports, 4 per call (RTP and RTCP, 2 sides).
const anchoredEnv = { MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.1', RTP_PORT_MIN: '20000', RTP_PORT_MAX: '29999' };
const operatorCount = Number(env.OPERATORS ?? 20);
const withPeer = env.PEER !== '0';
const withRates = env.RATE !== '0';
const keep = env.KEEP === '1';
const outageSeconds = Number(env.OUTAGE ?? 0);
const outageRate = Number(env.OUTAGE_RATE ?? 50);
// Every process started here dies under coreutils' timeout after this long, whatever happens to Node.
env.FF_LAB_MAX_SECONDS ??= '1800';

const { LabProcess, freePort, delay, portBound } = await import('../tests/lab/lib/processes.mjs');
const { startKamailio } = await import('../tests/lab/lib/kamailio.mjs');
const { digestAuthorization, probeOptions } = await import('../tests/lab/lib/sip_client.mjs');
const { startPostgres } = await import('../tests/lab/lib/postgres_server.mjs');
const dgram = await import('node:dgram');

const work = mkdtempSync(join(tmpdir(), 'ff-bench-sip-'));
const cleanups = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
  if (keep) console.log(`work directory kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

const log = (...args) => console.log(...args);
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

// ---- processes --------------------------------------------------------------------------------------------

function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pgrp: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

// CPU ticks of every process in the group (Kamailio forks its workers; the service is one process).
function groupTicks(pgid) {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat && stat.pgrp === pgid) total += stat.ticks;
  }
  return total;
}

// The host's UDP counters (/proc/net/snmp): datagrams dropped because a socket's receive buffer was full.
function udpDrops() {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((line) => line.startsWith('Udp:'));
  const names = lines[0].split(/\s+/);
  const values = lines[1].split(/\s+/).map(Number);
  return values[names.indexOf('RcvbufErrors')];
}

// Datagrams dropped by the UDP socket(s) bound to 127.0.0.1:`port` (the last column of /proc/net/udp).
function socketDrops(port) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local) drops += Number(fields.at(-1));
  }
  return drops;
}

function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

// A LabProcess runs `timeout <program>`; the program is its only child.
async function programPid(labProcess) {
  for (let i = 0; i < 200; i++) {
    const [pid] = children(labProcess.child.pid);
    if (pid) return pid;
    await delay(10);
  }
  throw new Error(`${labProcess.name}: no process under the timeout wrapper`);
}

class CpuMeter {
  constructor(groups) {
    this.groups = groups;
    this.reset();
  }
  reset() {
    this.start = performance.now();
    this.ticks = this.groups.map(groupTicks);
  }
  // CPU % per group since reset(), 100 % = one core.
  read() {
    const seconds = (performance.now() - this.start) / 1000;
    return this.groups.map((group, i) => (100 * (groupTicks(group) - this.ticks[i])) / ticksPerSecond / seconds);
  }
}

// ---- the service --------------------------------------------------------------------------------------------

function serviceBinary() {
  if (env.FF_SERVICE_BINARY) return env.FF_SERVICE_BINARY;
  for (const tool of ['sipp', 'kamailio']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      execFileSync(join(root, 'scripts/install-deps.sh'), ['--tests'], { stdio: 'inherit' });
      break;
    }
  }
  const build = join(root, 'build-bench');
  log('building pjsip-service (Release) in build-bench/ ...');
  execFileSync('cmake', ['-S', root, '-B', build, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release'], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('cmake', ['--build', build, '-j', '2', '--target', 'pjsip-service'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(build, 'src', 'pjsip-service');
}

const adminToken = `bench-admin-token-${Date.now()}-0123456789abcdef`;

async function startService(binary, pbx, operators, name, extraEnv = {}) {
  const dir = join(work, name);
  mkdirSync(dir);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const sipPort = await freePort();
    const processEnv = {
      PATH: env.PATH,
      HOME: dir,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: `sqlite:${join(dir, 'calls.db')}`,
      WEB_DIR: join(root, 'web'),
      ADMIN_TOKEN: adminToken,
      SIP_SERVER: '127.0.0.1',
      SIP_PORT: String(pbx.port),
      SIP_USERS: operators.map((o) => `${o.username}:${o.password}:${o.extension}:${o.displayName}`).join(','),
      SIP_LISTEN: `127.0.0.1:${sipPort}`,
      SIP_REGISTER_EXPIRES: '3600',
      // Each SIPp "operator" takes many calls at once (a rate step offers RATE x CALL_MS / OPERATORS calls to
      // each line): the operator states' 486 for an operator on a call (BUSY_WHEN's default) would refuse them.
      BUSY_WHEN: 'none',
      ...(shedMs > 0 ? { SIP_MAX_DELAY_MS: String(shedMs) } : {}),
      LOG_LEVEL: env.SERVICE_LOG_LEVEL ?? 'warn',
      ...extraEnv,
    };
    const proc = new LabProcess('pjsip-service', binary, ['--env-file', '/dev/null'], { cwd: dir, logFile: join(dir, `service-${attempt}.log`), env: processEnv });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15000;
    let ready = false;
    while (!ready && Date.now() < deadline && proc.alive) {
      try {
        ready = (await fetch(`${base}/health`)).ok;
      } catch {
        await delay(25);
      }
    }
    if (ready) {
      const service = { proc, base, sipPort, pid: await programPid(proc), pgid: proc.child.pid, dir };
      service.api = async (path) => {
        const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${adminToken}` } });
        if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      // One SIGTERM, to the service itself (the timeout wrapper would add a second one, to the whole group);
      // the group is killed if it has not stopped within 40 s. How long it took is reported.
      service.stop = async () => {
        if (!proc.alive) return;
        const asked = performance.now();
        process.kill(service.pid, 'SIGTERM');
        const killer = setTimeout(() => proc.stop(0), 40000);
        const { code, signal } = await proc.exited;
        clearTimeout(killer);
        service.stopSeconds = (performance.now() - asked) / 1000;
        log(`  the service ${code === 0 ? 'exited' : `ended with ${code ?? signal}`} ${fmt(service.stopSeconds, 1)} s after SIGTERM`);
      };
      cleanups.push(() => service.stop());
      return service;
    }
    const output = proc.output();
    await proc.stop(2000);
    if (!/in use/i.test(output)) throw new Error(`pjsip-service did not start:\n${output.slice(-4000)}`);
  }
  throw new Error('pjsip-service: lost the race for a free port three times');
}

// ---- the peer -------------------------------------------------------------------------------------------------

async function startProxy() {
  const dir = join(work, 'kamailio-proxy');
  mkdirSync(dir);
  for (let attempt = 1; attempt <= 4; attempt++) {
    const port = await freePort();
    const cfg = join(dir, 'proxy.cfg');
    const values = { PORT: String(port), RUNTIME_DIR: dir, CHILDREN: env.PEER_CHILDREN ?? '4' };
    writeFileSync(cfg, readFileSync(join(here, 'kamailio', 'proxy.cfg.tmpl'), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, k) => values[k]));
    const proc = new LabProcess('kamailio proxy', 'kamailio', ['-DD', '-E', '-f', cfg, '-Y', dir, '-m', env.PEER_SHM_MB ?? '1024', '-M', '16'], { cwd: dir, logFile: join(dir, `kamailio-${attempt}.log`) });
    const deadline = Date.now() + 10000;
    let ready = false;
    while (!ready && Date.now() < deadline && proc.alive) {
      ready = (await probeOptions('127.0.0.1', port, 200)) === 200;
      if (!ready) await delay(20);
    }
    if (ready) {
      const proxy = { proc, port, pgid: proc.child.pid, stop: () => proc.stop(3000) };
      cleanups.push(() => proxy.stop());
      return proxy;
    }
    const output = proc.output();
    await proc.stop(2000);
    if (!/already in use/i.test(output)) throw new Error(`kamailio proxy did not start:\n${output.slice(-4000)}`);
  }
  throw new Error('kamailio proxy: no free port after 4 attempts');
}

// ---- SIPp -------------------------------------------------------------------------------------------------

// SIPp's -trace_stat file: a header line, then one line per -fd period (and a last one at exit).
function readStats(file) {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.includes(';'));
  if (lines.length < 2) return null;
  const names = lines[0].split(';');
  const values = lines.at(-1).split(';');
  const stats = {};
  names.forEach((name, i) => {
    stats[name] = /^-?\d+(\.\d+)?$/.test(values[i]) ? Number(values[i]) : values[i];
  });
  return stats;
}

const failureFields = ['FailedCall(C)', 'FailedMaxUDPRetrans(C)', 'FailedUnexpectedMessage(C)', 'FailedCallRejected(C)', 'FailedTimeoutOnRecv(C)', 'FailedTimeoutOnSend(C)', 'FailedCmdNotSent(C)', 'FailedCallDead(C)', 'FailedRegexpDoesntMatch(C)', 'FailedOutboundCongestion(C)'];

function failureDetail(stats, before = {}) {
  return failureFields
    .map((field) => [field.replace('(C)', ''), (stats?.[field] ?? 0) - (before?.[field] ?? 0)])
    .filter(([field, count]) => count > 0 && field !== 'FailedCall')
    .map(([field, count]) => `${field} ${count}`)
    .join(', ');
}

// RTP=1: the scenario with a media port per call, streaming `rtp.ulaw` (PCMU, looped) from the moment the
// call is set up: after the ACK it sends (the PBX side) or receives (the phones).
function scenarioPath(scenario, dir) {
  const base = join(here, 'sipp', scenario);
  if (!withRtp) return base;
  const stream = '\n  <nop><action><exec rtp_stream="rtp.ulaw,-1,0" /></action></nop>\n';
  let xml = readFileSync(base, 'utf8').replaceAll('[media_port]', '[auto_media_port]');
  xml = scenario.startsWith('uac')
    ? xml.replace(/(<send ack_txn="invite">[\s\S]*?<\/send>)/, `$1${stream}`)
    : xml.replace(/(<recv request="ACK"[^>]*\/>)/, `$1${stream}`);
  writeFileSync(join(dir, 'rtp.ulaw'), Buffer.alloc(8000, 0xff)); // one second of silence, PCMU
  const path = join(dir, scenario);
  writeFileSync(path, xml);
  return path;
}

async function startSipp(name, scenario, { remote = null, extra = [], fixedPort = null }) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const scenarioFile = scenarioPath(scenario, dir);
  for (let attempt = 1; attempt <= 4; attempt++) {
    const port = fixedPort ?? (await freePort());
    const mediaPort = await freePort();
    const statFile = join(dir, 'stats.csv');
    const errorFile = join(dir, 'errors.log');
    const args = [
      ...(remote ? [remote] : []),
      '-sf', scenarioFile, '-i', '127.0.0.1', '-p', String(port), '-bind_local',
      '-mi', '127.0.0.1', '-mp', String(mediaPort), '-t', 'u1', '-aa', '-nostdin',
      // Receive and send buffers as large as the service's: SIPp's default dropped datagrams of its own past
      // 1500 calls/s, which counted as the server's failures (both servers get the same SIPp).
      '-buff_size', String(8 * 1024 * 1024),
      '-trace_stat', '-stf', statFile, '-fd', '1', '-trace_err', '-error_file', errorFile,
      ...(env.SIPP_TRACE === '1' ? ['-trace_msg', '-message_file', join(dir, 'messages.log')] : []),
      ...extra,
    ];
    const proc = new LabProcess(`sipp ${name}`, 'sipp', args, { cwd: dir, logFile: join(dir, `sipp-${attempt}.log`) });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && proc.alive && !portBound(port, 'udp')) await delay(10);
    if (proc.alive || (remote && (await proc.exited).code !== 255)) {
      const sipp = { name, proc, port, dir, statFile, errorFile, pgid: proc.child.pid, address: `127.0.0.1:${port}` };
      sipp.stats = () => readStats(statFile);
      sipp.errors = () => (existsSync(errorFile) ? readFileSync(errorFile, 'utf8') : '');
      sipp.stop = () => proc.stop(2000);
      cleanups.push(() => sipp.stop());
      return sipp;
    }
    const output = proc.output();
    if (attempt < 4 && !fixedPort && /bind|in use/i.test(output)) continue;
    throw new Error(`sipp ${name} did not start:\n${output.slice(-3000)}`);
  }
  throw new Error(`sipp ${name}: no free port after 4 attempts`);
}

// REGISTERs `contact` for every operator at `registrar` from a UDP socket bound to 127.0.0.1:`port`, the
// port the phones' SIPp then listens on: the service reaches a phone at the address its REGISTER came from.
function registerFromPort(port, registrar, operators, contactOf) {
  const [host, registrarPort] = registrar.split(':');
  const requestUri = `sip:${registrar}`;
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const pending = new Map(); // Call-ID -> {op, cseq}
    const statuses = new Map();
    const timer = setTimeout(() => finish(new Error(`REGISTER: no final answer for ${[...pending.values()].map((p) => p.op.username).join(', ')}`)), 10000);
    const finish = (error) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(statuses);
    };
    const send = (callId, authorization) => {
      const entry = pending.get(callId);
      entry.cseq++;
      const { op } = entry;
      const lines = [
        `REGISTER ${requestUri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${callId}${entry.cseq};rport`,
        'Max-Forwards: 70',
        `From: <sip:${op.username}@${registrar}>;tag=${callId}`,
        `To: <sip:${op.username}@${registrar}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${entry.cseq} REGISTER`,
        `Contact: <${contactOf(op)}>`,
        'Expires: 3600',
        ...(authorization ? [`Authorization: ${authorization}`] : []),
        'User-Agent: bench-phones',
        'Content-Length: 0', '', '',
      ];
      socket.send(Buffer.from(lines.join('\r\n'), 'latin1'), Number(registrarPort), host);
    };
    socket.once('error', finish);
    socket.on('message', (data) => {
      const reply = data.toString('latin1');
      const status = Number((/^SIP\/2\.0 (\d{3})/.exec(reply) ?? [])[1]);
      const callId = (/^Call-ID:\s*(\S+)/im.exec(reply) ?? [])[1];
      const entry = pending.get(callId);
      if (!entry || !status || status < 200) return;
      const header = /^WWW-Authenticate:\s*Digest\s+(.*)$/im.exec(reply);
      if (status === 401 && entry.cseq === 1 && header) {
        const challenge = {};
        for (const m of header[1].matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) challenge[m[1].toLowerCase()] = m[2] ?? m[3];
        send(callId, digestAuthorization({ username: entry.op.username, password: entry.op.password, method: 'REGISTER', uri: requestUri, challenge }));
        return;
      }
      statuses.set(entry.op.username, status);
      pending.delete(callId);
      if (pending.size === 0) finish(null);
    });
    socket.bind(port, '127.0.0.1', () => {
      operators.forEach((op, i) => {
        const callId = `reg${i}x${Date.now().toString(36)}`;
        pending.set(callId, { op, cseq: 0 });
        send(callId, null);
      });
    });
  });
}

// The phones: one SIPp server registered as every operator's phone at `registrar`.
async function startPhones(name, registrar, operators, longestCallMs) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const statuses = await registerFromPort(port, registrar, operators, (op) => `sip:${op.username}@127.0.0.1:${port}`);
    const refused = [...statuses].filter(([, status]) => status !== 200);
    if (refused.length) throw new Error(`REGISTER of the phones at ${registrar}: ${refused.map(([u, s]) => `${u} ${s}`).join(', ')}`);
    try {
      return await startSipp(name, 'uas_phone.xml', {
        fixedPort: port,
        extra: ['-l', '1000000', '-recv_timeout', String(longestCallMs + 60000)],
      });
    } catch (error) {
      if (attempt >= 3) throw error; // the port was taken between the REGISTERs and SIPp's bind
    }
  }
}

// SIPp's -trace_rtt file: one line per call, "date_ms;response_time_ms;rtd_no" (INVITE to 200 here).
function readSetupTimes(dir) {
  const file = readdirSync(dir).find((name) => name.endsWith('_rtt.csv'));
  if (!file) return [];
  const samples = [];
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n').slice(1)) {
    const [date, ms] = line.split(';').map(Number);
    if (Number.isFinite(date) && Number.isFinite(ms)) samples.push({ date, ms });
  }
  return samples;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// Runs the PBX side: `calls` calls at `rate` calls/s to `remote`, each held `holdMs`; resolves when SIPp ends.
async function runCalls(name, remote, csv, { rate, calls, holdMs, limit }) {
  const setupBudgetMs = 30000;
  const extra = [
    '-inf', csv, '-r', String(rate), '-m', String(calls), '-l', String(limit), '-d', String(holdMs),
    '-recv_timeout', String(setupBudgetMs), '-trace_rtt', '-rtt_freq', '1',
    '-timeout', `${Math.ceil(calls / rate + holdMs / 1000 + 90)}s`, '-timeout_error',
  ];
  return startSipp(name, 'uac_pbx_call.xml', { remote, extra });
}

const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

// ---- phases -----------------------------------------------------------------------------------------------

async function waitFor(what, read, accept, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last ${JSON.stringify(value)})`);
    await delay(200);
  }
}

const activeCalls = async (service) => (await service.api('/api/calls/active')).calls;

async function ratePhase(label, target, phones, csv, extraGroups) {
  const steps = [];
  const sippGroups = () => [phones.pgid];
  for (const rate of rates) {
    const calls = Math.round(rate * stepSeconds);
    if (target.service) await waitFor('no active call on the service', () => activeCalls(target.service).then((c) => c.length), (n) => n === 0, 30000);
    await delay(1200); // the phones' stats are dumped every second
    const phonesBefore = phones.stats() ?? {};
    const phonesErrorsBefore = phones.errors().length;
    const dropsBefore = udpDrops();
    const targetDropsBefore = socketDrops(target.sipPort);
    const phonesDropsBefore = socketDrops(phones.port);
    const name = `${label}-uac-${rate}`;
    const meter = new CpuMeter([target.pgid, phones.pgid]);
    const started = performance.now();
    // At most this many calls open at the PBX side: room for calls twice as slow to set up as the step's.
    const limit = Math.min(15000, Math.ceil(rate * (callMs / 1000 + 5)) + 100);
    const uac = await runCalls(name, target.address, csv, { rate, calls, holdMs: callMs, limit });
    const uacMeter = new CpuMeter([uac.pgid]);
    // CPU over the step as offered (calls started, then held), not over the wait for late failures.
    const cpu = delay(((calls / rate) * 1000) + callMs).then(() => [...meter.read(), ...uacMeter.read()]);
    const exit = (await uac.proc.exited).code;
    const seconds = (performance.now() - started) / 1000;
    const [targetCpu, phonesCpu, uacCpu] = await cpu;
    const stats = uac.stats() ?? {};
    await delay(1500);
    const phonesAfter = phones.stats() ?? {};
    const drops = udpDrops() - dropsBefore;
    const targetDrops = socketDrops(target.sipPort) - targetDropsBefore;
    const phonesDrops = socketDrops(phones.port) - phonesDropsBefore;
    const setups = readSetupTimes(uac.dir);
    const times = setups.map((s) => s.ms).sort((a, b) => a - b);
    const dates = setups.map((s) => s.date).sort((a, b) => a - b);
    // The rate calls were actually set up at: answers spread over the step, first to last.
    const reached = dates.length > 1 ? ((dates.length - 1) * 1000) / (dates.at(-1) - dates[0]) : NaN;
    const step = {
      rate, calls, exit, seconds,
      ok: stats['SuccessfulCall(C)'] ?? 0,
      failed: stats['FailedCall(C)'] ?? 0,
      retrans: stats['Retransmissions(C)'] ?? 0,
      detail: failureDetail(stats),
      phonesOk: (phonesAfter['SuccessfulCall(C)'] ?? 0) - (phonesBefore['SuccessfulCall(C)'] ?? 0),
      phonesFailed: (phonesAfter['FailedCall(C)'] ?? 0) - (phonesBefore['FailedCall(C)'] ?? 0),
      phonesRetrans: (phonesAfter['Retransmissions(C)'] ?? 0) - (phonesBefore['Retransmissions(C)'] ?? 0),
      phonesDetail: failureDetail(phonesAfter, phonesBefore),
      // A call refused 503 ends well at the PBX side (its scenario ACKs it) and never reaches a phone.
      refused: Math.max(0, (stats['SuccessfulCall(C)'] ?? 0) - ((phonesAfter['SuccessfulCall(C)'] ?? 0) - (phonesBefore['SuccessfulCall(C)'] ?? 0))),
      reached, p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1),
      targetCpu, sippCpu: uacCpu + phonesCpu, drops, targetDrops, phonesDrops,
      errors: uac.errors().slice(0, 2000),
    };
    step.sustained = shedMs > 0 && label === 'service'
      // Shedding: every admitted call set up and ended, the rest refused, nothing dropped at the service.
      ? step.exit === 0 && step.ok === calls && step.failed === 0 && step.phonesFailed === 0 && step.phonesOk + step.refused === calls && step.targetDrops === 0
      : step.exit === 0 && step.ok === calls && step.failed === 0 && step.phonesFailed === 0 && step.phonesOk === calls && step.reached >= 0.95 * rate;
    steps.push(step);
    log(`  ${label} ${rate}/s: ${step.ok}/${calls} ok${step.refused ? ` (${step.refused} of them refused 503, ${calls - step.refused} admitted)` : ''}, ${step.failed} failed${step.detail ? ` (${step.detail})` : ''}, phones ${step.phonesOk} ok ${step.phonesFailed} failed${step.phonesDetail ? ` (${step.phonesDetail})` : ''}, ` +
      `retrans ${step.retrans}+${step.phonesRetrans}, UDP drops ${drops} (${label}'s socket ${targetDrops}, phones' ${phonesDrops}), reached ${fmt(reached)}/s, setup p50 ${fmt(step.p50, 1)} p99 ${fmt(step.p99, 1)} ms, CPU ${fmt(targetCpu)} % (SIPp ${fmt(step.sippCpu)} %)`);
    if (!step.sustained) {
      const show = (what, text) => text && log(`    ${what} (first lines):\n${text.split('\n').slice(0, 14).map((l) => `      ${l}`).join('\n')}`);
      show('errors at the PBX side (SIPp)', step.errors);
      show('errors at the phones (SIPp)', phones.errors().slice(phonesErrorsBefore, phonesErrorsBefore + 2000));
    }
    await uac.stop();
    if (!step.sustained) break;
  }
  const best = steps.filter((s) => s.sustained).at(-1) ?? null;
  // The highest rate where not one datagram had to be sent again, either.
  const clean = steps.filter((s) => s.sustained && s.retrans + s.phonesRetrans === 0).at(-1) ?? null;
  return { steps, best, clean };
}

// The rtpengine the service started (its child, spawned from one of its threads), or null.
function rtpenginePid(service) {
  let spawned = [];
  try {
    for (const task of readdirSync(`/proc/${service.pid}/task`)) {
      spawned = spawned.concat(readFileSync(`/proc/${service.pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    }
  } catch {
    return null;
  }
  return spawned.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'rtpengine';
    } catch {
      return false;
    }
  }) ?? null;
}

async function concurrencyPhase(service, phones, csv, round = 1) {
  const rampSeconds = concurrent / concurrentRate;
  const holdMs = Math.round((rampSeconds + holdSeconds) * 1000);
  await delay(1000);
  const rssIdle = rssKiB(service.pid);
  const meter = new CpuMeter([service.pgid]);
  const rtpengine = rtpenginePid(service);
  const rtpengineTicks = () => (rtpengine ? procStat(rtpengine)?.ticks ?? NaN : 0);
  const phonesBefore = phones.stats() ?? {};
  log(`  ${concurrent} calls at ${concurrentRate}/s, each held ${fmt(holdMs / 1000, 1)} s (all together for ${holdSeconds} s); service RSS idle ${rssIdle} KiB`);
  const uac = await runCalls(`concurrency-uac-${round}`, `127.0.0.1:${service.sipPort}`, csv, { rate: concurrentRate, calls: concurrent, holdMs, limit: concurrent });
  let peakRss = rssIdle;
  let held = null;
  const started = performance.now();
  // Ramp: until every call is answered at the service (or SIPp gave up).
  while (performance.now() - started < holdMs + 30000 && uac.proc.alive) {
    peakRss = Math.max(peakRss, rssKiB(service.pid));
    const calls = await activeCalls(service);
    const answered = calls.filter((c) => c.status === 'answered').length;
    if (answered >= concurrent) {
      held = { at: (performance.now() - started) / 1000, api: calls.length, answered };
      break;
    }
    await delay(500);
  }
  const [rampCpu] = meter.read();
  meter.reset();
  const heldFrom = { ticks: rtpengineTicks(), at: performance.now() };
  let rssHeld = NaN;
  if (held) {
    await delay(Math.min(5000, (holdSeconds * 1000) / 3)); // settled: every call up, nothing being set up
    rssHeld = rssKiB(service.pid);
    const calls = await activeCalls(service);
    held.apiLater = calls.filter((c) => c.status === 'answered').length;
    held.phonesCurrent = phones.stats()?.['CurrentCall'];
    held.pbxCurrent = uac.stats()?.['CurrentCall'];
    peakRss = Math.max(peakRss, rssHeld);
  }
  // Keep sampling the peak until SIPp has hung every call up.
  while (uac.proc.alive) {
    peakRss = Math.max(peakRss, rssKiB(service.pid));
    await delay(500);
  }
  const [groupCpu] = meter.read();
  // The service's process group holds its rtpengine: each is shown on its own.
  const rtpengineCpu = (100 * (rtpengineTicks() - heldFrom.ticks)) / ticksPerSecond / ((performance.now() - heldFrom.at) / 1000);
  const heldCpu = groupCpu - rtpengineCpu;
  const exit = (await uac.proc.exited).code;
  const stats = uac.stats() ?? {};
  await delay(1500);
  const phonesAfter = phones.stats() ?? {};
  let left = NaN;
  try {
    left = (await waitFor('calls ended at the service', () => activeCalls(service).then((c) => c.length), (n) => n === 0, 30000));
  } catch (error) {
    log(`  ${error.message}`);
  }
  const rssAfter = rssKiB(service.pid);
  const times = readSetupTimes(uac.dir).map((s) => s.ms).sort((a, b) => a - b);
  // Anchored: what rtpengine relayed for the last call logged, both ways (RTP actually went through it).
  const media = rtpengine ? (await service.api('/api/calls/logs?limit=1')).calls?.[0]?.media ?? null : null;
  const result = {
    calls: concurrent, exit, held,
    ok: stats['SuccessfulCall(C)'] ?? 0,
    failed: stats['FailedCall(C)'] ?? 0,
    detail: failureDetail(stats),
    retrans: stats['Retransmissions(C)'] ?? 0,
    autoAnswered: (stats['AutoAnswered(C)'] ?? 0) + (phonesAfter['AutoAnswered(C)'] ?? 0) - (phonesBefore['AutoAnswered(C)'] ?? 0),
    phonesFailed: (phonesAfter['FailedCall(C)'] ?? 0) - (phonesBefore['FailedCall(C)'] ?? 0),
    phonesDetail: failureDetail(phonesAfter, phonesBefore),
    rssIdle, rssHeld, peakRss, rssAfter, left,
    perCallKiB: (rssHeld - rssIdle) / concurrent,
    rampCpu, heldCpu, rtpengineCpu, rtpengine: rtpengine !== null, media, p50: percentile(times, 50), p99: percentile(times, 99),
    errors: uac.errors().slice(0, 2000),
  };
  result.passed = held !== null && result.exit === 0 && result.ok === concurrent && result.failed === 0 && result.phonesFailed === 0;
  log(`  held: ${held ? `${held.answered} answered in /api/calls/active after ${fmt(held.at, 1)} s (${held.apiLater} a few seconds later; SIPp: ${held.pbxCurrent} calls open at the PBX side, ${held.phonesCurrent} at the phones)` : 'never all answered'}`);
  log(`  ${result.ok}/${concurrent} ok, ${result.failed} failed${result.detail ? ` (${result.detail})` : ''}, phones failed ${result.phonesFailed}${result.phonesDetail ? ` (${result.phonesDetail})` : ''}, retrans ${result.retrans}, dialog probes answered ${result.autoAnswered}`);
  log(`  RSS idle ${rssIdle} KiB, held ${fmt(rssHeld)} KiB (peak ${peakRss}), after ${rssAfter} KiB: ${fmt(result.perCallKiB, 1)} KiB per active call; CPU ramp ${fmt(rampCpu)} %, held ${fmt(heldCpu)} %${rtpengine ? `, rtpengine held ${fmt(rtpengineCpu)} %` : ''}`);
  if (media) log(`  a call's RTP through rtpengine: ${media.customerToOperator.packets} packets customer → operator, ${media.operatorToCustomer.packets} operator → customer`);
  if (result.errors && !result.passed) log(`    SIPp errors (first lines):\n${result.errors.split('\n').slice(0, 12).map((l) => `      ${l}`).join('\n')}`);
  await uac.stop();
  return result;
}

// ---- main -------------------------------------------------------------------------------------------------

async function main() {
  const binary = serviceBinary();
  const operators = Array.from({ length: operatorCount }, (_, i) => ({
    username: `bench${String(i + 1).padStart(3, '0')}`, password: `pw-${i + 1}-bench`, extension: String(3001 + i), displayName: `Bench ${i + 1}`,
  }));
  const csv = join(work, 'operators.csv');
  writeFileSync(csv, `SEQUENTIAL\n${operators.map((o, i) => `${o.username};+7999${String(1000001 + i)};`).join('\n')}\n`);

  // The lines' registrar only (the lab's PBX); calls never go through it.
  const pbx = await startKamailio({ users: operators });
  cleanups.push(() => pbx.stop());
  const results = {};

  const withService = async (name, longestCallMs, body, extraEnv = {}) => {
    const service = await startService(binary, pbx, operators, name, extraEnv);
    try {
      await waitFor('every line registered at the PBX', () => service.api('/health'), (h) => h.registeredUsers === operators.length, 20000);
      const phones = await startPhones(`${name}-phones`, `127.0.0.1:${service.sipPort}`, operators, longestCallMs);
      return await body(service, phones);
    } finally {
      const log = service.proc.output();
      const noisy = log.split('\n').filter((line) => /\b(warn|warning|error|critical)\b/i.test(line));
      if (noisy.length) console.log(`  service log, ${noisy.length} warning/error lines; first ones:\n${noisy.slice(0, 8).map((l) => `    ${l}`).join('\n')}`);
      await service.stop();
    }
  };

  if (concurrent > 0) {
    results.concurrency = [];
    for (const mode of mediaModes) {
      log(`\n== concurrent calls held (service, ${operators.length} lines, MEDIA=${mode}${withRtp ? ', RTP both ways' : ''}) ==`);
      const longest = Math.round((concurrent / concurrentRate + holdSeconds) * 1000);
      // Twice on the same service: memory that the second round needs again tells retention from a leak.
      const result = await withService(`service-concurrency-${mode}`, longest, async (service, phones) => {
        const first = await concurrencyPhase(service, phones, csv, 1);
        if (rounds < 2 || !first.passed) return first;
        log('  the same again on the same service:');
        first.second = await concurrencyPhase(service, phones, csv, 2);
        return first;
      }, mode === 'rtpengine' ? anchoredEnv : {});
      results.concurrency.push({ ...result, mode });
    }
  }
  if (withRates) {
    log(`\n== call rate, ${stepSeconds} s per step, calls of ${callMs} ms: service ==`);
    results.service = await withService('service-rate', callMs, async (service, phones) => {
      const target = { service, pgid: service.pgid, sipPort: service.sipPort, address: `127.0.0.1:${service.sipPort}` };
      return ratePhase('service', target, phones, csv);
    });
    if (withPeer) {
      log(`\n== call rate, same steps: Kamailio ${kamailioVersion()} stateful proxy (t_relay) ==`);
      const proxy = await startProxy();
      const phones = await startPhones('peer-phones', `127.0.0.1:${proxy.port}`, operators, callMs);
      results.peer = await ratePhase('kamailio', { pgid: proxy.pgid, sipPort: proxy.port, address: `127.0.0.1:${proxy.port}` }, phones, csv);
      await phones.stop();
      await proxy.stop();
    }
  }
  if (outageSeconds > 0) {
    log(`\n== PostgreSQL away ${outageSeconds} s during ${outageRate} calls/s, calls of ${callMs} ms ==`);
    const pg = await startPostgres({ database: 'ff_bench' });
    cleanups.push(() => pg.remove());
    results.outage = await withService('service-outage', callMs, (service, phones) => outagePhase(service, phones, csv, pg), { DATABASE_URL: pg.url });
  }
  report(results);
}

// Calls at OUTAGE_RATE for 10 s, OUTAGE s with the database stopped and 20 s after it is back; then the
// queued records are awaited and the call log is counted against what SIPp saw.
async function outagePhase(service, phones, csv, pg) {
  const seconds = 10 + outageSeconds + 20;
  const calls = Math.round(outageRate * seconds);
  const limit = Math.ceil(outageRate * (callMs / 1000 + 5)) + 100;
  const databaseOk = (health) => health.dependencies?.database?.ok === true;
  const queuedOnDisk = (health) => Number((/(\d+) call record\(s\) queued on disk/.exec(health.dependencies?.database?.detail ?? '') ?? [])[1] ?? 0);
  const uac = await runCalls('outage-uac', `127.0.0.1:${service.sipPort}`, csv, { rate: outageRate, calls, holdMs: callMs, limit });
  await delay(10000);
  await pg.stop();
  const stoppedAt = performance.now();
  // /health is read through the outage: the most records it reported waiting on disk.
  let mostQueued = 0;
  let degradedSeen = false;
  while (performance.now() - stoppedAt < outageSeconds * 1000) {
    const health = await service.api('/health');
    degradedSeen ||= health.status === 'degraded' && !databaseOk(health);
    mostQueued = Math.max(mostQueued, queuedOnDisk(health));
    await delay(500);
  }
  await pg.start();
  const restartedAt = performance.now();
  // The queue is written while calls go on: its time runs from the restart to /health ok again.
  let drainSeconds = NaN;
  const written = waitFor('the call log written and /health ok again', () => service.api('/health'), (h) => databaseOk(h) && h.status === 'ok', 120000)
    .then((health) => { drainSeconds = (performance.now() - restartedAt) / 1000; return health; });
  const exit = (await uac.proc.exited).code;
  const stats = uac.stats() ?? {};
  const back = await written;
  const [[rows, distinctCalls, ended]] = await pg.query("SELECT count(*), count(DISTINCT sip_call_id), count(*) FILTER (WHERE status = 'ended') FROM calls");
  await uac.stop();
  const result = {
    calls, exit, ok: stats['SuccessfulCall(C)'] ?? 0, failed: stats['FailedCall(C)'] ?? 0, detail: failureDetail(stats),
    rows: Number(rows), distinctCalls: Number(distinctCalls), ended: Number(ended), mostQueued, degradedSeen, drainSeconds, status: back.status,
  };
  result.missing = calls - result.distinctCalls;
  result.duplicated = result.rows - result.distinctCalls;
  result.passed = exit === 0 && result.ok === calls && result.failed === 0 && result.missing === 0 && result.duplicated === 0 && result.ended === calls && degradedSeen;
  log(`  ${result.ok}/${calls} calls ok, ${result.failed} failed${result.detail ? ` (${result.detail})` : ''}; /health degraded while away: ${degradedSeen ? 'yes' : 'NO'}, ` +
    `at most ${mostQueued} records queued on disk; written ${fmt(drainSeconds, 1)} s after the restart; ` +
    `log: ${result.rows} rows, ${result.distinctCalls} calls, ${result.ended} ended, ${result.missing} missing, ${result.duplicated} duplicated`);
  return result;
}

function kamailioVersion() {
  const out = spawnSync('kamailio', ['-v'], { encoding: 'utf8' }).stdout ?? '';
  return (/kamailio (\d+\.\d+\.\d+)/.exec(out) ?? [])[1] ?? '?';
}

function report({ concurrency, service, peer, outage }) {
  const rows = [];
  const stepAt = (phase, rate) => phase?.steps.find((s) => s.rate === rate);
  log('\n== results ==');
  if (service) {
    log('calls/s offered | service: ok/failed, reached, setup p99, retrans, drops, CPU | kamailio: the same');
    for (const rate of rates) {
      const s = stepAt(service, rate);
      const k = stepAt(peer, rate);
      if (!s && !k) continue;
      const cell = (x) => (x ? `${x.ok}/${x.failed + x.phonesFailed}${x.sustained ? '' : ' FAIL'}, ${fmt(x.reached)}/s, ${fmt(x.p99)} ms, ${x.retrans + x.phonesRetrans}, ${x.targetDrops}, ${fmt(x.targetCpu)} %` : 'not run');
      log(`${String(rate).padStart(15)} | ${cell(s).padEnd(52)} | ${cell(k)}`);
    }
    log('(ok/failed: calls at the PBX side / failed at either side; reached: calls answered per second over the step;');
    log(' setup: INVITE to 200 at the PBX side, SIPp clock; retrans: SIPp retransmissions, both sides; drops: datagrams');
    log(' dropped by the measured socket, receive buffer full; CPU: 100 % = one core, Kamailio = all its processes)');
    const sRate = service.best?.rate ?? 0;
    const kRate = peer?.best?.rate;
    const topped = (phase) => (phase && phase.best && phase.best === phase.steps.at(-1) && phase.best.rate === rates.at(-1) ? '≥' : '');
    rows.push(['call setup, sustained with 0 failed (service)', `${topped(service)}${sRate} calls/s`, '≥ 400 calls/s', sRate >= 400]);
    if (peer) {
      rows.push(['same, Kamailio stateful proxy', `${topped(peer)}${kRate ?? 0} calls/s`, '', null]);
      rows.push(['ratio service / Kamailio', kRate ? `${topped(peer) ? '≤ ' : ''}${fmt(sRate / kRate, 2)}` : '-', '', null]);
    }
    rows.push(['same, and not one retransmission (service)', `${service.clean?.rate ?? 0} calls/s`, '', null]);
    if (peer) rows.push(['same, and not one retransmission (Kamailio)', `${peer.clean?.rate ?? 0} calls/s`, '', null]);
    if (service.best) rows.push(['service CPU at that rate', `${fmt(service.best.targetCpu)} % of a core`, '', null]);
    if (peer?.best) rows.push(['Kamailio CPU at its rate', `${fmt(peer.best.targetCpu)} % (all processes)`, '', null]);
  }
  for (const c of concurrency ?? []) {
    const label = `${c.mode}${withRtp ? ', RTP' : ''}`;
    // TARGETS.md: 5,000 signalling-only calls within 32 KiB each; 300 with RTP both ways, anchored and not.
    const wanted = withRtp ? 300 : 5000;
    rows.push([`concurrent bridged calls held, 0 failed (${label})`, c.passed ? String(c.calls) : `FAILED (${c.ok}/${c.calls} ok, ${c.failed} failed)`, `≥ ${wanted}`, c.passed && c.calls >= wanted]);
    rows.push([`memory per active call (RSS held - idle) / calls (${label})`, `${fmt(c.perCallKiB, 1)} KiB`, withRtp ? '' : '≤ 32 KiB', withRtp ? null : c.perCallKiB <= 32]);
    rows.push([`service RSS idle / held / after (${label})`, `${c.rssIdle} / ${fmt(c.rssHeld)} / ${c.rssAfter} KiB`, '', null]);
    if (c.second) {
      const again = c.second;
      rows.push([`second round, same service: held / after (${label})`, again.passed ? `${fmt(again.rssHeld)} / ${again.rssAfter} KiB` : `FAILED (${again.ok}/${again.calls} ok)`, '', null]);
      rows.push([`RSS added by the second round, per call (${label})`, `${fmt((again.rssHeld - c.rssHeld) / c.calls, 1)} KiB`, '', null]);
    }
    rows.push([`service CPU setting up / holding (${label})`, `${fmt(c.rampCpu)} % / ${fmt(c.heldCpu)} %`, '', null]);
    // CPU in % of a core; per call in ‰ of a core (10 ‰ = 1 %).
    rows.push([`service CPU per held call (${label})`, `${fmt((10 * c.heldCpu) / c.calls, 3)} ‰ of a core`, '', null]);
    if (c.rtpengine) rows.push([`rtpengine CPU holding, per held call (${label})`, `${fmt(c.rtpengineCpu)} %, ${fmt((10 * c.rtpengineCpu) / c.calls, 3)} ‰ of a core`, '', null]);
  }
  if (outage) {
    const o = outage;
    rows.push([`PostgreSQL away ${outageSeconds} s at ${outageRate} calls/s: calls ok / failed`, `${o.ok} / ${o.failed}`, '0 failed', o.failed === 0 && o.ok === o.calls]);
    rows.push(['same: call records lost / duplicated / not ended', `${o.missing} / ${o.duplicated} / ${o.calls - o.ended}`, '0 lost or duplicated', o.missing === 0 && o.duplicated === 0 && o.ended === o.calls]);
    rows.push(['same: most queued on disk, written after the restart in', `${o.mostQueued}, ${fmt(o.drainSeconds, 1)} s`, '', null]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  log('');
  for (const [what, value, target, met] of rows) {
    log(`${what.padEnd(width)}  ${value.padEnd(24)} ${target ? `target ${target}: ${met ? 'met' : 'NOT met'}` : ''}`);
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
