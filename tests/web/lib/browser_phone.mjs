// What the browser phone's page tests share: the service's media settings, the page's tone, a console with
// the phone on, and the page's own measure of its audio.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeToneWav } from '../../lab/lib/audio.mjs';
import { delay, labDir } from '../../lab/lib/processes.mjs';
import { eventually } from '../../lab/lib/service.mjs';

export const uiTimeoutMs = 10000;

// MEDIA=rtpengine with its own 200 RTP ports from `portMin` (each test its own range: they run side by side).
export const anchored = (portMin) => ({
  MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.1', RTP_PORT_MIN: String(portMin), RTP_PORT_MAX: String(portMin + 199),
});

// The page's tone as a 48 kHz WAV: what Chromium's fake microphone plays, looped.
export function pageTone() {
  return writeToneWav(join(labDir('page-tone'), 'page-440.wav'), { frequency: 440, seconds: 5, sampleRate: 48000, amplitude: 0.5 });
}

// The console of `token` with the browser phone switched on and attached.
export async function phonePage(browser, service, token) {
  const page = await browser.open(service, '/', { token });
  await page.check('#phone-switch', { timeout: uiTimeoutMs });
  await page.waitForSelector('body[data-phone=on]', { timeout: uiTimeoutMs });
  return page;
}

// From the next load of `page` on, its start-up runs in the order that once cost operators their calls: the
// microphone opens, then the socket connects (and the phone attaches on it), and only then does the list of
// microphones come (as on a machine with many devices). The page must attach once: a second attach is
// refused and used to turn the phone off. `window.ffStartOrder` tells the test the order was kept.
export async function slowMicrophoneList(page) {
  await page.addInitScript(() => {
    const media = navigator.mediaDevices;
    const open = media.getUserMedia.bind(media);
    const list = media.enumerateDevices.bind(media);
    let opened;
    const microphoneOpen = new Promise((resolve) => { opened = resolve; });
    media.getUserMedia = (...args) => open(...args).finally(opened);
    const phoneOn = () => new Promise((resolve) => {
      if (document.body?.dataset.phone === 'on') return resolve();
      const watch = new MutationObserver(() => {
        if (document.body?.dataset.phone === 'on') { watch.disconnect(); resolve(); }
      });
      watch.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['data-phone'] });
    });
    media.enumerateDevices = async () => {
      await phoneOn();
      window.ffStartOrder = 'microphone, socket, phone attached, microphone list';
      return list();
    };
    let realIo;
    Object.defineProperty(window, 'io', {
      configurable: true,
      get: () => realIo && ((options) => {
        const socket = realIo({ ...options, autoConnect: false });
        microphoneOpen.then(() => socket.connect());
        return socket;
      }),
      set: (io) => { realIo = io; },
    });
  });
}

// The statistics of the page's current leg once at least `packets` more than `since` arrived with sound
// and as many were sent (read asynchronously in the page, so polled from here).
export async function pageHearsAudio(page, { packets = 50, since = { packetsReceived: 0, packetsSent: 0 } } = {}) {
  const deadline = Date.now() + uiTimeoutMs;
  for (;;) {
    const stats = await page.evaluate(() => window.ffPhone.audioStats());
    if (stats && stats.packetsReceived >= since.packetsReceived + packets && stats.totalAudioEnergy > 0.01 &&
        stats.packetsSent >= since.packetsSent + packets) return stats;
    if (Date.now() > deadline) assert.fail(`the page's audio did not flow both ways: ${JSON.stringify(stats)}`);
    await delay(200);
  }
}

// The customer calls operator 1001 through the PBX and the page answers: resolves with the call once the
// page hears the customer and sends its own sound.
export async function answeredOnPage(page, customer, { pbx, console: stream }) {
  const since = Date.now();
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  const { payload: call } = await eventually(stream.events, 'call:new', () => true, 5000, since);
  await page.click('#phone-legs li[data-state=ringing] button.answer', { timeout: uiTimeoutMs });
  await customer.waitFor('CALL_ESTABLISHED');
  await pageHearsAudio(page);
  return call;
}
