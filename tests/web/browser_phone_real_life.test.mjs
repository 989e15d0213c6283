// The browser phone in real life: a microphone refused, a reload in the middle of a call, two tabs of one
// operator, a revoked token, and a service that does not carry the audio. Debian's Chromium with a fake
// microphone (a 440 Hz tone) against the real service, rtpengine, Kamailio and baresip.
import assert from 'node:assert/strict';
import { delay, labTest } from '../lab/lib/lab.mjs';
import { assertHeard, callCentre, customerPhone, operatorPhone } from '../lab/lib/call_centre.mjs';
import { eventually } from '../lab/lib/service.mjs';
import { startBrowser } from './lib/browser.mjs';
import { anchored, answeredOnPage, pageHearsAudio, pageTone, phonePage, slowMicrophoneList, uiTimeoutMs } from './lib/browser_phone.mjs';

const extensionHasPhone = (stream, since, registered) =>
  eventually(stream.events, 'line:state', (line) => line.extension === '1001' && line.deviceRegistered === registered, 5000, since);

labTest('a refused microphone: the page says so and does not become a phone, so a call is not answered into silence', async (lab) => {
  const { service, console: stream, pbx } = await callCentre(lab, { env: anchored(17600) });
  const browser = await startBrowser(lab, { denyMicrophone: true });
  const page = await browser.open(service, '/', { token: await service.operatorToken('1001') });
  await page.click('#phone-switch', { timeout: uiTimeoutMs }); // it turns itself off again: no check()
  await page.waitForFunction(() => /микрофон/i.test(document.getElementById('phone-status').textContent), null, { timeout: uiTimeoutMs });
  const status = await page.textContent('#phone-status');
  assert.match(status, /Нет разрешения на микрофон|Микрофон не найден/, status);
  assert.equal(await page.isChecked('#phone-switch'), false);
  // The extension has no phone, so the customer's call is refused at once rather than ringing a mute page.
  const customer = await customerPhone(lab);
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const ended = await eventually(stream.events, 'call:ended', () => true, 10000);
  assert.equal(ended.payload.answerTime, null);
  assert.equal(await page.$$eval('#phone-legs li', (items) => items.length), 0);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 60000 });

labTest('a reload during a call: the page takes the call back within seconds and the audio is renegotiated', async (lab) => {
  const centre = await callCentre(lab, { env: anchored(17800) });
  const { service, console: stream } = centre;
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await phonePage(browser, service, await service.operatorToken('1001'));
  const customer = await customerPhone(lab);
  const call = await answeredOnPage(page, customer, centre);

  await slowMicrophoneList(page);
  const reloadedAt = Date.now();
  await page.reload();
  await page.waitForSelector('#phone-legs li[data-state=talking]', { timeout: uiTimeoutMs });
  const back = await pageHearsAudio(page); // a new RTCPeerConnection: its counters start again
  const rejoinMs = Date.now() - reloadedAt;
  assert.ok(rejoinMs < 8000, `back within seconds: ${rejoinMs} ms`);
  assert.equal((await page.evaluate(() => window.ffPhone.state())).legs[0].callId, call.id);
  assert.equal(await page.evaluate(() => window.ffStartOrder), 'microphone, socket, phone attached, microphone list');
  await delay(1500);
  await customer.hangup();
  await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  const ended = await eventually(stream.events, 'call:ended', (done) => done.id === call.id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  assert.ok(back.totalAudioEnergy > 0.01);
  const heard = customer.measureLastRecording([440, 700]);
  assert.ok(heard.toneSeconds[440] >= 2, `the customer heard the page before and after the reload: ${JSON.stringify(heard)}`);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('a network drop during a call: the page reconnects and takes the call back; declining a call leaves it to the desk phone', async (lab) => {
  const centre = await callCentre(lab, { env: anchored(18400) });
  const { service, console: stream, pbx } = centre;
  const desk = await operatorPhone(lab, centre, 0, { audio: { frequency: 550 } });
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await phonePage(browser, service, await service.operatorToken('1001'));
  const customer = await customerPhone(lab);

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const { payload: call } = await eventually(stream.events, 'call:new', () => true, 5000);
  await desk.waitFor('CALL_INCOMING');
  await page.click('#phone-legs li[data-state=ringing] button.answer', { timeout: uiTimeoutMs });
  await customer.waitFor('CALL_ESTABLISHED');
  await desk.waitFor('CALL_CLOSED'); // the desk phone stopped ringing: the page took the call
  await pageHearsAudio(page);

  await page.context().setOffline(true);
  await page.waitForSelector('#offline-banner:not([hidden])', { timeout: uiTimeoutMs });
  await delay(1000);
  await page.context().setOffline(false);
  await page.waitForSelector('#offline-banner', { state: 'hidden', timeout: uiTimeoutMs });
  await page.waitForSelector('#phone-legs li[data-state=talking]', { timeout: uiTimeoutMs });
  await pageHearsAudio(page);
  await customer.hangup();
  const ended = await eventually(stream.events, 'call:ended', (done) => done.id === call.id, 5000);
  assert.equal(ended.payload.endReason, 'completed');
  assert.ok(ended.payload.duration >= 2, JSON.stringify(ended.payload));

  // The next call: the page declines, the desk phone rings on and answers.
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await desk.waitFor('CALL_INCOMING');
  await page.click('#phone-legs li[data-state=ringing] button.reject', { timeout: uiTimeoutMs });
  await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  await desk.answer();
  await customer.waitFor('CALL_ESTABLISHED');
  await delay(1500);
  await customer.hangup();
  assertHeard(customer, 550, 700);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('two tabs of one operator both ring; the one that answers takes the call, the other stops ringing', async (lab) => {
  const { service, console: stream, pbx } = await callCentre(lab, { env: anchored(18000) });
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const token = await service.operatorToken('1001');
  const first = await phonePage(browser, service, token);
  const second = await phonePage(browser, service, token);
  const customer = await customerPhone(lab);
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const ringing = '#phone-legs li[data-state=ringing]';
  await Promise.all([first.waitForSelector(ringing, { timeout: uiTimeoutMs }), second.waitForSelector(ringing, { timeout: uiTimeoutMs })]);
  await second.click(`${ringing} button.answer`);
  await customer.waitFor('CALL_ESTABLISHED');
  await first.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  await pageHearsAudio(second);
  await delay(1000);
  await customer.hangup();
  await second.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  assertHeard(customer, 440, 700);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('a revoked token: the page loses the phone at once, and the extension has no phone left', async (lab) => {
  const { service, console: stream } = await callCentre(lab, { env: anchored(18200) });
  const created = await service.api('POST', '/api/tokens', { name: 'Анна', role: 'operator', extension: '1001' });
  assert.equal(created.status, 201, created.text);
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const since = Date.now();
  const page = await phonePage(browser, service, created.body.token);
  await extensionHasPhone(stream, since, true);

  const revokedAt = Date.now();
  assert.equal((await service.api('DELETE', `/api/tokens/${created.body.id}`)).status, 200);
  await extensionHasPhone(stream, revokedAt, false);
  assert.ok(Date.now() - revokedAt < 3000, 'at once, not at the next token reload');
  await page.waitForSelector('#login:not([hidden])', { timeout: uiTimeoutMs });
  assert.match(await page.textContent('#login-error'), /Токен не принят/);
}, { timeoutMs: 60000 });

labTest('without MEDIA=rtpengine the switch is disabled, saying why', async (lab) => {
  const { service } = await callCentre(lab);
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await browser.open(service, '/', { token: await service.operatorToken('1001') });
  await page.click('#phone-switch', { timeout: uiTimeoutMs });
  await page.waitForSelector('#phone-switch:disabled', { timeout: uiTimeoutMs });
  assert.match(await page.textContent('#phone-status'), /MEDIA=rtpengine/);
  assert.equal(await page.isChecked('#phone-switch'), false);
}, { timeoutMs: 60000 });
