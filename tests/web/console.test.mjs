// The operator console (/) in Chromium against the real service with real calls from the SIP lab: what the
// page shows comes from the service's stream, and what the page's buttons do is checked where it happens,
// at the phones (baresip events, SIPp scenarios) behind the service.
import assert from 'node:assert/strict';
import { callWithHeaders } from '../lab/lib/call_centre.mjs';
import { labTest } from '../lab/lib/lab.mjs';
import { eventually, until } from '../lab/lib/service.mjs';
import { screenshots, startBrowser } from './lib/browser.mjs';
import {
  callCentre,
  crashAndRestart,
  customerName,
  customerNumber,
  customerPhone,
  customerShown,
  operatorPhone,
  scriptedOperatorPhone,
  token,
  users,
} from './lib/call_centre.mjs';

const uiTimeoutMs = 5000;

// A console page logged in with `secret`, its stream connected.
async function consolePage(browser, service, secret, path = '/') {
  const page = await browser.open(service, path, { token: secret });
  await page.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });
  return page;
}

const popupWith = (page, status) => page.waitForSelector(`#popup[data-status=${status}]`, { timeout: uiTimeoutMs });
const click = (page, selector) => page.click(selector, { timeout: uiTimeoutMs });
const activeRows = (page) => page.locator('#active-calls li').count();
const sinceMark = (phone, mark, type) => phone.events.slice(mark).filter((event) => event.type === type);

// Records in the page when the popup first shows: Node and Chromium read the same clock.
const watchPopup = (page) =>
  page.evaluate(() => {
    const popup = document.getElementById('popup');
    new MutationObserver(() => {
      if (!popup.hidden) window.popupShownAt ??= Date.now();
    }).observe(popup, { attributes: true });
  });

labTest('inbound call: the popup shows the customer\'s card, answer and hang up from the page reach the phone; the other operator sees nothing', async (lab, t) => {
  const centre = await callCentre(lab);
  const { pbx, service, console } = centre;
  const phone = await scriptedOperatorPhone(lab, service, { calls: 3 }); // answered from the page, then rung again
  const customer = await customerPhone(lab);
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  const boris = await consolePage(browser, service, await token(service, 'operator', '1002', 'Борис Котов'));

  await watchPopup(anna);
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await popupWith(anna, 'ringing');
  assert.equal((await anna.textContent('#popup .caller')).trim(), customerShown);
  await anna.waitForSelector(`#popup .customer:has-text("${customerName}")`, { timeout: uiTimeoutMs });
  await customer.waitFor('CALL_RINGING');
  const { payload: ringing } = await eventually(console.events, 'call:ringing', () => true, 5000);
  const created = await eventually(console.events, 'call:new', () => true, 5000);
  const shownAt = await anna.evaluate(() => window.popupShownAt);
  t.diagnostic(`popup shown ${shownAt - created.at} ms after call:new reached a Node client`);
  assert.ok(shownAt - created.at < 500, `the popup comes within a blink: ${shownAt - created.at} ms`);

  // 1002's operator sees neither the popup nor the call, not even after a fresh read of the active calls.
  assert.equal(await boris.isVisible('#popup'), false, 'no popup for another operator\'s call');
  assert.equal(await activeRows(boris), 0);
  assert.equal(await activeRows(anna), 1);

  // Anna types an order number while it rings; the popup drawn again for the answered call keeps it.
  await anna.fill('#popup input[aria-label="Номер заказа"]', 'A-77');
  await click(anna, '#popup button[data-action=answer]');
  await customer.waitFor('CALL_ESTABLISHED');
  await popupWith(anna, 'answered');
  assert.equal(await anna.inputValue('#popup input[aria-label="Номер заказа"]'), 'A-77', 'typed text survives the redraw');
  await anna.waitForSelector(`#active-calls li[data-call-id="${ringing.id}"][data-status=answered]`, { timeout: uiTimeoutMs });

  await click(anna, '#popup button[data-action=hangup]');
  await customer.waitFor('CALL_CLOSED');
  await popupWith(anna, 'ended');
  await anna.waitForSelector('#popup', { state: 'hidden', timeout: uiTimeoutMs });
  assert.equal(await activeRows(anna), 0);

  // The history: Anna's has the call with the customer, Boris's has nothing.
  await anna.waitForSelector(`#history-rows tr[data-call-id="${ringing.id}"]:has-text("${customerName}")`, { timeout: uiTimeoutMs });
  await boris.reload();
  await boris.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });
  await boris.waitForSelector('#history-rows td.muted', { timeout: uiTimeoutMs });
  assert.equal(await boris.locator(`#history-rows tr[data-call-id="${ringing.id}"]`).count(), 0);
  const borisLog = await service.api('GET', '/api/calls/logs');
  assert.equal(borisLog.body.total, 1, 'the call is in the log: the other page hides it because the API does');
  assert.equal(await anna.isVisible('#history-dialled'), false, 'no call carried a dialled number: nothing to filter on');

  // After the call: an order and a note linked from the history, then the statistics count the conversion.
  const row = `#history-rows tr[data-call-id="${ringing.id}"]`;
  await click(anna, `${row} button.link`);
  const details = `#history-rows tr.details[data-call-id="${ringing.id}"]`;
  await anna.fill(`${details} input[aria-label="Номер заказа"]`, 'A-1001');
  await click(anna, `${details} form:has(input[aria-label="Номер заказа"]) button`);
  await anna.waitForSelector(`${row} .tag:has-text("A-1001")`, { timeout: uiTimeoutMs });
  await anna.fill(`${details} input[aria-label="Заметка"]`, 'Просил доставку к 19:00');
  await click(anna, `${details} form:has(input[aria-label="Заметка"]) button`);
  await anna.waitForSelector(`${details} li:has-text("Просил доставку к 19:00")`, { timeout: uiTimeoutMs });
  const [linked] = (await service.api('GET', `/api/calls/logs/phone/${encodeURIComponent(customerNumber)}`)).body.calls;
  assert.deepEqual(linked.orders.map((order) => order.orderId), ['A-1001']);
  assert.equal(linked.notes[0].author, 'Анна Смирнова');
  await screenshots(anna, 'console-history');

  // Search by any written form of the number.
  await anna.fill('#history-phone', '8 (999) 000-11-22');
  await click(anna, '#history-search button[type=submit]');
  await anna.waitForSelector('#history-rows td.muted:has-text("Звонков с этим номером нет")', { timeout: uiTimeoutMs });
  await anna.fill('#history-phone', '8 999 123 45 67');
  await click(anna, '#history-search button[type=submit]');
  await anna.waitForSelector(row, { timeout: uiTimeoutMs });
  assert.equal(await anna.textContent('#history-page'), '1–1 из 1');

  await click(anna, '[data-tab=stats]');
  await click(anna, '#stats-form button[type=submit]');
  await anna.waitForSelector('#stats-figures .figure.key:has-text("100 %")', { timeout: uiTimeoutMs });
  await anna.waitForSelector('#stats-chart svg', { timeout: uiTimeoutMs });
  const bars = await anna.$$eval('#stats-chart svg rect', (rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
  assert.equal(bars.length, 14, 'two bars a day for the 7 days');
  assert.deepEqual(bars.filter((height) => height > 0).length, 2, 'today: the call, and the call with an order');
  await screenshots(anna, 'console-stats');

  // Anna starts typing a second note in the history; the call that comes in and ends meanwhile makes the page
  // read the history again, and what she typed, and where, stay.
  await click(anna, '[data-tab=history]');
  const noteField = `${details} input[aria-label="Заметка"]`;
  await anna.fill(noteField, 'Перезвонить после 18');
  await anna.press(noteField, 'ArrowLeft');
  const rowBeforeTheCall = await anna.$(row);

  // The customer calls again: the card shows the earlier call with its order and note.
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await popupWith(anna, 'ringing');
  await anna.waitForSelector('#popup .customer-history:has-text("Прошлые звонки: 1")', { timeout: uiTimeoutMs });
  const card = await anna.textContent('#popup .customer-history');
  assert.match(card, /A-1001/);
  assert.match(card, /Просил доставку к 19:00 — Анна Смирнова/);
  assert.doesNotMatch(await anna.textContent('#popup'), /null|undefined/, 'no part of the card is missing as "null"');
  await screenshots(anna, 'console-call');
  await customer.hangup();
  await popupWith(anna, 'ended');
  assert.match(await anna.textContent('#popup .status'), /пропущен/);
  await anna.waitForFunction((old) => !old.isConnected, rowBeforeTheCall, { timeout: uiTimeoutMs });
  assert.equal(await anna.inputValue(noteField), 'Перезвонить после 18', 'the half-typed note survives the redraw');
  assert.deepEqual(await anna.evaluate((selector) => {
    const field = document.querySelector(selector);
    return [document.activeElement === field, field.selectionStart];
  }, noteField), [true, 'Перезвонить после 1'.length], 'the field keeps the focus and the caret');
  assert.equal(await phone.result(), 0, `the phone rang, was answered from the page, got the BYE, then rang and was cancelled:\n${phone.messages()}`);
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('the history filtered by the dialled number lists only the calls to the chosen number, then every number again', async (lab) => {
  const centre = await callCentre(lab, { env: { DIALLED_NAMES: '+74951234567=Пицца на Ленина' } });
  const { service } = centre;
  const pizza = await callWithHeaders(lab, centre, ['P-Called-Party-ID: <sip:+74951234567@pbx.lab>']);
  const unnamed = await callWithHeaders(lab, centre, ['Diversion: <sip:+74957654321@pbx.lab>;reason=unconditional']);
  await until(() => service.api('GET', '/api/calls/logs'), (answer) => answer.body.total === 2, 5000, 'both calls in the log');
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  const pizzaRow = `#history-rows tr[data-call-id="${pizza.id}"]`;
  const unnamedRow = `#history-rows tr[data-call-id="${unnamed.id}"]`;
  await anna.waitForSelector(pizzaRow, { timeout: uiTimeoutMs });
  await anna.waitForSelector(unnamedRow, { timeout: uiTimeoutMs });

  // The numbers the loaded calls were dialled on, named where DIALLED_NAMES names them.
  const options = await anna.$$eval('#history-dialled option', (list) => list.map((option) => [option.value, option.textContent]));
  assert.deepEqual(options, [['', 'все номера'], ['+74957654321', '+7 (495) 765-43-21'], ['+74951234567', 'Пицца на Ленина · +7 (495) 123-45-67']]);

  await anna.selectOption('#history-dialled', '+74951234567');
  await anna.waitForSelector(unnamedRow, { state: 'detached', timeout: uiTimeoutMs });
  assert.equal(await anna.locator('#history-rows tr[data-call-id]').count(), 1);
  assert.equal(await anna.locator(pizzaRow).count(), 1);
  assert.equal(await anna.textContent('#history-page'), '1–1 из 1');
  assert.equal(await anna.locator('#history-dialled option').count(), 3, 'the other number is still offered');

  await anna.selectOption('#history-dialled', '');
  await anna.waitForSelector(unnamedRow, { timeout: uiTimeoutMs });
  assert.equal(await anna.locator(pizzaRow).count(), 1);
  assert.equal(await anna.textContent('#history-page'), '1–2 из 2');
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('hold, unhold and transfer from the page re-INVITE the real legs; the call moves to the other operator, who hangs up from the page', async (lab) => {
  const centre = await callCentre(lab);
  const { pbx, service } = centre;
  const first = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const second = await operatorPhone(lab, centre, 1, { audio: { frequency: 1200 }, autoAnswer: true });
  const customer = await customerPhone(lab, { audio: { frequency: 700 } });
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));
  const boris = await consolePage(browser, service, await token(service, 'operator', '1002', 'Борис Котов'));

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await first.waitFor('CALL_INCOMING');
  await first.answer();
  await Promise.all([first.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await popupWith(anna, 'answered');
  await anna.waitForSelector(`#popup .customer:has-text("${customerName}")`, { timeout: uiTimeoutMs });

  // Anna opens the transfer form and picks Boris, then puts the customer on hold: the form stays, as chosen.
  await click(anna, '#popup button[data-action=transfer]');
  await anna.selectOption('#popup select.transfer-operator', '1002', { timeout: uiTimeoutMs });
  await click(anna, '#active-calls li button[data-action=transfer]'); // the list's own form: a number half typed
  await anna.fill('#active-calls li input.transfer-number', '+7 999 000');
  let phoneMark = first.mark();
  let customerMark = customer.mark();
  await click(anna, '#popup button[data-action=hold]');
  await popupWith(anna, 'held');
  assert.equal(await anna.inputValue('#popup select.transfer-operator', { timeout: 1000 }), '1002', 'the transfer form survives the hold');
  assert.equal(await anna.inputValue('#active-calls li[data-status=held] input.transfer-number', { timeout: 1000 }), '+7 999 000');
  await until(async () => [sinceMark(first, phoneMark, 'CALL_REMOTE_SDP').length, sinceMark(customer, customerMark, 'CALL_REMOTE_SDP').length],
    ([a, b]) => a > 0 && b > 0, 5000, 'hold: a re-INVITE on both legs');
  assert.equal((await service.api('GET', '/api/calls/active')).body.calls[0].status, 'held');

  phoneMark = first.mark();
  customerMark = customer.mark();
  await click(anna, '#popup button[data-action=unhold]');
  await popupWith(anna, 'answered');
  await until(async () => [sinceMark(first, phoneMark, 'CALL_REMOTE_SDP').length, sinceMark(customer, customerMark, 'CALL_REMOTE_SDP').length],
    ([a, b]) => a > 0 && b > 0, 5000, 'unhold: a re-INVITE on both legs');

  // Transfer to Boris, picked from the list of operators before the hold.
  assert.equal(await anna.inputValue('#popup select.transfer-operator', { timeout: 1000 }), '1002', 'and the unhold');
  await click(anna, '#popup form.transfer button[type=submit]');
  await Promise.all([second.waitFor('CALL_ESTABLISHED'), first.waitFor('CALL_CLOSED')]);
  await anna.waitForSelector('#popup', { state: 'hidden', timeout: uiTimeoutMs });
  await until(() => activeRows(anna), (count) => count === 0, uiTimeoutMs, 'the call gone from the first operator\'s page');
  await popupWith(boris, 'answered');
  assert.equal((await boris.textContent('#popup .caller')).trim(), customerShown);
  assert.match(await boris.textContent('#popup .title'), /Переведённый звонок/);

  await click(boris, '#active-calls li button[data-action=hangup]');
  await Promise.all([customer.waitFor('CALL_CLOSED'), second.waitFor('CALL_CLOSED')]);
  await until(() => activeRows(boris), (count) => count === 0, uiTimeoutMs, 'no active call on the second operator\'s page');
  const logged = await until(async () => (await service.api('GET', '/api/calls/logs')).body.calls[0],
    (call) => call?.status === 'ended', 5000, 'the call in the log');
  assert.equal(logged.extension, '1002');
  assert.equal(logged.endReason, 'completed');
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('click-to-call: a ?dial= link fills the number, the page\'s call button rings the operator\'s phone, then the customer', async (lab) => {
  const customer = await customerPhone(lab, { autoAnswer: true });
  const centre = await callCentre(lab, { pstn: { port: customer.sipPort } });
  const { service } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const browser = await startBrowser(lab);
  const written = '8 (999) 123-45-67';
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'), `/?dial=${encodeURIComponent(written)}`);

  assert.equal(await anna.inputValue('#dial-number'), written);
  assert.equal(new URL(anna.url()).searchParams.get('dial'), null, 'a reload does not offer the number again');
  await anna.uncheck('#dial-auto-answer'); // the phone must ring, not pick up by itself
  await click(anna, '#dial-button');
  const incoming = await phone.waitFor('CALL_INCOMING');
  assert.equal(incoming.direction, 'incoming');
  await anna.waitForSelector('#active-calls li[data-status=ringing]', { timeout: uiTimeoutMs });
  assert.equal((await anna.textContent('#active-calls li .call-number')).trim(), customerShown);

  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await anna.waitForSelector('#active-calls li[data-status=answered]', { timeout: uiTimeoutMs });
  const [call] = (await service.api('GET', '/api/calls/active')).body.calls;
  assert.equal(call.to, customerNumber);
  assert.equal(call.direction, 'outbound');

  // The talk timer runs: it leaves 0:00 within its first seconds.
  await anna.waitForFunction(() => /^0:0[1-9]$/.test(document.querySelector('#active-calls li .timer')?.textContent ?? ''), null, { timeout: 3000 });
  await click(anna, '#active-calls li button[data-action=hangup]');
  await Promise.all([phone.waitFor('CALL_CLOSED'), customer.waitFor('CALL_CLOSED')]);
  await until(() => activeRows(anna), (count) => count === 0, uiTimeoutMs, 'the call gone from the page');
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('a supervisor\'s board shows each operator live; the offline banner comes when the service dies and goes when it is back, with no stale call', async (lab) => {
  const centre = await callCentre(lab);
  const { pbx, service } = centre;
  await operatorPhone(lab, centre, 0);
  const customer = await customerPhone(lab);
  const browser = await startBrowser(lab);
  const lead = await consolePage(browser, service, await token(service, 'supervisor', null, 'Старший смены'));
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));

  await click(lead, '[data-tab=board]');
  await lead.waitForSelector('#board .operator[data-extension="1001"][data-state=idle]', { timeout: uiTimeoutMs });
  await lead.waitForSelector('#board .operator[data-extension="1002"][data-state=down]', { timeout: uiTimeoutMs });
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await lead.waitForSelector('#board .operator[data-extension="1001"][data-state=ringing]', { timeout: uiTimeoutMs });
  await popupWith(anna, 'ringing');
  await screenshots(lead, 'console-supervisor');

  const restart = await crashAndRestart(service);
  await anna.waitForSelector('#offline-banner', { state: 'visible', timeout: uiTimeoutMs });
  await lead.waitForSelector('#offline-banner', { state: 'visible', timeout: uiTimeoutMs });
  await screenshots(anna, 'console-offline');
  await restart();
  // Socket.IO retries with a back-off of up to 5 s.
  await anna.waitForSelector('#offline-banner', { state: 'hidden', timeout: 15000 });
  await lead.waitForSelector('#offline-banner', { state: 'hidden', timeout: 15000 });
  await anna.waitForSelector('#popup', { state: 'hidden', timeout: uiTimeoutMs });
  assert.equal(await activeRows(anna), 0, 'the call that died with the service is not on screen');
  await lead.waitForSelector('#board .operator[data-extension="1001"]:not([data-state=ringing])', { timeout: uiTimeoutMs });
  assert.equal(await activeRows(lead), 0);
  assert.equal(users.length, await lead.locator('#board .operator').count());
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('a network drop: the banner shows while the browser is offline, and a call that ended meanwhile is gone once it is back', async (lab) => {
  const centre = await callCentre(lab);
  const { pbx, service, console } = centre;
  const phone = await operatorPhone(lab, centre, 0);
  const customer = await customerPhone(lab);
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await popupWith(anna, 'ringing');

  await anna.context().setOffline(true);
  await anna.waitForSelector('#offline-banner', { state: 'visible', timeout: uiTimeoutMs });
  assert.match(await anna.textContent('#sip-state'), /неизвестно/);
  await customer.hangup();
  await eventually(console.events, 'call:ended', () => true, 5000);
  await phone.waitFor('CALL_CLOSED');
  assert.equal(await activeRows(anna), 1, 'offline, the page cannot have heard that the call ended');

  await anna.context().setOffline(false);
  // Socket.IO retries with a back-off of up to 5 s.
  await anna.waitForSelector('#offline-banner', { state: 'hidden', timeout: 15000 });
  await anna.waitForSelector('#popup', { state: 'hidden', timeout: uiTimeoutMs });
  await until(() => activeRows(anna), (count) => count === 0, uiTimeoutMs, 'the ended call gone from the page');
  assert.match(await anna.textContent('#sip-state'), /АТС на связи/);
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('click-to-call with auto-answer, then a transfer to a typed outside number: REFER to the PBX, the call ends as transferred', async (lab) => {
  const customer = await lab.sipp({ scenario: 'uas_refer_accepted' });
  const centre = await callCentre(lab, { pstn: { port: customer.port } });
  const { service } = centre;
  const phone = await operatorPhone(lab, centre, 0, { autoAnswer: true });
  const browser = await startBrowser(lab);
  const anna = await consolePage(browser, service, await token(service, 'operator', '1001', 'Анна Смирнова'));

  await anna.fill('#dial-number', '+7 999 123 45 67');
  assert.equal(await anna.isChecked('#dial-auto-answer'), true, 'auto-answer is the default');
  await click(anna, '#dial-button');
  await phone.waitFor('CALL_ESTABLISHED');
  const row = await anna.waitForSelector('#active-calls li[data-status=answered]', { timeout: uiTimeoutMs });
  const id = await row.getAttribute('data-call-id');

  await click(anna, '#active-calls li button[data-action=transfer]');
  await anna.fill('#active-calls li input.transfer-number', '8 (999) 000-00-02');
  await click(anna, '#active-calls li form.transfer button[type=submit]');
  await phone.waitFor('CALL_CLOSED');
  await until(() => activeRows(anna), (count) => count === 0, uiTimeoutMs, 'the transferred call gone from the page');
  assert.equal(await customer.result(), 0, `REFER, NOTIFY and BYE as expected:\n${customer.messages()}`);
  assert.match(customer.messages(), /Refer-To: <?sip:\+79990000002@/);
  const logged = await until(async () => (await service.api('GET', '/api/calls/logs')).body.calls.find((call) => call.id === id),
    (call) => call?.status === 'ended', 5000, 'the call in the log');
  assert.equal(logged.endReason, 'transferred');
  assert.equal(logged.transferTarget, '+79990000002');
  assert.deepEqual(browser.pageErrors(), []);
});

labTest('login: the page asks for a token, refuses a wrong one, keeps a right one for the tab and forgets it on logout', async (lab) => {
  const { service } = await callCentre(lab);
  const browser = await startBrowser(lab);
  const secret = await token(service, 'operator', '1002', 'Борис Котов');
  const page = await browser.open(service, '/');

  await page.waitForSelector('#login-form', { timeout: uiTimeoutMs });
  await page.fill('#login-token', 'not-a-token-of-this-service');
  await click(page, '#login-form button[type=submit]');
  await page.waitForSelector('#login-error:has-text("Токен не принят")', { timeout: uiTimeoutMs });
  assert.equal(await page.isVisible('#app'), false);

  await page.fill('#login-token', secret);
  await click(page, '#login-form button[type=submit]');
  await page.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });
  assert.equal(await page.textContent('#who-name'), 'Борис Котов');
  assert.match(await page.textContent('#who-role'), /оператор, доб\. 1002/);
  assert.equal(await page.isVisible('#board-tab'), false, 'the board is for supervisors');
  await page.reload();
  await page.waitForSelector('body[data-connection=online]', { timeout: uiTimeoutMs });

  await click(page, '#logout');
  await page.waitForSelector('#login-form', { timeout: uiTimeoutMs });
  assert.equal(await page.evaluate(() => window.sessionStorage.getItem('ff.token')), null);
  assert.deepEqual(browser.pageErrors(), []);
});
