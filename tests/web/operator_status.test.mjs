// The operator's status in the console: the header offers "Доступен" and a pause for each reason; the choice
// reaches the supervisor's board live with its reason and a running duration, and the operator's line is then
// busy (486, tests/lab/operator_states.test.mjs proves the SIP side). The admin edits the reasons on the
// settings page's "Паузы" tab.
import assert from 'node:assert/strict';
import { labTest } from '../lab/lib/lab.mjs';
import { adminToken } from '../lab/lib/service.mjs';
import { startBrowser } from './lib/browser.mjs';
import { callCentre, operatorPhone, token } from './lib/call_centre.mjs';

const uiTimeoutMs = 5000;

labTest('an operator pauses for lunch from the header; the supervisor\'s board shows it live, then available again', async (lab) => {
  const centre = await callCentre(lab);
  const { service } = centre;
  await operatorPhone(lab, centre, 0);
  const browser = await startBrowser(lab);
  const anna = await browser.open(service, '/', { token: await token(service, 'operator', '1001', 'Анна Смирнова') });
  const lead = await browser.open(service, '/', { token: await token(service, 'supervisor', null, 'Старший смены') });
  await lead.click('[role=tab][data-tab=board]', { timeout: uiTimeoutMs });
  const annaOnBoard = '#board .operator[data-extension="1001"] .operator-state';
  await lead.waitForSelector(`${annaOnBoard}[data-operator-state=available]`, { timeout: uiTimeoutMs });
  assert.equal(await anna.isVisible('#my-status'), true);
  assert.equal(await lead.isVisible('#my-status'), false, 'a supervisor without an extension has no status of its own');

  await anna.selectOption('#my-status-choice', 'paused:обед', { timeout: uiTimeoutMs });
  await lead.waitForSelector(`${annaOnBoard}[data-operator-state=paused]`, { timeout: uiTimeoutMs });
  assert.match(await lead.textContent(annaOnBoard), /Пауза: обед · \d+:\d\d/);
  await anna.waitForSelector('body[data-my-state=paused]', { timeout: uiTimeoutMs });
  assert.match(await anna.textContent('#my-status-state'), /Пауза: обед/);
  const listed = await service.api('GET', '/api/operators');
  assert.equal(listed.body.operators.find((one) => one.extension === '1001').reason, 'обед');

  await anna.selectOption('#my-status-choice', 'available');
  await lead.waitForSelector(`${annaOnBoard}[data-operator-state=available]`, { timeout: uiTimeoutMs });
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 60000 });

labTest('the admin edits the pause reasons on the settings page; an operator\'s open console offers the new one at once', async (lab) => {
  const { service } = await callCentre(lab);
  const browser = await startBrowser(lab);
  // Anna's console is open before the change: it hears of the new list (operator:reasons), no reload.
  const anna = await browser.open(service, '/', { token: await token(service, 'operator', '1001', 'Анна Смирнова') });
  await anna.waitForSelector('#my-status-choice option[value="paused:обед"]', { state: 'attached', timeout: uiTimeoutMs });
  const admin = await browser.open(service, '/admin/settings.html', { token: adminToken });
  await admin.click('[role=tab][data-tab=pauses]', { timeout: uiTimeoutMs });
  await admin.waitForFunction(() => document.getElementById('pause-reasons').value.includes('обед'), null, { timeout: uiTimeoutMs });
  await admin.fill('#pause-reasons', '');
  await admin.click('#pauses-form button[type=submit]');
  assert.match(await admin.textContent('#pauses-form [data-error-for=reasons]'), /хотя бы одна/);
  await admin.fill('#pause-reasons', 'обед\n  техника  \n\nсовещание');
  await admin.click('#pauses-form button[type=submit]');
  await admin.waitForSelector('#pauses-status[data-kind=ok]', { timeout: uiTimeoutMs });
  assert.equal(await admin.inputValue('#pause-reasons'), 'обед\nтехника\nсовещание');

  await anna.waitForSelector('#my-status-choice option[value="paused:техника"]', { state: 'attached', timeout: uiTimeoutMs });
  assert.deepEqual(await anna.$$eval('#my-status-choice option', (options) => options.map((option) => option.textContent)),
    ['Доступен', 'Пауза: обед', 'Пауза: техника', 'Пауза: совещание']);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 60000 });
