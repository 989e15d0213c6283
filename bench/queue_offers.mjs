#!/usr/bin/env node
// One queue with CALLERS (200) callers waiting and MEMBERS (20) operators, all paused: then each member in
// turn chooses "available" (POST /api/operators/:extension/status) and the time until the INVITE of the offer
// reaches that member's phone is measured. The real service (release pjsip-service), Kamailio as the PBX, one
// SIPp client placing the callers' calls to the queue's number, and the members' phones played by one UDP
// socket of this script, registered to the service for every member, that records when each INVITE arrives
// and answers nothing (the offers just ring). All on 127.0.0.1. Prints p50/p99/max over the members, the
// service's RSS and CPU with the callers waiting, and the size of one queue:state event.
// Usage: FF_SERVICE_BINARY_REAL=build-bench/src/pjsip-service node bench/queue_offers.mjs
// (default: build/release/src/pjsip-service). Stops everything it started.
import dgram from 'node:dgram';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const { LabSession } = await import('../tests/lab/lib/session.mjs');
const { registerContact } = await import('../tests/lab/lib/sip_client.mjs');
const { eventually, healthBecomes, startService, until } = await import('../tests/lab/lib/service.mjs');

const callerCount = Number(process.env.CALLERS ?? 200);
const memberCount = Number(process.env.MEMBERS ?? 20);
process.env.FF_SERVICE_BINARY_REAL ??= 'build/release/src/pjsip-service';

const members = Array.from({ length: memberCount }, (_, index) => ({
  username: `operator${index + 1}`,
  password: `pass-${index + 1}`,
  extension: String(1001 + index),
  displayName: `Operator ${index + 1}`,
}));
const queueLine = { username: 'queue-delivery', password: 'pass-queue', extension: '2000', displayName: 'Доставка' };

// The pjsip-service process under the lab's wrapper: its RSS and CPU time.
function servicePid(rootPid) {
  const children = (pid) => readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((entry) => {
    try {
      return readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid);
    } catch {
      return false;
    }
  });
  const queue = [String(rootPid)];
  while (queue.length) {
    const pid = queue.shift();
    try {
      if (readlinkSync(`/proc/${pid}/exe`).endsWith('/pjsip-service')) return pid;
    } catch {
      // gone, or not ours to read
    }
    queue.push(...children(pid));
  }
  return String(rootPid);
}
const rssMiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

function percentile(values, share) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

const lab = new LabSession();
const phones = dgram.createSocket('udp4');
const stop = async () => {
  phones.close();
  await lab.stopAll().catch((error) => console.error(error.message));
};
process.on('SIGINT', () => stop().then(() => process.exit(130)));
try {
  // Every member's phone: one socket; an INVITE's arrival is noted by the member it is for.
  const arrivals = new Map();
  phones.on('message', (message) => {
    const line = message.toString('utf8', 0, 200).split('\r\n')[0];
    const match = /^INVITE sip:(operator\d+)@/.exec(line);
    if (match && !arrivals.has(match[1])) arrivals.set(match[1], performance.now());
  });
  await new Promise((resolve) => phones.bind(0, '127.0.0.1', resolve));

  const lines = [...members, queueLine];
  const pbx = await lab.kamailio({ users: lines });
  const service = await startService(lab, { pbx, lines, env: { LOG_LEVEL: 'warn' } });
  await healthBecomes(service, (health) => health.registeredUsers === lines.length, 30000, 'every line registered');
  const stream = await service.console();
  for (const member of members) {
    const status = await registerContact({
      server: `127.0.0.1:${service.sipPort}`, username: member.username, password: member.password,
      contact: `sip:${member.username}@127.0.0.1:${phones.address().port}`, expires: 600,
    });
    if (status !== 200) throw new Error(`${member.username} did not register: ${status}`);
    const paused = await service.api('POST', `/api/operators/${member.extension}/status`, { status: 'paused', reason: 'обед' });
    if (paused.status !== 200) throw new Error(paused.text);
  }
  const put = await service.api('PUT', '/api/queues/2000', {
    name: 'Доставка', strategy: 'round-robin', members: members.map((m) => ({ extension: m.extension })), ringSeconds: 120, maxWaitSeconds: 3600,
  });
  if (put.status !== 200) throw new Error(put.text);

  const pid = servicePid(service.process.child.pid);
  const rssBefore = rssMiB(pid);
  const callers = await lab.sipp({
    scenario: 'uac_invite_cancel', remote: `127.0.0.1:${pbx.port}`, service: '2000', calls: callerCount, rate: 50,
    durationMs: 600000, timeoutMs: 900000, traceMessages: false, extraArgs: ['-l', String(callerCount)],
  });
  const waiting = await until(async () => (await service.api('GET', '/api/queues')).body.queues[0].waiting,
    (list) => list.length === callerCount, 60000, `${callerCount} callers waiting`);
  const cpuBefore = cpuSeconds(pid);
  const idleFor = 5000;
  await new Promise((resolve) => setTimeout(resolve, idleFor));
  const cpuWaiting = (cpuSeconds(pid) - cpuBefore) / (idleFor / 1000);
  const rssWaiting = rssMiB(pid);
  const eventBytes = JSON.stringify({ queue: '2000', waiting }).length;

  const latencies = [];
  for (const member of members) {
    const since = Date.now();
    const asked = performance.now();
    const answer = await service.api('POST', `/api/operators/${member.extension}/status`, { status: 'available' });
    if (answer.status !== 200) throw new Error(answer.text);
    await until(async () => arrivals.get(member.username), (at) => at !== undefined, 5000, `the offer to ${member.username}`);
    latencies.push(arrivals.get(member.username) - asked);
    await eventually(stream.events, 'queue:state', (event) => event.waiting.some((one) => one.ringing.includes(member.extension)), 5000, since);
  }

  console.log(`queue offers: ${callerCount} callers waiting in one queue, ${memberCount} members (round-robin), 127.0.0.1`);
  console.log(`member chooses "available" -> the offer's INVITE at their phone: p50 ${percentile(latencies, 0.5).toFixed(1)} ms   p99 ${percentile(latencies, 0.99).toFixed(1)} ms   max ${Math.max(...latencies).toFixed(1)} ms   (${latencies.length} members)`);
  console.log(`service with the callers waiting: RSS ${rssWaiting.toFixed(1)} MiB (${rssBefore.toFixed(1)} MiB before them), CPU ${(cpuWaiting * 100).toFixed(1)} % of a core while they wait`);
  console.log(`one queue:state event with ${waiting.length} callers: ${(eventBytes / 1024).toFixed(1)} KiB`);
  await callers.stop();
} catch (error) {
  console.error(lab.logs().slice(-20000));
  throw error;
} finally {
  await stop();
}
