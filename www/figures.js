// The explainer's figures. Each is a plain description: its controls (with defaults and allowed
// values), its canvases, and a draw function that runs the simulator and draws with the Rust chart
// functions. `draw(wasm, state, canvases, theme)` returns the numbers behind the figure as
// `{ columns, rows, configs }` for its table and exports.

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

/** Batch size that keeps one forward pass near 2^20 multiply-adds, so sliders redraw within a frame. */
export function batchFor(layers, width) {
  return Math.max(1, Math.min(32, Math.floor(2 ** 20 / (layers * width * width))));
}

const pow10 = (v) => 10 ** v;
const seedControl = { key: 'seed', type: 'seed', label: 'Seed', default: 0 };

const SIGMAS = [1e-5, 1e-3, 1e-2, 1e-1, 0.5];
const SIGMA_NAMES = ['10⁻⁵', '10⁻³', '10⁻²', '0.1', '0.5'];

const USES_SIGMA = new Set(['normal', 'uniform', 'constant']);

/** The runs the training figure compares: key, label, and the scheme config. */
const RUNS = [
  ['zeros', 'zeros', { scheme: 'zeros' }, 'zeros'],
  ['small', 'too small (σ = 0.01)', { scheme: 'normal', sigma: 0.01 }, 'σ = 0.01'],
  ['he', 'He', { scheme: 'he-normal' }, 'He'],
  ['xavier', 'Xavier', { scheme: 'xavier-normal' }, 'Xavier'],
  ['large', 'too large (σ = 1)', { scheme: 'normal', sigma: 1 }, 'σ = 1'],
];

export const FIGURES = {
  hiking: {
    title: 'The hiking analogy',
    data: false,
    canvases: [{ name: 'hiking', wide: true, label: 'A loss landscape shaped like a sine wave that trends downward, with one walker on a hilltop and one deep in a cave.' }],
    controls: [],
    draw(wasm, state, canvases, theme) {
      wasm.drawHiking(canvases.hiking, theme);
      return null;
    },
  },

  symmetry: {
    title: 'Identical weights make identical neurons',
    canvases: [{ name: 'symmetry', label: 'Neuron outputs per layer: identical in every row with constant weights, different with random weights.' }],
    controls: [
      { key: 'scheme', type: 'select', label: "Left network's weights", default: 'constant',
        options: [['constant', 'every weight = 0.3'], ['zeros', 'every weight = 0 (bias 0.1)']] },
    ],
    draw(wasm, state, canvases, theme) {
      const left = state.scheme === 'zeros'
        ? { scheme: 'zeros', sigma: 0, bias: 0.1, title: 'every weight 0, bias 0.1' }
        : { scheme: 'constant', sigma: 0.3, bias: 0, title: 'every weight 0.3' };
      const base = { layers: 8, width: 10, trace: true };
      const a = { ...base, scheme: left.scheme, sigma: left.sigma, bias: left.bias };
      const b = { ...base, scheme: 'normal', sigma: 0.3 };
      const ra = wasm.simulate(a);
      const rb = wasm.simulate(b);
      wasm.drawGrids(canvases.symmetry, {
        grids: [{ title: left.title, values: ra.trace }, { title: 'random N(0, 0.3²)', values: rb.trace }],
      }, theme);
      return {
        configs: [a, b],
        columns: ['layer', `largest gap between neurons (${left.title})`, 'largest gap (random)'],
        rows: ra.layers.map((l, i) => [l.layer, l.neuronSpread, rb.layers[i].neuronSpread]),
      };
    },
  },

  experiment: {
    title: "The article's experiment: five values of σ",
    canvases: [{ name: 'experiment', label: 'Variance per layer on a logarithmic axis for five values of sigma; the smallest falls to about 1e-74 by layer 8.' }],
    controls: [
      { key: 'show', type: 'select', label: 'Show', default: 'both',
        options: [['both', 'Var(Z) and Var(H)'], ['pre', 'Var(Z), pre-activation'], ['post', 'Var(H), post-activation']] },
      seedControl,
    ],
    draw(wasm, state, canvases, theme) {
      const keys = state.show === 'both' ? ['preVariance', 'postVariance'] : [state.show === 'post' ? 'postVariance' : 'preVariance'];
      const configs = SIGMAS.map((sigma) => ({ sigma, seed: state.seed }));
      const runs = configs.map((c) => wasm.simulate(c));
      const series = [];
      runs.forEach((r, k) => {
        for (const key of keys) {
          const pre = key === 'preVariance';
          // Var(Z) carries dots, Var(H) is a plain line; theory is dashed for both.
          series.push({ label: pre || keys.length === 1 ? `σ = ${SIGMA_NAMES[k]}` : '', color: k, markers: pre || keys.length === 1, values: r.layers.map((l) => l[key]) });
          series.push({ label: '', color: k, dashed: true, values: r.theory.map((t) => t[key]) });
        }
      });
      if (keys.length === 2) {
        series.push({ label: 'Var(Z): line with dots', color: 6, markers: true, values: [] });
        series.push({ label: 'Var(H): plain line', color: 6, values: [] });
      }
      series.push({ label: 'theory (expected value)', color: 6, dashed: true, values: [] });
      const name = { preVariance: 'Var(Z)', postVariance: 'Var(H)' };
      wasm.drawLines(canvases.experiment, {
        xLabel: 'layer', yLabel: keys.map((k) => name[k]).join(' and '), log: true, series,
      }, theme);
      return {
        configs,
        columns: ['layer', ...keys.flatMap((key) => SIGMA_NAMES.flatMap((s) => [`${name[key]} σ=${s} measured`, `${name[key]} σ=${s} theory`]))],
        rows: runs[0].layers.map((_, i) => [i + 1, ...keys.flatMap((key) => runs.flatMap((r) => [r.layers[i][key], r.theory[i][key]]))]),
      };
    },
  },

  explorer: {
    title: 'Explore initialization',
    canvases: [
      { name: 'variance', label: 'Variance of the activations per layer, measured and predicted.' },
      { name: 'gradient', label: 'Variance of the gradient per layer, measured and predicted.' },
      { name: 'histograms', label: 'Histograms of the activations at a few layers.' },
      { name: 'fraction', label: 'Fraction of dead or saturated units per layer.' },
    ],
    presets: [
      ['zero', 'Zero', { scheme: 'zeros', activation: 'relu' }],
      ['small', 'Too small', { scheme: 'normal', activation: 'relu', sigma: -2 }],
      ['good', 'Appropriate (He)', { scheme: 'he-normal', activation: 'relu' }],
      ['large', 'Too large', { scheme: 'normal', activation: 'relu', sigma: -0.3 }],
    ],
    controls: [
      { key: 'scheme', type: 'select', label: 'Scheme', default: 'normal', options: [
        ['normal', 'normal N(0, σ²)'], ['uniform', 'uniform, std σ'], ['constant', 'constant σ'], ['zeros', 'zeros'],
        ['xavier-normal', 'Xavier normal'], ['xavier-uniform', 'Xavier uniform'], ['he-normal', 'He normal'],
        ['he-uniform', 'He uniform'], ['lecun-normal', 'LeCun normal'], ['pytorch-default', 'PyTorch Linear default'],
        ['orthogonal', 'orthogonal']] },
      { key: 'activation', type: 'select', label: 'Activation', default: 'relu', options: [
        ['relu', 'ReLU'], ['leaky-relu', 'leaky ReLU (0.01)'], ['tanh', 'tanh'], ['sigmoid', 'sigmoid'], ['linear', 'linear']] },
      { key: 'sigma', type: 'range', label: 'σ', default: -1, min: -5, max: 1, step: 0.05, show: (v) => fmt(pow10(v)),
        enabled: (s) => USES_SIGMA.has(s.scheme) },
      { key: 'layers', type: 'range', label: 'Depth', default: 20, min: 1, max: 100, step: 1 },
      { key: 'width', type: 'range', label: 'Width', default: 64, min: 1, max: 512, step: 1 },
      seedControl,
    ],
    note(state) {
      const samples = batchFor(state.layers, state.width);
      return USES_SIGMA.has(state.scheme)
        ? `Input: ${samples} random samples × ${state.width} features. σ sets the scale of this scheme.`
        : `Input: ${samples} random samples × ${state.width} features. This scheme sets its own scale from the layer sizes; σ is not used.`;
    },
    config(state) {
      return {
        scheme: state.scheme,
        activation: state.activation,
        sigma: pow10(state.sigma),
        layers: state.layers,
        width: state.width,
        seed: state.seed,
        input: { samples: batchFor(state.layers, state.width), features: state.width },
        bins: 24,
      };
    },
    draw(wasm, state, canvases, theme) {
      const config = this.config(state);
      const r = wasm.simulate(config);
      const th = r.theory;
      const markers = config.layers <= 40;
      const vSeries = [
        { label: 'Var(Z) measured', color: 0, markers, values: r.layers.map((l) => l.preVariance) },
        { label: 'Var(H) measured', color: 4, values: r.layers.map((l) => l.postVariance) },
      ];
      if (th) {
        vSeries.push({ label: 'Var(Z) theory', color: 0, dashed: true, values: th.map((x) => x.preVariance) });
        vSeries.push({ label: 'Var(H) theory', color: 4, dashed: true, values: th.map((x) => x.postVariance) });
      }
      wasm.drawLines(canvases.variance, { xLabel: 'layer', yLabel: 'variance of activations', log: true, series: vSeries }, theme);

      const gSeries = [{ label: 'Var(∂L/∂Z) measured', color: 2, markers, values: r.layers.map((l) => l.gradVariance) }];
      if (th) gSeries.push({ label: 'theory', color: 2, dashed: true, values: th.map((x) => x.gradVariance) });
      wasm.drawLines(canvases.gradient, { xLabel: 'layer', yLabel: 'variance of gradient', log: true, series: gSeries }, theme);

      const n = r.layers.length;
      const picks = [...new Set([1, 2, Math.ceil(n / 4), Math.ceil(n / 2), Math.ceil((3 * n) / 4), n])]
        .filter((k) => k >= 1 && k <= n).sort((a, b) => a - b);
      wasm.drawHistograms(canvases.histograms, {
        columns: 3,
        color: 0,
        panels: picks.map((k) => {
          const h = r.layers[k - 1].histogram;
          return { title: `layer ${k}: H`, lo: h.lo, hi: h.hi, counts: h.counts, nonFinite: h.nonFinite };
        }),
      }, theme);

      const dead = r.layers[0].deadFraction !== null;
      const sat = r.layers[0].saturatedFraction !== null;
      const fSeries = [];
      if (dead) fSeries.push({ label: 'dead ReLU units', color: 5, markers, values: r.layers.map((l) => l.deadFraction) });
      if (sat) fSeries.push({ label: 'saturated units', color: 5, markers, values: r.layers.map((l) => l.saturatedFraction) });
      if (!dead && !sat) fSeries.push({ label: `${config.activation}: no dead or saturated units`, color: 6, values: r.layers.map(() => 0) });
      wasm.drawLines(canvases.fraction, { xLabel: 'layer', yLabel: 'fraction of units', log: false, yMin: 0, yMax: 1, series: fSeries }, theme);

      return {
        configs: [config],
        columns: ['layer', 'Var(Z)', 'Var(Z) theory', 'Var(H)', 'Var(∂L/∂Z)', 'Var(∂L/∂Z) theory', dead ? 'dead fraction' : 'saturated fraction', 'Var(H) theory'],
        rows: r.layers.map((l, i) => [l.layer, l.preVariance, th ? th[i].preVariance : null, l.postVariance,
          l.gradVariance, th ? th[i].gradVariance : null, dead ? l.deadFraction : l.saturatedFraction, th ? th[i].postVariance : null]),
      };
    },
  },

  xavier: {
    title: 'Xavier normal and uniform',
    canvases: [
      { name: 'weights', label: 'Histograms of weights drawn by Xavier normal and Xavier uniform with their densities: a bell curve and a flat box of the same variance.' },
      { name: 'depth', label: 'Variance per layer of a ReLU network initialized with Xavier normal and Xavier uniform: both halve the variance at each layer.' },
    ],
    controls: [{ key: 'width', type: 'range', label: 'Layer width', default: 100, min: 2, max: 512, step: 1 }],
    draw(wasm, state, canvases, theme) {
      const n = state.width;
      const base = { layers: 1, width: n, input: { samples: 1, features: n }, seed: 1 };
      const normal = wasm.weights({ ...base, scheme: 'xavier-normal' }, 1);
      const uniform = wasm.weights({ ...base, scheme: 'xavier-uniform' }, 1);
      const variance = 2 / (n + n);
      wasm.drawWeights(canvases.weights, {
        bins: Math.max(10, Math.min(60, Math.round(n / 2))),
        samples: [
          { label: 'Xavier normal', color: 0, values: normal, kind: 'normal', param: Math.sqrt(variance) },
          { label: 'Xavier uniform', color: 1, values: uniform, kind: 'uniform', param: Math.sqrt(3 * variance) },
        ],
      }, theme);
      const layers = 30;
      const width = Math.min(n, 128);
      const depth = { layers, width, input: { samples: batchFor(layers, width), features: width }, seed: 1 };
      const cn = { ...depth, scheme: 'xavier-normal' };
      const cu = { ...depth, scheme: 'xavier-uniform' };
      const rn = wasm.simulate(cn);
      const ru = wasm.simulate(cu);
      wasm.drawLines(canvases.depth, {
        xLabel: 'layer', yLabel: `Var(Z), ReLU, width ${width}`, log: true,
        series: [
          { label: 'Xavier normal', color: 0, markers: true, values: rn.layers.map((l) => l.preVariance) },
          { label: 'Xavier uniform', color: 1, markers: true, values: ru.layers.map((l) => l.preVariance) },
          { label: 'theory', color: 6, dashed: true, values: rn.theory.map((l) => l.preVariance) },
        ],
      }, theme);
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
        configs: [{ ...base, scheme: 'xavier-normal' }, { ...base, scheme: 'xavier-uniform' }, cn, cu],
        columns: ['scheme', 'sample variance', 'target variance 2/(n_in+n_out)', 'largest |w|', 'Var(Z) at layer 30'],
        rows: [
          ['Xavier normal', vn, variance, mn, rn.layers[layers - 1].preVariance],
          ['Xavier uniform', vu, variance, mu, ru.layers[layers - 1].preVariance],
        ],
      };
    },
  },

  he: {
    title: 'He, Xavier and a fixed σ in a deep ReLU network',
    canvases: [{ name: 'he', label: 'Variance per layer of a deep ReLU network: He stays level, Xavier halves at each layer, a fixed sigma shrinks or grows geometrically.' }],
    controls: [
      { key: 'layers', type: 'range', label: 'Depth', default: 30, min: 5, max: 60, step: 1 },
      { key: 'sigma', type: 'range', label: 'Fixed σ', default: -1, min: -3, max: 0, step: 0.05, show: (v) => fmt(pow10(v)) },
    ],
    draw(wasm, state, canvases, theme) {
      const sigma = pow10(state.sigma);
      const width = 64;
      const base = { layers: state.layers, width, input: { samples: batchFor(state.layers, width), features: width }, seed: 2 };
      const cases = [
        ['He normal', { ...base, scheme: 'he-normal' }],
        ['Xavier normal', { ...base, scheme: 'xavier-normal' }],
        ['PyTorch default', { ...base, scheme: 'pytorch-default' }],
        [`fixed σ = ${fmt(sigma)}`, { ...base, scheme: 'normal', sigma }],
      ];
      const runs = cases.map(([, c]) => wasm.simulate(c));
      const series = [];
      runs.forEach((r, k) => {
        series.push({ label: cases[k][0], color: k, markers: state.layers <= 40, values: r.layers.map((l) => l.preVariance) });
        series.push({ label: '', color: k, dashed: true, values: r.theory.map((l) => l.preVariance) });
      });
      wasm.drawLines(canvases.he, { xLabel: 'layer', yLabel: 'Var(Z), ReLU, width 64', log: true, series }, theme);
      return {
        configs: cases.map(([, c]) => c),
        columns: ['layer', ...cases.map(([n]) => n)],
        rows: runs[0].layers.map((_, i) => [i + 1, ...runs.map((r) => r.layers[i].preVariance)]),
      };
    },
  },

  training: {
    title: 'Does it train? One network, five initializations',
    canvases: [
      { name: 'loss', label: 'Training loss per step for each initialization on a logarithmic axis.' },
      { name: 'boundaries', label: 'What each network predicts over the plane, with the data points on top.' },
    ],
    controls: [
      { key: 'dataset', type: 'select', label: 'Data', default: 'spiral', options: [['spiral', 'spiral'], ['moons', 'moons'], ['circles', 'circles']] },
      { key: 'activation', type: 'select', label: 'Activation', default: 'relu', options: [['relu', 'ReLU'], ['tanh', 'tanh']] },
      { key: 'layers', type: 'range', label: 'Depth', default: 20, min: 2, max: 30, step: 1 },
      { key: 'lr', type: 'range', label: 'Learning rate', default: -2, min: -3.5, max: -0.5, step: 0.05, show: (v) => fmt(pow10(v)) },
      { key: 'steps', type: 'range', label: 'Steps', default: 3000, min: 500, max: 8000, step: 500 },
      ...RUNS.map(([key, label]) => ({ key, type: 'toggle', label, default: 1 })),
      seedControl,
    ],
    setup(fig, ui, el) {
      const start = el('button', { type: 'button', 'data-action': 'train', class: 'primary', text: 'Start training' });
      const restart = el('button', { type: 'button', 'data-action': 'restart', text: 'Restart' });
      const bar = el('progress', { max: 1, value: 0, 'aria-label': 'Training progress' });
      const status = el('span', { class: 'train-status', 'aria-live': 'polite', text: 'Not started.' });
      ui.append(el('div', { class: 'train-bar' }, start, restart, bar, status));
      fig.runtime = { key: '', runs: [], running: false, start, bar, status, lastBoundary: 0 };
      start.addEventListener('click', () => (fig.runtime.running ? pause(fig) : play(fig)));
      restart.addEventListener('click', () => { reset(fig); play(fig); });
    },
    teardown(fig) {
      pause(fig);
      for (const r of fig.runtime.runs) r.trainer.free();
      fig.runtime.runs = [];
    },
    draw(wasm, state, canvases, theme, fig) {
      const rt = fig.runtime;
      if (rt.key !== runKey(state)) reset(fig);
      const step = RECORD_EVERY;
      wasm.drawLines(canvases.loss, {
        xLabel: 'training step', yLabel: 'loss (cross-entropy)', log: true, xStart: 0, xStep: step,
        series: rt.runs.map((r) => ({
          label: r.diverged ? `${r.label}: diverged at step ${r.divergedAt}` : `${r.label}: ${fmt(100 * r.accuracy)} %`,
          color: r.color, values: r.losses,
        })),
      }, theme);
      // Each draw refreshes one run's predictions (round-robin; all of them when training is not
      // running), so no frame pays for every network at once.
      const stale = rt.runs.filter((r) => r.probsStep !== r.step || !r.probs);
      for (const r of rt.running ? stale.slice(0, 1) : stale) {
        r.probs = r.trainer.boundary(RES);
        r.probsStep = r.step;
      }
      const now = performance.now();
      if (!rt.running || now - rt.lastBoundary > 250) {
        rt.lastBoundary = now;
        rt.points ??= rt.runs[0]?.trainer.points() ?? [];
        wasm.drawBoundaries(canvases.boundaries, {
          // Five across on a wide screen, three on a phone.
          columns: Math.min(canvases.boundaries.width / (window.devicePixelRatio || 1) < 600 ? 3 : 5, Math.max(1, rt.runs.length)),
          panels: rt.runs.map((r) => ({
            title: r.diverged ? `${r.short}: diverged` : `${r.short}: ${fmt(100 * r.accuracy)} %`,
            res: RES, probs: r.probs, points: rt.points, alarm: r.diverged,
          })),
        }, theme);
      }
      return {
        configs: rt.runs.map((r) => r.config),
        columns: ['initialization', 'steps', 'loss', 'accuracy', 'status', 'largest gap between neurons'],
        // The neuron spread needs a pass over the whole data set: only when training is not running.
        rows: rt.runs.map((r) => [r.label, r.step, r.loss, r.accuracy, r.diverged ? 'diverged' : 'finite', rt.running ? null : r.trainer.neuronSpread()]),
      };
    },
  },
};

// ---------------------------------------------------------------- training runtime

const RECORD_EVERY = 50;
const CHUNK = 10;
const RES = 26;
let wasmForTraining = null;

export function setTrainingModule(wasm) {
  wasmForTraining = wasm;
}

function runKey(state) {
  return JSON.stringify([state.dataset, state.activation, state.layers, state.lr, state.seed, ...RUNS.map(([k]) => state[k])]);
}

function reset(fig) {
  const rt = fig.runtime;
  const wasm = wasmForTraining;
  pause(fig);
  for (const r of rt.runs) r.trainer.free();
  const s = fig.state;
  rt.key = runKey(s);
  rt.runs = RUNS.map(([key, label, scheme, short], k) => ({ key, label, short, scheme, color: [6, 4, 0, 1, 5][k] }))
    .filter((r) => s[r.key] === 1)
    .map((r) => {
      const config = { dataset: s.dataset, activation: s.activation, layers: s.layers, width: 16, lr: pow10(s.lr), seed: s.seed, ...r.scheme };
      const trainer = new wasm.Trainer(config);
      const p = trainer.progress();
      // A run whose very first outputs overflow has diverged before it started.
      return { ...r, config, trainer, losses: p.diverged ? [] : [p.loss], step: 0, loss: p.loss, accuracy: p.accuracy, diverged: p.diverged, divergedAt: 0 };
    });
  rt.lastBoundary = 0;
  rt.points = null;
  rt.next = 0;
  status(fig);
}

function status(fig) {
  const rt = fig.runtime;
  const done = Math.min(...rt.runs.map((r) => (r.diverged ? fig.state.steps : r.step)), fig.state.steps);
  rt.bar.value = rt.runs.length ? done / fig.state.steps : 0;
  rt.start.textContent = rt.running ? 'Pause' : done > 0 && done < fig.state.steps ? 'Resume' : done >= fig.state.steps ? 'Train further' : 'Start training';
  rt.status.textContent = rt.running ? `Training… step ${done} of ${fig.state.steps}` : done >= fig.state.steps ? `Done: ${done} steps.` : done > 0 ? `Paused at step ${done}.` : 'Not started.';
}

function pause(fig) {
  fig.runtime.running = false;
  status(fig);
}

/** Trains in slices of at most 8 ms per animation frame, so the page stays responsive. */
function play(fig) {
  const rt = fig.runtime;
  if (rt.running) return;
  if (rt.key !== runKey(fig.state)) reset(fig);
  if (rt.runs.every((r) => r.diverged || r.step >= fig.state.steps)) {
    fig.set({ steps: Math.min(8000, fig.state.steps + 1000) }, { commit: true });
  }
  rt.running = true;
  const tick = () => {
    if (!rt.running) return;
    // Round-robin chunks of 10 steps (a few milliseconds each) until 8 ms of this frame are used.
    const t0 = performance.now();
    let busy = true;
    while (busy && performance.now() - t0 < 8) {
      busy = false;
      // Start each pass where the last one stopped, so every run gets its turn.
      for (let k = 0; k < rt.runs.length; k++) {
        const r = rt.runs[(rt.next + k) % rt.runs.length];
        if (r.diverged || r.step >= fig.state.steps) continue;
        busy = true;
        r.trainer.train(CHUNK);
        r.step += CHUNK;
        if (r.step % RECORD_EVERY === 0) {
          const p = r.trainer.progress();
          r.loss = p.loss;
          r.accuracy = p.accuracy;
          if (p.diverged) {
            r.diverged = true;
            r.divergedAt = p.step;
          } else {
            r.losses.push(p.loss);
          }
        }
        if (performance.now() - t0 >= 8) {
          rt.next = (rt.next + k + 1) % rt.runs.length;
          break;
        }
      }
    }
    if (!busy) rt.running = false;
    status(fig);
    fig.request();
    if (rt.running) requestAnimationFrame(tick);
  };
  status(fig);
  requestAnimationFrame(tick);
}
