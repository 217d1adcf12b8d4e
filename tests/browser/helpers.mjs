// What the browser tests share: a server and a browser per test file, opening a page that records
// its console errors, waiting for a figure to draw, fingerprinting canvases, setting a control.
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch } from './chromium.mjs';

/** The built site (`trunk build --release`). */
export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
/** The example course page. */
export const COURSE = fileURLToPath(new URL('../../examples/course/', import.meta.url));
/** Where tests leave screenshots. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * Starts a loopback server for `root` (a folder, or `{ '/prefix/': folder }`) and a headless
 * Chromium before the file's tests, and stops both after them. Returns `{ server, browser }`,
 * filled in once the tests start.
 */
export function session(root = DIST, serveOptions = {}) {
  const s = { server: null, browser: null };
  before(async () => {
    s.server = await serve(root, serveOptions);
    s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
  return s;
}

/**
 * Opens `path` (relative to the server) in a new context and collects console errors and uncaught
 * exceptions. Returns `{ page, errors, context }`; close the context when done.
 */
export async function open(s, path = '', { viewport = { width: 1280, height: 900 }, scale = 1, colorScheme = 'light', acceptDownloads = false } = {}) {
  const context = await s.browser.newContext({ viewport, deviceScaleFactor: scale, colorScheme, acceptDownloads });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(path, s.server.url).href);
  return { page, errors, context };
}

/** Waits until the page's figures are mounted. */
export const ready = (page) => page.waitForSelector('html[data-ready]');

/** Scrolls figure `name` (e.g. "explorer") into view and waits until it has drawn `times` times. */
export async function drawn(page, name, times = 1) {
  await page.locator(`#fig-${name}`).scrollIntoViewIfNeeded();
  await page.waitForFunction(([name, n]) => {
    const f = window.explainer?.figures.get(name);
    return f && f.visible && f.drawn >= n;
  }, [name, times]);
}

/** Waits until figure `name` shows its newest values (its worker has answered the last request). */
export async function settled(page, name) {
  await page.waitForFunction((name) => window.explainer.figures.get(name).settled(), name, { timeout: 60000 });
}

/** How many times figure `name` has drawn. */
export const draws = (page, name) => page.$eval(`#fig-${name} .figure-slot`, (s) => Number(s.dataset.drawn) || 0);

/**
 * A fingerprint of each canvas matching `selector`: a hash of its pixels, and how many (and what
 * share) differ from its top-left (background) pixel.
 */
export function fingerprints(page, selector) {
  return page.$$eval(selector, (cs) => cs.map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let hash = 0;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      hash = (Math.imul(hash, 31) + d[i] * 65536 + d[i + 1] * 256 + d[i + 2]) | 0;
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) ink++;
    }
    return { hash, ink, share: ink / (d.length / 4), width: c.width, height: c.height };
  }));
}

/** The canvas "figure/canvas" (e.g. "explorer/variance"; "hiking" for a figure's only one). */
export const canvas = (name) => {
  const [figure, c] = name.split('/');
  return `#fig-${figure} canvas[data-canvas="${c ?? figure}"]`;
};

/** Sets a control as a reader would, ending with the change that commits it. */
export async function setControl(page, figure, key, value) {
  await page.evaluate(([figure, key, value]) => {
    const el = document.querySelector(`#fig-${figure} [data-control="${key}"]`);
    el.value = String(value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, [figure, key, value]);
}
