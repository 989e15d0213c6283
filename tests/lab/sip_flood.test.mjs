// A flood from one address is limited at the door of the SIP stack (SIP_RATE_LIMIT_PER_SOURCE, burst
// SIP_RATE_LIMIT_BURST; the defaults here): SIPp from 127.0.0.2 sends INVITEs, then OPTIONS, at several
// hundred a second straight to the service; past its burst that address gets 503 with Retry-After, while a
// customer's call through the PBX (Kamailio, 127.0.0.1, never limited) to an operator's phone at 127.0.0.3
// is set up as fast as without the flood, and that phone registers meanwhile. The figures are printed.
import assert from 'node:assert/strict';
import { countOf, finalCounts } from './lib/sipp.mjs';
import { labTest, registerExchange } from './lib/lab.mjs';
import { startService, until } from './lib/service.mjs';

const users = [{ username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' }];
const phoneAddress = '127.0.0.3';
const floodAddress = '127.0.0.2';
const floodRate = 500; // a second
const floodCount = 2500; // 5 s
const defaultRate = 20;
const defaultBurst = 100;

// The operators' centre: the PBX, the service, and a scripted phone of 1001 at its own address that answers
// every call at once.
async function startCentre(lab) {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users });
  const phone = await lab.sipp({ scenario: 'uas_answer', host: phoneAddress, calls: 100, timeoutMs: 60000 });
  const registered = await registerPhone(service, phone);
  assert.equal(registered.status, 200, registered.reply);
  return { pbx, service, phone };
}

function registerPhone(service, phone) {
  return registerExchange({
    server: `127.0.0.1:${service.sipPort}`,
    ...users[0],
    localAddress: phoneAddress,
    contact: `<sip:1001@${phone.address}>`,
    expires: 600,
  });
}

// SIPp's log stamps ("2026-12-03 13:04:46.420491") in milliseconds; both ends of a difference alike.
function stampMs(stamp) {
  const [date, time] = stamp.split(' ');
  const [clock, fraction = '0'] = time.split('.');
  return Date.parse(`${date}T${clock}`) + Number(`0.${fraction}`) * 1000;
}

// A customer calls 1001 through the PBX; resolves with the setup time (INVITE sent to 200 received, as the
// customer's SIPp logged them) once the call has ended.
async function customerCall(lab, pbx) {
  const call = await lab.sipp({ scenario: 'uac_invite', remote: pbx.address, service: '1001' });
  assert.equal(await call.result(), 0, call.log());
  const messages = [...call.messages().matchAll(/^-+ (\S+ \S+)\n\w+ message (sent|received)[^\n]*\n\n([^\r\n]*)/gm)];
  const at = (direction, firstLine) => {
    const found = messages.find(([, , way, line]) => way === direction && line.startsWith(firstLine));
    assert.ok(found, `no ${firstLine} ${direction} in the customer's log:\n${call.messages()}`);
    return stampMs(found[1]);
  };
  return at('received', 'SIP/2.0 200') - at('sent', 'INVITE');
}


async function floodWhileCalling(lab, { scenario, served }) {
  const { pbx, service, phone } = await startCentre(lab);
  const without = [];
  for (let i = 0; i < 2; i++) without.push(await customerCall(lab, pbx));

  const started = Date.now();
  const flood = await lab.sipp({
    scenario,
    host: floodAddress,
    remote: `127.0.0.1:${service.sipPort}`,
    service: '1001',
    calls: floodCount,
    rate: floodRate,
    traceMessages: false,
    timeoutMs: 30000,
    // SIPp's own socket buffer (64 KiB by default) holds about fifty answers: a flooder starved of CPU beside
    // the other tests would lose answers the service sent, and then wait for them until its timeout.
    extraArgs: ['-trace_counts', '-l', '1000', '-buff_size', String(4 * 1024 * 1024)],
  });
  // The flood has spent its burst: the service says it refuses that address.
  await until(async () => service.log().includes(`SIP: ${floodAddress} sends more than`), Boolean, 10000, 'the flood to be limited');
  const during = [];
  for (let i = 0; i < 3; i++) during.push(await customerCall(lab, pbx));
  const phoneRegister = await registerPhone(service, phone);
  assert.ok(flood.process.alive, 'the flood lasted through the calls');
  assert.equal(phoneRegister.status, 200, phoneRegister.reply);

  assert.equal(await flood.result(), 0, flood.log());
  const seconds = (Date.now() - started) / 1000;
  const counts = finalCounts(flood.dir);
  const sent = countOf(counts, `_${scenario === 'uac_flood_invite' ? 'INVITE' : 'OPTIONS'}_Sent`);
  const servedCount = countOf(counts, `_${served}_Recv`);
  const refused = countOf(counts, '_503_Recv');
  const log = service.log();
  const report =
    `${scenario}: ${sent} requests from ${floodAddress} at ${floodRate}/s offered (over ${seconds.toFixed(1)} s): ` +
    `${servedCount} served (${served}), ${refused} refused (503 Retry-After); ` +
    `customer's call setup through the PBX to the phone at ${phoneAddress}: ${without.map((ms) => ms.toFixed(1)).join(', ')} ms without the flood, ` +
    `${during.map((ms) => ms.toFixed(1)).join(', ')} ms during it`;
  console.log(report);

  assert.equal(servedCount + refused, floodCount, report);
  // What a source may send: its burst, then the rate (with a second of slack for timing).
  assert.ok(servedCount <= defaultBurst + defaultRate * (seconds + 1), report);
  assert.ok(servedCount >= defaultBurst, report);
  assert.ok(refused >= floodCount / 2, report);
  assert.match(log, new RegExp(`SIP: ${floodAddress.replaceAll('.', '\\.')} sends more than ${defaultRate} new requests a second`));
  // Only the flooding address was limited: never the PBX, nor the phone.
  assert.doesNotMatch(log, /SIP: 127\.0\.0\.1 sends more than/);
  assert.doesNotMatch(log, new RegExp(`SIP: ${phoneAddress.replaceAll('.', '\\.')} sends more than`));
  // The calls beside the flood are set up in the same class of time as without it.
  const slowest = Math.max(...during);
  assert.ok(slowest < Math.max(1000, 4 * Math.max(...without)), report);
  return { service };
}

labTest('an INVITE flood from one address gets 503 past its burst; a call through the PBX to a phone elsewhere is not slowed', async (lab) => {
  await floodWhileCalling(lab, { scenario: 'uac_flood_invite', served: '407' });
});

labTest('an OPTIONS flood from one address gets 503 past its burst; a call through the PBX to a phone elsewhere is not slowed', async (lab) => {
  await floodWhileCalling(lab, { scenario: 'uac_flood_options', served: '200' });
});

// The service answers OPTIONS itself now (so that a flood of them can be limited): within a call, where a PBX
// or a phone probes the dialog, it still answers 200 and the call goes on.
labTest('OPTIONS within a call is answered 200 and the call goes on', async (lab) => {
  const { pbx, service } = await startCentre(lab);
  const call = await lab.sipp({ scenario: 'uac_invite_options', remote: pbx.address, service: '1001', durationMs: 300 });
  assert.equal(await call.result(), 0, call.log());
  assert.match(call.messages(), /received[^\n]*\n\nSIP\/2\.0 200 OK\r\n[\s\S]*?CSeq: 2 OPTIONS/, call.messages());
  const logged = await until(() => service.api('GET', '/api/calls/logs'), ({ body }) => body?.calls?.[0]?.status === 'ended', 5000, 'the call logged ended');
  assert.equal(logged.body.calls[0].endReason, 'completed', JSON.stringify(logged.body.calls[0]));
});
