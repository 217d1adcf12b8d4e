// What a reader sees at the defaults, and what the figures' own buttons may change: the first
// screen's He mark and instruction, a lesson's hidden controls, controls that do nothing being
// disabled, and the phone layout (no sideways page, equations and tables in their own boxes).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { ARTIFACTS, drawn, open as openIn, session, settled } from './helpers.mjs';

const s = session();
before(() => mkdirSync(ARTIFACTS, { recursive: true }));

async function open(path = '', options = {}) {
  const { page, errors, context } = await openIn(s, path, options);
  await page.waitForSelector('html[data-ready]');
  return { page, errors, context };
}

for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`the first screen (${viewport.width} px) says what to do and marks He's σ, which a step reaches exactly`, async () => {
    const { page, errors, context } = await open('', { viewport });
    await drawn(page, 'intro');
    // The instruction is above the fold, before the figure's controls.
    const lead = await page.locator('#fig-intro .figure-lead').boundingBox();
    assert.ok(lead && lead.y + lead.height <= viewport.height, `the instruction ends at ${lead?.y + lead?.height} px`);
    const slider = page.locator('#fig-intro [data-control="ratio"]');
    const box = await slider.boundingBox();
    assert.ok(box.y + box.height <= viewport.height, `the slider is on the first screen (${box.y + box.height} px)`);
    // The mark sits where the thumb is at He's σ, and names it.
    const mark = page.locator('#fig-intro .slider-mark');
    assert.match(await mark.innerText(), /He: 0\.177/);
    const at = async () => {
      const m = await mark.boundingBox();
      return m.x + m.width / 2;
    };
    const markX = await at();
    await page.click('#fig-intro [data-preset="he"]');
    await settled(page, 'intro');
    const thumb = await page.evaluate(() => {
      const el = document.querySelector('#fig-intro [data-control="ratio"]');
      const r = el.getBoundingClientRect();
      const f = (Number(el.value) - Number(el.min)) / (Number(el.max) - Number(el.min));
      return r.left + 8 + f * (r.width - 16);
    });
    assert.ok(Math.abs(thumb - markX) < 3, `mark at ${markX}, thumb at ${thumb}`);
    // That step is He's σ exactly, and the signal stays level there.
    const shown = await page.evaluate(() => {
      const f = window.explainer.figures.get('intro');
      return { sigma: f.def.config(f.shownState).sigma, label: document.querySelector('#fig-intro canvas').getAttribute('aria-label') };
    });
    assert.equal(shown.sigma, Math.sqrt(2 / 64));
    assert.match(shown.label, /the signal stays level/);
    // From the start, two presses of Page Up reach it too.
    await page.click('#fig-intro [data-action="reset"]');
    await slider.focus();
    await page.keyboard.press('PageUp');
    await page.keyboard.press('PageUp');
    assert.equal(Number(await slider.inputValue()), 0);
    assert.doesNotMatch(await page.locator('#fig-intro figcaption').innerText(), /it it/);
    await page.screenshot({ path: `${ARTIFACTS}first-screen-${viewport.width}.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a lesson link\'s hidden controls stay as it set them: presets, Reset, a control that moves others, open-in', async () => {
  const { page, errors, context } = await open('?explorer.scheme=xavier-normal&explorer.activation=tanh&hide=explorer.scheme,explorer.activation,training.lr&training.lr=-2.5#fig-explorer');
  await drawn(page, 'explorer');
  const state = () => page.evaluate(() => ({ ...window.explainer.figures.get('explorer').state }));
  // Every preset would change the hidden scheme or activation: none is offered.
  for (const b of await page.locator('#fig-explorer [data-preset]').all()) {
    assert.equal(await b.isDisabled(), true, `${await b.innerText()} is disabled`);
    assert.match(await b.getAttribute('title'), /This link fixes Scheme/);
    await b.evaluate((el) => el.click());
  }
  assert.deepEqual([(await state()).scheme, (await state()).activation], ['xavier-normal', 'tanh']);
  // Reset puts the visible controls back, not the hidden ones.
  await page.evaluate(() => {
    const el = document.querySelector('#fig-explorer [data-control="layers"]');
    el.value = '7';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.click('#fig-explorer [data-action="reset"]');
  const after = await state();
  assert.deepEqual([after.scheme, after.activation, after.layers], ['xavier-normal', 'tanh', 20]);
  // The link it copies keeps the lesson.
  await page.click('#fig-explorer [data-action="copy-link"]');
  const link = await page.inputValue('#fig-explorer .share-box textarea');
  assert.match(link, /explorer\.scheme=xavier-normal/);
  assert.match(link, /explorer\.activation=tanh/);
  // The edge figure's "open in the explorer" leaves them too.
  await drawn(page, 'edge');
  await page.click('#fig-edge [data-action="open-explorer"]');
  const opened = await state();
  assert.deepEqual([opened.scheme, opened.activation, opened.width], ['xavier-normal', 'tanh', 256]);
  // The training figure's hidden learning rate does not follow the optimizer.
  await drawn(page, 'training');
  await page.selectOption('#fig-training [data-control="optimizer"]', 'adam');
  assert.equal(await page.evaluate(() => window.explainer.figures.get('training').state.lr), -2.5);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a control that does nothing is disabled and says why: q* outside tanh, σ_b with PyTorch\'s default', async () => {
  const { page, errors, context } = await open();
  await drawn(page, 'isometry');
  const q = page.locator('#fig-isometry [data-control="q"]');
  assert.equal(await q.isDisabled(), false, 'live for tanh');
  for (const activation of ['relu', 'linear']) {
    await page.selectOption('#fig-isometry [data-control="activation"]', activation);
    assert.equal(await q.isDisabled(), true, `disabled for ${activation}`);
    assert.match(await page.innerText('#fig-isometry [data-show="note"]'), /q\* is for tanh only/);
  }
  await page.selectOption('#fig-isometry [data-control="activation"]', 'tanh');
  assert.equal(await q.isDisabled(), false);
  await drawn(page, 'explorer');
  const sb = page.locator('#fig-explorer [data-control="sb"]');
  assert.equal(await sb.isDisabled(), false);
  await page.selectOption('#fig-explorer [data-control="scheme"]', 'pytorch-default');
  assert.equal(await sb.isDisabled(), true);
  assert.match(await page.innerText('#fig-explorer [data-show="note"]'), /draws its own biases.*σ_b is not used/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the training figure says when a choice moves the learning rate, and nothing diverges before it starts', async () => {
  const { page, errors, context } = await open();
  await drawn(page, 'training');
  const note = () => page.innerText('#fig-training [data-show="note"]');
  assert.match(await note(), /^Learning rate 0\.01, the figure's choice for SGD on the 2-D sets/);
  await page.selectOption('#fig-training [data-control="optimizer"]', 'adam');
  assert.match(await note(), /^Learning rate 0\.001, the figure's choice for Adam/);
  await page.waitForFunction(() => window.explainer.figures.get('training').runtime.runs.every((r) => r.ready));
  const label = await page.getAttribute('#fig-training canvas[data-canvas="loss"]', 'aria-label');
  assert.doesNotMatch(label, /diverged/, label);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const width of [360, 390]) {
  test(`at ${width} px the page never scrolls sideways; each equation and table fits or scrolls in its own box, visibly`, async () => {
    const { page, errors, context } = await open('', { viewport: { width, height: 800 } });
    const report = await page.evaluate(() => {
      const doc = document.documentElement;
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('p.math, .table-wrap, .table-slot, details.code pre'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 5);
      const boxes = [...document.querySelectorAll('p.math, .table-wrap')].map((el) => {
        const css = getComputedStyle(el);
        return {
          what: el.textContent.trim().slice(0, 30),
          fits: el.scrollWidth <= el.clientWidth + 1,
          scrolls: ['auto', 'scroll'].includes(css.overflowX),
          cue: (css.maskImage || css.webkitMaskImage).includes('gradient') && el.classList.contains('more-right'),
          inside: el.getBoundingClientRect().right <= window.innerWidth + 0.5,
        };
      });
      return { scroll: doc.scrollWidth, inner: window.innerWidth, wide, boxes };
    });
    assert.ok(report.scroll <= report.inner, `the document is ${report.scroll} px wide at ${report.inner}`);
    assert.deepEqual(report.wide, [], 'no element reaches past the screen');
    assert.ok(report.boxes.length >= 15, `${report.boxes.length} boxes`);
    for (const b of report.boxes) {
      assert.ok(b.inside, `${b.what}: its box stays on the screen`);
      assert.ok(b.fits || (b.scrolls && b.cue), `${b.what}: fits, or scrolls with a visible cue`);
    }
    assert.ok(report.boxes.some((b) => !b.fits), 'some equation is wider than a phone');
    // Scrolled to its end, the cue moves to the other side.
    const cue = await page.evaluate(async () => {
      const el = [...document.querySelectorAll('p.math')].find((e) => e.scrollWidth > e.clientWidth + 1);
      // The page's own scroll listener runs first (it was added before this one).
      const scrolled = new Promise((r) => el.addEventListener('scroll', r, { once: true }));
      el.scrollLeft = el.scrollWidth;
      await scrolled;
      return [el.classList.contains('more-left'), el.classList.contains('more-right')];
    });
    assert.deepEqual(cue, [true, false]);
    // The Xavier table reads whole on a phone: every cell within the screen.
    const cells = await page.$$eval('#xavier .table-wrap th, #xavier .table-wrap td, #xavier .table-wrap caption',
      (els) => els.filter((e) => e.getBoundingClientRect().width > 0).map((e) => e.getBoundingClientRect().right));
    assert.ok(cells.length >= 6 && cells.every((r) => r <= width), `table cells end at ${cells}`);
    await page.locator('#xavier .table-wrap').screenshot({ path: `${ARTIFACTS}xavier-table-${width}.png` });
    assert.deepEqual(errors, []);
    await context.close();
  });
}
