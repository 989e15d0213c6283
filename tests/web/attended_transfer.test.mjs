// Attended transfer from the console in Chromium against the real service, Kamailio and baresip phones: the
// operator consults a colleague from the call's card while the customer holds, sees whether the colleague
// answered, and joins them with one button; the colleague's console then has the call.
import assert from 'node:assert/strict';
import { labTest } from '../lab/lib/lab.mjs';
import { until } from '../lab/lib/service.mjs';
import { screenshots, startBrowser } from './lib/browser.mjs';
import { callCentre, customerPhone, customerShown, operatorPhone, token } from './lib/call_centre.mjs';

const uiTimeoutMs = 5000;

async function consolePage(browser, service, secret) {
  const page = await browser.open(service, '/', { token: secret });
  await page.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });
  return page;
}

labTest('the operator consults a colleague from the call\'s card, then joins the customer with them', async (lab) => {
  const centre = await callCentre(lab);
  const { pbx, service } = centre;
  const first = await operatorPhone(lab, centre, 0);
  const second = await operatorPhone(lab, centre, 1);
  const customer = await customerPhone(lab);
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  const boris = await consolePage(browser, service, await token(service, 'operator', '1002', 'Борис Котов'));

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await first.waitFor('CALL_INCOMING');
  await first.answer();
  await Promise.all([first.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await anna.waitForSelector('#popup[data-status=answered]', { timeout: uiTimeoutMs });

  await anna.click('#popup button[data-action=transfer]', { timeout: uiTimeoutMs });
  await anna.selectOption('#popup select.transfer-operator', '1002', { timeout: uiTimeoutMs });
  await anna.check('#popup input.transfer-attended');
  await anna.click('#popup form.transfer button[type=submit]');
  // While Борис's phone rings, Анна sees it, and cannot join yet.
  await anna.waitForSelector('#popup .consultation[data-state=ringing]', { timeout: uiTimeoutMs });
  assert.match(await anna.textContent('#popup .consultation'), /Консультация с 1002: звоним/);
  assert.equal(await anna.isDisabled('#popup button[data-action=complete-transfer]'), true);
  await second.waitFor('CALL_INCOMING');
  await second.answer();
  await anna.waitForSelector('#popup .consultation[data-state=talking]', { timeout: uiTimeoutMs });
  assert.match(await anna.textContent('#popup .consultation'), /разговор, клиент на удержании/);
  await screenshots(anna, 'console-attended-transfer');

  await anna.click('#popup button[data-action=complete-transfer]', { timeout: uiTimeoutMs });
  await first.waitFor('CALL_CLOSED');
  await anna.waitForSelector('#popup', { state: 'hidden', timeout: uiTimeoutMs });
  await boris.waitForSelector('#popup[data-status=answered]', { timeout: uiTimeoutMs });
  assert.equal((await boris.textContent('#popup .caller')).trim(), customerShown);
  const active = await until(async () => (await service.api('GET', '/api/calls/active')).body.calls,
    (calls) => calls.length === 1 && calls[0].extension === '1002', uiTimeoutMs, 'the call at 1002');
  assert.equal(active[0].consultation, null);

  await customer.hangup();
  await Promise.all([customer.waitFor('CALL_CLOSED'), second.waitFor('CALL_CLOSED')]);
  assert.deepEqual(browser.pageErrors(), []);
});
