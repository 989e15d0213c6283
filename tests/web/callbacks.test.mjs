// The callback list in the console against the real service, Kamailio and baresip: a customer who gives up
// while the operator's phone rings appears on every console's "Перезвонить" tab (with the CRM's name, and
// counted in the tab's label) and on the supervisor's board as the one waiting longest; one click calls the
// customer back from the operator's line (the entry takes no second click while it rings), and once the
// customer answers the entry leaves every console.
import assert from 'node:assert/strict';
import { labTest } from '../lab/lib/lab.mjs';
import { until } from '../lab/lib/service.mjs';
import { screenshots, startBrowser } from './lib/browser.mjs';
import { callCentre, customerName, customerNumber, customerPhone, customerShown, operatorPhone, token } from './lib/call_centre.mjs';

const uiTimeoutMs = 5000;

async function consolePage(browser, service, secret) {
  const page = await browser.open(service, '/', { token: secret });
  await page.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });
  return page;
}

labTest('a customer who hung up while it rang is on the callback list until one click calls them back and they answer', async (lab) => {
  const customer = await customerPhone(lab, { autoAnswer: true });
  const centre = await callCentre(lab, { pstn: { port: customer.sipPort } });
  const { pbx, service } = centre;
  const phone = await operatorPhone(lab, centre, 0);
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  const lead = await consolePage(browser, service, await token(service, 'supervisor', null, 'Старший смены'));
  await lead.click('[role=tab][data-tab=board]', { timeout: uiTimeoutMs });

  // The customer calls, the phone rings, nobody answers, the customer gives up.
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await customer.hangup();
  await phone.waitFor('CALL_CLOSED');
  const entryRow = `#callback-rows tr[data-phone="${customerNumber}"]`;
  await anna.waitForSelector('#callbacks-count:has-text("1")', { timeout: uiTimeoutMs });
  await anna.click('[role=tab][data-tab=callbacks]');
  await anna.waitForSelector(entryRow, { timeout: uiTimeoutMs });
  assert.equal((await anna.textContent(`${entryRow} .call-number`)).trim(), customerShown);
  assert.equal((await anna.textContent(`${entryRow} .customer`)).trim(), customerName);
  assert.equal((await anna.textContent(`${entryRow} .attempts`)).trim(), '1 раз');
  await lead.waitForSelector(`#board-callbacks:has-text("Ждут перезвона: 1")`, { timeout: uiTimeoutMs });
  assert.match(await lead.textContent('#board-callbacks'), new RegExp(`Дольше всех \\+7 \\(999\\) 123-45-67 \\(${customerName}\\)`));
  if (await anna.isVisible('#popup')) await anna.click('#popup button.close');  // the missed call's card, for the picture
  await screenshots(anna, 'console-callbacks');

  // One click: the operator's phone rings first (auto-answer off), then the customer's, who answers.
  await anna.uncheck('#dial-auto-answer');
  await anna.click(`${entryRow} button[data-action=call-back]`);
  await phone.waitFor('CALL_INCOMING');
  // While the call back rings, its entry says so and takes no second click, which would ring the customer twice.
  await anna.waitForSelector(`${entryRow} button[data-action=call-back]:disabled:has-text("Звоним…")`, { timeout: uiTimeoutMs });
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  const active = (await service.api('GET', '/api/calls/active')).body.calls;
  assert.equal(active.length, 1, JSON.stringify(active));
  const [call] = active;
  assert.equal(call.to, customerNumber);
  assert.equal(call.direction, 'outbound');

  // Off every console's list at once; the figures count one customer called back.
  await anna.waitForSelector(entryRow, { state: 'detached', timeout: uiTimeoutMs });
  await anna.waitForSelector('#no-callbacks', { state: 'visible', timeout: uiTimeoutMs });
  await lead.waitForSelector('#board-callbacks', { state: 'hidden', timeout: uiTimeoutMs });
  const stats = await service.api('GET', '/api/callbacks/stats');
  assert.equal(stats.body.stats.calledBack, 1, stats.text);
  await phone.hangup();
  await customer.waitFor('CALL_CLOSED');
  const done = await until(async () => (await service.api('GET', '/api/callbacks?status=calledBack')).body.callbacks,
    (list) => list.length === 1, 5000, 'the call back in the list of done ones');
  assert.equal(done[0].resolvedBy, '1001');
  assert.equal(done[0].resolvedCallId, call.id);
  await anna.click('[role=tab][data-tab=stats]');
  await anna.click('#stats-form button[type=submit]');
  await anna.waitForSelector('#stats-figures .figure:has-text("перезвонили пропущенным"):has-text("1 из 1")', { timeout: uiTimeoutMs });
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });
