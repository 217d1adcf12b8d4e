// Simulation off the main thread: at the explorer's largest setting a drag ends showing its last
// value, an older result never replaces a newer one, the figure says it is computing, and the rest
// of the page answers meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawn, open as openIn, ready, session, settled } from './helpers.mjs';

const s = session();

// tanh: a network that is not simply rescaled when σ moves, so every value is a full computation.
const LARGEST = '?explorer.layers=100&explorer.width=512&explorer.activation=tanh';

async function open(query) {
  const { page, errors } = await openIn(s, `index.html${query}`);
  await ready(page);
  await drawn(page, 'explorer');
  await settled(page, 'explorer');
  return { page, errors };
}

/**
 * Sends σ values to the explorer one per frame, as a drag does, and records every picture it
 * draws (the σ it shows) until it has settled. Returns { sent, shown, computing }.
 */
function drag(page, values) {
  return page.evaluate(async (values) => {
    const fig = window.explainer.figures.get('explorer');
    const el = document.querySelector('#fig-explorer [data-control="sigma"]');
    const shown = [];
    let computing = false;
    const slot = document.querySelector('#fig-explorer .figure-slot');
    const watch = new MutationObserver(() => shown.push(fig.shownState.sigma));
    watch.observe(slot, { attributes: true, attributeFilter: ['data-drawn'] });
    const note = document.querySelector('#fig-explorer .computing-note');
    const seen = new MutationObserver(() => { computing ||= !note.hidden; });
    seen.observe(note, { attributes: true, attributeFilter: ['hidden'] });
    for (const v of values) {
      await new Promise((r) => requestAnimationFrame(r));
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await new Promise((resolve) => {
      const check = () => (fig.settled() ? resolve() : setTimeout(check, 20));
      check();
    });
    await new Promise((r) => setTimeout(r, 0));
    watch.disconnect();
    seen.disconnect();
    return { shown, computing, busyAtEnd: !note.hidden };
  }, values);
}

test('a drag at depth 100 × width 512 (tanh) ends with the figure showing the last value', async () => {
  const { page, errors } = await open(LARGEST);
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
  const { page, errors } = await open(LARGEST);
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
  const { page, errors } = await open(LARGEST);
  const result = await page.evaluate(async () => {
    const explorer = window.explainer.figures.get('explorer');
    const symmetry = window.explainer.figures.get('symmetry');
    const seed = document.querySelector('#fig-explorer [data-control="seed"]');
    seed.value = '7';
    seed.dispatchEvent(new Event('input', { bubbles: true }));
    const busy = !explorer.settled();
    // The other figure, scrolled to and clicked while the explorer computes.
    document.querySelector('#fig-symmetry').scrollIntoView();
    await new Promise((r) => requestAnimationFrame(r));
    const before = symmetry.drawn;
    document.querySelector('#fig-symmetry [data-action="new-seed"]').click();
    await new Promise((resolve) => {
      const check = () => (symmetry.drawn > before && symmetry.settled() ? resolve() : setTimeout(check, 10));
      check();
    });
    return { busy, explorerStillBusy: !explorer.settled(), redrew: symmetry.drawn > before };
  });
  assert.ok(result.busy, 'the explorer was computing when the click came');
  assert.ok(result.redrew, 'the other figure redrew');
  assert.ok(result.explorerStillBusy, 'before the explorer was done');
  await settled(page, 'explorer');
  assert.equal(await page.evaluate(() => window.explainer.figures.get('explorer').shownState.seed), 7);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the largest explorer splits its batch across two workers, drops overtaken values between layers, shows how far it is, and draws simulate\'s numbers bit for bit', async () => {
  const { page, errors } = await open(LARGEST);
  const result = await page.evaluate(async () => {
    const fig = window.explainer.figures.get('explorer');
    const split = Boolean(fig.helper);
    const cancelled = [];
    fig.worker.listen((m) => { if (m.type === 'cancelled') cancelled.push(m.id); });
    const note = document.querySelector('#fig-explorer .computing-note');
    const texts = new Set();
    const watch = new MutationObserver(() => { if (!note.hidden) texts.add(note.textContent); });
    watch.observe(note, { attributes: true, childList: true, characterData: true, subtree: true });
    const el = document.querySelector('#fig-explorer [data-control="sigma"]');
    for (const v of ['-1.3', '-1.2', '-1.1', '-1']) {
      await new Promise((r) => requestAnimationFrame(r));
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await new Promise((resolve) => {
      const check = () => (fig.settled() ? resolve() : setTimeout(check, 20));
      check();
    });
    watch.disconnect();
    // The same config on this thread, in one piece.
    const m = await import(new URL('simulator.js', document.baseURI).href);
    const { config, r } = fig.shownData;
    const same = JSON.stringify(m.simulate(config)) === JSON.stringify(r);
    return { split, cancelled: cancelled.length, texts: [...texts], same, sigma: fig.shownState.sigma };
  });
  assert.ok(result.split, 'a second worker computes half of the batch');
  assert.ok(result.cancelled >= 1, `overtaken requests were dropped (${result.cancelled})`);
  assert.ok(result.texts.some((t) => /^Computing… \d+ %$/.test(t)), `the note said how far: ${result.texts}`);
  assert.equal(result.sigma, -1);
  assert.ok(result.same, 'the two workers\' merged result is simulate\'s, bit for bit');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a worker whose memory grew past the limit is replaced once idle, and the fresh one answers with less', async () => {
  const { page, errors } = await open('');
  const result = await page.evaluate(async () => {
    const fig = window.explainer.figures.get('explorer');
    const limit = 64 << 20;
    const w = fig.spawnWorker({ recycleAbove: limit });
    const recycled = [];
    w.listen((m) => { if (m.type === 'recycled') recycled.push(m.memory); });
    const big = await w.call({ type: 'compute', figure: 'explorer', state: { ...fig.shownState, layers: 100, width: 512 } });
    const afterBig = recycled.length;
    const small = await w.call({ type: 'compute', figure: 'explorer', state: { ...fig.shownState, layers: 10, width: 32 } });
    const again = await w.call({ type: 'compute', figure: 'explorer', state: { ...fig.shownState, layers: 10, width: 32 } });
    w.terminate?.();
    return { limit, recycled, afterBig, layers: [big.r.layers.length, small.r.layers.length], same: JSON.stringify(small) === JSON.stringify(again) };
  });
  assert.equal(result.afterBig, 1, 'the worker that ran 100 × 512 was replaced');
  assert.ok(result.recycled[0] > result.limit, `it held ${result.recycled[0]} bytes`);
  assert.equal(result.recycled.length, 1, 'the fresh worker stayed under the limit and was kept');
  assert.deepEqual(result.layers, [100, 10], 'both answered their own request');
  assert.ok(result.same, 'the fresh worker gives the same numbers twice');
  assert.deepEqual(errors, []);
  await page.close();
});
