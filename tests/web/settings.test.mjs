// The settings page in Chromium against the real service and the lab's PBX: saving new PBX settings
// re-registers the lines (seen on the page and at the PBX), the diagnosis names a wrong password and an
// unreachable server, an operator's token gets "нет доступа" and no data; screenshots at both sizes.
import assert from 'node:assert/strict';
import { freePort, labTest } from '../lab/lib/lab.mjs';
import { adminToken, healthBecomes, startService, until } from '../lab/lib/service.mjs';
import { screenshots, startBrowser } from './lib/browser.mjs';

const users = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Иванов И.И.' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Петров П.П.' },
];

const line = (page, extension) => page.locator(`#pbx-lines li[data-extension="${extension}"]`);

labTest('saving new PBX settings re-registers the lines live, and the page shows each line changing', async (lab) => {
  const oldPbx = await lab.kamailio({ users });
  const newPbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx: oldPbx, lines: users });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two lines registered at the old PBX');
  const browser = await startBrowser(lab);
  const page = await browser.open(service, '/admin/settings.html', { token: adminToken });

  for (const extension of ['1001', '1002']) {
    await line(page, extension).and(page.locator(`[data-registered="true"][data-detail*=":${oldPbx.port} "]`)).waitFor();
  }
  assert.equal(await page.inputValue('#pbx-port'), String(oldPbx.port));
  // What the page saw of line 1001, change by change.
  await page.evaluate(() => {
    window.seenDetails = [];
    const list = document.getElementById('pbx-lines');
    new MutationObserver(() => {
      const item = list.querySelector('li[data-extension="1001"]');
      if (item && window.seenDetails.at(-1) !== item.dataset.detail) window.seenDetails.push(item.dataset.detail);
    }).observe(list, { childList: true, subtree: true, attributes: true });
  });

  await page.fill('#pbx-port', String(newPbx.port));
  await page.click('#pbx-save');
  await page.locator('#pbx-status', { hasText: 'Сохранено' }).waitFor();
  for (const extension of ['1001', '1002']) {
    await line(page, extension).and(page.locator(`[data-registered="true"][data-detail*=":${newPbx.port} "]`)).waitFor({ timeout: 10000 });
  }
  // At the SIP side: registered at the new PBX, gone from the old one.
  assert.deepEqual(await newPbx.contacts('1001'), [`sip:operator1@127.0.0.1:${service.sipPort}`]);
  assert.deepEqual(await newPbx.contacts('1002'), [`sip:operator2@127.0.0.1:${service.sipPort}`]);
  await until(() => oldPbx.contacts('1001'), (contacts) => contacts.length === 0, 5000, 'old PBX binding of 1001 removed');
  const seen = await page.evaluate(() => window.seenDetails);
  assert.ok(seen.some((detail) => detail.includes(`:${newPbx.port} `)), JSON.stringify(seen));
  assert.ok(seen.length >= 2, `the page showed the line changing: ${JSON.stringify(seen)}`);
  assert.equal((await service.api('GET', '/api/settings/pbx')).body.settings.port, newPbx.port);

  // The users tab shows the same, with the phone column, live.
  await page.click('[data-tab="users"]');
  const row = page.locator('#users-rows tr[data-extension="1001"]');
  await row.locator('[data-cell="line"]', { hasText: 'зарегистрирована' }).waitFor();
  assert.equal(await row.locator('td').nth(3).textContent(), 'задан');
  assert.equal(await row.locator('[data-cell="device"]').textContent(), 'телефон не подключён');
  await screenshots(page, 'settings-users');
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('the diagnosis names an unreachable server and a wrong password, from the values in the form', async (lab) => {
  const pbx = await lab.kamailio({ users });
  const service = await startService(lab, { pbx, lines: users });
  await healthBecomes(service, (h) => h.registeredUsers === 2, 5000, 'two lines registered');
  const browser = await startBrowser(lab);
  const page = await browser.open(service, '/admin/settings.html', { token: adminToken });
  await until(() => page.inputValue('#pbx-port'), (value) => value === String(pbx.port), 5000, 'the form filled');

  // A port where nothing listens, typed but not saved.
  const silentPort = await freePort();
  await page.fill('#pbx-port', String(silentPort));
  await page.click('#pbx-test');
  const transport = page.locator('#diagnosis-steps li[data-step="transport"]');
  await transport.and(page.locator('[data-status="failed"]')).waitFor({ timeout: 8000 });
  assert.match(await transport.textContent(), new RegExp(`127\\.0\\.0\\.1:${silentPort} по UDP: нет ответа`));
  assert.equal(await page.locator('#diagnosis-steps li[data-step="account"][data-status="skipped"]').count(), 2);
  assert.equal((await service.api('GET', '/api/settings/pbx')).body.settings.port, pbx.port, 'nothing was saved');

  // The PBX's administrator changed operator1's password: the saved one is now wrong.
  await pbx.setUser({ username: 'operator1', password: 'changed-at-the-pbx', extension: '1001' });
  await page.fill('#pbx-port', String(pbx.port));
  await page.click('#pbx-test');
  const wrong = page.locator('#diagnosis-steps li[data-step="account"][data-outcome="wrong_password"]');
  await wrong.waitFor({ timeout: 8000 });
  assert.match(await wrong.textContent(), /Неверный пароль.*operator1/s);
  assert.equal(await page.locator('#diagnosis-steps li[data-step="transport"][data-status="ok"]').count(), 1);
  assert.match(await page.locator('#diagnosis-steps li[data-step="transport"] .rtt').textContent(), /^\d+ мс$/);
  assert.equal(await page.locator('#diagnosis-steps li[data-step="account"][data-status="ok"]').count(), 1);

  // A wrong value is shown beside its field, and nothing is sent.
  await page.fill('#pbx-server', 'sip://pbx');
  await page.click('#pbx-test');
  assert.match(await page.textContent('[data-error-for="server"]'), /только имя или IP-адрес/);
  await page.fill('#pbx-server', '127.0.0.1');
  await page.click('#pbx-test');
  await wrong.waitFor();
  await screenshots(page, 'settings');
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('an operator token gets "нет доступа" and no data; a token made on the page is shown once', async (lab) => {
  const service = await startService(lab, { pbxPort: await freePort(), lines: users });
  const browser = await startBrowser(lab);

  // The admin makes the operator's token on the Tokens tab.
  const admin = await browser.open(service, '/admin/settings.html', { token: adminToken });
  await admin.click('[data-tab="tokens"]');
  await admin.fill('#token-name', 'Иванов И.И.');
  await admin.selectOption('#token-extension', '1001');
  await admin.click('#token-form button[type="submit"]');
  await admin.locator('#token-created').waitFor();
  const operatorToken = (await admin.textContent('#token-value')).trim();
  assert.match(operatorToken, /^\S{24,}$/);
  const row = admin.locator('#tokens-rows tr', { hasText: 'Иванов И.И.' });
  assert.match(await row.textContent(), /оператор.*1001/);
  assert.ok(!(await admin.locator('#tokens-rows').textContent()).includes(operatorToken), 'the list never shows a secret');

  const page = await browser.open(service, '/admin/settings.html', { token: operatorToken });
  await page.locator('#denied').waitFor();
  assert.match(await page.textContent('#denied'), /Нет доступа/);
  assert.equal(await page.locator('#app').isHidden(), true);
  assert.equal(await page.inputValue('#pbx-server'), '', 'no settings reached the page');
  assert.equal(await page.locator('#users-rows tr').count(), 0);
  for (const path of ['/api/settings/pbx', '/api/settings/users', '/api/tokens', '/api/settings/sms']) {
    const response = await page.evaluate(
      async ([url, token]) => (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status,
      [path, operatorToken],
    );
    assert.equal(response, 403, path);
  }

  // The SMS tab: no gateway here (SMS_GATEWAY_URL unset), said; the texts save all the same.
  await admin.click('[data-tab="sms"]');
  assert.match(await admin.textContent('#sms-gateway'), /Шлюз не настроен/);
  await admin.fill('#sms-missed-text', 'Мы перезвоним');
  await admin.click('#sms-form button[type="submit"]');
  await admin.locator('#sms-status', { hasText: 'Сохранено' }).waitFor();
  const sms = await fetch(`${service.baseUrl}/api/settings/sms`, { headers: { Authorization: `Bearer ${adminToken}` } });
  assert.deepEqual((await sms.json()).settings, { missedText: 'Мы перезвоним', orderText: '', gateway: null, minIntervalMinutes: 60 });
  await admin.click('[data-tab="tokens"]');

  // Revoked on the page: the token stops working at once.
  admin.on('dialog', (dialog) => dialog.accept());
  await row.locator('button', { hasText: 'Отозвать' }).click();
  await row.waitFor({ state: 'detached' });
  const after = await fetch(`${service.baseUrl}/api/calls/active`, { headers: { Authorization: `Bearer ${operatorToken}` } });
  assert.equal(after.status, 401);
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('users tab: add, edit and delete an operator; the line and the phone show up live', async (lab) => {
  const operator3 = { username: 'operator3', password: 'pass-three', extension: '1003' };
  const pbx = await lab.kamailio({ users: [...users, operator3] });
  const service = await startService(lab, { pbx, lines: users.slice(0, 1) });
  const browser = await startBrowser(lab);
  const page = await browser.open(service, '/admin/settings.html', { token: adminToken });
  await page.click('[data-tab="users"]');
  await page.locator('#users-rows tr[data-extension="1001"]').waitFor();

  // Checked in the page first: nothing is sent while a field is wrong.
  await page.fill('#user-extension', '1');
  await page.fill('#user-username', 'operator3');
  await page.click('#user-save');
  assert.match(await page.textContent('[data-error-for="extension"]'), /от 2 до 8 цифр/);
  assert.match(await page.textContent('[data-error-for="password"]'), /Укажите пароль/);
  assert.equal(await page.locator('#users-rows tr[data-extension="1"]').count(), 0);

  await page.fill('#user-extension', '1003');
  await page.fill('#user-password', operator3.password);
  await page.fill('#user-display-name', 'Сидоров С.С.');
  await page.click('#user-save');
  const row = page.locator('#users-rows tr[data-extension="1003"]');
  await row.locator('[data-cell="line"]', { hasText: /^зарегистрирована$/ }).waitFor({ timeout: 10000 });
  assert.equal(await page.inputValue('#user-password'), '', 'the form is cleared');
  assert.deepEqual(await pbx.contacts('1003'), [`sip:operator3@127.0.0.1:${service.sipPort}`]);

  // The operator's phone registers to the service: the row says so without a reload.
  await lab.phone({ username: 'operator3', password: operator3.password, registrar: `127.0.0.1:${service.sipPort}` });
  await row.locator('[data-cell="device"]', { hasText: 'телефон подключён' }).waitFor({ timeout: 10000 });

  // Editing keeps the password when the field stays empty.
  await row.locator('button', { hasText: 'Изменить' }).click();
  assert.equal(await page.locator('#user-extension').isDisabled(), true);
  await page.fill('#user-display-name', 'Сидорова С.С.');
  await page.click('#user-save');
  await row.locator('td', { hasText: 'Сидорова С.С.' }).waitFor();
  const saved = (await service.api('GET', '/api/settings/users')).body.users.find((user) => user.extension === '1003');
  assert.equal(saved.passwordSet, true);
  assert.equal(saved.registered, true, 'a new display name alone does not re-register');

  page.on('dialog', (dialog) => dialog.accept());
  await row.locator('button', { hasText: 'Удалить' }).click();
  await row.waitFor({ state: 'detached' });
  await until(() => pbx.contacts('1003'), (contacts) => contacts.length === 0, 5000, 'line 1003 un-registered at the PBX');
  assert.deepEqual(browser.pageErrors(), []);
});
