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

const uiTimeoutMs = 10000;
const talkMs = 2500;
const anchored = (portMin) => ({ MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.1', RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 199) });

// The page's tone as a 48 kHz WAV: what Chromium's fake microphone plays, looped.
function pageTone() {
  return writeToneWav(join(labDir('page-tone'), 'page-440.wav'), { frequency: 440, seconds: 5, sampleRate: 48000, amplitude: 0.5 });
}

// The console of `token` with the browser phone switched on and attached.
async function phonePage(browser, service, token) {
  const page = await browser.open(service, '/', { token });
  await page.check('#phone-switch', { timeout: uiTimeoutMs });
  await page.waitForSelector('body[data-phone=on]', { timeout: uiTimeoutMs });
  return page;
}

// Waits until the page's current leg has received sound and sent packets for a while (the statistics are
// read asynchronously in the page, so they are polled from here).
async function pageHearsAudio(page, { packets = 50 } = {}) {
  const deadline = Date.now() + uiTimeoutMs;
  for (;;) {
    const stats = await page.evaluate(() => window.ffPhone.audioStats());
    if (stats && stats.packetsReceived >= packets && stats.totalAudioEnergy > 0.01 && stats.packetsSent >= packets) return stats;
    if (Date.now() > deadline) assert.fail(`the page's audio did not flow both ways: ${JSON.stringify(stats)}`);
    await delay(200);
  }
}

labTest('a customer calls the operator: the page rings with the card, answers, audio flows both ways, the page hangs up', async (lab) => {
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
  await delay(talkMs);
  await page.click('#phone-legs li[data-state=talking] button.hangup');
  await customer.waitFor('CALL_CLOSED');
  await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  const logged = await loggedCall(service, created.payload.id);
  assert.equal(logged.extension, '1001');
  assert.ok(logged.answerTime, JSON.stringify(logged));
  assertHeard(customer, 440, 700); // the page's microphone reached the customer
  assert.ok(heard.totalAudioEnergy > 0.01, `the page heard the customer: ${JSON.stringify(heard)}`);
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });
