// Past its capacity the service sheds new calls instead of setting every one up too late: with
// SIP_MAX_DELAY_MS it measures how late its SIP thread serves what reaches it (an OPTIONS to itself every
// 20 ms) and, while that is past the limit, answers new INVITEs 503 with Retry-After at once; /health says
// so meanwhile, and once the flood is over it takes calls again. Kamailio is the PBX; SIPp plays the PBX
// offering a burst of calls straight to the queue's line (a queue whose member has no phone, so that a taken
// call rings until SIPp cancels it). The burst is several times what the sanitizer build sets up in time on
// two cores; the test checks the shedding, not a rate. What is not a new call passes meanwhile: a phone's
// REGISTER is answered 200 and a call that is up ends when its operator hangs up.
import assert from 'node:assert/strict';
import { countOf, finalCounts } from './lib/sipp.mjs';
import { labTest } from './lib/lab.mjs';
import { callCentre, customerPhone, operatorPhone, operators } from './lib/call_centre.mjs';
import { eventually, until } from './lib/service.mjs';
import { registerExchange } from './lib/sip_client.mjs';

const member = { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' };
const queueLine = { username: 'queue-delivery', password: 'pass-queue', extension: '2000', displayName: 'Доставка' };
const talker = operators[1]; // on a call with a customer through the burst, on a phone registered to the service
const burst = { rate: 800, calls: 1600 };


labTest('a burst past what the SIP thread serves in time: new calls get 503 with Retry-After while it lags, /health says so, and calls are taken again after', async (lab) => {
  const centre = await callCentre(lab, { lines: [member, queueLine, talker], env: { SIP_MAX_DELAY_MS: '25' } });
  const { service, pbx, console: stream } = centre;
  const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'round-robin', members: [{ extension: '1001' }] });
  assert.equal(put.status, 200, put.text);
  const quiet = await service.health();
  assert.equal(quiet.dependencies.sip?.ok, true, JSON.stringify(quiet));

  // /health read all through the burst (it keeps a shedding 10 s, for monitors that poll now and then).
  let watching = true;
  const seen = [];
  const watch = (async () => {
    while (watching) {
      const health = await service.health().catch(() => null);
      if (health?.dependencies?.sip) seen.push(health.dependencies.sip);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  // A customer on a call with the talker, up before the burst.
  const phone = await operatorPhone(lab, centre, operators.indexOf(talker));
  const customer = await customerPhone(lab);
  const dialled = Date.now();
  await customer.dial(`sip:${talker.extension}@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  const up = await eventually(stream.events, 'call:answered', (call) => call.extension === talker.extension, 5000, dialled);

  // SIPp plays the PBX (the lines' registrar address), offering the calls straight to the queue's line.
  const offered = await lab.sipp({
    scenario: 'uac_invite_or_503',
    remote: `127.0.0.1:${service.sipPort}`,
    service: queueLine.username,
    calls: burst.calls,
    rate: burst.rate,
    durationMs: 500,
    traceMessages: false,
    timeoutMs: 60000,
    extraArgs: ['-trace_counts', '-l', '2000'],
  });
  // Once new calls are refused: a REGISTER for the talker's extension (a device of its own, digest and all) and
  // the talker's hang-up, each timed from its request to its effect. They wait behind what reached the SIP
  // thread before them (the shedding keeps that short), never behind the refused calls' set-up.
  await until(() => service.log(), (log) => /new calls are refused with 503/.test(log), 20000, 'the shedding');
  const timed = async (work) => {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  };
  const hungUp = Date.now();
  const [refresh, hangup] = await Promise.all([
    timed(() => registerExchange({ server: `127.0.0.1:${service.sipPort}`, username: talker.username, password: talker.password, expires: 60, timeoutMs: 5000 })),
    timed(async () => {
      await phone.hangup();
      await eventually(stream.events, 'call:ended', (call) => call.id === up.payload.id, 5000, hungUp);
    }),
  ]);
  const transitions = service.log().match(/new calls are refused with 503|new calls are taken again/g);
  const stillShedding = transitions.at(-1).includes('refused');
  const passed = `sent once new calls were being refused, a phone's REGISTER answered ${refresh.result.status} in ${refresh.ms.toFixed(0)} ms (digest challenge included) and a hang-up ended its call in ${hangup.ms.toFixed(0)} ms, ${stillShedding ? 'the shedding still on then' : 'the shedding over by then'} (${transitions.length} changes of shedding so far)`;
  console.log(passed);
  assert.equal(refresh.result.status, 200, passed);
  assert.ok(refresh.ms < 3000 && hangup.ms < 3000, passed);
  await customer.waitFor('CALL_CLOSED');

  const code = await offered.result();
  watching = false;
  await watch;
  const counts = finalCounts(offered.dir);
  const refused = countOf(counts, '_503_Recv');
  const taken = countOf(counts, '_CANCEL_Sent'); // rang (its 180 may be lost to SIPp's own full socket), then cancelled
  const report = `${burst.calls} calls offered at ${burst.rate}/s: ${taken} taken (rang, then cancelled), ${refused} refused 503`;
  console.log(report);
  // SIPp itself is starved on two busy cores and may lose a datagram of its own (a 180, a CANCEL's 200 after
  // the 487); its exit code then says so, not the service. What the service did is asserted: every call got
  // one of the two answers, few are unaccounted (the 503's Retry-After is checked by lab/call_limits).
  assert.ok(taken + refused >= burst.calls * 0.98, `${report}; SIPp exit ${code}:\n${offered.errors().slice(0, 2000)}`);
  assert.ok(refused > 0, `the burst was shed in part: ${report}`);
  assert.ok(taken > 0, `and the calls the thread could serve were taken: ${report}`);
  const shed = seen.filter((sip) => !sip.ok);
  assert.ok(shed.some((sip) => /SIP_MAX_DELAY_MS/.test(sip.detail)), `/health said so (${seen.length} reads): ${JSON.stringify(shed.slice(0, 2))}`);
  assert.match(service.log(), /SIP thread \d+ ms late: new calls are refused with 503/);

  // The burst over, the thread catches up: /health is back (it keeps a shedding 10 s), every taken call ended,
  // and a new call is taken.
  await until(() => service.health(), (health) => health.dependencies.sip.ok, 30000, 'the SIP thread caught up');
  await until(() => service.api('GET', '/api/calls/active'), ({ body }) => body.calls.length === 0, 20000, 'every taken call ended');
  const after = await lab.sipp({ scenario: 'uac_invite_or_503', remote: `127.0.0.1:${service.sipPort}`, service: queueLine.username,
    caller: '+79990000777', durationMs: 300, extraArgs: ['-trace_counts'] });
  assert.equal(await after.result(), 0, after.log());
  assert.equal(countOf(finalCounts(after.dir), '_180_Recv'), 1, 'a call after the burst is taken');

  // SIGTERM in the middle of a second burst: the service still ends within 5 s, and cleanly (stop() fails on
  // any exit code but 0). It used to wait 15 s and more: for the far ends' answers to its last BYEs and
  // CANCELs (up to 32 s each), and for the events' thread to publish every one of a thousand queue states.
  const second = await lab.sipp({ scenario: 'uac_invite_or_503', remote: `127.0.0.1:${service.sipPort}`, service: queueLine.username,
    calls: burst.calls / 2, rate: burst.rate, durationMs: 500, traceMessages: false, timeoutMs: 60000, extraArgs: ['-l', '2000'] });
  await until(() => service.api('GET', '/api/calls/active'), ({ body }) => body.calls.length >= 50, 20000, 'the second burst under way');
  const stopping = performance.now();
  await service.stop();
  const exitMs = performance.now() - stopping;
  await second.stop();
  console.log(`SIGTERM during the second burst: exited in ${exitMs.toFixed(0)} ms`);
  assert.ok(exitMs < 5000, `SIGTERM during an overload: exited in ${exitMs.toFixed(0)} ms`);
}, { timeoutMs: 180000 });
