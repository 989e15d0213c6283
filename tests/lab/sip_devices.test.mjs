// The service as the registrar of the operators' phones: baresip phones and scripted REGISTERs against the
// real pjsip-service (its lines registered at the lab's Kamailio). Digest with the operator's PBX login or
// extension and password, several phones per extension, un-registration, expiry, Contact: *, one answer
// for a wrong password and an unknown user, the slowing down and then lock-out of an address that keeps
// guessing, and the registrar's limits from the environment.
import assert from 'node:assert/strict';
import { labTest, registerExchange, startSipp } from './lib/lab.mjs';
import { startService, until } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];
// Small registrar limits, so the lock-out tests take seconds (defaults: 10 failures, 300 s).
const failuresBeforeLockout = 3;
const lockoutEnv = { SIP_AUTH_MAX_FAILURES: String(failuresBeforeLockout), SIP_AUTH_LOCKOUT: '60' };
// The held-back answer to the n-th failure in a row (src/sip/phones/registrar_failure_delay.hpp's defaults).
const failureDelayMs = (earlierFailures) => (earlierFailures === 0 ? 0 : Math.min(500 * 2 ** (earlierFailures - 1), 8000));

async function deviceRegistered(service, extension) {
  const { status, body, text } = await service.api('GET', '/api/settings/users');
  assert.equal(status, 200, text);
  return body.users.find((user) => user.extension === extension)?.deviceRegistered;
}

const deviceBecomes = (service, extension, wanted, timeoutMs = 5000) =>
  until(() => deviceRegistered(service, extension), (value) => value === wanted, timeoutMs, `deviceRegistered of ${extension} = ${wanted}`);

function header(reply, name) {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(reply ?? '');
  return match ? match[1].trim() : null;
}

function headerNames(reply) {
  return reply
    .split('\r\n\r\n')[0]
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(':')[0].toLowerCase())
    .sort();
}

function statusLine(reply) {
  return reply.split('\r\n')[0];
}

// The contacts a REGISTER without Contact (a query) lists for `aorUser`.
async function listedContacts(service, { username, password }, aorUser = username) {
  const { status, reply } = await registerExchange({ server: `127.0.0.1:${service.sipPort}`, username, password, aorUser, contact: false });
  assert.equal(status, 200, reply);
  return [...reply.matchAll(/^(?:Contact|m):\s*(.*)$/gim)].flatMap((match) => match[1].split(/,(?=\s*<)/)).map((value) => value.trim());
}

async function startWithPbx(lab, env = {}) {
  const pbx = await lab.kamailio({ users });
  return startService(lab, { pbx, lines: users, env });
}

// A REGISTER exchange and how long it took, from the first request to the final answer.
async function timedRegister(options) {
  const started = Date.now();
  const answer = await registerExchange({ timeoutMs: 15000, ...options });
  return { ...answer, ms: Date.now() - started };
}

labTest('a phone registers with its PBX login, another with its extension over TCP: both ring, both listed', async (lab) => {
  const service = await startWithPbx(lab);
  const registrar = `127.0.0.1:${service.sipPort}`;
  assert.equal(await deviceRegistered(service, '1001'), false);

  const desk = await lab.phone({ username: 'operator1', password: 'pass-one', registrar });
  await deviceBecomes(service, '1001', true);
  const soft = await lab.phone({ username: '1001', password: 'pass-one', registrar, transport: 'tcp' });

  const listed = await listedContacts(service, users[0]);
  assert.equal(listed.length, 2, listed.join('\n'));
  assert.ok(listed.some((contact) => contact.includes(`:${desk.sipPort}`)), listed.join('\n'));
  assert.ok(listed.some((contact) => contact.includes(`:${soft.sipPort}`) && /transport=tcp/i.test(contact)), listed.join('\n'));
  assert.ok(listed.every((contact) => /;expires=\d+/.test(contact)), listed.join('\n'));
  // The same phones are listed whether asked for by login or by extension.
  assert.equal((await listedContacts(service, users[0], '1001')).length, 2);
  assert.equal(await deviceRegistered(service, '1002'), false);

  // Deleting the account un-registers (challenged again: the phone answers with its credentials).
  await desk.command('uadel', `sip:operator1@${registrar}`);
  await until(() => listedContacts(service, users[0]), (contacts) => contacts.length === 1, 5000, 'one phone left');
  assert.equal(await deviceRegistered(service, '1001'), true);
  await soft.command('uadel', `sip:1001@${registrar}`);
  await deviceBecomes(service, '1001', false);
  assert.deepEqual(await listedContacts(service, users[0]), []);
});

labTest('a wrong password and an unknown user get the same challenge and the same 403', async (lab) => {
  const service = await startWithPbx(lab);
  const server = `127.0.0.1:${service.sipPort}`;
  const wrong = await registerExchange({ server, username: 'operator1', password: 'not-the-password', expires: 600 });
  const unknown = await registerExchange({ server, username: 'nobody', password: 'anything', expires: 600 });
  const byExtension = await registerExchange({ server, username: '1002', password: 'pass-one', expires: 600 });

  for (const answer of [wrong, unknown, byExtension]) {
    assert.equal(statusLine(answer.first), 'SIP/2.0 401 Unauthorized');
    assert.match(header(answer.first, 'WWW-Authenticate'), /^Digest realm="pjsip-service",.*nonce="[^"]+".*algorithm=MD5, qop="auth"/);
    assert.equal(statusLine(answer.reply), 'SIP/2.0 403 Forbidden');
  }
  assert.deepEqual(headerNames(unknown.reply), headerNames(wrong.reply));
  assert.deepEqual(headerNames(unknown.first), headerNames(wrong.first));
  assert.equal(await deviceRegistered(service, '1001'), false);

  const right = await lab.phone({ username: 'operator2', password: 'pass-two', registrar: server });
  await deviceBecomes(service, '1002', true);
  assert.ok(right);
});

labTest('a guesser gets its 403s later and later while right logins, from elsewhere or from it, register at once', async (lab) => {
  const failures = 5;
  const service = await startWithPbx(lab, { SIP_AUTH_MAX_FAILURES: String(failures), SIP_AUTH_LOCKOUT: '60' });
  const server = `127.0.0.1:${service.sipPort}`;
  const guess = (attempt) => timedRegister({ server, username: 'operator1', password: `guess-${attempt}`, expires: 600 });
  const rightLogin = (localAddress) =>
    timedRegister({ server, ...users[1], localAddress, contact: `<sip:desk@${localAddress}:{{PORT}}>`, expires: 600 });

  const waited = [];
  for (let attempt = 1; attempt < failures; attempt++) {
    if (attempt === failures - 1) {
      // While this guess's answer is held back, the SIP thread serves others: a phone on another address
      // and the right password from the guessing address itself are answered at once.
      const pending = guess(attempt);
      const [elsewhere, sameAddress] = await Promise.all([rightLogin('127.0.0.2'), rightLogin('127.0.0.1')]);
      const guessed = await pending;
      for (const login of [elsewhere, sameAddress]) {
        assert.equal(login.status, 200, login.reply);
        assert.ok(login.ms < 400, `a right login waited ${login.ms} ms`);
      }
      waited.push(guessed);
    } else {
      waited.push(await guess(attempt));
    }
  }
  for (const [index, answer] of waited.entries()) {
    const expected = failureDelayMs(index);
    assert.equal(statusLine(answer.first), 'SIP/2.0 401 Unauthorized', `attempt ${index + 1} is challenged at once`);
    assert.equal(statusLine(answer.reply), 'SIP/2.0 403 Forbidden', `attempt ${index + 1}`);
    assert.ok(answer.ms >= expected - 50 && answer.ms < expected + 400, `attempt ${index + 1}: 403 after ${answer.ms} ms, expected about ${expected}`);
  }
  await deviceBecomes(service, '1002', true);

  // The failure that reaches the limit is held back too; from then on the address gets a bare 403 at once.
  const last = await guess(failures);
  assert.equal(last.status, 403);
  assert.ok(last.ms >= failureDelayMs(failures - 1) - 50, `the locking failure answered after ${last.ms} ms`);
  const refused = await rightLogin('127.0.0.1');
  assert.equal(statusLine(refused.reply), 'SIP/2.0 403 Forbidden');
  assert.equal(refused.first, refused.reply, 'no challenge before the 403');
  assert.ok(refused.ms < 400, `the refusal took ${refused.ms} ms`);
  const elsewhere = await rightLogin('127.0.0.2');
  assert.equal(elsewhere.status, 200, elsewhere.reply);
  assert.ok(elsewhere.ms < 400, `the phone elsewhere waited ${elsewhere.ms} ms`);
  assert.match(service.log(), new RegExp(`127\\.0\\.0\\.1 refused for 60 s after ${failures} failed authentications`));
});

labTest('a phone dialling with a wrong password gets its 403s later and later too', async (lab) => {
  const service = await startWithPbx(lab);
  const waited = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = Date.now();
    const phone = await startSipp({
      scenario: 'uac_invite_wrong_password',
      remote: `127.0.0.1:${service.sipPort}`,
      service: '+79990001111',
      caller: 'operator1',
      timeoutMs: 15000,
      extraArgs: ['-au', 'operator1', '-ap', `guess-${attempt}`],
    });
    lab.track(`sipp attempt ${attempt}`, phone);
    assert.equal(await phone.result(), 0, phone.log());
    waited.push(Date.now() - started);
    await phone.stop();
  }
  // Each SIPp run holds its attempt's held-back answer; its own start and exit only add to that, by 100 to
  // 300 ms depending on the machine's load, too unevenly to compare one run's time with another's.
  assert.ok(waited[1] >= failureDelayMs(1), `waited ${waited.join(', ')} ms`);
  assert.ok(waited[2] >= failureDelayMs(2), `waited ${waited.join(', ')} ms`);
  assert.match(service.log(), /answered 403 Forbidden in 500 ms[^]*answered 403 Forbidden in 1000 ms/);
});

labTest('a phone that cancels while its 403 is held back gets 487, and the service carries on', async (lab) => {
  const service = await startWithPbx(lab);
  const dial = async (scenario, password, durationMs = 0) => {
    const phone = lab.track(`sipp ${scenario}`, await startSipp({
      scenario,
      remote: `127.0.0.1:${service.sipPort}`,
      service: '+79990001111',
      caller: 'operator1',
      durationMs,
      timeoutMs: 15000,
      extraArgs: ['-au', 'operator1', '-ap', password],
    }));
    assert.equal(await phone.result(), 0, phone.log());
  };
  await dial('uac_invite_wrong_password', 'guess-1');
  await dial('uac_invite_wrong_password', 'guess-2');
  // The third failure waits 1 s: the CANCEL comes after 200 ms of it.
  await dial('uac_invite_wrong_password_cancel', 'guess-3', 200);
  await until(() => service.log(), (log) => /answered 403 Forbidden in 1000 ms/.test(log), 3000, 'the held-back answer');
  // Its timer runs out on a finished transaction (the second held-back answer sent, to nobody); the next
  // failure is still held back and answered.
  const sent = (log) => (log.match(/held-back answer 403 Forbidden sent/g) ?? []).length;
  await until(() => service.log(), (log) => sent(log) === 2, 3000, 'the cancelled answer\'s timer');
  await dial('uac_invite_wrong_password', 'guess-4');
  assert.match(service.log(), /answered 403 Forbidden in 2000 ms/);
  const right = await registerExchange({ server: `127.0.0.1:${service.sipPort}`, ...users[0], expires: 600 });
  assert.equal(right.status, 200, right.reply);
});

labTest('the service stops cleanly while an answer is held back', async (lab) => {
  const service = await startWithPbx(lab);
  const server = `127.0.0.1:${service.sipPort}`;
  for (let attempt = 1; attempt <= 2; attempt++) {
    assert.equal((await timedRegister({ server, username: 'operator1', password: `guess-${attempt}`, expires: 600 })).status, 403);
  }
  const unanswered = registerExchange({ server, username: 'operator1', password: 'guess-3', expires: 600, timeoutMs: 3000 }).catch((error) => error);
  await until(() => service.log(), (log) => /answered 403 Forbidden in 1000 ms/.test(log), 3000, 'the answer held back');
  // Throws unless the exit is clean; the stack itself ends the held-back request on its way out (410).
  await service.stop();
  const last = await unanswered;
  assert.ok(last instanceof Error ? /no final answer/.test(last.message) : last.status >= 400, String(last.reply ?? last));
});

labTest('an address that keeps guessing is refused with 403 without a challenge, even with the right password', async (lab) => {
  const service = await startWithPbx(lab, lockoutEnv);
  const server = `127.0.0.1:${service.sipPort}`;
  for (let attempt = 1; attempt <= failuresBeforeLockout; attempt++) {
    const guess = await registerExchange({ server, username: 'operator1', password: `guess-${attempt}`, expires: 600, timeoutMs: 15000 });
    assert.equal(guess.status, 403, `attempt ${attempt}`);
    assert.equal(statusLine(guess.first), 'SIP/2.0 401 Unauthorized', `attempt ${attempt} is still challenged`);
  }
  const refused = await registerExchange({ server, username: 'operator1', password: 'pass-one', expires: 600 });
  assert.equal(statusLine(refused.reply), 'SIP/2.0 403 Forbidden');
  assert.equal(refused.first, refused.reply, 'no challenge before the 403');
  assert.equal(header(refused.reply, 'WWW-Authenticate'), null);
  assert.equal(await deviceRegistered(service, '1001'), false);

  const warnings = service.log().match(/127\.0\.0\.1 refused for \d+ s after \d+ failed authentications/g) ?? [];
  assert.equal(warnings.length, 1, service.log().slice(-3000));
  assert.doesNotMatch(service.log(), /guess-\d+|pass-one/);
});

labTest('Contact: * with Expires: 0 removes every phone of the extension; expires=0 only its own', async (lab) => {
  const service = await startWithPbx(lab);
  const server = `127.0.0.1:${service.sipPort}`;
  const account = users[0];
  const register = (contact, expires = null) => registerExchange({ server, ...account, contact, expires });

  assert.equal((await register('<sip:desk@127.0.0.1:5991>;expires=600')).status, 200);
  assert.equal((await register('<sip:soft@127.0.0.1:5992>', 600)).status, 200);
  const refreshed = await register('<sip:soft@127.0.0.1:5992>', 900);
  assert.equal(refreshed.status, 200);
  assert.equal([...refreshed.reply.matchAll(/sip:soft@127\.0\.0\.1:5992/g)].length, 1, refreshed.reply);
  assert.equal((await listedContacts(service, account)).length, 2);
  await deviceBecomes(service, '1001', true);

  assert.equal((await register('<sip:soft@127.0.0.1:5992>;expires=0')).status, 200);
  const left = await listedContacts(service, account);
  assert.equal(left.length, 1, left.join('\n'));
  assert.match(left[0], /sip:desk@127\.0\.0\.1:5991/);

  assert.equal((await register('<sip:soft@127.0.0.1:5992>', 600)).status, 200);
  assert.equal((await register('*', 600)).status, 400, 'Contact: * needs Expires: 0');
  assert.equal((await listedContacts(service, account)).length, 2);
  assert.equal((await register('*', 0)).status, 200);
  assert.deepEqual(await listedContacts(service, account), []);
  await deviceBecomes(service, '1001', false);
});

labTest('a changed password drops the extension\'s phones; they must register again with the new one', async (lab) => {
  const service = await startWithPbx(lab);
  const server = `127.0.0.1:${service.sipPort}`;
  assert.equal((await registerExchange({ server, ...users[1], contact: '<sip:phone@127.0.0.1:5993>', expires: 600 })).status, 200);
  await deviceBecomes(service, '1002', true);

  const changed = await service.api('PUT', '/api/settings/users/1002', { password: 'pass-two-new' });
  assert.equal(changed.status, 200, changed.text);
  await deviceBecomes(service, '1002', false);
  assert.equal((await registerExchange({ server, ...users[1], contact: '<sip:phone@127.0.0.1:5993>', expires: 600 })).status, 403);
  const again = await registerExchange({ server, ...users[1], password: 'pass-two-new', contact: '<sip:phone@127.0.0.1:5993>', expires: 600 });
  assert.equal(again.status, 200, again.reply);
  await deviceBecomes(service, '1002', true);
});

labTest('too short an expiry gets 423 with Min-Expires; a binding nobody refreshes expires by itself', async (lab) => {
  const service = await startWithPbx(lab, { SIP_DEVICE_MIN_EXPIRES: '5' });
  const server = `127.0.0.1:${service.sipPort}`;
  const brief = await registerExchange({ server, ...users[0], contact: '<sip:desk@127.0.0.1:5994>', expires: 4 });
  assert.equal(statusLine(brief.reply), 'SIP/2.0 423 Interval Too Brief');
  const minimum = Number(header(brief.reply, 'Min-Expires'));
  assert.equal(minimum, 5, brief.reply);
  assert.equal(await deviceRegistered(service, '1001'), false);

  const granted = await registerExchange({ server, ...users[0], contact: '<sip:desk@127.0.0.1:5994>', expires: minimum });
  assert.equal(granted.status, 200, granted.reply);
  const registeredAt = Date.now();
  await deviceBecomes(service, '1001', true);
  await deviceBecomes(service, '1001', false, minimum * 1000 + 5000);
  assert.ok(Date.now() - registeredAt >= minimum * 1000 - 500, `expired after ${Date.now() - registeredAt} ms`);
});

labTest('SIP_DEVICE_MAX_EXPIRES caps the expiry a phone is granted', async (lab) => {
  const service = await startWithPbx(lab, { SIP_DEVICE_MAX_EXPIRES: '120' });
  const server = `127.0.0.1:${service.sipPort}`;
  const granted = await registerExchange({ server, ...users[0], contact: '<sip:desk@127.0.0.1:5995>', expires: 3600 });
  assert.equal(granted.status, 200, granted.reply);
  const left = Number((/;expires=(\d+)/.exec(header(granted.reply, 'Contact') ?? '') ?? [])[1]);
  assert.ok(left > 100 && left <= 120, granted.reply);
});
