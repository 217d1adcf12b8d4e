// Page benchmarks in headless Chromium on the release build (dist/): slider input → redraw time,
// load → first plot, and the first view's transfer size. Prints the figures against the targets.
// Usage: node bench/page.mjs   (scripts/bench.sh builds dist/ first)
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/browser/server.mjs';
import { launch } from '../tests/browser/chromium.mjs';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const server = await serve(DIST);
const browser = await launch();

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

// 1. Load → first plot, over 10 fresh loads; the first load's transfer size.
const loads = [];
let transfer = null;
for (let i = 0; i < 10; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const from = server.log.length;
  await page.goto(server.url);
  await page.waitForFunction(() => performance.getEntriesByName('first-plot').length > 0);
  loads.push(await page.evaluate(() => performance.getEntriesByName('first-plot')[0].startTime));
  if (i === 0) {
    await page.waitForLoadState('networkidle');
    transfer = server.log.slice(from);
  }
  await context.close();
}

// 2. Slider input → every visible figure redrawn (drawing is synchronous in the input handler).
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(server.url);
await page.waitForSelector('html[data-ready]');
const timings = {};
for (const [figure, slider, lo, hi] of [
  ['explorer', 'sigma', -5, 1],
  ['experiment', 'seed', 0, 1000],
  ['he', 'sigma', -3, 0],
]) {
  await page.locator(`#fig-${figure}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((name) => window.explainer.figures.get(name).visible && window.explainer.figures.get(name).drawn >= 1, figure);
  timings[`${figure} ← ${slider}`] = await page.evaluate(([figure, name, lo, hi]) => {
    const el = document.querySelector(`#fig-${figure} [data-control="${name}"]`);
    const fig = window.explainer.figures.get(figure);
    const drawsBefore = fig.drawn;
    const out = [];
    for (let k = 0; k < 120; k++) {
      el.value = String(lo + ((hi - lo) * (k % 60)) / 60);
      if (el.type === 'number') el.value = String(Math.round(Number(el.value)));
      const t = performance.now();
      el.dispatchEvent(new Event('input', { bubbles: true }));
      out.push(performance.now() - t);
    }
    // Every input must have redrawn the figure, or the timings measure nothing.
    if (fig.drawn - drawsBefore !== out.length) throw new Error(`${name}: not every input redrew`);
    return out.slice(20);
  }, [figure, slider, lo, hi]);
}

// 3. The slowest drawing call each chart's spec allows (the schema's largest arrays and lists).
const drawing = await page.evaluate(async () => {
  const m = await import(new URL('simulator.js', document.baseURI).href);
  const c = document.createElement('canvas');
  c.width = 1600;
  c.height = 1000;
  const vals = (n) => Float64Array.from({ length: n }, (_, i) => 1 + Math.sin(i) * 0.5);
  const theme = { scale: 2 };
  const cases = {
    'drawLines: 64 series × 4096 points with markers': () => m.drawLines(c, { series: Array.from({ length: 64 }, (_, k) => ({ values: vals(4096), color: k, markers: true, label: 'x'.repeat(200) })) }, theme),
    'drawHistograms: 64 panels × 32768 bins': () => m.drawHistograms(c, { panels: Array.from({ length: 64 }, () => ({ lo: 0, hi: 1, counts: vals(1 << 15), title: 't' })) }, theme),
    'drawWeights: 8 samples × 262144 weights': () => m.drawWeights(c, { bins: 400, samples: Array.from({ length: 8 }, (_, k) => ({ values: vals(1 << 18), color: k })) }, theme),
    'drawGrids: 8 grids × 65536 cells': () => m.drawGrids(c, { grids: Array.from({ length: 8 }, () => ({ values: Array.from({ length: 256 }, () => vals(256)) })) }, theme),
    'drawBoundaries: 16 panels × 100² with 5000 points': () => m.drawBoundaries(c, { panels: Array.from({ length: 16 }, () => ({ res: 100, probs: vals(10000), points: vals(15000) })) }, theme),
  };
  const out = {};
  for (const [name, draw] of Object.entries(cases)) {
    const t0 = performance.now();
    draw();
    out[name] = performance.now() - t0;
  }
  return out;
});

await browser.close();
await server.close();

const kb = (b) => (b / 1024).toFixed(1);
const total = transfer.reduce((a, r) => a + r.gzipBytes, 0);
console.log(`Page benchmarks, headless Chromium ${process.env.CHROMIUM || '/usr/bin/chromium'}, release build over loopback`);
console.log('| measure | figure | target |');
console.log('|---|---|---|');
for (const [name, xs] of Object.entries(timings)) {
  const p95 = quantile(xs, 0.95);
  console.log(`| input → redraw, ${name} | p50 ${quantile(xs, 0.5).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms | p95 ≤ 16 ms ${p95 <= 16 ? 'met' : 'NOT met'} |`);
}
const firstPlot = quantile(loads, 0.5);
console.log(`| load → first plot drawn | median ${firstPlot.toFixed(0)} ms, max ${Math.max(...loads).toFixed(0)} ms (10 loads) | ≤ 300 ms ${firstPlot <= 300 ? 'met' : 'NOT met'} |`);
console.log(`| first-view transfer (gzip) | ${kb(total)} KB: ${transfer.map((r) => `${r.path.split('/').pop() || 'index.html'} ${kb(r.gzipBytes)}`).join(', ')} | ≤ 250 KB ${total <= 250 * 1024 ? 'met' : 'NOT met'} |`);
console.log('\nThe slowest drawing call each spec allows (canvas 1600 × 1000, scale 2):');
console.log('| call | time |');
console.log('|---|---|');
for (const [name, ms] of Object.entries(drawing)) console.log(`| ${name} | ${ms.toFixed(0)} ms |`);
