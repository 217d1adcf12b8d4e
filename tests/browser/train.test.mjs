// The training figure in headless Chromium: curves grow while it trains, the page stays responsive,
// and the runs end as the article says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawn, fingerprints, open as openIn, ready, session, settled } from './helpers.mjs';

const s = session();

/** Opens the article with `query`, with the training figure on screen and drawn. */
async function open(query = '') {
  const { page, errors } = await openIn(s, `index.html${query}`);
  await ready(page);
  await drawn(page, 'training');
  return { page, errors };
}

const steps = (page) => page.evaluate(() => window.explainer.figures.get('training').runtime.runs.map((r) => r.step));
const lossPixels = async (page) => (await fingerprints(page, '#fig-training canvas[data-canvas="loss"]'))[0].hash;

test('starting training draws growing loss curves', async () => {
  const { page, errors } = await open();
  const before = await lossPixels(page);
  await page.click('#fig-training [data-action="train"]');
  await page.waitForFunction(() => window.explainer.figures.get('training').runtime.runs.some((r) => r.step >= 200));
  const first = await steps(page);
  const middle = await lossPixels(page);
  assert.notEqual(middle, before, 'the loss plot changed');
  await page.waitForFunction((before) => window.explainer.figures.get('training').runtime.runs.some((r, i) => r.step > before[i]), first);
  const later = await steps(page);
  assert.ok(later.some((s, i) => s > first[i]), `steps grew: ${first} → ${later}`);
  // The plot follows the steps at its next frame: poll its pixels, frame by frame.
  let grew = false;
  for (let k = 0; k < 600 && !grew; k++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    grew = (await lossPixels(page)) !== middle;
  }
  assert.ok(grew, 'the curves grew');
  assert.match(await page.innerText('#fig-training .train-status'), /Training… step \d+ of 3000/);
  await page.click('#fig-training [data-action="train"]');
  assert.match(await page.innerText('#fig-training .train-status'), /Paused at step \d+/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('while training runs, a dragged slider ends with its figure showing the last value', async () => {
  const { page, errors } = await open('?training.steps=8000');
  await page.click('#fig-training [data-action="train"]');
  await page.waitForFunction(() => window.explainer.figures.get('training').runtime.runs.some((r) => r.step >= 100));
  await page.locator('#fig-explorer').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.explainer.figures.get('explorer').visible);
  // Ten values, one per frame, as a drag delivers them; each shows on the slider at once.
  const labels = await page.evaluate(async () => {
    const el = document.querySelector('#fig-explorer [data-control="sigma"]');
    const out = [];
    for (let k = 0; k < 10; k++) {
      await new Promise((r) => requestAnimationFrame(r));
      el.value = String(-4 + k * 0.3);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      out.push(document.querySelector('#fig-explorer [data-show="sigma"]').textContent);
    }
    return out;
  });
  assert.equal(labels.length, 10);
  assert.equal(labels[9], '0.0501');
  await settled(page, 'explorer');
  const shown = await page.evaluate(() => window.explainer.figures.get('explorer').shownState.sigma);
  assert.equal(shown, -1.3, 'the picture shows the last value');
  const stepsBefore = await steps(page);
  await page.waitForFunction((b) => window.explainer.figures.get('training').runtime.runs.some((r, i) => r.step > b[i]), stepsBefore);
  assert.ok(await page.evaluate(() => window.explainer.figures.get('training').runtime.running), 'training went on');
  assert.deepEqual(errors, []);
  await page.close();
});

test('each run trains one network however often Restart is clicked', async () => {
  const { page, errors } = await open('?training.steps=8000');
  await page.click('#fig-training [data-action="train"]');
  for (let k = 0; k < 4; k++) await page.click('#fig-training [data-action="restart"]');
  // Every frame for a while: each run's step only grows (an older network's progress would set
  // it back), the workers are the same few, and the runs train.
  const { backwards, workers, cores, runs, first, last } = await page.evaluate(async () => {
    const rt = window.explainer.figures.get('training').runtime;
    let backwards = 0;
    let prev = rt.runs.map((r) => r.step);
    const first = prev;
    for (let f = 0; f < 60; f++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = rt.runs.map((r) => r.step);
      backwards += now.filter((s, i) => s < prev[i]).length;
      prev = now;
    }
    return { backwards, workers: rt.workers.length, cores: navigator.hardwareConcurrency || 2, runs: rt.runs.length, first, last: prev };
  });
  assert.equal(backwards, 0, 'a run stepped backwards: an older network reported');
  // The workers leave a core to the page, and there are never more of them than runs.
  assert.ok(workers >= 1 && workers <= Math.max(1, cores - 1) && workers <= runs, `${workers} workers for ${runs} runs on ${cores} cores`);
  assert.ok(last.some((s, i) => s > first[i]), `the runs train: ${first} → ${last}`);
  assert.ok(await page.evaluate(() => window.explainer.figures.get('training').runtime.running));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the runs end as the article says: He learns, zeros and too small stay at chance, too large diverges', async () => {
  const { page, errors } = await open('?training.steps=1000&training.dataset=moons');
  await page.click('#fig-training [data-action="train"]');
  await page.waitForFunction(() => document.querySelector('#fig-training .train-status').textContent.startsWith('Done'), null, { timeout: 60000 });
  const runs = await page.evaluate(() => window.explainer.figures.get('training').runtime.runs.map((r) => ({
    key: r.key, accuracy: r.accuracy, loss: r.loss, diverged: r.diverged, spread: r.spread,
  })));
  const by = Object.fromEntries(runs.map((r) => [r.key, r]));
  assert.ok(by.he.accuracy > 0.95, `He ${by.he.accuracy}`);
  assert.ok(by.zeros.accuracy <= 0.55 && by.zeros.spread === 0, `zeros ${JSON.stringify(by.zeros)}`);
  assert.ok(by.small.accuracy <= 0.55, `too small ${by.small.accuracy}`);
  assert.equal(by.large.diverged, true);
  await page.click('#fig-training details.numbers summary');
  await page.waitForSelector('#fig-training .table-slot table');
  const table = await page.innerText('#fig-training .table-slot');
  assert.match(table, /too large \(σ = 1\)\t\d+\t.*\tdiverged/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on the digits, picking the data and Adam moves the learning rate, and test accuracy rises', async () => {
  const from = s.server.log.length;
  const { page, errors } = await open('?training.steps=1000');
  const fig = '#fig-training';
  // The digits load only when picked (by the training workers): no request for them before.
  const fetched = () => s.server.log.slice(from).some((entry) => entry.path.endsWith('/digits.bin.gz'));
  assert.equal(await fetched(), false, 'not loaded with the page');
  await page.selectOption(`${fig} [data-control="dataset"]`, 'digits');
  assert.equal(await page.inputValue(`${fig} [data-control="lr"]`), '-3', 'the learning rate follows the data set');
  assert.match(page.url(), /training\.dataset=digits/);
  await page.selectOption(`${fig} [data-control="optimizer"]`, 'adam');
  assert.equal(await page.inputValue(`${fig} [data-control="lr"]`), '-3');
  const runs = () => page.evaluate(() => window.explainer.figures.get('training').runtime.runs
    .map((r) => ({ key: r.key, step: r.step, test: r.testAccuracy, predictions: r.predictions.length, diverged: r.diverged })));
  await page.click(`${fig} [data-action="train"]`);
  await page.waitForFunction(() => window.explainer.figures.get('training').runtime.runs.every((r) => r.ready));
  const start = await runs();
  await page.waitForFunction(() => /Done: 1000 steps/.test(document.querySelector('#fig-training .train-status').textContent), null, { timeout: 120000 });
  const end = await runs();
  const at = (list, key) => list.find((r) => r.key === key);
  // He and Xavier learn the digits with Adam; zeros stays at chance; σ = 1 does not overflow
  // under Adam (its steps are the learning rate's size) but stays far behind He.
  assert.ok(at(end, 'he').test > at(start, 'he').test + 0.4, `He: ${at(start, 'he').test} → ${at(end, 'he').test}`);
  assert.ok(at(end, 'xavier').test > 0.5, `Xavier with Adam: ${at(end, 'xavier').test}`);
  assert.ok(at(end, 'zeros').test <= 0.12, `zeros: ${at(end, 'zeros').test}`);
  assert.equal(at(start, 'large').diverged, false, 'σ = 1 has not diverged before its first step');
  assert.ok(!at(end, 'large').diverged && at(end, 'large').test < at(end, 'he').test - 0.4, `σ = 1 with Adam: ${JSON.stringify(at(end, 'large'))}`);
  assert.ok(end.every((r) => r.predictions === 12), 'twelve answers per network');
  assert.ok(await fetched(), 'loaded when picked');
  // The legend and the grid say it: test accuracy, and the digits with their answers.
  const label = await page.getAttribute(`${fig} canvas[data-canvas="loss"]`, 'aria-label');
  assert.match(label, /He at \d+(\.\d+)? % on test accuracy/);
  const grid = await page.getAttribute(`${fig} canvas[data-canvas="boundaries"]`, 'aria-label');
  assert.match(grid, /The first 12 test digits: zeros answers \d+ right, .*He answers \d+ right/);
  await page.locator(fig).screenshot({ path: 'tests/artifacts/training-digits.png' });
  assert.deepEqual(errors, []);
  await page.close();
});
