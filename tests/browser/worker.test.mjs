// Simulation off the main thread: at the explorer's largest setting a drag ends showing its last
// value, an older result never replaces a newer one, the figure says it is computing, and the rest
// of the page answers meanwhile. And the simulation API itself (www/simulation.js), as a host
// page uses it: one config in, one result out, split over two workers, cancelled when overtaken,
// its workers replaced when their memory grew.
//
// No test waits on the clock: each waits for an event the page emits (`weight-init:drawn` after a
// picture, `weight-init:computing` once a computation has taken 100 ms) or for a promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawn, open as openIn, ready, session, settled } from './helpers.mjs';

const s = session();

// tanh: a network that is not simply rescaled when σ moves, so every value is a full computation.
const LARGEST = { layers: 100, width: 512, activation: 'tanh' };
const QUERY = `?${Object.entries(LARGEST).map(([k, v]) => `explorer.${k}=${v}`).join('&')}`;

async function open(query) {
  const { page, errors } = await openIn(s, `index.html${query}`);
  await ready(page);
  await drawn(page, 'explorer');
  await settled(page, 'explorer');
  return { page, errors };
}

/**
 * Sends σ values to the explorer one per frame, as a drag does, and records every picture it
 * draws (the σ it shows) until it shows the last. Returns { shown, computing, busyAtEnd }.
 */
function drag(page, values) {
  return page.evaluate(async (values) => {
    const fig = window.explainer.figures.get('explorer');
    const slot = fig.element;
    const el = document.querySelector('#fig-explorer [data-control="sigma"]');
    const shown = [];
    let computing = false;
    const onComputing = () => { computing = true; };
    slot.addEventListener('weight-init:computing', onComputing);
    // Every picture, until one shows the newest values.
    const done = new Promise((resolve) => {
      slot.addEventListener('weight-init:drawn', function onDrawn() {
        shown.push(fig.shownState.sigma);
        if (fig.settled()) {
          slot.removeEventListener('weight-init:drawn', onDrawn);
          resolve();
        }
      });
    });
    for (const v of values) {
      await new Promise((r) => requestAnimationFrame(r));
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await done;
    slot.removeEventListener('weight-init:computing', onComputing);
    const note = document.querySelector('#fig-explorer .computing-note');
    return { shown, computing, busyAtEnd: !note.hidden };
  }, values);
}

test('a drag at depth 100 × width 512 (tanh) ends with the figure showing the last value', async () => {
  const { page, errors } = await open(QUERY);
  const values = [-1.5, -1.4, -1.3, -1.2, -1.1, -1, -0.9, -0.8];
  const { shown, computing, busyAtEnd } = await drag(page, values);
  assert.equal(shown.at(-1), values.at(-1), `last picture shows σ = 10^${shown.at(-1)}`);
  assert.ok(computing, 'the figure said it was computing');
  assert.equal(busyAtEnd, false, 'and stopped saying so once done');
  // The text alternative describes the final picture; 32 samples, as the note says.
  assert.match(await page.innerText('#fig-explorer [data-show="note"]'), /Input: 32 random samples × 512 features/);
  assert.equal(await page.locator('#fig-explorer .status.error:not([hidden])').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an older result never replaces a newer one', async () => {
  const { page, errors } = await open(QUERY);
  const values = [-2, -1.9, -1.8, -1.7, -1.6, -1.5, -1.4, -1.3, -1.2, -1.1];
  const { shown } = await drag(page, values);
  const order = shown.map((v) => values.indexOf(v));
  assert.ok(order.every((i) => i >= 0), `only requested values are shown: ${shown}`);
  assert.ok(order.every((i, k) => k === 0 || i > order[k - 1]), `pictures in request order: ${order}`);
  assert.equal(order.at(-1), values.length - 1);
  // Overtaken requests are dropped, not queued: fewer pictures than values.
  assert.ok(shown.length < values.length, `${shown.length} pictures for ${values.length} values`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page answers a click on another figure while the explorer computes at its largest setting', async () => {
  const { page, errors } = await open(QUERY);
  const events = await page.evaluate(async () => {
    const explorer = window.explainer.figures.get('explorer');
    const symmetry = window.explainer.figures.get('symmetry');
    const events = [];
    const once = (fig, type) => new Promise((resolve) => {
      fig.element.addEventListener(type, () => { events.push(`${fig.name} ${type.split(':')[1]}`); resolve(); }, { once: true });
    });
    // The symmetry figure has drawn once, so its worker is running: what is measured is whether
    // the page answers the click, not how long a new worker takes to start on a loaded machine.
    if (symmetry.drawn === 0) {
      const first = new Promise((resolve) => symmetry.element.addEventListener('weight-init:drawn', resolve, { once: true }));
      document.querySelector('#fig-symmetry').scrollIntoView();
      await first;
      document.querySelector('#fig-explorer').scrollIntoView();
      await new Promise((r) => requestAnimationFrame(r));
    }
    const explorerDrawn = once(explorer, 'weight-init:drawn');
    const computing = once(explorer, 'weight-init:computing');
    const seed = document.querySelector('#fig-explorer [data-control="seed"]');
    seed.value = '7';
    seed.dispatchEvent(new Event('input', { bubbles: true }));
    // Once the explorer says it computes, the other figure is scrolled to and clicked.
    await computing;
    document.querySelector('#fig-symmetry').scrollIntoView();
    await new Promise((r) => requestAnimationFrame(r));
    const symmetryDrawn = once(symmetry, 'weight-init:drawn');
    document.querySelector('#fig-symmetry [data-action="new-seed"]').click();
    await Promise.all([symmetryDrawn, explorerDrawn]);
    return events;
  });
  // The symmetry figure redrew between the explorer's "computing" and its picture.
  assert.deepEqual(events, ['explorer computing', 'symmetry drawn', 'explorer drawn']);
  await settled(page, 'explorer');
  assert.equal(await page.evaluate(() => window.explainer.figures.get('explorer').shownState.seed), 7);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the simulation API splits the largest explorer over two workers, drops overtaken runs, says how far it is, and gives simulate\'s numbers bit for bit', async () => {
  const { page, errors } = await open('');
  const result = await page.evaluate(async (largest) => {
    const { createSimulation } = await import('/www/simulation.js');
    const { FIGURES } = await import('/www/figures/index.js');
    const m = await import('/www/simulator.js');
    const base = { ...window.explainer.figures.get('explorer').defaults(), ...largest };
    const simulation = createSimulation(FIGURES.explorer);
    const progress = [];
    // Four runs at once, as a fast drag sends them: each replaces the one before.
    const runs = [-1.3, -1.2, -1.1, -1].map((sigma) => simulation.run({ ...base, sigma }, { onProgress: (p) => progress.push(p) })
      .then((data) => ({ data }), (e) => ({ cancelled: Boolean(e.cancelled), message: e.message })));
    const out = await Promise.all(runs);
    const stats = simulation.stats;
    simulation.destroy();
    // The same config on this thread, in one piece.
    const state = { ...base, sigma: -1 };
    const same = JSON.stringify(m.simulate(FIGURES.explorer.simulation(state))) === JSON.stringify(out[3].data.r);
    return { cancelled: out.slice(0, 3).map((o) => o.cancelled), last: out[3].cancelled ?? false, progress, stats, same };
  }, LARGEST);
  assert.deepEqual(result.cancelled, [true, true, true], 'the three overtaken runs were dropped');
  assert.equal(result.last, false);
  assert.equal(result.stats.runs, 1, 'one run answered');
  assert.equal(result.stats.last.parts, 2, 'a second worker computed half of the batch');
  assert.ok(result.stats.last.peerMemory > 0, 'and said how much memory it holds');
  assert.ok(result.progress.length > 0 && result.progress.every((p, k) => p > 0 && p <= 1 && (k === 0 || p >= result.progress[k - 1])),
    `progress rose from 0 to 1: ${result.progress}`);
  assert.ok(result.same, 'the two workers\' joined result is simulate\'s, bit for bit');
  assert.deepEqual(errors, []);
  await page.close();
});

test('workers whose memory grew past the limit are replaced once idle, and the fresh ones answer with less', async () => {
  const { page, errors } = await open('');
  const result = await page.evaluate(async (largest) => {
    const { createSimulation } = await import('/www/simulation.js');
    const { FIGURES } = await import('/www/figures/index.js');
    const base = window.explainer.figures.get('explorer').defaults();
    const limit = 64 << 20;
    const simulation = createSimulation(FIGURES.explorer, { recycleAbove: limit });
    const big = await simulation.run({ ...base, ...largest });
    const afterBig = simulation.stats;
    const small = await simulation.run({ ...base, layers: 10, width: 32 });
    const afterSmall = simulation.stats;
    const again = await simulation.run({ ...base, layers: 10, width: 32 });
    const afterAgain = simulation.stats;
    simulation.destroy();
    return {
      limit, afterBig, afterSmall, afterAgain,
      layers: [big.r.layers.length, small.r.layers.length], same: JSON.stringify(small) === JSON.stringify(again),
    };
  }, LARGEST);
  assert.equal(result.afterBig.recycled, 1, 'the workers that ran 100 × 512 were replaced');
  assert.ok(result.afterBig.last.memory > result.limit, `the lead held ${result.afterBig.last.memory} bytes`);
  assert.ok(result.afterSmall.last.memory < result.limit, `the fresh lead holds ${result.afterSmall.last.memory} bytes`);
  assert.equal(result.afterAgain.recycled, 1, 'the fresh workers stayed under the limit and were kept');
  assert.deepEqual(result.layers, [100, 10], 'both answered their own request');
  assert.ok(result.same, 'the fresh worker gives the same numbers twice');
  assert.deepEqual(errors, []);
  await page.close();
});
