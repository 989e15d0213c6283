// Queues in the pages against the real service, Kamailio, baresip and SIPp: the admin puts a queue on a line on
// the settings page's "Очереди" tab (a wrong member line is named); callers to the queue's number wait, and
// the supervisor's board lists them in order with whose phone the first one's offer rings, every console's
// header counts them, the offered operator's console opens the caller's card; when they give up, the board
// empties.
import assert from 'node:assert/strict';
import { labTest } from '../lab/lib/lab.mjs';
import { adminToken, eventually, healthBecomes, startService } from '../lab/lib/service.mjs';
import { screenshots, startBrowser } from './lib/browser.mjs';
import { token } from './lib/call_centre.mjs';

const uiTimeoutMs = 5000;
const lines = [
  { username: 'operator1', password: 'pass-one', extension: '1001', displayName: 'Анна Смирнова' },
  { username: 'operator2', password: 'pass-two', extension: '1002', displayName: 'Борис Котов' },
  { username: 'queue-delivery', password: 'pass-queue', extension: '2000', displayName: 'Линия доставки' },
];

async function consolePage(browser, service, secret) {
  const page = await browser.open(service, '/', { token: secret });
  await page.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });
  return page;
}

labTest('the admin adds a queue; its callers wait on the supervisor\'s board in order, counted in every console', async (lab) => {
  const pbx = await lab.kamailio({ users: lines });
  const service = await startService(lab, { pbx, lines });
  await healthBecomes(service, (health) => health.registeredUsers === 3, 10000, 'every line registered');
  const stream = await service.console();
  const phone = await lab.phone({ username: 'operator1', password: 'pass-one', registrar: `127.0.0.1:${service.sipPort}` });
  await eventually(stream.events, 'operator:state', (state) => state.extension === '1001' && state.state === 'available', 5000);
  const browser = await startBrowser(lab);

  // The settings page: a member line it cannot read is named; then the queue is saved and listed.
  const admin = await browser.open(service, '/admin/settings.html', { token: adminToken });
  await admin.click('[role=tab][data-tab=queues]', { timeout: uiTimeoutMs });
  await admin.selectOption('#queue-extension', '2000');
  await admin.fill('#queue-name', 'Доставка');
  await admin.selectOption('#queue-strategy', 'round-robin');
  await admin.fill('#queue-members', '1001\nБорис');
  await admin.click('#queue-save');
  assert.match(await admin.textContent('#queue-form [data-error-for=members]'), /Не понял строку «Борис»/);
  await admin.fill('#queue-members', '1001\n1002 2');
  await admin.fill('#queue-ring', '30');
  await admin.click('#queue-save');
  await admin.waitForSelector('#queue-status[data-kind=ok]', { timeout: uiTimeoutMs });
  await admin.waitForSelector('#queues-rows tr[data-extension="2000"]:has-text("по кругу")', { timeout: uiTimeoutMs });
  assert.match(await admin.textContent('#queues-rows tr[data-extension="2000"]'), /1001, 1002 \(ур\. 2\)/);
  await screenshots(admin, 'settings-queues');

  const lead = await consolePage(browser, service, await token(service, 'supervisor', null, 'Старший смены'));
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  await lead.click('[role=tab][data-tab=board]');
  await lead.waitForSelector('#board-queues .queue[data-queue="2000"]:has-text("Никто не ждёт")', { timeout: uiTimeoutMs });
  assert.equal(await lead.locator('#board .operator[data-extension="2000"]').count(), 0, 'the queue\'s line is not an operator');

  // Two customers call the queue: the first rings at 1001 (Борис is away), the second waits.
  const callers = [];
  for (const number of ['+79990000001', '+79990000002']) {
    callers.push(await lab.sipp({ scenario: 'uac_invite_cancel', remote: `127.0.0.1:${pbx.port}`, service: '2000', caller: number, durationMs: 6000 }));
    await eventually(stream.events, 'queue:state', (event) => event.waiting.some((one) => one.caller === number), 5000);
  }
  await phone.waitFor('CALL_INCOMING');
  const waiting = '#board-queues .queue[data-queue="2000"] .queue-waiting li';
  await lead.waitForSelector(`${waiting}[data-position="2"]`, { timeout: uiTimeoutMs });
  assert.match(await lead.textContent(`${waiting}[data-position="1"]`), /\+7 \(999\) 000-00-01.*звонит: 1001/);
  assert.match(await lead.textContent(`${waiting}[data-position="2"]`), /\+7 \(999\) 000-00-02/);
  await anna.waitForSelector('#queue-waiting[data-waiting="2"]', { timeout: uiTimeoutMs });
  assert.equal((await anna.textContent('#queue-waiting')).trim(), 'В очереди: 2');
  // The offered operator's console shows the caller's card.
  await anna.waitForSelector('#popup[data-status=ringing]', { timeout: uiTimeoutMs });
  assert.equal((await anna.textContent('#popup .caller')).trim(), '+7 (999) 000-00-01');
  await screenshots(lead, 'console-queue-board');

  // They give up (CANCEL after 6 s of waiting): the board empties.
  for (const caller of callers) assert.equal(await caller.result(), 0, caller.log());
  // Each call's record is written after it ended; callback:missed follows that write.
  for (const number of ['+79990000001', '+79990000002'])
    await eventually(stream.events, 'callback:missed', (entry) => entry.phone === number, 5000);
  await lead.waitForSelector('#board-queues .queue[data-queue="2000"]:has-text("Никто не ждёт")', { timeout: 10000 });
  await anna.waitForSelector('#queue-waiting[data-waiting="0"]', { timeout: uiTimeoutMs });
  // The statistics tab has the queue's figures: two called, neither was answered.
  await lead.click('[role=tab][data-tab=stats]');
  await lead.click('#stats-form button[type=submit]');
  const figures = '#stats-queues .queue-stats[data-queue="2000"]';
  // The tab may still show an earlier answer for a moment: wait for the one that has both calls.
  await lead.locator(`${figures} .figure`, { hasText: /^2\s*позвонили/ }).waitFor({ timeout: uiTimeoutMs });
  assert.match(await lead.textContent(`${figures} .figure:has-text("не дождались")`), /^2/);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('ringall: the caller\'s card opens at every ringing member and closes at the others once one answers', async (lab) => {
  const pbx = await lab.kamailio({ users: lines });
  const service = await startService(lab, { pbx, lines });
  await healthBecomes(service, (health) => health.registeredUsers === 3, 10000, 'every line registered');
  const stream = await service.console();
  const anna = await lab.phone({ username: 'operator1', password: 'pass-one', registrar: `127.0.0.1:${service.sipPort}` });
  const boris = await lab.phone({ username: 'operator2', password: 'pass-two', registrar: `127.0.0.1:${service.sipPort}` });
  for (const extension of ['1001', '1002'])
    await eventually(stream.events, 'operator:state', (state) => state.extension === extension && state.state === 'available', 5000);
  const put = await service.api('PUT', '/api/queues/2000', { name: 'Доставка', strategy: 'ringall', members: [{ extension: '1001' }, { extension: '1002' }] });
  assert.equal(put.status, 200, put.text);
  const browser = await startBrowser(lab);
  const annaPage = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  const borisPage = await consolePage(browser, service, await token(service, 'operator', '1002', 'Борис Котов'));

  const caller = await lab.sipp({ scenario: 'uac_invite', remote: `127.0.0.1:${pbx.port}`, service: '2000', caller: '+79990000003', durationMs: 1500 });
  await Promise.all([anna.waitFor('CALL_INCOMING'), boris.waitFor('CALL_INCOMING')]);
  for (const page of [annaPage, borisPage]) {
    await page.waitForSelector('#popup[data-status=ringing]', { timeout: uiTimeoutMs });
    assert.equal((await page.textContent('#popup .caller')).trim(), '+7 (999) 000-00-03');
  }
  await boris.answer();
  await borisPage.waitForSelector('#popup[data-status=answered]', { timeout: uiTimeoutMs });
  await annaPage.waitForSelector('#popup', { state: 'hidden', timeout: uiTimeoutMs });
  await anna.waitFor('CALL_CLOSED');
  assert.equal(await caller.result(), 0, caller.log());
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 60000 });
