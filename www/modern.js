// Going deeper, part two: dynamical isometry (Saxe et al. 2013; Pennington, Schoenholz & Ganguli
// 2017), residual blocks with and without LayerNorm (He et al. 2016; Hanin & Rolnick 2018; Fixup;
// SkipInit; GPT-2; Xiong et al. 2020), and why attention divides by √d (Vaswani et al. 2017). Each figure measures in the worker with the Rust core and draws the
// theory beside it.
import { fmt, seedControl } from './format.js';

const WIDTH = 128;
const SAMPLES = 32;
const ACTIVATION_NAMES = { linear: 'linear', tanh: 'tanh', relu: 'ReLU' };

/** A result with its typed arrays as plain arrays, to post to the page. */
const plain = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v]));

/**
 * The isometry figure's default seed: a typical draw (its largest Gaussian singular value lies in
 * the middle of 40 networks', checked by tests/prose.rs), not the first seed whatever it shows.
 */
const ISOMETRY_SEED = 16;

export const ISOMETRY = {
  module: 'deeper',
  title: 'Dynamical isometry: the singular values of the input–output Jacobian',
  embedHeight: 1600,
  canvases: [
    { name: 'spectrum', label: 'The singular values of one network’s input–output Jacobian, largest first, with orthogonal and with Gaussian weights, on a logarithmic axis.' },
    { name: 'spread', label: 'How far the squared singular values spread (their variance over their mean squared) at each depth, with orthogonal and with Gaussian weights, measured and predicted.' },
  ],
  controls: [
    { key: 'activation', type: 'select', label: 'Activation', default: 'tanh',
      options: [['linear', 'linear (σ_w² = 1)'], ['tanh', 'tanh, on its critical line'], ['relu', 'ReLU (σ_w² = 2, He)']] },
    // q* moves tanh along its critical line; linear and ReLU networks have one critical point.
    { key: 'q', type: 'range', label: 'tanh: q*', default: -2, min: -3, max: 0.5, step: 0.1, show: (v) => fmt(10 ** v),
      enabled: (s) => s.activation === 'tanh' },
    { key: 'layers', type: 'range', label: 'Depth L', default: 32, min: 1, max: 128, step: 1 },
    { ...seedControl, default: ISOMETRY_SEED },
  ],
  note(state) {
    const fixed = state.activation === 'tanh' ? ''
      : ` q* is for tanh only: a ${state.activation === 'relu' ? 'ReLU' : 'linear'} network's slopes do not depend on the size of its signal, so it has a single critical point and q* changes nothing.`;
    return `One network ${WIDTH} wide at the edge of chaos (χ₁ = 1), ${ACTIVATION_NAMES[state.activation]}${state.activation === 'tanh' ? ` with its pre-activations settled at q* = ${fmt(10 ** state.q)}` : ''}: once with scaled orthogonal weights, once with Gaussian ones of the same variance.${fixed}`;
  },
  config(state, weights) {
    return { activation: state.activation, weights, layers: state.layers, width: WIDTH, q: Number((10 ** state.q).toPrecision(6)), seed: state.seed };
  },
  // The code writes the critical point the simulator computed (σ_w², σ_b² for tanh's q*).
  codes(state, runs) {
    return (runs ?? []).map((r) => [`${r.config.weights} weights`, { ...r.config, sw2: r.sw2, sb2: r.sb2 }, 'isometryCode']);
  },
  compute(sim, state) {
    return ['orthogonal', 'gaussian'].map((w) => {
      const config = this.config(state, w);
      const r = sim.isometry(config);
      return { config, ...plain(r) };
    });
  },
  draw(wasm, state, canvases, theme, fig, runs) {
    const [orth, gauss] = runs;
    wasm.drawLines(canvases.spectrum, {
      xLabel: 'singular value, largest first', yLabel: `singular values of J at L = ${state.layers}`, log: true,
      series: [
        { label: 'orthogonal weights', color: 0, values: orth.singularValues },
        { label: 'Gaussian weights', color: 3, values: gauss.singularValues },
        { label: 'isometry: all equal to 1', color: 6, dashed: true, width: 1, values: orth.singularValues.map(() => 1) },
      ],
    }, theme);
    // Depths are every `step` layers; a last depth off that grid is left out of the chart.
    const step = orth.depths[0];
    const on = (r, key) => r[key].filter((_, i) => r.depths[i] % step === 0);
    const top = Math.max(1, ...runs.flatMap((r) => [...on(r, 'spread'), ...on(r, 'spreadTheory')]));
    wasm.drawLines(canvases.spread, {
      xLabel: 'depth l', yLabel: 'Var(s²) / mean(s²)²', xStart: step, xStep: step, yMin: 0, yMax: top * 1.05,
      series: [
        { label: 'orthogonal (measured)', color: 0, markers: true, values: on(orth, 'spread') },
        { label: 'theory, orthogonal', color: 0, dashed: true, values: on(orth, 'spreadTheory') },
        { label: 'Gaussian (measured)', color: 3, markers: true, values: on(gauss, 'spread') },
        { label: 'theory, Gaussian', color: 3, dashed: true, values: on(gauss, 'spreadTheory') },
      ],
    }, theme);
    const k = orth.depths.length - 1;
    const n = orth.singularValues.length;
    const crushed = (r) => r.singularValues.filter((v) => v < 0.01).length;
    const side = (r) => `from ${fmt(r.singularValues[n - 1])} to ${fmt(r.singularValues[0])}, ${crushed(r)} of ${n} below 0.01`;
    const words = `At depth ${state.layers} (σ_w² = ${fmt(orth.sw2)}, σ_b² = ${fmt(orth.sb2)}) the singular values run ${side(orth)} with orthogonal weights, and ${side(gauss)} with Gaussian ones. Their spread is ${fmt(orth.spread[k])} (theory ${fmt(orth.spreadTheory[k])}) and ${fmt(gauss.spread[k])} (theory ${fmt(gauss.spreadTheory[k])}).`;
    fig.root.querySelector('[data-show="isometry"]')?.replaceChildren(words);
    return {
      summaries: { spectrum: words, spread: words },
      configs: runs.map((r) => r.config),
      columns: ['depth', 'orthogonal mean s²', 'orthogonal spread', 'theory', 'Gaussian mean s²', 'Gaussian spread', 'theory'],
      rows: orth.depths.map((d, i) => [d, orth.mean[i], orth.spread[i], orth.spreadTheory[i], gauss.mean[i], gauss.spread[i], gauss.spreadTheory[i]]),
    };
  },
  setup(fig, ui, el) {
    ui.append(el('p', { class: 'status phase-words', 'data-show': 'isometry', 'aria-live': 'polite' }));
  },
};

/** The three branch scales the residual figure compares, for L blocks. */
export function residualAlphas(blocks) {
  return [
    { alpha: 1, name: 'α = 1', label: 'α = 1 (plain ResNet)', color: 3 },
    { alpha: 1 / Math.sqrt(blocks), name: 'α = 1/√L', label: `α = 1/√L = ${fmt(1 / Math.sqrt(blocks))}`, color: 0 },
    { alpha: 0, name: 'α = 0', label: 'α = 0 (Fixup, SkipInit)', color: 2 },
  ];
}

export const RESIDUAL = {
  module: 'deeper',
  title: 'Residual blocks: the signal and the gradient through L blocks',
  embedHeight: 1340,
  canvases: [
    { name: 'forward', label: 'Second moment of the signal x at each residual block, for three branch scales α, measured in one network and predicted.' },
    { name: 'backward', label: 'Mean square of the gradient at each residual block, for three branch scales α, measured in one network and predicted.' },
  ],
  controls: [
    { key: 'blocks', type: 'range', label: 'Blocks L', default: 50, min: 1, max: 100, step: 1 },
    { key: 'norm', type: 'select', label: 'Normalization', default: 'none',
      options: [['none', 'none: x + α F(x)'], ['pre', 'pre-LayerNorm: x + α F(LN(x))']] },
    seedControl,
  ],
  note(state) {
    return `Each block adds α F to x, F(y) = W₂ relu(W₁ relu(y)) with He-initialized ${WIDTH} × ${WIDTH} weights; ${SAMPLES} inputs of N(0, 1) values; the gradient starts as unit Gaussian noise at block ${state.blocks}.`;
  },
  config(state, alpha) {
    return { blocks: state.blocks, width: WIDTH, samples: SAMPLES, alpha, norm: state.norm, seed: state.seed };
  },
  codes(state) {
    return residualAlphas(state.blocks).map(({ alpha, label }) => [label, this.config(state, alpha), 'residualCode']);
  },
  compute(sim, state) {
    return residualAlphas(state.blocks).map(({ alpha }) => {
      const config = this.config(state, alpha);
      const r = sim.residual(config);
      return { config, ...plain(r) };
    });
  },
  draw(wasm, state, canvases, theme, fig, runs) {
    const alphas = residualAlphas(state.blocks);
    const markers = state.blocks <= 60;
    const chart = (canvas, key, yLabel) => wasm.drawLines(canvas, {
      xLabel: 'block l', yLabel, log: true, xStart: 0,
      series: runs.flatMap((r, k) => [
        { label: alphas[k].label, color: alphas[k].color, markers, values: r[key] },
        { label: k === 0 ? 'theory (dashed)' : '', color: alphas[k].color, dashed: true, values: r[`${key}Theory`] },
      ]),
    }, theme);
    fig.areas = [chart(canvases.forward, 'forward', 'x_l, mean square'), chart(canvases.backward, 'backward', 'gradient, mean square')];
    const L = state.blocks;
    const pre = state.norm === 'pre';
    const [one, root, zero] = runs;
    return {
      summaries: {
        forward: `After ${L} blocks ${pre ? 'with pre-LayerNorm' : 'without normalization'}, x's second moment is ${fmt(one.forward[L])} for α = 1 (theory ${fmt(one.forwardTheory[L])}), ${fmt(root.forward[L])} for α = 1/√L (theory ${fmt(root.forwardTheory[L])}) and ${fmt(zero.forward[L])} for α = 0 (theory 1), starting from ${fmt(one.forward[0])}.`,
        backward: `At block 0 the gradient's mean square is ${fmt(one.backward[0])} for α = 1 (theory ${fmt(one.backwardTheory[0])}), ${fmt(root.backward[0])} for α = 1/√L (theory ${fmt(root.backwardTheory[0])}) and ${fmt(zero.backward[0])} for α = 0, against ${fmt(one.backward[L])} at block ${L}.`,
      },
      configs: runs.map((r) => r.config),
      columns: ['block', ...alphas.flatMap(({ name: a }) => [`${a} x² measured`, `${a} x² theory`, `${a} gradient² measured`, `${a} gradient² theory`])],
      rows: one.forward.map((_, l) => [l, ...runs.flatMap((r) => [r.forward[l], r.forwardTheory[l], r.backward[l], r.backwardTheory[l]])]),
    };
  },
};

// d from 1 to 2048 in octaves; the slider moves in log₂ d.
const DIMS = Array.from({ length: 12 }, (_, k) => 2 ** k);
const KEYS = 64;
const SEQUENCES = 32;
const QUERIES = 8;

// The sweep over d does not depend on the slider: computed once per seed in each worker.
let sweep = null;

export const ATTENTION = {
  module: 'deeper',
  title: 'Why attention divides by √d',
  embedHeight: 2030,
  canvases: [
    { name: 'entropy', label: 'Mean entropy of the attention weights against the dimension d, with and without the 1/√d scale, measured and predicted.' },
    { name: 'largest', label: 'Mean largest attention weight against the dimension d, with and without the 1/√d scale, measured and predicted.' },
    { name: 'jacobian', label: 'Median size of the softmax Jacobian, through which every gradient to the scores passes, against the dimension d, with and without the scale.' },
    { name: 'weights', label: 'One query’s attention weights over its 64 keys, largest first, at the chosen d, with and without the scale.' },
  ],
  controls: [
    { key: 'logd', type: 'range', label: 'Dimension d', default: 6, min: 0, max: 11, step: 1, show: (v) => String(2 ** v) },
    seedControl,
  ],
  note() {
    return `${SEQUENCES} sequences of ${KEYS} keys and ${QUERIES} queries, every entry N(0, 1); each query's weights are the softmax of its ${KEYS} scores q·k (or q·k/√d).`;
  },
  config(state) {
    return { d: 2 ** state.logd, keys: KEYS, sequences: SEQUENCES, queries: QUERIES, seed: state.seed };
  },
  codes(state) {
    return [[`d = ${2 ** state.logd}`, this.config(state), 'attentionCode']];
  },
  compute(sim, state) {
    if (sweep?.seed !== state.seed) {
      const points = DIMS.map((d) => sim.attention({ ...this.config(state), d }));
      const side = (key) => ({
        entropy: points.map((p) => p[key].entropy), largest: points.map((p) => p[key].largest), jacobian: points.map((p) => p[key].jacobian),
        entropyTheory: points.map((p) => p[key].theory.entropy), largestTheory: points.map((p) => p[key].theory.largest),
      });
      sweep = { seed: state.seed, scaled: side('scaled'), unscaled: side('unscaled') };
    }
    const config = this.config(state);
    const here = sim.attention(config);
    return { config, sweep, scaled: plain(here.scaled), unscaled: plain(here.unscaled) };
  },
  draw(wasm, state, canvases, theme, fig, { config, sweep: s, scaled, unscaled }) {
    const lines = (canvas, key, yLabel, yMax) => wasm.drawLines(canvas, {
      xLabel: 'log₂ d', yLabel, xStart: 0, yMin: 0, yMax,
      series: [
        { label: 'q·k/√d (measured)', color: 0, markers: true, values: s.scaled[key] },
        { label: 'theory, q·k/√d', color: 0, dashed: true, values: s.scaled[`${key}Theory`] },
        { label: 'q·k, no scale (measured)', color: 3, markers: true, values: s.unscaled[key] },
        { label: 'theory, no scale', color: 3, dashed: true, values: s.unscaled[`${key}Theory`] },
      ],
    }, theme);
    lines(canvases.entropy, 'entropy', 'entropy (nats)', Math.log(KEYS) * 1.05);
    lines(canvases.largest, 'largest', 'largest weight', 1);
    wasm.drawLines(canvases.jacobian, {
      xLabel: 'log₂ d', yLabel: 'median ‖diag(p) − ppᵀ‖', xStart: 0, log: true,
      series: [
        { label: 'q·k/√d', color: 0, markers: true, values: s.scaled.jacobian },
        { label: 'q·k, no scale', color: 3, markers: true, values: s.unscaled.jacobian },
      ],
    }, theme);
    wasm.drawLines(canvases.weights, {
      xLabel: 'key, largest weight first', yLabel: `attention weight at d = ${config.d}`, log: true,
      series: [
        { label: 'q·k/√d', color: 0, markers: true, values: scaled.first },
        { label: 'q·k, no scale', color: 3, markers: true, values: unscaled.first },
        { label: `uniform, 1/${KEYS}`, color: 6, dashed: true, values: scaled.first.map(() => 1 / KEYS) },
      ],
    }, theme);
    const k = Math.log2(config.d);
    const words = `At d = ${config.d} the scores' spread is ${fmt(unscaled.scoreSd)} without the scale (√d = ${fmt(Math.sqrt(config.d))}) and ${fmt(scaled.scoreSd)} with it. Without it the largest weight averages ${fmt(unscaled.largest)} and the entropy ${fmt(unscaled.entropy)} nats (theory ${fmt(s.unscaled.largestTheory[k])} and ${fmt(s.unscaled.entropyTheory[k])}); with it, ${fmt(scaled.largest)} and ${fmt(scaled.entropy)} (theory ${fmt(s.scaled.largestTheory[k])} and ${fmt(s.scaled.entropyTheory[k])}; uniform weights would have ln ${KEYS} = ${fmt(Math.log(KEYS))}). The softmax's Jacobian, through which every gradient to the scores passes, has a median size of ${fmt(unscaled.jacobian)} without the scale and ${fmt(scaled.jacobian)} with it.`;
    fig.root.querySelector('[data-show="attention"]')?.replaceChildren(words);
    return {
      summaries: {
        entropy: words,
        largest: `Largest weight at d = 2048: ${fmt(s.unscaled.largest[11])} without the scale, ${fmt(s.scaled.largest[11])} with it.`,
        jacobian: `The softmax Jacobian's median size at d = 2048: ${fmt(s.unscaled.jacobian[11])} without the scale, ${fmt(s.scaled.jacobian[11])} with it.`,
        weights: `At d = ${config.d} the first query's largest weight is ${fmt(unscaled.first[0])} without the scale and ${fmt(scaled.first[0])} with it.`,
      },
      configs: [config],
      columns: ['d', 'entropy scaled', 'theory', 'entropy unscaled', 'theory', 'largest scaled', 'theory', 'largest unscaled', 'theory', 'Jacobian scaled', 'Jacobian unscaled'],
      rows: DIMS.map((d, i) => [d, s.scaled.entropy[i], s.scaled.entropyTheory[i], s.unscaled.entropy[i], s.unscaled.entropyTheory[i],
        s.scaled.largest[i], s.scaled.largestTheory[i], s.unscaled.largest[i], s.unscaled.largestTheory[i], s.scaled.jacobian[i], s.unscaled.jacobian[i]]),
    };
  },
  setup(fig, ui, el) {
    ui.append(el('p', { class: 'status phase-words', 'data-show': 'attention', 'aria-live': 'polite' }));
  },
};
