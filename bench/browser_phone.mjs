#!/usr/bin/env node
// The browser phone's set-up times, as an operator feels them: Debian's Chromium (fake 440 Hz microphone)
// with the console's phone on, the real service (MEDIA=rtpengine, its own rtpengine), Kamailio as the PBX and
// baresip customers, all on 127.0.0.1. Per round:
//   inbound:  the customer dials; call:new at a supervisor's socket -> the page rings; the click on
//             "Ответить" -> audio flowing in the page (its WebRTC statistics: packets and energy received);
//   outbound: the click on "Позвонить" in the page -> the customer's phone rings.
// Prints p50 and max of each over ROUNDS (10). Usage: FF_SERVICE_BINARY_REAL=build-bench/src/pjsip-service
// node bench/browser_phone.mjs   (default: build/release/src/pjsip-service). Stops everything it started.
const { LabSession } = await import('../tests/lab/lib/session.mjs');
const { delay } = await import('../tests/lab/lib/processes.mjs');
const { callCentre, customerPhone } = await import('../tests/lab/lib/call_centre.mjs');
const { eventually } = await import('../tests/lab/lib/service.mjs');
const { startBrowser } = await import('../tests/web/lib/browser.mjs');
const { anchored, pageTone, phonePage, uiTimeoutMs } = await import('../tests/web/lib/browser_phone.mjs');

const rounds = Number(process.env.ROUNDS ?? 10);

function summary(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  const p50 = sorted[Math.floor((sorted.length - 1) / 2)];
  console.log(`${name.padEnd(44)} p50 ${p50.toFixed(0).padStart(5)} ms   max ${sorted.at(-1).toFixed(0).padStart(5)} ms   (${sorted.length} rounds)`);
}

async function audioFlowing(page) {
  for (;;) {
    const stats = await page.evaluate(() => window.ffPhone.audioStats());
    if (stats && stats.packetsReceived > 0 && stats.totalAudioEnergy > 0) return;
    await delay(10);
  }
}

const lab = new LabSession();
const stop = async () => {
  await lab.stopAll().catch((error) => console.error(error.message));
};
process.on('SIGINT', () => stop().then(() => process.exit(130)));
try {
  const customer = await customerPhone(lab, { autoAnswer: false });
  const centre = await callCentre(lab, {
    pstn: { port: customer.sipPort },
    env: { ...anchored(19000), LOG_LEVEL: 'info' },
  });
  const { service, console: stream, pbx } = centre;
  const browser = await startBrowser(lab, { microphone: pageTone() });
  const page = await phonePage(browser, service, await service.operatorToken('1001'));

  const ringing = [];
  const answerToAudio = [];
  const clickToRing = [];
  for (let round = 0; round < rounds; round++) {
    const since = Date.now();
    await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
    const created = await eventually(stream.events, 'call:new', () => true, uiTimeoutMs, since);
    const createdAt = performance.now();
    await page.waitForSelector('#phone-legs li[data-state=ringing]', { timeout: uiTimeoutMs });
    ringing.push(performance.now() - createdAt);
    const clicked = performance.now();
    await page.click('#phone-legs li[data-state=ringing] button.answer');
    await audioFlowing(page);
    answerToAudio.push(performance.now() - clicked);
    await customer.hangup();
    await eventually(stream.events, 'call:ended', (call) => call.id === created.payload.id, uiTimeoutMs);
    await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });

    await page.fill('#dial-number', '+79991234567');
    const dialledAt = Date.now();
    const dialled = performance.now();
    await page.click('#dial-button');
    await customer.waitFor('CALL_INCOMING');
    clickToRing.push(performance.now() - dialled);
    const outbound = await eventually(stream.events, 'call:new', (call) => call.direction === 'outbound', uiTimeoutMs, dialledAt);
    await service.api('POST', `/api/calls/hangup/${outbound.payload.id}`);
    await eventually(stream.events, 'call:ended', (call) => call.id === outbound.payload.id, uiTimeoutMs);
    await page.waitForFunction(() => window.ffPhone.state().legs.length === 0, null, { timeout: uiTimeoutMs });
  }
  console.log(`browser phone, ${rounds} rounds (Chromium ${browser.browser.version()}, MEDIA=rtpengine on 127.0.0.1)`);
  summary('call:new -> the page rings', ringing);
  summary('click "Ответить" -> audio flowing in the page', answerToAudio);
  summary('click "Позвонить" -> the customer\'s phone rings', clickToRing);
} catch (error) {
  console.error(lab.logs().slice(-20000));
  throw error;
} finally {
  await stop();
}
