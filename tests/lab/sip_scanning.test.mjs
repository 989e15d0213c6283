// The operators' registrar as a scanner sees it: Debian's sipvicious (svmap, svwar, svcrack) run against
// the real service from loopback addresses of their own (the PBX, Kamailio, is 127.0.0.1), with the
// service's default settings. svmap finds a SIP service but no product name; svwar, with REGISTER and with
// INVITE, tells no extension from another (the lab's PBX beside it, which answers 404 for unknown users,
// shows that the same scan does find users where the answers differ); svcrack is locked out before it
// reaches the right password, while the operator's phone at another address registers. A scripted probe
// compares the answers for existing and missing extensions itself: status, header names, timing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest, labTest, registerExchange, sendUdp } from './lib/lab.mjs';
import { sipvicious } from './lib/sipvicious.mjs';
import { startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
// What a scanner guesses: the configured logins and extensions among missing ones.
const guesses = ['1000', '1001', '1002', '1003', '1099', '2001', 'operator1', 'operator2', 'admin', 'nobody'];
const configured = new Set(['1001', '1002', 'operator1', 'operator2']);

async function startCentre(lab) {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users });
  return { pbx, service };
}

function wordFile(name, words) {
  const file = join(tmpdir(), `ff-lab-${process.pid}-${name}.txt`);
  writeFileSync(file, `${words.join('\n')}\n`);
  return file;
}

// svwar's findings: the extensions it reports as existing, and how many guesses it sent.
function svwarFindings(output) {
  return {
    found: [...output.matchAll(/extension '([^']+)' (?:exists|probably exists)/g)].map((match) => match[1]).sort(),
    sent: [...output.matchAll(/sending request for (\S+)/g)].length,
  };
}

// Runs the `runs` (functions returning promises) `size` at a time, so that the tools do not all start at once
// on a busy machine; resolves with their results in order.
async function inBatches(runs, size) {
  const results = [];
  for (let start = 0; start < runs.length; start += size) results.push(...(await Promise.all(runs.slice(start, start + size).map((run) => run()))));
  return results;
}

async function deviceRegistered(service, extension) {
  const { body } = await service.api('GET', '/api/settings/users');
  return body.users.find((user) => user.extension === extension)?.deviceRegistered;
}

// Sends `request` from `localAddress` and resolves with its final answer and how long it took.
async function timedAnswer(port, request, localAddress) {
  const started = process.hrtime.bigint();
  const reply = await sendUdp('127.0.0.1', port, request, 3000, (text) => /^SIP\/2\.0 [2-6]\d\d/.test(text), localAddress);
  return { reply, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

const statusLine = (reply) => reply.split('\r\n')[0];
const headerNames = (reply) =>
  reply
    .split('\r\n\r\n')[0]
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(':')[0].toLowerCase())
    .sort()
    .join(',');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

labTest('svmap finds a SIP service but learns no product name', async (lab) => {
  const { service } = await startCentre(lab);
  const scan = await sipvicious(lab, 'svmap', ['127.0.0.1', '-p', String(service.sipPort)], { from: '127.0.0.2', timeoutSeconds: 20 });
  assert.equal(scan.code, 0, scan.output);
  const row = new RegExp(`\\|\\s*127\\.0\\.0\\.1:${service.sipPort}\\s*\\|\\s*([^|]*?)\\s*\\|`).exec(scan.output);
  assert.ok(row, `svmap lists the service:\n${scan.output}`);
  assert.equal(row[1], 'unknown', `svmap names the product:\n${scan.output}`);
  console.log(`svmap: found 127.0.0.1:${service.sipPort}, user agent "${row[1]}" (${scan.seconds.toFixed(1)} s)`);
});

labTest('svwar with REGISTER and with INVITE tells no extension from another; at the PBX the same scan finds its users', async (lab) => {
  const { pbx, service } = await startCentre(lab);
  const war = (method, port, from, guessed, extra = []) =>
    sipvicious(lab, 'svwar', ['-vv', '-m', method, '-d', wordFile(`extensions-${from}-${guessed.join('-')}`, guessed), ...extra, '127.0.0.1', '-p', String(port)], {
      from,
      timeoutSeconds: 30,
    });

  // svwar first asks for a random extension and takes that answer as "no such extension"; a guess answered
  // otherwise is reported as existing. Forced past its sanity check, it stops at the first guess answered
  // like the random one ("unknown response"), so the service is scanned one guess per run.
  const [control, careful, ...forced] = await inBatches(
    [
      () => war('REGISTER', pbx.port, '127.0.0.2', guesses),
      () => war('REGISTER', service.sipPort, '127.0.0.3', guesses),
      ...guesses.map((guess) => () => war('REGISTER', service.sipPort, '127.0.0.4', [guess], ['--force'])),
      ...guesses.map((guess) => () => war('INVITE', service.sipPort, '127.0.0.5', [guess], ['--force'])),
    ],
    11,
  );

  // The control: Kamailio answers 404 for unknown users, so the scan finds every configured one.
  assert.deepEqual(svwarFindings(control.output).found, [...configured].sort(), control.output);
  // svwar's own sanity check gives up on the service: an unknown extension is challenged like any other.
  assert.match(careful.output, /authentication request for an unknown extension/, careful.output);
  // Forced, each guess is sent and none is told from the random extension, by REGISTER or by INVITE.
  for (const [index, scan] of forced.entries()) {
    const what = `${index < guesses.length ? 'REGISTER' : 'INVITE'} ${guesses[index % guesses.length]}`;
    const { found, sent } = svwarFindings(scan.output);
    assert.equal(sent, 1, `${what}: svwar sent the guess\n${scan.output}`);
    assert.deepEqual(found, [], `${what}: svwar told it apart\n${scan.output}`);
    assert.match(scan.output, /found nothing/, scan.output);
  }
  console.log(
    `svwar at the PBX (REGISTER): found ${svwarFindings(control.output).found.join(', ')} of ${guesses.length} guesses; ` +
      `at the service: found nothing with REGISTER or INVITE for any of ${guesses.join(', ')}`,
  );
  assert.equal(await deviceRegistered(service, '1001'), false);
});

labTest('the registrar answers an existing and a missing extension alike: status, headers and time', async (lab) => {
  const { service } = await startCentre(lab);
  const from = '127.0.0.6';
  const rounds = 5;
  for (const method of ['REGISTER', 'INVITE']) {
    const answers = new Map(); // target -> [{reply, ms}]
    for (let round = 0; round < rounds; round++) {
      for (const target of guesses) {
        const request = buildRequest(method, '127.0.0.1', service.sipPort, { user: target, fromUser: target, localAddress: from });
        const answer = await timedAnswer(service.sipPort, request, from);
        assert.ok(answer.reply, `${method} for ${target}: no answer`);
        answers.set(target, [...(answers.get(target) ?? []), answer]);
      }
    }
    const reference = answers.get('1001')[0].reply;
    for (const [target, list] of answers) {
      for (const { reply } of list) {
        assert.equal(statusLine(reply), statusLine(reference), `${method} for ${target}:\n${reply}`);
        assert.equal(headerNames(reply), headerNames(reference), `${method} for ${target}:\n${reply}\n--- for 1001:\n${reference}`);
      }
    }
    const times = (wanted) => [...answers].filter(([target]) => configured.has(target) === wanted).flatMap(([, list]) => list.map(({ ms }) => ms));
    const existing = median(times(true));
    const missing = median(times(false));
    const slowest = Math.max(...times(true), ...times(false));
    console.log(
      `${method} without credentials: every target "${statusLine(reference)}"; median ${existing.toFixed(2)} ms for existing, ` +
        `${missing.toFixed(2)} ms for missing, slowest ${slowest.toFixed(1)} ms`,
    );
    // One class of time: none held back (a held-back answer waits 500 ms or more), medians alike.
    assert.ok(slowest < 400, `an answer took ${slowest} ms`);
    assert.ok(Math.abs(existing - missing) < 25, `medians ${existing} ms (existing) and ${missing} ms (missing)`);
  }
});

labTest('svcrack is locked out before it reaches the right password; the phone at another address registers', async (lab) => {
  const { service } = await startCentre(lab);
  // The right password late in the list: after 24 wrong ones, more than the 10 that lock an address out.
  const passwords = Array.from({ length: 30 }, (_, i) => `guess-${i + 1}`);
  passwords[24] = users[0].password;
  const wordlist = wordFile('passwords', passwords);
  const crack = await sipvicious(lab, 'svcrack', ['-vv', '-u', '1001', '-d', wordlist, '127.0.0.1', '-p', String(service.sipPort)], {
    from: '127.0.0.7',
    timeoutSeconds: 45,
  });
  assert.notEqual(crack.code, 124, `svcrack had to be killed:\n${crack.output}`);
  assert.doesNotMatch(crack.output, /The password for/, crack.output);
  const tried = [...crack.output.matchAll(/trying (\S+)/g)].map((match) => match[1]);
  assert.ok(tried.length >= 10, `svcrack tried ${tried.length} passwords:\n${crack.output}`);
  assert.ok(!tried.includes(users[0].password), `svcrack reached the right password:\n${crack.output}`);
  assert.match(service.log(), /SIP registrar: 127\.0\.0\.7 refused for 300 s after 10 failed authentications/);
  assert.equal(await deviceRegistered(service, '1001'), false);

  // The cracker's address stays refused, even with the right password; the operator's phone registers.
  const fromCracker = await registerExchange({ server: `127.0.0.1:${service.sipPort}`, ...users[0], localAddress: '127.0.0.7', expires: 600 });
  assert.equal(fromCracker.status, 403, fromCracker.reply);
  await lab.phone({ username: 'operator1', password: 'pass-one', registrar: `127.0.0.1:${service.sipPort}` });
  await until(() => deviceRegistered(service, '1001'), (value) => value === true, 5000, 'the phone of 1001 registered');
  console.log(`svcrack: ${tried.length} of ${passwords.length} passwords tried, right one (#25) never sent, refused after 10; ran ${crack.seconds.toFixed(1)} s`);
});
