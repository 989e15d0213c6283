// Debian's Chromium, headless, driven by playwright-core against a running pjsip-service: launch it as a
// lab part (stopped with the lab, its pages' console errors in the failure log), open a page of the
// service already logged in with a token, and save screenshots of a page at desktop and laptop sizes.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const screenshotDir = join(repository, 'docs', 'screenshots');

// The browser Debian ships (apt `chromium`); playwright-core never downloads one of its own.
export const chromiumPath = process.env.FF_CHROMIUM ?? '/usr/bin/chromium';

// Where every page keeps the token for the session (web/shared/session.js reads the same key).
export const tokenStorageKey = 'ff.token';

export const sizes = {
  desktop: { width: 1440, height: 900 },
  laptop: { width: 1280, height: 720 },
};

// A launched Chromium with the lab part interface (stop, log): what its pages said goes to the log.
export class Browser {
  constructor(browser) {
    this.browser = browser;
    this.messages = []; // console messages, page errors and failed requests of every page, in order
  }

  // `microphone`: a WAV file Chromium plays as a fake microphone (granted without asking, loopback ICE
  // allowed), for the browser phone; `denyMicrophone`: the operator refuses the permission.
  static async launch({ microphone = null, denyMicrophone = false } = {}) {
    const args = process.getuid?.() === 0 ? ['--no-sandbox'] : []; // Chromium's sandbox refuses root
    if (microphone || denyMicrophone) {
      args.push('--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required');
      args.push(denyMicrophone ? '--use-fake-ui-for-media-stream=deny' : '--use-fake-ui-for-media-stream');
      if (microphone) args.push(`--use-file-for-fake-audio-capture=${microphone}`);
    }
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
    return new Browser(browser);
  }

  // A fresh context (own storage) at desktop size; `token` is put in sessionStorage before any script
  // of the page runs, so the page opens logged in (once per tab: a page that logs out stays out, as it
  // would for its operator). Pass no token to see the login form.
  async open(service, path = '/', { token = null, viewport = sizes.desktop } = {}) {
    const context = await this.browser.newContext({ viewport, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    if (token) {
      await context.addInitScript(([key, value]) => {
        if (window.sessionStorage.getItem('ff.test.loggedIn')) return;
        window.sessionStorage.setItem('ff.test.loggedIn', 'yes');
        window.sessionStorage.setItem(key, value);
      }, [tokenStorageKey, token]);
    }
    const page = await context.newPage();
    this.watch(page);
    await page.goto(new URL(path, service.baseUrl).href);
    return page;
  }

  watch(page) {
    const note = (text) => this.messages.push(`${new Date().toISOString()} ${page.url()} ${text}`);
    page.on('console', (message) => note(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => note(`page error: ${error.stack ?? error.message}`));
    page.on('requestfailed', (request) => note(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  }

  // Uncaught exceptions of the pages so far: a test may assert there were none.
  pageErrors() {
    return this.messages.filter((message) => message.includes(' page error: '));
  }

  log() {
    return this.messages.join('\n');
  }

  async stop() {
    await this.browser.close();
  }
}

// Launches Chromium as a part of the lab session: closed with it, its messages in a failure's logs.
export async function startBrowser(lab, options = {}) {
  return lab.track('chromium', await Browser.launch(options));
}

// Saves docs/screenshots/<name>-desktop.png (1440x900) and <name>-laptop.png (1280x720) of the page as it
// is now, then gives the page its size back (`dir` elsewhere for shots the README does not show). Returns
// the paths.
export async function screenshots(page, name, { dir = screenshotDir } = {}) {
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  const saved = [];
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    // Layout settles within a frame of the resize; wait for two so that the shot shows the new size.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const path = join(dir, `${name}-${size}.png`);
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    saved.push(path);
  }
  if (original) await page.setViewportSize(original);
  return saved;
}
