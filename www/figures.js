// The explainer's figures. Each is a plain description: its controls (with defaults and allowed
// values), its canvases, a `compute(simulator, state)` that runs in a worker and a `draw` that draws
// its result with the Rust chart functions, and `embedHeight`, the CSS height its embed view needs
// in a 360 px column (the tallest), measured and rounded up. `draw(wasm, state, canvases, theme,
// fig, data)` returns the numbers behind the figure as `{ columns, rows, configs }` for its table and
// exports. A figure with `module: 'deeper'` computes with the second WebAssembly module
// (src/deeper.js), which its worker loads when the figure first asks.

import { schema } from '../simulator.js';
import { TRAINING } from './training.js';
import { EDGE } from './edge.js';
import { ATTENTION, ISOMETRY, RESIDUAL } from './modern.js';
import { SAMPLES, fmt, named, pow10, seedControl } from './format.js';

export { fmt };

// The article's five values of σ, and σ = 1 to show a network that explodes in every draw.
const SIGMAS = [1e-5, 1e-3, 1e-2, 1e-1, 0.5, 1];
const SIGMA_NAMES = ['10⁻⁵', '10⁻³', '10⁻²', '0.1', '0.5', '1'];

/**
 * The explorer's default seed: a typical draw with He weights (its Var(Z) at layer 20 over the
 * expectation lies in the middle of 10,000 draws', checked by tests/prose.rs), so that the
 * "Appropriate (He)" preset shows what most networks do.
 */
const EXPLORER_SEED = 42;

/** He's σ for the first figure's network, 64 wide: √(2/64). */
const INTRO_HE = Math.sqrt(2 / 64);

/** Whether a scheme's scale is σ (the others set theirs from the layer sizes). */
const usesSigma = (scheme) => schema().names.sigmaSchemes.includes(scheme);


// Inputs the symmetry figure offers: no input can make identical neurons differ.
const SYMMETRY_INPUTS = {
  article: ['x = [1, 2, 3, 4, 5]', [1, 2, 3, 4, 5]],
  mixed: ['x = [−3, 0.5, 2, −1, 4]', [-3, 0.5, 2, -1, 4]],
  large: ['x = [100, −50, 20, 0, 7]', [100, -50, 20, 0, 7]],
  random: ['random N(0, 1), 5 features (from the seed)', { samples: 1, features: 5 }],
};

/** Draws behind the experiment figure's median and band (the prose's numbers use 20,000). */
export const EXPERIMENT_DRAWS = 10000;
/** The experiment's one network: a typical draw at every σ (tests/prose.rs checks it). */
export const EXPERIMENT_SEED = 5;

/** The p-quantile of `xs` (sorted in place), the nearest rank. */
function quantile(xs, p) {
  xs.sort((a, b) => a - b);
  return xs[Math.round((xs.length - 1) * p)];
}

/** The spread figure shows its draws' median and band from this many networks on. */
const SPREAD_BAND = 100;
/** Weights the spread figure's networks draw at most, together (under a second in a worker):
 * enough for a measured band at the text's 100 × 64. */
const SPREAD_BUDGET = 2 ** 26;

/**
 * How many networks the spread figure simulates: 400 while they fit in its budget; past it, a
 * few drawn as single lines (at 100 × 512 one network holds 26 million weights).
 */
export function spreadNetworks({ layers, width }) {
  const fit = Math.floor(SPREAD_BUDGET / (layers * width * width));
  return fit >= SPREAD_BAND ? Math.min(400, fit) : Math.max(1, Math.min(5, fit));
}

/** A per-layer factor for a panel title: 5e−10, 0.05, 1.25. */
const compact = (v) => (v < 1e-3 ? v.toExponential(0).replace('e-', 'e−') : fmt(v));

export const FIGURES = {
  intro: {
    title: 'The signal through 50 layers, for a spread σ of your choice',
    embedHeight: 840,
    canvases: [{ name: 'intro', wide: true, label: 'Variance of the pre-activations at each of 50 ReLU layers, one network and the average, for the chosen σ.' }],
    // The slider moves log₁₀(σ / He's σ) in steps of 0.01, so that a step lands exactly on He's
    // σ = √(2/64) (marked on the slider, and one button away); PageUp moves 0.2, two presses from
    // the start.
    presets: [['he', "He's σ", { ratio: 0 }]],
    controls: [
      { key: 'ratio', type: 'range', label: 'σ', default: -0.4, min: -1.2, max: 0.8, step: 0.01,
        show: (v) => `${fmt(INTRO_HE * pow10(v))} (${v === 0 ? "He's" : `${fmt(pow10(v))} × He's`})`,
        mark: { value: 0, label: `He: ${fmt(INTRO_HE)}` } },
    ],
    config(state) {
      return { scheme: 'normal', sigma: INTRO_HE * pow10(state.ratio), layers: 50, width: 64, input: { samples: SAMPLES, features: 64 }, bins: 1 };
    },
    // Only what the chart draws: the page ships the default picture's numbers in its HTML (see
    // scripts/trunk-post-build.mjs), so they are kept small.
    compute(sim, state) {
      const config = this.config(state);
      const r = sim.simulate(config);
      return {
        config,
        measured: r.layers.map((l) => l.preVariance),
        expected: r.theory.map((t) => t.preVariance),
        he: Math.sqrt(sim.weightVariance({ ...config, scheme: 'he-normal' }, 2)),
      };
    },
    draw(wasm, state, canvases, theme, fig, { config, measured, expected, he }) {
      const n = measured.length;
      wasm.drawLines(canvases.intro, {
        xLabel: 'layer', yLabel: 'Var(Z)', log: true,
        series: [
          { label: `σ = ${fmt(config.sigma)}: one network`, color: 0, values: measured },
          { label: 'average over networks', color: 0, dashed: true, values: expected },
        ],
      }, theme);
      const words = config.sigma < he * 0.97 ? 'fades away' : config.sigma > he * 1.03 ? 'blows up' : 'stays level';
      return {
        summaries: {
          intro: `With σ = ${fmt(config.sigma)} (He's is ${fmt(he)}) the signal ${words}: Var(Z) goes from ${fmt(measured[0])} at layer 1 to ${fmt(measured[n - 1])} at layer ${n}.`,
        },
        configs: [config],
        columns: ['layer', 'Var(Z)', 'Var(Z) expected'],
        rows: measured.map((v, i) => [i + 1, v, expected[i]]),
      };
    },
  },

  hiking: {
    title: 'The hiking analogy',
    embedHeight: 580,
    data: false,
    canvases: [{ name: 'hiking', wide: true, label: 'A loss curve over one weight: a walker on a flat plateau barely moves, while a walker on a slope reaches the valley in the same number of gradient-descent steps.' }],
    controls: [],
    draw(wasm, state, canvases, theme) {
      wasm.drawHiking(canvases.hiking, theme);
      return null;
    },
  },

  symmetry: {
    title: 'Identical weights make identical neurons',
    embedHeight: 900,
    canvases: [{ name: 'symmetry', label: 'Neuron outputs per layer: identical in every row with constant weights, different with random weights.' }],
    controls: [
      { key: 'scheme', type: 'select', label: "Left network's weights", default: 'constant',
        options: [['constant', 'every weight = 0.3'], ['zeros', 'every weight = 0 (bias 0.1)']] },
      { key: 'input', type: 'select', label: 'Input', default: 'article',
        options: Object.entries(SYMMETRY_INPUTS).map(([key, [label]]) => [key, label]) },
      seedControl,
    ],
    networks(state) {
      const left = state.scheme === 'zeros'
        ? { scheme: 'zeros', sigma: 0, bias: 0.1, title: 'every weight 0, bias 0.1' }
        : { scheme: 'constant', sigma: 0.3, bias: 0, title: 'every weight 0.3' };
      const input = (SYMMETRY_INPUTS[state.input] ?? SYMMETRY_INPUTS.article)[1];
      const base = { layers: 8, width: 10, trace: true, input, seed: state.seed };
      const a = { ...base, scheme: left.scheme, sigma: left.sigma, bias: left.bias };
      const b = { ...base, scheme: 'normal', sigma: 0.3 };
      return { left, a, b };
    },
    codes(state) {
      const { left, a, b } = this.networks(state);
      return [[`left: ${left.title}`, a], ['right: random N(0, 0.3²)', b]];
    },
    compute(sim, state) {
      const { left, a, b } = this.networks(state);
      return { left, a, b, ra: sim.simulate(a), rb: sim.simulate(b) };
    },
    draw(wasm, state, canvases, theme, fig, { left, a, b, ra, rb }) {
      wasm.drawGrids(canvases.symmetry, {
        grids: [{ title: left.title, values: ra.trace }, { title: 'random N(0, 0.3²)', values: rb.trace }],
      }, theme);
      const gap = Math.max(...ra.layers.map((l) => l.neuronSpread));
      return {
        summaries: {
          symmetry: `Largest difference between two neurons of a layer: ${fmt(gap)} with ${left.title}, ${fmt(Math.max(...rb.layers.map((l) => l.neuronSpread)))} with random weights.`,
        },
        configs: [a, b],
        columns: ['layer', `largest gap between neurons (${left.title})`, 'largest gap (random)'],
        rows: ra.layers.map((l, i) => [l.layer, l.neuronSpread, rb.layers[i].neuronSpread]),
      };
    },
  },

  experiment: {
    title: "The article's experiment: six values of σ",
    embedHeight: 1600,
    canvases: [{ name: 'experiment', label: 'Variance per layer for six values of sigma, one panel each with its own logarithmic axis.' }],
    controls: [
      { key: 'view', type: 'select', label: 'Draws', default: 'many',
        options: [['many', `median and 10–90 % of ${EXPERIMENT_DRAWS.toLocaleString('en')} draws`], ['one', 'one network (the seed below)']] },
      { key: 'show', type: 'select', label: 'Show', default: 'both',
        options: [['both', 'Var(Z) and Var(H)'], ['pre', 'Var(Z), pre-activation'], ['post', 'Var(H), post-activation']] },
      // Seed 5 is a typical draw at every σ (tests/prose.rs checks it); seed 0 ends far below.
      { ...seedControl, default: EXPERIMENT_SEED, enabled: (s) => s.view === 'one' },
    ],
    codes(state) {
      // In the many-draws view the NumPy script summarises as many networks as the figure does.
      const options = state.view === 'one' ? {} : { draws: EXPERIMENT_DRAWS };
      return SIGMAS.map((sigma, k) => [`σ = ${SIGMA_NAMES[k]}`, { sigma, seed: state.seed }, 'frameworkCode', options]);
    },
    compute(sim, state) {
      const configs = this.codes(state).map(([, c]) => c);
      if (state.view === 'one') return { configs, runs: configs.map((c) => sim.simulate(c)) };
      // Many draws: per σ and layer, the median and the 10 % and 90 % quantiles over seeds
      // 0 … EXPERIMENT_DRAWS − 1, beside the expectation (the same for every seed).
      // Seed by seed, σ after σ: a ReLU network without biases differs between σs by a scale
      // alone, which the simulator applies to the network it keeps instead of running it again.
      const keys = ['preVariance', 'postVariance'];
      const per = SIGMAS.map(() => keys.map(() => Array.from({ length: 8 }, () => new Float64Array(EXPERIMENT_DRAWS))));
      const theory = SIGMAS.map(() => null);
      for (let seed = 0; seed < EXPERIMENT_DRAWS; seed++) {
        SIGMAS.forEach((sigma, s) => {
          const r = sim.simulate({ sigma, seed, bins: 1 });
          theory[s] ??= r.theory;
          r.layers.forEach((l, i) => keys.forEach((key, k) => { per[s][k][i][seed] = l[key]; }));
        });
      }
      const runs = SIGMAS.map((_, s) => ({
        theory: theory[s],
        layers: per[s][0].map((_, i) => Object.fromEntries(keys.flatMap((key, k) => [
          [key, quantile(per[s][k][i], 0.5)], [`${key}10`, quantile(per[s][k][i], 0.1)], [`${key}90`, quantile(per[s][k][i], 0.9)]]))),
      }));
      return { configs: configs.map((c) => ({ ...c, seed: `0 to ${EXPERIMENT_DRAWS - 1}` })), runs, many: true };
    },
    draw(wasm, state, canvases, theme, fig, { configs, runs, many }) {
      const keys = state.show === 'both' ? ['preVariance', 'postVariance'] : [state.show === 'post' ? 'postVariance' : 'preVariance'];
      const name = { preVariance: 'Var(Z)', postVariance: 'Var(H)' };
      const drawn = many ? 'median of draws' : 'this draw';
      // One panel per σ, each with its own range, so a rise of ×1.25 per layer is as visible as a
      // fall of ×10⁻¹⁰. Var(Z) carries dots, Var(H) is plain; theory is dashed in the same colour;
      // with many draws, thin lines mark where 10 % and 90 % of them lie.
      const panels = runs.map((r, k) => {
        const ratio = r.theory[1].preVariance / r.theory[0].preVariance;
        const series = keys.flatMap((key) => {
          const color = key === 'preVariance' ? 0 : 1;
          const band = many
            ? [{ label: `${name[key]}, 10 % and 90 %`, color, width: 1, values: r.layers.map((l) => l[`${key}10`]) },
              { label: '', color, width: 1, values: r.layers.map((l) => l[`${key}90`]) }]
            : [];
          return [
            { label: `${name[key]}, ${drawn}`, color, markers: key === 'preVariance', values: r.layers.map((l) => l[key]) },
            ...band,
            { label: `${name[key]}, expected`, color, dashed: true, values: r.theory.map((t) => t[key]) },
          ];
        });
        return { title: `σ = ${SIGMA_NAMES[k]}${k === SIGMAS.length - 1 ? ' (added)' : ''}\n×${compact(ratio)} per layer`, series };
      });
      const css = canvases.experiment.width / theme.scale;
      wasm.drawLinePanels(canvases.experiment, {
        xLabel: 'layer', yLabel: keys.map((k) => name[k]).join(' and '), log: true,
        columns: css < 600 ? 2 : 3, panels,
      }, theme);
      const last = runs[0].layers.length - 1;
      const of = many ? `the median of ${EXPERIMENT_DRAWS.toLocaleString('en')} draws` : `this draw (seed ${state.seed})`;
      const columns = many
        ? keys.flatMap((key) => SIGMA_NAMES.flatMap((s) => ['median', '10 %', '90 %', 'expected'].map((w) => `${name[key]} σ=${s} ${w}`)))
        : keys.flatMap((key) => SIGMA_NAMES.flatMap((s) => [`${name[key]} σ=${s} measured`, `${name[key]} σ=${s} theory`]));
      return {
        summaries: {
          experiment: `At layer 8, Var(Z) of ${of} is ${runs.map((r, k) => `${fmt(r.layers[last].preVariance)} for σ = ${SIGMA_NAMES[k]} (expected ${fmt(r.theory[last].preVariance)})`).join(', ')}.`,
        },
        configs,
        columns: ['layer', ...columns],
        rows: runs[0].layers.map((_, i) => [i + 1, ...keys.flatMap((key) => runs.flatMap((r) => (many
          ? [r.layers[i][key], r.layers[i][`${key}10`], r.layers[i][`${key}90`], r.theory[i][key]]
          : [r.layers[i][key], r.theory[i][key]])))]),
      };
    },
  },

  explorer: {
    title: 'Explore initialization',
    embedHeight: 2400,
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
      { key: 'scheme', type: 'select', label: 'Scheme', default: 'normal', get options() { return named(schema().names.schemes, schema().labels); } },
      { key: 'activation', type: 'select', label: 'Activation', default: 'relu', get options() { return named(schema().names.activations, schema().labels); } },
      { key: 'sigma', type: 'range', label: 'σ', default: -1, min: -5, max: 1, step: 0.05, show: (v) => fmt(pow10(v)),
        enabled: (s) => usesSigma(s.scheme) },
      { key: 'layers', type: 'range', label: 'Depth', default: 20, min: 1, max: 100, step: 1 },
      { key: 'width', type: 'range', label: 'Width', default: 64, min: 1, max: 512, step: 1 },
      // PyTorch's default draws its own biases (U(±1/√n_in)): σ_b is not used with it.
      { key: 'sb', type: 'range', label: 'σ_b (random biases)', default: 0, min: 0, max: 1, step: 0.01,
        enabled: (s) => s.scheme !== 'pytorch-default' },
      // The fan-based schemes' and orthogonal's multiplier: 5/3 is PyTorch's calculate_gain('tanh').
      { key: 'gain', type: 'range', label: 'gain (5/3 for tanh)', default: 1, min: 0.25, max: 3, step: 0.01,
        enabled: (s) => !usesSigma(s.scheme) && s.scheme !== 'zeros' && s.scheme !== 'lsuv' },
      { ...seedControl, default: EXPLORER_SEED },
    ],
    note(state) {
      const input = `Input: ${SAMPLES} random samples × ${state.width} features.`;
      if (state.scheme === 'zeros') return `${input} Every weight is 0, whatever σ; σ is not used.`;
      const biases = state.scheme === 'pytorch-default'
        ? ` PyTorch's default draws its own biases, from U(±1/√n_in) (variance 1/(3·${state.width}) here), so σ_b is not used.`
        : '';
      const scale = (usesSigma(state.scheme)
        ? `${input} σ sets the scale of this scheme.`
        : state.scheme === 'lsuv'
          ? `${input} LSUV sets each layer's scale from this batch, so that its Var(Z) is 1; σ is not used.`
          : `${input} This scheme sets its own scale from the layer sizes; σ is not used.`) + biases
        + (state.seed === EXPLORER_SEED ? ` One network (seed ${EXPLORER_SEED}, chosen as a typical draw of the He network; under other weights it is one draw among others).` : ` One network, seed ${state.seed}.`);
      // Saturating units at a large scale: only a few units per sample pass a gradient, so one draw
      // strays far from the theory's average (as the spread figure shows for ReLU).
      const saturating = (state.activation === 'tanh' || state.activation === 'sigmoid') && usesSigma(state.scheme) && state.sigma >= -0.5;
      return saturating
        ? `${scale} Almost every unit is saturated here, so only a few pass a gradient back and one draw's gradient can sit far below the theory, which is an average over all draws (see “One network is not the average”).`
        : scale;
    },
    config(state) {
      return {
        scheme: state.scheme,
        activation: state.activation,
        sigma: pow10(state.sigma),
        layers: state.layers,
        width: state.width,
        biasSigma: state.scheme === 'pytorch-default' ? 0 : state.sb,
        gain: state.gain,
        seed: state.seed,
        input: { samples: SAMPLES, features: state.width },
        bins: 24,
      };
    },
    // One large simulation: the worker runs it a layer at a time, split across two workers when
    // it is large (see worker.js), and hands its result to compute.
    simulation(state) {
      return this.config(state);
    },
    compute(sim, state, r) {
      const config = this.config(state);
      return { config, r: r ?? sim.simulate(config) };
    },
    draw(wasm, state, canvases, theme, fig, { config, r }) {
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

      const at = (i) => r.layers[i];
      return {
        summaries: {
          variance: `Var(Z) goes from ${fmt(at(0).preVariance)} at layer 1 to ${fmt(at(n - 1).preVariance)} at layer ${n}${th ? `; theory predicts ${fmt(th[n - 1].preVariance)}` : ''}.`,
          gradient: `The gradient's variance is ${fmt(at(n - 1).gradVariance)} at layer ${n} and ${fmt(at(0).gradVariance)} back at layer 1.`,
          fraction: dead ? `${fmt(100 * at(n - 1).deadFraction)} % of layer ${n}'s units are dead.${at(n - 1).postVariance === 0 && at(n - 1).deadFraction < 1 ? ' The live units\' outputs fall below the smallest number a double holds (about 10⁻³⁰⁸) and are stored as 0, as the histogram shows; which units are dead depends on the signs of the weights, not on σ.' : ''}` : sat ? `${fmt(100 * at(n - 1).saturatedFraction)} % of layer ${n}'s values are saturated.` : '',
        },
        configs: [config],
        columns: ['layer', 'Var(Z)', 'Var(Z) theory', 'Var(H)', 'Var(∂L/∂Z)', 'Var(∂L/∂Z) theory', dead ? 'dead fraction' : 'saturated fraction', 'Var(H) theory'],
        rows: r.layers.map((l, i) => [l.layer, l.preVariance, th ? th[i].preVariance : null, l.postVariance,
          l.gradVariance, th ? th[i].gradVariance : null, dead ? l.deadFraction : l.saturatedFraction, th ? th[i].postVariance : null]),
      };
    },
  },

  xavier: {
    title: 'Xavier normal and uniform',
    embedHeight: 960,
    canvases: [
      { name: 'weights', label: 'Histograms of weights drawn by Xavier normal and Xavier uniform with their densities: a bell curve and a flat box of the same variance.' },
      { name: 'depth', label: 'Variance per layer of a ReLU network initialized with Xavier normal and Xavier uniform: both halve the variance at each layer.' },
    ],
    controls: [{ key: 'width', type: 'range', label: 'Layer width', default: 100, min: 2, max: 512, step: 1 }],
    // The deep networks of the right-hand chart (at most 128 wide).
    networks(state) {
      const width = Math.min(state.width, 128);
      const depth = { layers: 30, width, input: { samples: SAMPLES, features: width }, seed: 1 };
      return [['Xavier normal', { ...depth, scheme: 'xavier-normal' }], ['Xavier uniform', { ...depth, scheme: 'xavier-uniform' }]];
    },
    codes(state) {
      return this.networks(state);
    },
    compute(sim, state) {
      const n = state.width;
      const base = { layers: 1, width: n, input: { samples: 1, features: n }, seed: 1 };
      const [[, cn], [, cu]] = this.networks(state);
      const { layers, width } = cn;
      return {
        n, base, layers, width, cn, cu,
        normal: sim.weights({ ...base, scheme: 'xavier-normal' }, 1),
        uniform: sim.weights({ ...base, scheme: 'xavier-uniform' }, 1),
        variance: sim.weightVariance({ ...base, scheme: 'xavier-normal' }, 1),
        rn: sim.simulate(cn),
        ru: sim.simulate(cu),
      };
    },
    draw(wasm, state, canvases, theme, fig, { n, base, layers, width, cn, cu, normal, uniform, variance, rn, ru }) {
      wasm.drawWeights(canvases.weights, {
        bins: Math.max(10, Math.min(60, Math.round(n / 2))),
        samples: [
          { label: 'Xavier normal', color: 0, values: normal, kind: 'normal', param: Math.sqrt(variance) },
          { label: 'Xavier uniform', color: 1, values: uniform, kind: 'uniform', param: Math.sqrt(3 * variance) },
        ],
      }, theme);
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
    embedHeight: 790,
    canvases: [{ name: 'he', label: 'Variance per layer of a deep ReLU network: He stays level, Xavier halves at each layer, a fixed sigma shrinks or grows geometrically.' }],
    controls: [
      { key: 'layers', type: 'range', label: 'Depth', default: 30, min: 5, max: 60, step: 1 },
      { key: 'sigma', type: 'range', label: 'Fixed σ', default: -1, min: -3, max: 0, step: 0.05, show: (v) => fmt(pow10(v)) },
    ],
    codes(state) {
      const sigma = pow10(state.sigma);
      const width = 64;
      const base = { layers: state.layers, width, input: { samples: SAMPLES, features: width }, seed: 2 };
      return [
        ['He normal', { ...base, scheme: 'he-normal' }],
        ['Xavier normal', { ...base, scheme: 'xavier-normal' }],
        ['PyTorch default', { ...base, scheme: 'pytorch-default' }],
        [`fixed σ = ${fmt(sigma)}`, { ...base, scheme: 'normal', sigma }],
      ];
    },
    compute(sim, state) {
      const cases = this.codes(state);
      return { cases, runs: cases.map(([, c]) => sim.simulate(c)) };
    },
    draw(wasm, state, canvases, theme, fig, { cases, runs }) {
      const series = [];
      runs.forEach((r, k) => {
        series.push({ label: cases[k][0], color: k, markers: state.layers <= 40, values: r.layers.map((l) => l.preVariance) });
        series.push({ label: '', color: k, dashed: true, values: r.theory.map((l) => l.preVariance) });
      });
      wasm.drawLines(canvases.he, { xLabel: 'layer', yLabel: 'Var(Z), ReLU, width 64', log: true, series }, theme);
      return {
        summaries: {
          he: `At layer ${state.layers}, Var(Z) is ${runs.map((r, k) => `${fmt(r.layers[state.layers - 1].preVariance)} for ${cases[k][0]}`).join(', ')}.`,
        },
        configs: cases.map(([, c]) => c),
        columns: ['layer', ...cases.map(([n]) => n)],
        rows: runs[0].layers.map((_, i) => [i + 1, ...runs.map((r) => r.layers[i].preVariance)]),
      };
    },
  },

  spread: {
    title: 'One network is not the average',
    embedHeight: 1180,
    canvases: [{ name: 'spread', label: 'Variance per layer of He-initialized ReLU networks as a share of its expected value: the exact median and 10–90 % band, the same measured over simulated networks, and the expected value.' }],
    controls: [
      { key: 'layers', type: 'range', label: 'Depth', default: 50, min: 5, max: 100, step: 1 },
      { key: 'width', type: 'range', label: 'Width', default: 32, min: 8, max: 512, step: 1 },
    ],
    note(state) {
      const n = spreadNetworks(state);
      const drawn = n >= SPREAD_BAND
        ? `${n} simulated networks (seeds 0–${n - 1})`
        : `${n} simulated networks (seeds 0–${n - 1}), one line each: at this size more would not fit in a second`;
      return `${drawn}, each on one N(0, 1) input of ${state.width} features. The theory is exact (not a large-width approximation). Depth ÷ width = ${fmt(state.layers / state.width)}.`;
    },
    codes(state) {
      return [[`He normal, seed 0 of the ${spreadNetworks(state)}`, { scheme: 'he-normal', layers: state.layers, width: state.width, input: { samples: 1, features: state.width }, seed: 0 }]];
    },
    compute(sim, state) {
      const base = { scheme: 'he-normal', layers: state.layers, width: state.width, input: { samples: 1, features: state.width }, bins: 1 };
      const count = spreadNetworks(state);
      // Each seed has its own input, so its own expectation (2 × the input's mean square ×
      // (n − 1)/n at every layer): each network is measured against its own, as the law describes.
      const runs = Array.from({ length: count }, (_, seed) => {
        const r = sim.simulate({ ...base, seed });
        return r.layers.map((l, i) => l.preVariance / r.theory[i].preVariance);
      });
      return { base, count, runs, law: sim.spreadLaw(state.width, state.layers) };
    },
    draw(wasm, state, canvases, theme, fig, { base, count, runs, law }) {
      const n = state.layers;
      const many = count >= SPREAD_BAND;
      const at = (p) => law.q50.map((_, l) => quantile(runs.map((r) => r[l]), p));
      const measured = many ? { q10: at(0.1), q50: at(0.5), q90: at(0.9) } : null;
      const markers = n <= 40;
      const series = [
        { label: 'expected value', color: 6, dashed: true, values: law.q50.map(() => 1) },
        { label: 'median, exact', color: 0, dashed: true, values: law.q50 },
        { label: '10 % and 90 %, exact', color: 1, dashed: true, values: law.q10 },
        { label: '', color: 1, dashed: true, values: law.q90 },
      ];
      if (many) {
        series.push({ label: `median of ${count} networks`, color: 0, width: 1, markers, values: measured.q50 });
        series.push({ label: `10 % and 90 % of ${count}`, color: 1, width: 1, markers, values: measured.q10 });
        series.push({ label: '', color: 1, width: 1, markers, values: measured.q90 });
      } else {
        runs.forEach((r, k) => series.push({ label: k === 0 ? `${count} networks, one line each` : '', color: 5, width: 1, values: r }));
      }
      wasm.drawLines(canvases.spread, { xLabel: 'layer', yLabel: 'Var(Z) ÷ its expected value', log: true, series }, theme);
      const last = n - 1;
      const dead = law.atom[last];
      return {
        summaries: {
          spread: `At layer ${n}, one network's Var(Z) is a share of its expected value with median ${fmt(law.q50[last])}; 80 % of networks lie between ${fmt(law.q10[last])} and ${fmt(law.q90[last])}${dead > 0.001 ? `, and ${fmt(100 * dead)} % have a layer whose units all died and end at 0` : ''}.${many ? ` Over ${count} simulated networks: median ${fmt(measured.q50[last])}, 10 % ${fmt(measured.q10[last])}, 90 % ${fmt(measured.q90[last])}.` : ''}`,
        },
        configs: [{ ...base, seed: `0 to ${count - 1}` }],
        columns: ['layer', 'exact median of Var(Z) ÷ expected', 'exact 10 %', 'exact 90 %', 'share at 0 (a layer died)',
          ...(many ? ['median of draws', '10 % of draws', '90 % of draws'] : runs.map((_, k) => `seed ${k}`))],
        rows: law.q50.map((q, l) => [l + 1, q, law.q10[l], law.q90[l], law.atom[l],
          ...(many ? [measured.q50, measured.q10, measured.q90].map((m) => m[l]) : runs.map((r) => r[l]))]),
      };
    },
  },

  training: TRAINING,
  edge: EDGE,
  isometry: ISOMETRY,
  residual: RESIDUAL,
  attention: ATTENTION,
};
