// The settings page's "Вебхуки" tab in Chromium against the real service and a receiver on loopback: the admin
// subscribes the receiver to call:* (a URL the service refuses is named beside the field), the secret is shown
// once, "Отправить тест" reaches the receiver signed with that secret as README says, the list and the
// deliveries table show it delivered, and "Удалить" unsubscribes. A database that does not answer is said so,
// never shown as an empty list.
import assert from 'node:assert/strict';
import { signatureValid, startReceiver } from '../blackbox/lib/webhook_receiver.mjs';
import { freePort, labTest } from '../lab/lib/lab.mjs';
import { startPostgres } from '../lab/lib/postgres_server.mjs';
import { adminToken, startService } from '../lab/lib/service.mjs';
import { screenshots, startBrowser } from './lib/browser.mjs';

const uiTimeoutMs = 5000;

labTest('the admin subscribes a receiver on the "Вебхуки" tab: the secret shown once signs the test event, which the list shows delivered; "Удалить" unsubscribes', async (lab) => {
  const receiver = await startReceiver();
  lab.track('webhook receiver', { stop: () => receiver.close(), log: () => receiver.received.map((d) => d.raw).join('\n') });
  const service = await startService(lab, { pbxPort: await freePort(), lines: [] });
  const browser = await startBrowser(lab);
  const page = await browser.open(service, '/admin/settings.html', { token: adminToken });
  await page.click('[role=tab][data-tab=webhooks]', { timeout: uiTimeoutMs });
  await page.locator('#no-webhooks').waitFor({ timeout: uiTimeoutMs });

  // A URL the service refuses: its words beside the field, nothing subscribed, no secret.
  await page.fill('#webhook-url', 'ftp://x');
  await page.check('#webhook-form input[value="call:*"]');
  assert.equal(await page.isDisabled('#webhook-form input[value="call:ended"]'), true, '"все" covers the group');
  await page.click('#webhook-save');
  await page.locator('#webhook-form [data-error-for=url]', { hasText: /^url must be an http:\/\/ or https:\/\/ URL/ }).waitFor({ timeout: uiTimeoutMs });
  assert.match(await page.textContent('#webhook-status'), /^Не подписано: url must be/);
  assert.equal(await page.isHidden('#webhook-created'), true);
  assert.equal(await page.locator('#webhooks-rows tr[data-id]').count(), 0);

  await page.fill('#webhook-url', receiver.url);
  await page.click('#webhook-save');
  await page.locator('#webhook-created').waitFor({ timeout: uiTimeoutMs });
  assert.equal((await page.textContent('#webhook-created .warning')).trim(), 'Секрет показывается один раз — сохраните его');
  assert.match(await page.textContent('#webhook-created'), /X-FoodFlow-Signature: t=.*,v1=.*HMAC-SHA256/);
  const secret = (await page.textContent('#webhook-secret')).trim();
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  assert.equal(await page.textContent('#webhook-form [data-error-for=url]'), '', 'the earlier error is gone');
  const row = page.locator('#webhooks-rows tr[data-id]');
  await row.waitFor({ timeout: uiTimeoutMs });
  const id = await row.getAttribute('data-id');
  assert.equal(await row.locator('[data-cell=url]').textContent(), receiver.url);
  assert.equal(await row.locator('[data-cell=events]').textContent(), 'call:*');
  assert.ok(!(await page.textContent('#webhooks-rows')).includes(secret), 'the list never shows a secret');

  // "Отправить тест": a POST signed with the secret the page showed.
  await row.locator('button[data-action=test]').click();
  await receiver.until((got) => got.some((entry) => entry.body?.type === 'webhook:test'), uiTimeoutMs, 'the test event');
  const delivery = receiver.received.find((entry) => entry.body?.type === 'webhook:test');
  assert.equal(delivery.headers['x-foodflow-event'], 'webhook:test');
  assert.equal(delivery.headers['x-foodflow-event-id'], delivery.body.id);
  assert.deepEqual(delivery.body.data, { webhookId: id });
  assert.ok(signatureValid(delivery.headers['x-foodflow-signature'], delivery.raw, secret), 'signed, freshly, with the secret shown');

  // The list follows the delivery by itself.
  const last = row.locator('[data-cell=last][data-status=delivered]');
  await last.waitFor({ timeout: uiTimeoutMs });
  assert.match(await last.textContent(), /^доставлено webhook:test · HTTP 200 · попыток: 1/);
  assert.equal(await row.locator('[data-cell=delivered]').textContent(), '1');
  assert.equal(await row.locator('[data-cell=backlog]').textContent(), '0');
  assert.equal(await row.locator('[data-cell=failed]').textContent(), '0');
  await row.locator('button[data-action=deliveries]').click();
  const deliveryRow = page.locator(`tr[data-deliveries-of="${id}"] tr[data-event-id="${delivery.body.id}"][data-status=delivered]`);
  await deliveryRow.waitFor({ timeout: uiTimeoutMs });
  assert.deepEqual((await deliveryRow.locator('td').allTextContents()).slice(1), ['webhook:test', 'доставлено', '1', '200', '', '—']);
  await screenshots(page, 'settings-webhooks');

  page.once('dialog', (dialog) => dialog.accept());
  await row.locator('button[data-action=delete]').click();
  await row.waitFor({ state: 'detached', timeout: uiTimeoutMs });
  await page.locator('#no-webhooks').waitFor({ timeout: uiTimeoutMs });
  assert.match(await page.textContent('#webhooks-status'), /удалён/);
  assert.deepEqual((await service.api('GET', '/api/webhooks')).body.webhooks, []);
  assert.deepEqual(browser.pageErrors(), []);
});

// A real PostgreSQL stopped before the tab is opened: the service answers 503 DATABASE_UNAVAILABLE, and the page
// says so instead of "Подписок нет".
labTest('a webhook list the database cannot give is said to be unavailable, not shown empty', async (lab) => {
  const pg = lab.track('postgres', await startPostgres());
  const service = await startService(lab, { pbxPort: await freePort(), lines: [], env: { DATABASE_URL: pg.url } });
  const browser = await startBrowser(lab);
  const page = await browser.open(service, '/admin/settings.html', { token: adminToken });
  // The page's own loads (tokens, users, settings) finish while the database is up; then it goes away and the
  // tab's next reading of the list (every 5 s while it is shown) says so.
  await page.click('[role=tab][data-tab=webhooks]', { timeout: uiTimeoutMs });
  await page.locator('#no-webhooks').waitFor({ timeout: uiTimeoutMs });
  await pg.stop();
  await page.locator('#webhooks-list-error', { hasText: 'База данных недоступна' }).waitFor({ timeout: 15000 });
  assert.equal(await page.isHidden('#no-webhooks'), true);
  assert.equal(await page.isHidden('#webhooks-table'), true);
  assert.deepEqual(browser.pageErrors(), []);
});
