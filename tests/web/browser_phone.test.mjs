// The browser phone (MEDIA=rtpengine): the console in Debian's Chromium is a phone of operator 1001, its
// microphone a 440 Hz tone (Chromium's fake capture device), against the real service, rtpengine, Kamailio
// and baresip phones. Audio is proven both ways: the page's WebRTC statistics show the customer's sound
// arriving, and the customer's baresip recording is measured for the page's tone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeToneWav } from '../lab/lib/audio.mjs';
import { delay, labTest } from '../lab/lib/lab.mjs';
import { labDir } from '../lab/lib/processes.mjs';
import { assertHeard, callCentre, customerPhone, loggedCall, operatorPhone } from '../lab/lib/call_centre.mjs';
import { eventually } from '../lab/lib/service.mjs';
import { startBrowser } from './lib/browser.mjs';
import { anchored, answeredOnPage, pageHearsAudio, pageTone, phonePage, uiTimeoutMs } from './lib/browser_phone.mjs';

const talkMs = 2500;

labTest('a customer calls the operator: the page rings with the card, answers, audio flows both ways, the keypad reaches the customer, the page hangs up', async (lab) => {
  const centre = await callCentre(lab, { env: anchored(17000) });
  const { service, console: stream, pbx } = centre;
  const anna = await service.operatorToken('1001');
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await phonePage(browser, service, anna);
  // The page counts as the extension's phone for the supervisors' board and /health.
  await eventually(stream.events, 'line:state', (line) => line.extension === '1001' && line.deviceRegistered, 5000);

  const customer = await customerPhone(lab);
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const created = await eventually(stream.events, 'call:new', () => true, 5000);
  const ringing = '#phone-legs li[data-state=ringing]';
  await page.waitForSelector(ringing, { timeout: uiTimeoutMs });
  await page.waitForSelector('#popup:not([hidden])', { timeout: uiTimeoutMs });
  assert.deepEqual((await page.evaluate(() => window.ffPhone.state())).legs.map((leg) => leg.callId), [created.payload.id]);
  await page.click(`${ringing} button.answer`);
  await page.waitForSelector('#phone-legs li[data-state=talking]', { timeout: uiTimeoutMs });
  await customer.waitFor('CALL_ESTABLISHED');
  const answered = await eventually(stream.events, 'call:answered', (call) => call.id === created.payload.id, 5000);
  assert.equal(answered.payload.extension, '1001');
  const heard = await pageHearsAudio(page);
  // The keypad sends RTP events (RFC 4733) that rtpengine passes on: the customer's phone receives the digit.
  await page.click('#phone-legs li[data-state=talking] .keypad button[data-dtmf="5"]');
  const digit = await customer.waitFor('CALL_DTMF_START', { timeoutMs: 5000 });
  assert.equal(digit.param, '5');
  await delay(talkMs);
  await page.click('#phone-legs li[data-state=talking] button.hangup');
  await customer.waitFor('CALL_CLOSED');
  await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  const logged = await loggedCall(service, created.payload.id);
  assert.equal(logged.extension, '1001');
  assert.ok(logged.answerTime, JSON.stringify(logged));
  assertHeard(customer, 440, 700); // the page's microphone reached the customer
  assert.ok(heard.totalAudioEnergy > 0.01, `the page heard the customer: ${JSON.stringify(heard)}`);
  assert.ok(heard.remotePort >= 17000 && heard.remotePort <= 17199, `the page's media at rtpengine within RTP_PORT_MIN..MAX: ${JSON.stringify(heard)}`);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('on the page\'s call: hold plays the music to the customer, then a transfer to the other operator\'s desk phone keeps the customer\'s audio', async (lab) => {
  const music = writeToneWav(join(labDir('music'), 'music.wav'), { frequency: 1000, seconds: 20 });
  const centre = await callCentre(lab, { env: { ...anchored(17200), MOH_FILE: music } });
  const { service, console: stream, pbx } = centre;
  const boris = await operatorPhone(lab, centre, 1, { audio: { frequency: 550 }, autoAnswer: true });
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await phonePage(browser, service, await service.operatorToken('1001'));
  const customer = await customerPhone(lab);
  const call = await answeredOnPage(page, customer, centre);
  await delay(1500);

  await page.click('#popup button[data-action=hold]', { timeout: uiTimeoutMs });
  await eventually(stream.events, 'call:held', (held) => held.id === call.id, 5000);
  await delay(2000);
  await page.click('#popup button[data-action=unhold]', { timeout: uiTimeoutMs });
  await eventually(stream.events, 'call:unheld', (unheld) => unheld.id === call.id, 5000);
  await delay(1500);

  await page.click('#popup button[data-action=transfer]', { timeout: uiTimeoutMs });
  await page.selectOption('#popup select.transfer-operator', '1002', { timeout: uiTimeoutMs });
  await page.click('#popup form.transfer button[type=submit]');
  await boris.waitFor('CALL_ESTABLISHED');
  await eventually(stream.events, 'call:answered', (moved) => moved.id === call.id && moved.extension === '1002', 5000);
  await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  await delay(2000);
  await customer.hangup();
  await boris.waitFor('CALL_CLOSED');

  const heard = customer.measureLastRecording([440, 1000, 550]);
  assert.ok(heard.toneSeconds[440] >= 2, `the customer heard the page before and after the hold: ${JSON.stringify(heard)}`);
  assert.ok(heard.toneSeconds[1000] >= 1.5, `the held customer heard the music: ${JSON.stringify(heard)}`);
  assert.ok(heard.toneSeconds[550] >= 1.5, `the customer heard operator 1002 after the transfer: ${JSON.stringify(heard)}`);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('click-to-call with the browser phone on: the page itself calls the customer (no desk phone), audio both ways', async (lab) => {
  const customer = await customerPhone(lab, { autoAnswer: true });
  const centre = await callCentre(lab, { pstn: { port: customer.sipPort }, env: anchored(17400) });
  const { service, console: stream } = centre;
  const desk = await operatorPhone(lab, centre, 0, { audio: { frequency: 550 } }); // must not ring
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await phonePage(browser, service, await service.operatorToken('1001'));

  await page.fill('#dial-number', '8 999 123-45-67');
  assert.equal(await page.isVisible('#dial-auto-answer'), false, 'no desk phone to auto-answer with the browser phone on');
  await page.click('#dial-button');
  await customer.waitFor('CALL_ESTABLISHED');
  const { payload: call } = await eventually(stream.events, 'call:answered', () => true, 10000);
  assert.equal(call.direction, 'outbound');
  assert.equal(call.to, '+79991234567');
  await page.waitForSelector('#phone-legs li[data-state=talking]', { timeout: uiTimeoutMs });
  const heard = await pageHearsAudio(page);
  await delay(talkMs);
  await customer.hangup();
  await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  assertHeard(customer, 440, 700);
  assert.ok(heard.totalAudioEnergy > 0.01, JSON.stringify(heard));
  assert.equal(desk.recordings().length, 0, 'the desk phone never rang');
  const logged = await loggedCall(service, call.id);
  assert.equal(logged.extension, '1001');
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });
