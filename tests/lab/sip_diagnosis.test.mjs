// "Проверить подключение" against the lab's PBX: the real pjsip-service checks the values it is given (not
// the saved ones) step by step — name, transport (OPTIONS with its round trip), one trial registration per
// account — and names what is wrong. Nothing the check registers stays at the PBX, and the running lines
// keep their own registrations.
import assert from 'node:assert/strict';
import { freePort, labTest } from './lib/lab.mjs';
import { healthBecomes, startService } from './lib/service.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Operator One' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Operator Two' },
];

const stepOf = (report, step, extension) =>
  report.steps.find((s) => s.step === step && (extension === undefined || s.extension === extension));

async function check(service, body) {
  const started = Date.now();
  const result = await service.api('POST', '/api/settings/test-connection', body);
  return { ...result, tookMs: Date.now() - started };
}

labTest('right values: every step ok, with the address and the round trip; the lines keep their bindings', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two registered users');
  const before = await pbx.contacts('1001');

  const result = await check(service, {
    server: '127.0.0.1',
    port: pbx.port,
    transport: 'UDP',
    users: users.map(({ extension, username, password }) => ({ extension, username, password })),
  });
  assert.equal(result.status, 200, result.text);
  const report = result.body;
  assert.equal(report.ok, true, JSON.stringify(report, null, 1));
  assert.deepEqual(report.steps.map((s) => [s.step, s.status]), [
    ['name', 'ok'],
    ['transport', 'ok'],
    ['account', 'ok'],
    ['account', 'ok'],
  ]);
  assert.equal(stepOf(report, 'name').address, '127.0.0.1');
  const transport = stepOf(report, 'transport');
  assert.ok(Number.isInteger(transport.rttMs) && transport.rttMs >= 1 && transport.rttMs < 1000, JSON.stringify(transport));
  assert.match(transport.message, new RegExp(`127\\.0\\.0\\.1:${pbx.port} по UDP ответила на SIP OPTIONS за \\d+ мс`));
  for (const user of users) {
    const account = stepOf(report, 'account', user.extension);
    assert.equal(account.outcome, 'accepted');
    assert.equal(account.username, user.username);
  }
  // The trial contacts were taken back; the line's own binding is untouched.
  assert.deepEqual(await pbx.contacts('1001'), before);
  assert.deepEqual(await pbx.contacts('1002'), [`sip:operator2@127.0.0.1:${service.sipPort}`]);
  assert.equal((await service.health()).registeredUsers, 2);
});

labTest('saved accounts are tried when the form sends none, with their saved passwords', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users.slice(0, 1) });
  // No server nor port in the body: the saved ones; no password for 1001: its saved one.
  const result = await check(service, { users: [{ extension: '1001', username: 'operator1' }] });
  assert.equal(result.status, 200, result.text);
  assert.equal(result.body.ok, true, result.text);
  const all = await check(service, {});
  assert.deepEqual(all.body.steps.map((s) => s.extension ?? s.step), ['name', 'transport', '1001']);
});

labTest('a wrong password and an unknown user are named on their own account, the others still pass', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: [] });
  const result = await check(service, {
    server: '127.0.0.1',
    port: pbx.port,
    users: [
      { extension: '1001', username: 'operator1', password: 'not-the-password' },
      { extension: '1002', username: 'operator2', password: 'pass-two' },
      { extension: '1009', username: 'nobody', password: 'whatever' },
    ],
  });
  assert.equal(result.status, 200, result.text);
  const report = result.body;
  assert.equal(report.ok, false);
  const wrong = stepOf(report, 'account', '1001');
  assert.equal(wrong.status, 'failed');
  assert.equal(wrong.outcome, 'wrong_password');
  assert.match(wrong.message, /Неверный пароль/);
  assert.match(wrong.message, /operator1/);
  assert.ok([401, 403, 407].includes(wrong.sipStatus), JSON.stringify(wrong));
  assert.equal(stepOf(report, 'account', '1002').status, 'ok');
  const unknown = stepOf(report, 'account', '1009');
  assert.equal(unknown.outcome, 'unknown_user');
  assert.equal(unknown.sipStatus, 404);
  assert.match(unknown.message, /Пользователь nobody не найден на АТС/);
  assert.deepEqual(await pbx.contacts('1002'), [], 'the accepted trial was un-registered');
});

labTest('a port where nothing listens: the transport step fails with no answer and the accounts are skipped', async (lab) => {
  const service = await startService(lab, { pbxPort: await freePort(), lines: [] });
  const silentPort = await freePort();
  for (const transport of ['UDP', 'TCP']) {
    const result = await check(service, {
      server: '127.0.0.1',
      port: silentPort,
      transport,
      users: [{ extension: '1001', username: 'operator1', password: 'pass-one' }],
    });
    assert.equal(result.status, 200, result.text);
    const report = result.body;
    assert.deepEqual(report.steps.map((s) => [s.step, s.status]), [
      ['name', 'ok'],
      ['transport', 'failed'],
      ['account', 'skipped'],
    ]);
    const step = stepOf(report, 'transport');
    assert.equal(step.outcome, 'no_answer');
    assert.match(step.message, new RegExp(`127\\.0\\.0\\.1:${silentPort} по ${transport}: нет ответа`));
    assert.ok(result.tookMs < 5000, `answered in ${result.tookMs} ms`);
  }
});

labTest('a name that does not resolve: the name step fails and names it, nothing else is tried', async (lab) => {
  const service = await startService(lab, { pbxPort: await freePort(), lines: users });
  const result = await check(service, { server: 'pbx.foodflow.invalid', port: 5060 });
  assert.equal(result.status, 200, result.text);
  const report = result.body;
  assert.deepEqual(report.steps.map((s) => [s.step, s.status]), [
    ['name', 'failed'],
    ['transport', 'skipped'],
    ['account', 'skipped'],
    ['account', 'skipped'],
  ]);
  assert.equal(stepOf(report, 'name').outcome, 'not_resolved');
  assert.match(stepOf(report, 'name').message, /Имя «pbx\.foodflow\.invalid» не найдено/);
});

labTest('bad input is refused with the field named, and the saved settings stay as they were', async (lab) => {
  const service = await startService(lab, { pbxPort: await freePort(), lines: users });
  const cases = [
    [{ port: 70000 }, /^port/],
    [{ transport: 'SCTP' }, /^transport/],
    [{ users: 'operator1' }, /^users/],
    [{ users: [{ extension: '1005', username: 'operator5' }] }, /^users\[0\]\.password/],
    [{ users: [{ username: 'operator1', password: 'x' }] }, /^users\[0\]\.extension/],
  ];
  for (const [body, field] of cases) {
    const result = await check(service, body);
    assert.equal(result.status, 400, `${JSON.stringify(body)}: ${result.text}`);
    assert.equal(result.body.code, 'VALIDATION_FAILED');
    assert.match(result.body.error, field);
  }
  const saved = await service.api('GET', '/api/settings/pbx');
  assert.equal(saved.body.settings.server, '127.0.0.1');
});
