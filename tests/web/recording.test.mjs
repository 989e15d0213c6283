// Call recording (RECORDING=all, MEDIA=rtpengine) with real phones: the customer plays 700 Hz and the
// operator 440 Hz; after the call the service turns rtpengine's capture into one stereo file, the customer on
// the left and the operator on the right. Proven where users meet it: the stream announces the file, the API
// serves it with ranges under the call's rights, the console plays it in Chromium (which decodes it here, so
// each channel's tone is measured from what the browser plays), and retention deletes an old one.
import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delay, labTest } from '../lab/lib/lab.mjs';
import { labDir } from '../lab/lib/processes.mjs';
import { callCentre, customerPhone, operatorPhone } from '../lab/lib/call_centre.mjs';
import { adminToken, eventually } from '../lab/lib/service.mjs';
import { startBrowser } from './lib/browser.mjs';

const uiTimeoutMs = 5000;
const talkMs = 3000;
const oldCallId = '0a0a0a0a-0000-4000-8000-000000000001';

// Share of each tone's energy in a channel (Goertzel), computed in the page from what Chromium decoded.
function channelTones(page, url, secret) {
  return page.evaluate(async ([address, bearer]) => {
    const response = await fetch(address, { headers: { Authorization: `Bearer ${bearer}` } });
    const decoded = await new AudioContext().decodeAudioData(await response.arrayBuffer());
    const share = (samples, frequency) => {
      const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / decoded.sampleRate);
      let total = 0;
      let previous = 0;
      let before = 0;
      for (const sample of samples) {
        total += sample * sample;
        [before, previous] = [previous, sample + coefficient * previous - before];
      }
      const power = previous * previous + before * before - coefficient * previous * before;
      return total > 0 ? (2 * power) / (samples.length * total) : 0;
    };
    const channels = [];
    for (let index = 0; index < decoded.numberOfChannels; index++) {
      const samples = decoded.getChannelData(index);
      channels.push({ 700: share(samples, 700), 440: share(samples, 440) });
    }
    return { duration: decoded.duration, channels };
  }, [url, secret]);
}

labTest('a recorded call: stereo file announced, served with ranges to whom may hear it, played in the console; retention deletes old ones', async (lab) => {
  // An old recording from earlier days, for RECORDING_RETENTION_DAYS to delete as the service starts.
  const recordings = labDir('recordings');
  const old = join(recordings, `${oldCallId}.ogg`);
  writeFileSync(old, 'old');
  const monthAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
  utimesSync(old, monthAgo, monthAgo);

  const centre = await callCentre(lab, {
    env: {
      MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.9', RTP_PORT_MIN: '16200', RTP_PORT_MAX: '16399',
      RECORDING: 'all', RECORDING_DIR: recordings, RECORDING_RETENTION_DAYS: '30',
    },
  });
  const { service, console: stream, pbx } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const customer = await customerPhone(lab);

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const created = await eventually(stream.events, 'call:new', () => true, 5000);
  const id = created.payload.id;
  assert.equal(created.payload.recording?.status, 'recording', JSON.stringify(created.payload));
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await delay(talkMs);
  await customer.hangup();
  const ended = await eventually(stream.events, 'call:ended', (call) => call.id === id, 5000);
  assert.equal(ended.payload.recording?.status, 'processing', JSON.stringify(ended.payload));
  const ready = await eventually(stream.events, 'call:updated', (call) => call.id === id && call.recording?.status === 'ready', 10000);
  const { recording } = ready.payload;
  assert.equal(recording.url, `/api/calls/${id}/recording`);
  assert.ok(recording.durationSeconds >= talkMs / 1000 - 0.5 && recording.durationSeconds < talkMs / 1000 + 3, JSON.stringify(recording));
  assert.ok(recording.bytes > 1000, JSON.stringify(recording));
  // The captures are gone once the file is made; the old recording went at start-up and the log says so.
  assert.deepEqual(readdirSync(join(recordings, 'captures', 'pcaps')), []);
  assert.deepEqual(readdirSync(recordings).filter((name) => name.endsWith('.ogg')), [`${id}.ogg`]);
  assert.match(service.log(), /1 recording\(s\) older than 30 days deleted/);

  // The API: the whole file, one range, a range past the end; the call's own operator may, another may not.
  const whole = await fetch(`${service.baseUrl}${recording.url}`, { headers: { Authorization: `Bearer ${adminToken}` } });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'audio/ogg');
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  const bytes = Buffer.from(await whole.arrayBuffer());
  assert.equal(bytes.length, recording.bytes);
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'OggS');
  const anna = await service.operatorToken('1001');
  const part = await fetch(`${service.baseUrl}${recording.url}`, { headers: { Authorization: `Bearer ${anna}`, Range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-199/${recording.bytes}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));
  const past = await fetch(`${service.baseUrl}${recording.url}`, { headers: { Authorization: `Bearer ${anna}`, Range: `bytes=${recording.bytes}-` } });
  assert.equal(past.status, 416);
  assert.equal(past.headers.get('content-range'), `bytes */${recording.bytes}`);
  const boris = await service.operatorToken('1002');
  const refused = await service.api('GET', recording.url, undefined, boris);
  assert.equal(refused.status, 403, refused.text);
  assert.equal((await fetch(`${service.baseUrl}${recording.url}`)).status, 401);

  // The console: the history's row plays the recording; Chromium decodes it, customer left, operator right.
  const browser = await startBrowser(lab);
  const page = await browser.open(service, '/', { token: anna });
  const row = `#history-rows tr[data-call-id="${id}"]`;
  await page.click(`${row} button.play-recording`, { timeout: uiTimeoutMs });
  await page.waitForFunction((selector) => {
    const audio = document.querySelector(`${selector} audio`);
    return audio && audio.readyState >= 2 && audio.duration > 1;
  }, row, { timeout: 15000 }); // fetched, then decoded by Chromium: slow on a loaded machine
  // The history is read again (a reconnection or an ended call does it; here the reset button): the rows are
  // redrawn and the player the operator opened is still there, the same element.
  await page.evaluate((selector) => { window.openedPlayer = document.querySelector(`${selector} audio`); }, row);
  const firstRow = await page.$(row);
  await page.click('#history-reset');
  await page.waitForFunction((old) => !old.isConnected, firstRow, { timeout: uiTimeoutMs });
  assert.ok(await page.evaluate((selector) => document.querySelector(`${selector} audio`) === window.openedPlayer, row),
    'the opened player survives a redraw of the history');
  const heard = await channelTones(page, recording.url, anna);
  assert.equal(heard.channels.length, 2, JSON.stringify(heard));
  const [left, right] = heard.channels;
  assert.ok(left[700] > 0.5 && left[440] < 0.05, `the left channel is the customer's 700 Hz: ${JSON.stringify(heard)}`);
  assert.ok(right[440] > 0.5 && right[700] < 0.05, `the right channel is the operator's 440 Hz: ${JSON.stringify(heard)}`);
  // The customer calls again: the popup's past calls offer the first call's recording.
  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  await page.waitForSelector('#popup .customer-history button.play-recording', { timeout: uiTimeoutMs });
  await customer.hangup();
  assert.deepEqual(browser.pageErrors(), []);
}, { timeoutMs: 90000 });

labTest('recording on request: the operator starts it mid-call and stops it; only that stretch is in the file', async (lab) => {
  const centre = await callCentre(lab, {
    env: { MEDIA: 'rtpengine', MEDIA_ADDRESS: '127.0.0.9', RTP_PORT_MIN: '16400', RTP_PORT_MAX: '16599', RECORDING: 'on-demand', RECORDING_DIR: labDir('recordings') },
  });
  const { service, console: stream, pbx } = centre;
  const phone = await operatorPhone(lab, centre, 0, { audio: { frequency: 440 } });
  const customer = await customerPhone(lab);
  const anna = await service.operatorToken('1001');
  const boris = await service.operatorToken('1002');

  await customer.dial(`sip:1001@127.0.0.1:${pbx.port}`);
  await phone.waitFor('CALL_INCOMING');
  const created = await eventually(stream.events, 'call:new', () => true, 5000);
  const id = created.payload.id;
  assert.equal(created.payload.recording, null, 'not recorded until asked');
  await phone.answer();
  await Promise.all([phone.waitFor('CALL_ESTABLISHED'), customer.waitFor('CALL_ESTABLISHED')]);
  await delay(1000);
  assert.equal((await service.api('POST', `/api/calls/${id}/recording`, { action: 'start' }, boris)).status, 403);
  const started = await service.api('POST', `/api/calls/${id}/recording`, { action: 'start' }, anna);
  assert.equal(started.status, 200, started.text);
  assert.equal(started.body.call.recording.status, 'recording');
  await eventually(stream.events, 'call:updated', (call) => call.id === id && call.recording?.status === 'recording', 3000);
  await delay(2000);
  const stopped = await service.api('POST', `/api/calls/${id}/recording`, { action: 'stop' }, anna);
  assert.equal(stopped.status, 200, stopped.text);
  assert.equal(stopped.body.call.recording.status, 'paused');
  await delay(1000);
  await customer.hangup();
  const ready = await eventually(stream.events, 'call:updated', (call) => call.id === id && call.recording?.status === 'ready', 10000);
  // About the two seconds between start and stop: not the second before, nor the one after.
  const seconds = ready.payload.recording.durationSeconds;
  assert.ok(seconds > 1.5 && seconds < 2.8, `recorded ${seconds} s between start and stop`);
  const file = await fetch(`${service.baseUrl}${ready.payload.recording.url}`, { headers: { Authorization: `Bearer ${anna}` } });
  assert.equal(file.status, 200);
}, { timeoutMs: 60000 });
