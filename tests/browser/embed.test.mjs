// Embedding as a course page does it: the code from "Copy embed code" pasted into a page on another
// origin, in a 760 px and a 360 px column, with its script (the frame follows the figure's height)
// and with the script stripped (the fallback height must still hold the whole figure).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from './helpers.mjs';
import { serve } from './server.mjs';
import { launch } from './chromium.mjs';

const FIGURES = ['intro', 'hiking', 'symmetry', 'experiment', 'explorer', 'xavier', 'he', 'spread', 'training', 'edge', 'isometry', 'residual', 'attention'];
const hosts = mkdtempSync(join(tmpdir(), 'hosts-'));
let explainer;
let host;
let browser;

before(async () => {
  explainer = await serve(DIST);
  host = await serve(hosts);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await explainer?.close();
  await host?.close();
});

/** The embed code the explainer gives for `figure` in its default state. */
async function embedCode(figure) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${explainer.url}index.html#fig-${figure}`);
  await page.waitForSelector('html[data-ready]');
  await page.click(`#fig-${figure} [data-action="copy-embed"]`);
  const code = await page.inputValue(`#fig-${figure} .share-box textarea`);
  await page.close();
  return code;
}

/** Writes a host page holding `code` in a column `width` px wide and opens it. */
async function hostPage(name, code, width) {
  writeFileSync(join(hosts, `${name}.html`), `<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>host</title></head>
<body style="margin:0"><div style="width:${width}px">${code}</div><p id="after">after the figure</p></body></html>`);
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${host.url}${name}.html`);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await frame.waitForSelector('html[data-ready]');
  await frame.waitForFunction(() => [...window.explainer.figures.values()].every((f) => f.drawn > 0 && f.settled()));
  return { page, frame, errors };
}

/** The height the embedded figure needs, and the frame's own height. */
async function heights(page, frame) {
  const content = await frame.evaluate(() => {
    const s = getComputedStyle(document.body);
    return document.body.getBoundingClientRect().height + parseFloat(s.marginTop) + parseFloat(s.marginBottom);
  });
  const box = await page.$eval('iframe', (f) => f.getBoundingClientRect().height);
  return { content, box };
}

test('every figure embedded on another origin gets the height it needs, at 760 px and at 360 px', async () => {
  for (const figure of FIGURES) {
    const code = await embedCode(figure);
    assert.match(code, /^<iframe [^>]*data-weight-init[^>]*><\/iframe>\n<script>[^<]*<\/script>$/);
    for (const width of [760, 360]) {
      const { page, frame, errors } = await hostPage(`${figure}-${width}`, code, width);
      // The frame follows the figure: wait for the message to have been applied.
      await page.waitForFunction(() => document.querySelector('iframe').style.height !== '');
      await frame.waitForTimeout(200);
      const { content, box } = await heights(page, frame);
      assert.ok(box >= content - 1, `${figure} at ${width} px: ${content} px of figure in a ${box} px frame`);
      assert.ok(box <= content + 2, `${figure} at ${width} px: ${box} px frame for ${content} px of figure`);
      // Opening the numbers table makes the figure taller; the frame grows with it.
      if (figure !== 'hiking') {
        await frame.click('details.numbers summary');
        await frame.waitForSelector('.table-slot table');
        await page.waitForFunction((before) => document.querySelector('iframe').getBoundingClientRect().height > before + 20, box);
        const grown = await heights(page, frame);
        assert.ok(grown.box >= grown.content - 1, `${figure} at ${width} px with its table: cut off`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});

test('without its script, the embed code\'s fallback height holds every figure at 760 px and 360 px', async () => {
  const short = [];
  for (const figure of FIGURES) {
    const code = (await embedCode(figure)).replace(/<script>[\s\S]*<\/script>/, '');
    for (const width of [760, 360]) {
      const { page, frame } = await hostPage(`${figure}-${width}-bare`, code, width);
      await frame.waitForTimeout(200);
      const { content, box } = await heights(page, frame);
      if (box < content) short.push(`${figure} at ${width} px: ${content} px of figure in a ${box} px frame`);
      await page.close();
    }
  }
  assert.deepEqual(short, []);
});
