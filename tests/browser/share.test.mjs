// Sharing and embedding in headless Chromium: links that round-trip the state, the back button,
// the embed view, the example course page (iframe + mount from another folder), hostile links,
// a strict Content-Security-Policy, and exports that match simulate().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COURSE, DIST, drawn, fingerprints, open as openIn, ready, session, setControl, settled } from './helpers.mjs';

/** The policy the site is documented to run under (README). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  'frame-ancestors *',
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'none'",
].join('; ');

// A course site: the explainer hosted in a sub-folder beside the course, under a strict CSP.
const s = session({ '/explainer/': DIST, '/course/': COURSE }, { headers: { 'content-security-policy': CSP } });

const open = (path, options) => openIn(s, path, options);
const hashes = async (page, name) => (await fingerprints(page, `#fig-${name} canvas`)).map((f) => f.hash);


test('a copied link reproduces the figure exactly, seed included', async () => {
  const { page, errors, context } = await open('/explainer/');
  await ready(page);
  await drawn(page, 'explorer');
  await page.selectOption('#fig-explorer [data-control="scheme"]', 'he-normal');
  await page.selectOption('#fig-explorer [data-control="activation"]', 'tanh');
  await setControl(page, 'explorer', 'layers', 35);
  await setControl(page, 'explorer', 'seed', 4242);
  await settled(page, 'explorer');
  const shown = await hashes(page, 'explorer');
  await page.click('#fig-explorer [data-action="copy-link"]');
  const link = await page.inputValue('#fig-explorer .share-box textarea');
  assert.match(link, /explorer\.scheme=he-normal/);
  assert.match(link, /explorer\.seed=4242/);

  const other = await context.newPage();
  await other.goto(link);
  await ready(other);
  await drawn(other, 'explorer');
  await settled(other, 'explorer');
  assert.equal(await other.inputValue('#fig-explorer [data-control="layers"]'), '35');
  assert.deepEqual(await hashes(other, 'explorer'), shown, 'same pixels');
  assert.deepEqual(errors, []);
  await context.close();
});

test('<init-figure> draws on a course page under a strict CSP, follows its attributes and reports changes', async () => {
  const { page, errors, context } = await open('/course/');
  const el = '#element-explorer';
  await page.waitForFunction((el) => document.querySelector(el).figure, el);
  await page.locator(el).scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => document.querySelector(el).figure?.settled() && document.querySelector(el).figure.drawn >= 1, el);
  const first = await page.$eval(el, (e) => ({ ...e.figure.shownState, seedShown: !e.querySelector('[data-key="seed"]').hidden }));
  assert.equal(first.scheme, 'he-normal');
  assert.equal(first.layers, 30);
  assert.equal(first.seedShown, false, 'hide="seed" hides the seed');
  // An attribute change redraws the figure with the new value, without a change event.
  const changes = await page.evaluate(async (el) => {
    const e = document.querySelector(el);
    const seen = [];
    e.addEventListener('change', (ev) => seen.push(ev.detail));
    e.setAttribute('layers', '45');
    await new Promise((resolve) => {
      e.addEventListener('weight-init:drawn', function shown() {
        if (e.figure.settled() && e.figure.shownState.layers === 45) {
          e.removeEventListener('weight-init:drawn', shown);
          resolve();
        }
      });
    });
    const fromAttribute = seen.length;
    // A reader's change dispatches `change` with the state.
    const select = e.querySelector('[data-control="activation"]');
    select.value = 'tanh';
    select.dispatchEvent(new Event('input', { bubbles: true }));
    return { fromAttribute, events: seen.length, detail: seen.at(-1) };
  }, el);
  assert.equal(changes.fromAttribute, 0);
  assert.ok(changes.events >= 1);
  assert.equal(changes.detail.activation, 'tanh');
  assert.equal(changes.detail.layers, 45);
  // Changing `figure` builds another figure in place.
  await page.$eval(el, (e) => e.setAttribute('figure', 'he'));
  await page.waitForFunction((el) => document.querySelector(el).figure?.name === 'he' && document.querySelector(el).figure.drawn >= 1, el);
  assert.equal(await page.locator(`${el} canvas`).count(), 1);
  // A bad figure name says so in the element, and nothing else breaks.
  await page.$eval(el, (e) => e.setAttribute('figure', 'nope'));
  await page.waitForFunction((el) => document.querySelector(el).textContent.includes('could not be shown'), el);
  assert.deepEqual(errors, [], 'no console errors, no CSP violations');
  await context.close();
});

test('the back button steps back through committed changes', async () => {
  const { page, context } = await open('/explainer/');
  await ready(page);
  await drawn(page, 'explorer');
  await setControl(page, 'explorer', 'layers', 30);
  await setControl(page, 'explorer', 'layers', 40);
  assert.match(page.url(), /explorer\.layers=40/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#fig-explorer [data-control="layers"]').value === '30');
  assert.match(page.url(), /explorer\.layers=30/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#fig-explorer [data-control="layers"]').value === '20');
  await context.close();
});

test('the embed view shows one figure and no article; its embed code points at itself', async () => {
  const { page, errors, context } = await open('/explainer/index.html?embed=explorer&explorer.layers=12&hide=explorer.width,explorer.seed');
  await ready(page);
  await drawn(page, 'explorer');
  assert.equal(await page.locator('h1, h2, nav, header').count(), 0, 'no article chrome');
  assert.equal(await page.locator('figure').count(), 1);
  assert.equal(await page.isVisible('#fig-explorer [data-control="width"]'), false, 'hidden by the lesson link');
  assert.equal(await page.isVisible('#fig-explorer [data-control="seed"]'), false);
  assert.equal(await page.isVisible('#fig-explorer [data-control="layers"]'), true);
  assert.equal(await page.inputValue('#fig-explorer [data-control="layers"]'), '12');
  await page.click('#fig-explorer [data-action="copy-embed"]');
  const code = await page.inputValue('#fig-explorer .share-box textarea');
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/explainer\/index\.html\?[^"]*embed=explorer/);
  assert.match(code, /explorer\.layers=12/);
  assert.match(code, /hide=explorer\.width%2Cexplorer\.seed|hide=explorer\.width,explorer\.seed/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the example course page shows both embeds drawn, under a strict CSP', async () => {
  const { page, errors, context } = await open('/course/');
  await page.locator('#mounted-he').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => Number(document.getElementById('mounted-he').dataset.drawn) >= 1);
  const mounted = await page.$eval('#mounted-he canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) ink++;
    return ink / (d.length / 4);
  });
  assert.ok(mounted > 0.01, 'mounted figure drew');
  assert.equal(await page.isVisible('#mounted-he [data-control="layers"]'), false, 'depth hidden by the course');
  assert.equal(await page.isVisible('#mounted-he [data-control="sigma"]'), true, 'σ shown for Question 2');
  assert.equal(await page.inputValue('#mounted-he [data-control="layers"]'), '40');
  // Its copied link keeps what the course hid.
  await page.click('#mounted-he [data-action="copy-link"]');
  const link = new URL(await page.inputValue('#mounted-he .share-box textarea'));
  assert.equal(link.searchParams.get('hide'), 'he.layers');
  assert.equal(link.searchParams.get('he.layers'), '40');
  const frame = page.frameLocator('#embedded-experiment');
  await frame.locator('html[data-ready]').waitFor({ state: 'attached' });
  const experimentFrame = page.frames().find((f) => f.url().includes('embed=experiment'));
  await experimentFrame.waitForFunction(() => window.explainer?.figures.get('experiment')?.drawn >= 1, null, { timeout: 60_000 });
  const inFrame = await experimentFrame.evaluate(async () => {
    const fig = window.explainer.figures.get('experiment');
    return { drawn: fig.drawn, show: fig.state.show, seedHidden: document.querySelector('[data-key="seed"]').hidden };
  });
  assert.ok(inFrame.drawn >= 1, 'iframe figure drew');
  assert.equal(inFrame.show, 'post');
  assert.equal(inFrame.seedHidden, true);
  // The frame follows its figure's height, so nothing is cut off.
  await page.waitForFunction(() => document.getElementById('embedded-experiment').style.height !== '');
  const { box, content } = await page.evaluate(() => ({
    box: document.getElementById('embedded-experiment').getBoundingClientRect().height,
    content: document.getElementById('embedded-experiment').contentDocument.body.getBoundingClientRect().height,
  }));
  assert.ok(box >= content, `frame ${box} px for ${content} px of figure`);
  assert.deepEqual(errors, [], 'no console errors, no CSP violations');
  await context.close();
});

test('the article itself loads under the strict CSP with no violations', async () => {
  const { page, errors, context } = await open('/explainer/');
  await ready(page);
  for (const name of ['hiking', 'symmetry', 'experiment', 'explorer', 'xavier', 'he']) await drawn(page, name);
  // The later sections' workers load the second module (script-src 'self', 'wasm-unsafe-eval')
  // from the sub-folder and compute with it.
  for (const name of ['isometry', 'residual', 'attention']) {
    await drawn(page, name);
    await settled(page, name);
    assert.equal(await page.locator(`#fig-${name} .status.error:not([hidden])`).count(), 0, `${name} reported an error`);
    assert.ok((await page.evaluate((n) => window.explainer.figures.get(n).table.rows.length, name)) > 0, `${name} has numbers`);
  }
  // The training workers fetch the digits (connect-src 'self') and train on them.
  await drawn(page, 'training');
  await page.selectOption('#fig-training [data-control="dataset"]', 'digits');
  await page.click('#fig-training [data-action="train"]');
  await page.waitForFunction(() => window.explainer.figures.get('training').runtime.runs
    .every((r) => r.ready && (r.diverged || (r.step >= 50 && Number.isFinite(r.testAccuracy)))), null, { timeout: 60000 });
  await page.click('#fig-training [data-action="train"]');
  const html = readFileSync(`${DIST}index.html`, 'utf8');
  // The one script element without a src is the first figure's numbers: a JSON data block,
  // which is never run.
  assert.doesNotMatch(html, /<script(?![^>]*\b(src=|type="application\/json"))[^>]*>/, 'no inline script in the built page');
  assert.equal(html.match(/<script type="application\/json"/g)?.length, 1, 'one data block');
  assert.deepEqual(errors, []);
  await context.close();
});

const HOSTILE = [
  '?embed=<script>alert(1)</script>',
  '?explorer.sigma="><img src=x onerror=alert(1)>',
  '?explorer.scheme=<svg/onload=alert(1)>&explorer.layers=1e309',
  '?explorer.width=NaN&explorer.layers=-5&explorer.seed=99999999999999999999',
  '?hide=<img src=x onerror=alert(1)>&experiment.show=javascript:alert(1)',
  `?explorer.sigma=${'9'.repeat(5000)}`,
];

test('hostile links fall back to defaults with a notice and inject nothing', async () => {
  for (const query of HOSTILE) {
    const { page, errors, context } = await open(`/explainer/index.html${query}`);
    await ready(page);
    await drawn(page, 'explorer');
    const injected = await page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      svg: document.querySelectorAll('body svg').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => !s.src && s.type !== 'application/json').length,
      alerted: window.__alerted === true,
    }));
    assert.deepEqual(injected, { img: 0, svg: 0, scripts: 0, alerted: false }, query);
    const state = await page.evaluate(() => window.explainer.figures.get('explorer').state);
    assert.ok(state.layers >= 1 && state.layers <= 100 && state.width >= 1 && state.width <= 512, query);
    if (!query.includes('hide=')) {
      const notice = await page.locator('.notice').allInnerTexts();
      assert.ok(notice.length >= 1, `a notice for ${query}`);
    }
    assert.deepEqual(errors, [], query);
    await context.close();
  }
});

async function downloadOf(page, action) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#fig-explorer [data-action="${action}"]`)]);
  return readFileSync(await download.path());
}

test('CSV, JSON and PNG exports hold the numbers simulate() gives for the same config', async () => {
  const { page, errors, context } = await open('/explainer/index.html?explorer.scheme=xavier-normal&explorer.layers=9&explorer.seed=11', { acceptDownloads: true });
  await ready(page);
  await drawn(page, 'explorer');
  const json = JSON.parse(await downloadOf(page, 'export-json'));
  assert.equal(json.figure, 'explorer');
  assert.equal(json.configs[0].scheme, 'xavier-normal');
  const fresh = await page.evaluate((c) => window.explainer.simulate(c), json.configs[0]);
  assert.equal(json.rows.length, 9);
  json.rows.forEach((row, i) => {
    assert.equal(row[1], fresh.layers[i].preVariance);
    assert.equal(row[2], fresh.theory[i].preVariance);
    assert.equal(row[4], fresh.layers[i].gradVariance);
  });
  const csv = (await downloadOf(page, 'export-csv')).toString('utf8').trim().split('\n');
  assert.equal(csv[0].split(',')[1], 'Var(Z)');
  assert.equal(csv.length, 10);
  csv.slice(1).forEach((line, i) => assert.equal(Number(line.split(',')[1]), fresh.layers[i].preVariance));
  const png = await downloadOf(page, 'export-png');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 20000, `PNG of ${png.length} bytes`);
  // At least twice the screen's resolution (this page is at 1×), with a header above the charts.
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  const css = await page.evaluate(() => {
    const rects = [...document.querySelectorAll('#fig-explorer canvas')].map((c) => c.getBoundingClientRect());
    return { width: Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left)),
      height: Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top)) };
  });
  assert.ok(Math.abs(w - 2 * css.width) <= 2, `PNG ${w} px wide for ${css.width} CSS px`);
  assert.ok(h >= 2 * css.height + 100, `PNG ${h} px high: charts ${2 * css.height} and a header`);
  assert.deepEqual(errors, []);
  await context.close();
});
