// The browser harness itself: Debian's Chromium starts headless, a page opens logged in (the token is in
// sessionStorage before the page's scripts run), and screenshots come out at both sizes.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labTest } from '../lab/lib/lab.mjs';
import { screenshots, sizes, startBrowser, tokenStorageKey } from './lib/browser.mjs';

// A page that shows what it found in sessionStorage when its first script ran.
const pageText = `<!doctype html><html><body><p id="token"></p>
<script>document.getElementById('token').textContent = sessionStorage.getItem('${tokenStorageKey}') ?? 'none';</script>
</body></html>`;

async function startPageServer(lab) {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(pageText);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  lab.track('page server', { stop: () => new Promise((resolve) => server.close(resolve)), log: () => '' });
  return { baseUrl: `http://127.0.0.1:${server.address().port}` };
}

// PNG: 8-byte signature, then IHDR with the width and height as big-endian 32-bit numbers.
function pngSize(path) {
  const bytes = readFileSync(path);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

labTest('browser harness: a page opens with the token in sessionStorage, screenshots at desktop and laptop sizes', async (lab) => {
  const site = await startPageServer(lab);
  const browser = await startBrowser(lab);

  const loggedIn = await browser.open(site, '/', { token: 'token-for-the-harness' });
  assert.equal(await loggedIn.textContent('#token'), 'token-for-the-harness');
  const anonymous = await browser.open(site, '/');
  assert.equal(await anonymous.textContent('#token'), 'none');

  const dir = mkdtempSync(join(tmpdir(), 'ff-web-shots-'));
  const [desktop, laptop] = await screenshots(loggedIn, 'harness', { dir });
  assert.deepEqual(pngSize(desktop), sizes.desktop);
  assert.deepEqual(pngSize(laptop), sizes.laptop);
  assert.deepEqual(loggedIn.viewportSize(), sizes.desktop, 'the page gets its size back');
  assert.deepEqual(browser.pageErrors(), []);
});
