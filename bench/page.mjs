// Page benchmarks in headless Chromium on the release build (dist/): the main thread while controls
// move and training runs, last input → picture, new weights at the largest setting, training time,
// load → first plot and the first view's transfer size. Prints the figures against the targets.
// Usage: node bench/page.mjs [site folder]   (scripts/bench.sh builds dist/ first)
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/browser/server.mjs';
import { launch } from '../tests/browser/chromium.mjs';

// The built site: dist/, or the folder given (another build, to compare in the same session).
const DIST = process.argv[2] ?? fileURLToPath(new URL('../dist/', import.meta.url));
// Served as a typical static host serves (GitHub Pages sends max-age=600): the page's worker
// imports the modules the page has just loaded, and gets them from the HTTP cache.
const server = await serve(DIST, { headers: { 'cache-control': 'public, max-age=600' } });
const browser = await launch();

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

// 1. Load → first plot, over 10 fresh loads; the first load's transfer size. "On screen" is read
// from the frames the browser painted: a trace of the load keeps a screenshot of each frame, and
// the first frame with the plot's lines in the first figure's box is when the reader sees it.
// The page puts that figure's picture into its HTML (scripts/trunk-post-build.mjs); the live
// canvas replaces it once the page's WebAssembly has drawn (the 'first-plot' mark: the frame
// after that drawing), and that is measured too.
const decoder = await browser.newPage();
/** How many pixels of a screenshot (JPEG, base64) in `box` (fractions of the frame) are blue ink. */
const ink = (jpeg, box) => decoder.evaluate(async ([jpeg, box]) => {
  const bitmap = await createImageBitmap(await (await fetch(`data:image/jpeg;base64,${jpeg}`)).blob());
  const c = new OffscreenCanvas(bitmap.width, bitmap.height);
  const x = c.getContext('2d');
  x.drawImage(bitmap, 0, 0);
  const [l, t, w, h] = [box.x * c.width, box.y * c.height, box.width * c.width, box.height * c.height].map((v) => Math.max(1, Math.round(v)));
  const d = x.getImageData(l, t, w, h).data;
  let n = 0;
  // The lines' blue (#0072B2), through the frames' scaling and JPEG.
  for (let i = 0; i < d.length; i += 4) if (d[i + 2] - d[i] > 60 && d[i + 2] > 120) n++;
  return n;
}, [jpeg, box]);
const loads = { picture: [], live: [], fcp: [] };
let transfer = null;
for (let i = 0; i < 10; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('about:blank');
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['disabled-by-default-devtools.screenshot', 'blink.user_timing', 'loading'] }, transferMode: 'ReportEvents',
  });
  const from = server.log.length;
  await page.goto(server.url);
  await page.waitForFunction(() => performance.getEntriesByName('first-plot').length > 0);
  await page.waitForTimeout(100);
  const box = await page.evaluate(() => {
    const r = document.querySelector('#fig-intro canvas').getBoundingClientRect();
    return { x: r.left / innerWidth, y: r.top / innerHeight, width: r.width / innerWidth, height: Math.min(r.height, innerHeight - r.top) / innerHeight };
  });
  const marks = await page.evaluate(() => [performance.getEntriesByName('first-plot')[0].startTime, performance.getEntriesByName('first-contentful-paint')[0].startTime]);
  await cdp.send('Tracing.end');
  await complete;
  const start = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http'));
  for (const e of events.filter((f) => f.name === 'Screenshot').sort((a, b) => a.ts - b.ts)) {
    // The picture sits where the canvas will (the stylesheet keeps room for the controls above it).
    if (await ink(e.args.snapshot, box) > 50) {
      loads.picture.push((e.ts - start.ts) / 1000);
      break;
    }
  }
  loads.live.push(marks[0]);
  loads.fcp.push(marks[1]);
  if (i === 0) {
    await page.waitForLoadState('networkidle');
    transfer = server.log.slice(from);
  }
  await context.close();
}
await decoder.close();

// 2. The main thread while controls move. Simulation runs in workers; the main thread handles
// the input and draws each result that comes back. For each figure and setting, one input per
// frame for 60 frames, then until the figure shows the last value: the frame intervals (a frame
// the main thread held up shows as a long one), the input handler's time, each redraw's time, and
// from the last input to the picture showing it.
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(server.url);
await page.waitForSelector('html[data-ready]');
await page.evaluate(() => { globalThis.measureDraws = true; });
async function drag(figure, slider, values, setup = {}) {
  await page.locator(`#fig-${figure}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((name) => window.explainer.figures.get(name).visible && window.explainer.figures.get(name).drawn >= 1, figure);
  return page.evaluate(async ([figure, name, values, setup]) => {
    const fig = window.explainer.figures.get(figure);
    const settled = () => new Promise((resolve) => {
      const check = () => (fig.settled() ? resolve() : setTimeout(check, 5));
      check();
    });
    if (Object.keys(setup).length) fig.set(setup);
    await settled();
    const el = document.querySelector(`#fig-${figure} [data-control="${name}"]`);
    const frames = [];
    const handler = [];
    let last = performance.now();
    const draws = fig.drawn;
    performance.clearMeasures();
    for (const v of values) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - last);
      last = now;
      el.value = String(v);
      const t = performance.now();
      el.dispatchEvent(new Event('input', { bubbles: true }));
      handler.push(performance.now() - t);
    }
    const sent = performance.now();
    await settled();
    const final = performance.now() - sent;
    const redraws = performance.getEntriesByName(`draw ${figure}`).map((e) => e.duration);
    const shown = fig.shownState[name] === fig.state[name];
    return { frames: frames.slice(1), handler, redraws, final, shown, draws: fig.drawn - draws };
  }, [figure, slider, values, setup]);
}
const sweep = (lo, hi, n = 60) => Array.from({ length: n }, (_, k) => Number((lo + ((hi - lo) * k) / (n - 1)).toFixed(2)));
const cases = [
  ['explorer σ, defaults (20 × 64)', 'explorer', 'sigma', sweep(-3, 0), { layers: 20, width: 64, scheme: 'normal', activation: 'relu' }],
  ['He figure σ at 60 layers', 'he', 'sigma', sweep(-3, 0), { layers: 60 }],
  ['experiment seed', 'experiment', 'seed', sweep(0, 59).map(Math.round), {}],
  ['spread width', 'spread', 'width', sweep(8, 128).map(Math.round), { layers: 100 }],
  ['explorer σ, 100 × 512, normal ReLU', 'explorer', 'sigma', sweep(-3, 0), { layers: 100, width: 512, scheme: 'normal', activation: 'relu' }],
  ['explorer σ, 100 × 512, normal tanh', 'explorer', 'sigma', sweep(-1.5, 0, 20), { layers: 100, width: 512, scheme: 'normal', activation: 'tanh' }],
  ...['he-normal', 'xavier-uniform', 'pytorch-default', 'lecun-normal', 'zeros'].map((scheme) => [
    `explorer depth 90→100 at width 512, ${scheme}`, 'explorer', 'layers', sweep(90, 100, 11).map(Math.round), { layers: 90, width: 512, scheme, activation: 'relu' }]),
  ['explorer depth 90→100 at width 512, orthogonal', 'explorer', 'layers', sweep(90, 100, 11).map(Math.round), { layers: 90, width: 512, scheme: 'orthogonal', activation: 'relu' }],
  ['explorer depth 90→100 at width 512, LSUV tanh', 'explorer', 'layers', sweep(90, 100, 11).map(Math.round), { layers: 90, width: 512, scheme: 'lsuv', activation: 'tanh' }],
  // The second part, computed by the second module.
  ['isometry depth 1→128, tanh', 'isometry', 'layers', sweep(1, 128, 30).map(Math.round), { activation: 'tanh' }],
  ['residual blocks 1→100, pre-LN', 'residual', 'blocks', sweep(1, 100, 30).map(Math.round), { norm: 'pre' }],
  ['attention d 1→2048', 'attention', 'logd', sweep(0, 11, 12).map(Math.round), {}],
];
const timings = [];
for (const [label, figure, slider, values, setup] of cases) timings.push([label, await drag(figure, slider, values, setup)]);

// Last value → picture at the explorer's largest setting for the networks no rescaling covers:
// five drags of 12 values each (every value a full forward and backward pass, split across two
// workers), alternating direction so that each drag ends on a new value.
const LARGEST = { layers: 100, width: 512 };
const largest = [
  ['σ, normal tanh', 'sigma', (k) => sweep(-1.5 + 0.01 * k, -0.3 - 0.01 * k, 12), { scheme: 'normal', activation: 'tanh' }],
  ['σ, normal sigmoid', 'sigma', (k) => sweep(-1.2 + 0.01 * k, 0 - 0.01 * k, 12), { scheme: 'normal', activation: 'sigmoid' }],
  ['σ, uniform tanh', 'sigma', (k) => sweep(-1.5 + 0.01 * k, -0.3 - 0.01 * k, 12), { scheme: 'uniform', activation: 'tanh' }],
  ['gain, He normal tanh', 'gain', (k) => sweep(0.5 + 0.01 * k, 2 - 0.01 * k, 12), { scheme: 'he-normal', activation: 'tanh' }],
];
const finals = [];
for (const [label, slider, values, setup] of largest) {
  const runs = [];
  for (let k = 0; k < 5; k++) {
    const v = values(k);
    runs.push(await drag('explorer', slider, k % 2 ? [...v].reverse() : v, { ...LARGEST, ...setup }));
  }
  finals.push([label, runs]);
}

// "New random weights" at the largest setting: click → the new network shown. The explorer must be
// on screen: figures off screen do not compute.
await page.locator('#fig-explorer').scrollIntoViewIfNeeded();
await page.waitForFunction(() => window.explainer.figures.get('explorer').visible);
const newWeights = await page.evaluate(async () => {
  const fig = window.explainer.figures.get('explorer');
  const settled = () => new Promise((resolve) => {
    const check = () => (fig.settled() ? resolve() : setTimeout(check, 5));
    check();
  });
  fig.set({ layers: 100, width: 512, scheme: 'he-normal', activation: 'relu' });
  await settled();
  const out = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    document.querySelector('#fig-explorer [data-action="new-seed"]').click();
    await settled();
    out.push(performance.now() - t);
  }
  return out;
});

// Training: five runs of 3,000 steps, Start → done, and the explorer dragged while it trains.
const training = await (async () => {
  await page.locator('#fig-training').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.explainer.figures.get('training').visible);
  const t0 = Date.now();
  await page.click('#fig-training [data-action="train"]');
  await page.waitForFunction(() => window.explainer.figures.get('training').runtime.runs.some((r) => r.step >= 300));
  const during = await drag('explorer', 'sigma', sweep(-3, 0), { layers: 20, width: 64, scheme: 'normal', activation: 'relu' });
  await page.waitForFunction(() => document.querySelector('#fig-training .train-status').textContent.startsWith('Done'), null, { timeout: 120000 });
  return { seconds: (Date.now() - t0) / 1000, during };
})();

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
    'drawGrids: 4 grids × 65536 cells': () => m.drawGrids(c, { grids: Array.from({ length: 4 }, () => ({ values: Array.from({ length: 256 }, () => vals(256)) })) }, theme),
    'drawBoundaries: 8 panels × 100² with 5000 points': () => m.drawBoundaries(c, { panels: Array.from({ length: 8 }, () => ({ res: 100, probs: vals(10000), points: vals(15000) })) }, theme),
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
const ms = (x) => `${x.toFixed(1)} ms`;
const row = (label, r) => {
  const frame = quantile(r.frames, 0.95);
  const work = Math.max(quantile(r.handler, 0.95), r.redraws.length ? quantile(r.redraws, 0.95) : 0);
  console.log(`| ${label} | frame interval p95 ${ms(frame)}; handler p95 ${ms(quantile(r.handler, 0.95))}, redraw p95 ${ms(r.redraws.length ? quantile(r.redraws, 0.95) : 0)} (${r.redraws.length} redraws for ${r.handler.length} inputs); last input → shown ${ms(r.final)}${r.shown ? '' : ' (NOT the last value)'} | main-thread work p95 ≤ 16 ms ${work <= 16 ? 'met' : 'NOT met'} |`);
};
for (const [label, r] of timings) row(label, r);
for (const [label, runs] of finals) {
  const f = runs.map((r) => r.final);
  const shown = runs.every((r) => r.shown);
  console.log(`| last value → picture, explorer 100 × 512 × 32, ${label} (5 drags of 12 values) | median ${ms(quantile(f, 0.5))}, max ${ms(Math.max(...f))}${shown ? '' : ' (NOT the last value)'} | ≤ 500 ms ${quantile(f, 0.5) <= 500 ? 'met' : 'NOT met'} |`);
}
row('explorer σ while five runs train', training.during);
console.log(`| "New random weights" at 100 × 512 × 32 (he-normal) | median ${ms(quantile(newWeights, 0.5))}, max ${ms(Math.max(...newWeights))} | ≤ 1 s ${quantile(newWeights, 0.5) <= 1000 ? 'met' : 'NOT met'} |`);
console.log(`| training: five runs × 3,000 steps, Start → done | ${training.seconds.toFixed(1)} s | ≤ 15 s ${training.seconds <= 15 ? 'met' : 'NOT met'} |`);
const firstPlot = quantile(loads.picture, 0.5);
const pictures = loads.picture.length === 10 ? '' : ` (seen in only ${loads.picture.length} of 10 loads)`;
console.log(`| load → first plot on screen (the picture in the page's HTML; first paint ${ms(quantile(loads.fcp, 0.5))}) | median ${ms(firstPlot)}, max ${ms(Math.max(...loads.picture))}${pictures} (10 loads) | ≤ 300 ms ${firstPlot <= 300 && !pictures ? 'met' : 'NOT met'} |`);
console.log(`| load → live figure on screen (drawn by the page's WebAssembly, controls working) | median ${ms(quantile(loads.live, 0.5))}, max ${ms(Math.max(...loads.live))} | |`);
console.log(`| first-view transfer (gzip) | ${kb(total)} KB: ${transfer.map((r) => `${r.path.split('/').pop() || 'index.html'} ${kb(r.gzipBytes)}`).join(', ')} | ≤ 250 KB ${total <= 250 * 1024 ? 'met' : 'NOT met'} |`);
console.log('\nThe slowest drawing call each spec allows (canvas 1600 × 1000, scale 2):');
console.log('| call | time |');
console.log('|---|---|');
for (const [name, ms] of Object.entries(drawing)) console.log(`| ${name} | ${ms.toFixed(0)} ms |`);
