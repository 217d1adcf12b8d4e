// The page's figures: reads the controls, runs the simulator and draws with the Rust chart
// functions. Each figure redraws only while it is on screen; off-screen changes wait until it
// scrolls into view.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

let wasm = null;
const figures = new Map();

// ---------------------------------------------------------------- formatting

/** A number for labels and tables: 3 significant digits, exponent form when tiny or huge. */
export function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2).replace('e-', 'e−').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

const sigmaOf = (slider) => 10 ** Number(slider.value);

/** A seed from a number box: a whole number from 0 to 999999 whatever was typed. */
function seedOf(input) {
  const v = Math.floor(Number(input.value));
  return Number.isFinite(v) ? Math.min(999999, Math.max(0, v)) : 0;
}

// ---------------------------------------------------------------- drawing plumbing

function theme() {
  return {
    dark: window.matchMedia('(prefers-color-scheme: dark)').matches,
    scale: window.devicePixelRatio || 1,
  };
}

/** Sizes the canvas's backing store to its CSS size × devicePixelRatio, so lines stay sharp. */
function fit(canvas) {
  const rect = canvas.getBoundingClientRect();
  const s = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(rect.width * s));
  const h = Math.max(1, Math.round(rect.height * s));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return canvas;
}

function canvas(name) {
  return fit($(`canvas[data-figure="${name}"]`));
}

/** Batch size that keeps one forward pass near 2^20 multiply-adds, so sliders redraw within a frame. */
function batchFor(layers, width) {
  return Math.max(1, Math.min(32, Math.floor(2 ** 20 / (layers * width * width))));
}

function showError(fig, error) {
  let status = $('.status', fig.element);
  if (!status) {
    status = document.createElement('p');
    status.className = 'status error';
    status.setAttribute('role', 'status');
    fig.element.append(status);
  }
  status.textContent = error ? `This figure could not be drawn: ${error.message ?? error}` : '';
  status.hidden = !error;
}

/** Registers a figure: `draw()` returns the table behind it ({ columns, rows }). */
function figure(id, draw) {
  const element = document.getElementById(id);
  if (!element) return;
  const fig = { id, element, draw, visible: false, dirty: true, table: null };
  figures.set(id, fig);
  const details = $('details.numbers', element);
  if (details) details.addEventListener('toggle', () => renderTable(fig));
}

function render(fig) {
  fig.dirty = false;
  try {
    fig.table = fig.draw();
    showError(fig, null);
    fig.element.dataset.drawn = String((Number(fig.element.dataset.drawn) || 0) + 1);
  } catch (e) {
    showError(fig, e);
    console.warn(e);
  }
  renderTable(fig);
  if (performance.getEntriesByName('first-plot').length === 0) performance.mark('first-plot');
}

/** Redraws now if on screen; otherwise when it next scrolls into view. */
function request(id) {
  const fig = figures.get(id);
  if (!fig || !wasm) return;
  if (fig.visible) render(fig);
  else fig.dirty = true;
}

function renderTable(fig) {
  const details = $('details.numbers', fig.element);
  if (!details || !details.open || !fig.table) return;
  const slot = $('.table-slot', details);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const c of fig.table.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of fig.table.rows) {
    const tr = body.insertRow();
    row.forEach((v, i) => {
      const cell = i === 0 ? document.createElement('th') : tr.insertCell();
      if (i === 0) { cell.scope = 'row'; tr.append(cell); }
      cell.textContent = typeof v === 'number' ? fmt(v) : v;
      if (typeof v === 'number') cell.className = 'num';
    });
  }
  slot.replaceChildren(table);
}

// ---------------------------------------------------------------- the figures

const SIGMAS = [1e-5, 1e-3, 1e-2, 1e-1, 0.5];
const SIGMA_NAMES = ['10⁻⁵', '10⁻³', '10⁻²', '0.1', '0.5'];

function drawHikingFigure() {
  wasm.drawHiking(canvas('hiking'), theme());
  return null;
}

function drawSymmetry() {
  const which = $('[data-control="symmetry-scheme"]').value;
  const left = which === 'zeros'
    ? { scheme: 'zeros', bias: 0.1, title: 'every weight 0, bias 0.1' }
    : { scheme: 'constant', sigma: 0.3, title: 'every weight 0.3' };
  const base = { layers: 8, width: 10, trace: true };
  const a = wasm.simulate({ ...base, scheme: left.scheme, sigma: left.sigma ?? 0, bias: left.bias ?? 0 });
  const b = wasm.simulate({ ...base, scheme: 'normal', sigma: 0.3 });
  wasm.drawGrids(canvas('symmetry'), {
    grids: [
      { title: left.title, values: a.trace },
      { title: 'random N(0, 0.3²)', values: b.trace },
    ],
  }, theme());
  return {
    columns: ['layer', `largest gap between neurons (${left.title})`, 'largest gap (random)'],
    rows: a.layers.map((l, i) => [String(l.layer), l.neuronSpread, b.layers[i].neuronSpread]),
  };
}

function drawExperiment() {
  const show = $('[data-control="experiment-show"]').value;
  const seed = seedOf($('[data-control="experiment-seed"]'));
  const key = show === 'post' ? 'postVariance' : 'preVariance';
  const runs = SIGMAS.map((sigma) => wasm.simulate({ sigma, seed }));
  const series = [];
  runs.forEach((r, k) => {
    series.push({ label: `σ = ${SIGMA_NAMES[k]}`, color: k, markers: true, values: r.layers.map((l) => l[key]) });
    series.push({ label: '', color: k, dashed: true, values: r.theory.map((t) => t[key]) });
  });
  series.push({ label: 'theory (expected value)', color: 6, dashed: true, values: [] });
  wasm.drawLines(canvas('experiment'), {
    xLabel: 'layer',
    yLabel: show === 'post' ? 'Var(H)' : 'Var(Z)',
    log: true,
    series,
  }, theme());
  return {
    columns: ['layer', ...SIGMA_NAMES.flatMap((s) => [`σ=${s} measured`, `σ=${s} theory`])],
    rows: runs[0].layers.map((_, i) => [String(i + 1), ...runs.flatMap((r) => [r.layers[i][key], r.theory[i][key]])]),
  };
}

// Explorer ------------------------------------------------------------------

const EXPLORER_DEFAULTS = { scheme: 'normal', activation: 'relu', sigma: -1, layers: 20, width: 64, seed: 0 };
const PRESETS = {
  zero: { scheme: 'zeros', activation: 'relu' },
  small: { scheme: 'normal', activation: 'relu', sigma: -2 },
  good: { scheme: 'he-normal', activation: 'relu' },
  large: { scheme: 'normal', activation: 'relu', sigma: -0.3 }, // σ ≈ 0.5 on the slider's 0.05-decade steps
};
const USES_SIGMA = new Set(['normal', 'uniform', 'constant']);

function control(name) {
  return $(`[data-control="${name}"]`);
}

function explorerConfig() {
  const layers = Number(control('layers').value);
  const width = Number(control('width').value);
  const samples = batchFor(layers, width);
  return {
    scheme: control('scheme').value,
    activation: control('activation').value,
    sigma: sigmaOf(control('sigma')),
    layers,
    width,
    seed: seedOf(control('seed')),
    input: { samples, features: width },
    bins: 24,
  };
}

function syncExplorerLabels() {
  const c = explorerConfig();
  $('[data-show="sigma"]').textContent = fmt(c.sigma);
  $('[data-show="layers"]').textContent = String(c.layers);
  $('[data-show="width"]').textContent = String(c.width);
  control('sigma').disabled = !USES_SIGMA.has(c.scheme);
  control('sigma').setAttribute('aria-valuetext', `σ = ${fmt(c.sigma)}`);
  for (const b of $$('[data-preset]')) {
    const p = PRESETS[b.dataset.preset];
    const same = p.scheme === c.scheme && p.activation === c.activation &&
      (p.sigma === undefined || Math.abs(p.sigma - Number(control('sigma').value)) < 1e-9);
    b.setAttribute('aria-pressed', String(same));
  }
  const note = USES_SIGMA.has(c.scheme)
    ? `Input: ${c.input.samples} random samples × ${c.width} features. σ sets the scale of this scheme.`
    : `Input: ${c.input.samples} random samples × ${c.width} features. This scheme sets its own scale from the layer sizes; σ is not used.`;
  $('[data-show="explorer-note"]').textContent = note;
}

function drawExplorer() {
  const config = explorerConfig();
  const r = wasm.simulate(config);
  const th = r.theory;
  const t = theme();
  const pre = r.layers.map((l) => l.preVariance);
  const post = r.layers.map((l) => l.postVariance);
  const vSeries = [
    { label: 'Var(Z) measured', color: 0, markers: config.layers <= 40, values: pre },
    { label: 'Var(H) measured', color: 4, values: post },
  ];
  if (th) {
    vSeries.push({ label: 'Var(Z) theory', color: 0, dashed: true, values: th.map((x) => x.preVariance) });
  }
  wasm.drawLines(canvas('explorer-variance'), { xLabel: 'layer', yLabel: 'variance of activations', log: true, series: vSeries }, t);

  const gSeries = [{ label: 'Var(∂L/∂Z) measured', color: 2, markers: config.layers <= 40, values: r.layers.map((l) => l.gradVariance) }];
  if (th) gSeries.push({ label: 'theory', color: 2, dashed: true, values: th.map((x) => x.gradVariance) });
  wasm.drawLines(canvas('explorer-gradient'), { xLabel: 'layer', yLabel: 'variance of gradient', log: true, series: gSeries }, t);

  const n = r.layers.length;
  const picks = [...new Set([1, Math.ceil(n / 4), Math.ceil(n / 2), Math.ceil((3 * n) / 4), n])].filter((k) => k >= 1);
  while (picks.length < 6 && picks.length < n) {
    const extra = [2, n - 1, 3].find((k) => k >= 1 && k <= n && !picks.includes(k));
    if (extra === undefined) break;
    picks.push(extra);
  }
  picks.sort((a, b) => a - b);
  wasm.drawHistograms(canvas('explorer-histograms'), {
    columns: 3,
    color: 0,
    panels: picks.map((k) => {
      const h = r.layers[k - 1].histogram;
      return { title: `layer ${k}: H`, lo: h.lo, hi: h.hi, counts: h.counts, nonFinite: h.nonFinite };
    }),
  }, t);

  const dead = r.layers[0].deadFraction !== null;
  const sat = r.layers[0].saturatedFraction !== null;
  const fSeries = [];
  if (dead) fSeries.push({ label: 'dead ReLU units', color: 5, markers: config.layers <= 40, values: r.layers.map((l) => l.deadFraction) });
  if (sat) fSeries.push({ label: 'saturated units', color: 5, markers: config.layers <= 40, values: r.layers.map((l) => l.saturatedFraction) });
  if (!dead && !sat) fSeries.push({ label: `${config.activation}: no dead or saturated units`, color: 6, values: r.layers.map(() => 0) });
  wasm.drawLines(canvas('explorer-fraction'), { xLabel: 'layer', yLabel: 'fraction of units', log: false, yMin: 0, yMax: 1, series: fSeries }, t);

  return {
    columns: ['layer', 'Var(Z)', 'Var(Z) theory', 'Var(H)', 'Var(∂L/∂Z)', 'Var(∂L/∂Z) theory', dead ? 'dead' : 'saturated'],
    rows: r.layers.map((l, i) => [String(l.layer), l.preVariance, th ? th[i].preVariance : null, l.postVariance,
      l.gradVariance, th ? th[i].gradVariance : null, dead ? l.deadFraction : l.saturatedFraction]),
  };
}

function setExplorer(values) {
  for (const [k, v] of Object.entries(values)) {
    const el = control(k);
    if (el) el.value = String(v);
  }
  syncExplorerLabels();
  request('fig-explorer');
}

// Xavier ----------------------------------------------------------------------

function drawXavier() {
  const n = Number(control('xavier-width').value);
  $('[data-show="xavier-width"]').textContent = String(n);
  const base = { layers: 1, width: n, input: { samples: 1, features: n }, seed: 1 };
  const normal = wasm.weights({ ...base, scheme: 'xavier-normal' }, 1);
  const uniform = wasm.weights({ ...base, scheme: 'xavier-uniform' }, 1);
  const variance = 2 / (n + n);
  wasm.drawWeights(canvas('xavier-weights'), {
    bins: Math.max(10, Math.min(60, Math.round(Math.sqrt(n * n) / 2))),
    samples: [
      { label: 'Xavier normal', color: 0, values: normal, kind: 'normal', param: Math.sqrt(variance) },
      { label: 'Xavier uniform', color: 1, values: uniform, kind: 'uniform', param: Math.sqrt(3 * variance) },
    ],
  }, theme());
  const layers = 30;
  const width = Math.min(n, 128);
  const depth = { layers, width, input: { samples: batchFor(layers, width), features: width }, seed: 1 };
  const rn = wasm.simulate({ ...depth, scheme: 'xavier-normal' });
  const ru = wasm.simulate({ ...depth, scheme: 'xavier-uniform' });
  wasm.drawLines(canvas('xavier-depth'), {
    xLabel: 'layer', yLabel: `Var(Z), ReLU, width ${width}`, log: true,
    series: [
      { label: 'Xavier normal', color: 0, markers: true, values: rn.layers.map((l) => l.preVariance) },
      { label: 'Xavier uniform', color: 1, markers: true, values: ru.layers.map((l) => l.preVariance) },
      { label: 'theory', color: 6, dashed: true, values: rn.theory.map((l) => l.preVariance) },
    ],
  }, theme());
  const stats = (w) => {
    let m = 0;
    for (const x of w) m += x;
    m /= w.length;
    let v = 0;
    let max = 0;
    for (const x of w) { v += (x - m) ** 2; max = Math.max(max, Math.abs(x)); }
    return [v / w.length, max];
  };
  const [vn, mn] = stats(normal);
  const [vu, mu] = stats(uniform);
  return {
    columns: ['scheme', 'sample variance', 'target variance 2/(n_in+n_out)', 'largest |w|', 'Var(Z) at layer 30'],
    rows: [
      ['Xavier normal', vn, variance, mn, rn.layers[layers - 1].preVariance],
      ['Xavier uniform', vu, variance, mu, ru.layers[layers - 1].preVariance],
    ],
  };
}

// He ----------------------------------------------------------------------------

function drawHe() {
  const layers = Number(control('he-layers').value);
  const sigma = sigmaOf(control('he-sigma'));
  $('[data-show="he-layers"]').textContent = String(layers);
  $('[data-show="he-sigma"]').textContent = fmt(sigma);
  const width = 64;
  const base = { layers, width, input: { samples: batchFor(layers, width), features: width }, seed: 2 };
  const cases = [
    ['He normal', { scheme: 'he-normal' }],
    ['Xavier normal', { scheme: 'xavier-normal' }],
    ['PyTorch default', { scheme: 'pytorch-default' }],
    [`fixed σ = ${fmt(sigma)}`, { scheme: 'normal', sigma }],
  ];
  const runs = cases.map(([, c]) => wasm.simulate({ ...base, ...c }));
  const series = [];
  runs.forEach((r, k) => {
    series.push({ label: cases[k][0], color: k, markers: layers <= 40, values: r.layers.map((l) => l.preVariance) });
    series.push({ label: '', color: k, dashed: true, values: r.theory.map((l) => l.preVariance) });
  });
  wasm.drawLines(canvas('he'), { xLabel: 'layer', yLabel: 'Var(Z), ReLU, width 64', log: true, series }, theme());
  return {
    columns: ['layer', ...cases.map(([n]) => n)],
    rows: runs[0].layers.map((_, i) => [String(i + 1), ...runs.map((r) => r.layers[i].preVariance)]),
  };
}

// ---------------------------------------------------------------- wiring

function wire() {
  figure('fig-hiking', drawHikingFigure);
  figure('fig-symmetry', drawSymmetry);
  figure('fig-experiment', drawExperiment);
  figure('fig-explorer', drawExplorer);
  figure('fig-xavier', drawXavier);
  figure('fig-he', drawHe);

  const on = (sel, event, fn) => $$(sel).forEach((el) => el.addEventListener(event, fn));
  on('[data-control="symmetry-scheme"]', 'change', () => request('fig-symmetry'));
  on('[data-control^="experiment-"]', 'input', () => request('fig-experiment'));
  $('[data-action="experiment-new-seed"]').addEventListener('click', () => {
    control('experiment-seed').value = String(Math.floor(Math.random() * 1e6));
    request('fig-experiment');
  });
  for (const name of ['scheme', 'activation', 'sigma', 'layers', 'width', 'seed']) {
    control(name).addEventListener('input', () => { syncExplorerLabels(); request('fig-explorer'); });
  }
  $('[data-action="new-seed"]').addEventListener('click', () => setExplorer({ seed: Math.floor(Math.random() * 1e6) }));
  $('[data-action="reset"]').addEventListener('click', () => setExplorer(EXPLORER_DEFAULTS));
  for (const b of $$('[data-preset]')) {
    b.addEventListener('click', () => setExplorer({ sigma: EXPLORER_DEFAULTS.sigma, ...PRESETS[b.dataset.preset] }));
  }
  control('xavier-width').addEventListener('input', () => request('fig-xavier'));
  on('[data-control^="he-"]', 'input', () => request('fig-he'));
  syncExplorerLabels();

  // Draw figures as they come into view; redraw on resize and when the colour scheme changes.
  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const fig = figures.get(e.target.id);
      if (!fig) continue;
      fig.visible = e.isIntersecting;
      if (fig.visible && fig.dirty) render(fig);
    }
  }, { rootMargin: '200px 0px' });
  let pending = false;
  const redrawAll = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      for (const id of figures.keys()) request(id);
    });
  };
  const ro = new ResizeObserver(redrawAll);
  for (const fig of figures.values()) {
    // Figures already on screen draw now rather than a frame later, when the observer first reports.
    const r = fig.element.getBoundingClientRect();
    if (r.bottom > -200 && r.top < window.innerHeight + 200) {
      fig.visible = true;
      render(fig);
    }
    io.observe(fig.element);
    for (const c of $$('canvas', fig.element)) ro.observe(c);
  }
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redrawAll);
  document.documentElement.dataset.ready = 'true';
}

function start(bindings) {
  if (wasm) return;
  wasm = bindings;
  window.explainer = { figures, fmt };
  wire();
}

if (window.wasmBindings) start(window.wasmBindings);
else window.addEventListener('TrunkApplicationStarted', () => start(window.wasmBindings));
