// Why attention divides by √d (Vaswani et al. 2017): the scores' spread and the softmax's
// saturation against the key dimension.
import { fmt, plain, seedControl } from '../format.js';

// d from 1 to 2048 in octaves; the slider moves in log₂ d.
const DIMS = Array.from({ length: 12 }, (_, k) => 2 ** k);
const KEYS = 64;
const SEQUENCES = 32;
const QUERIES = 8;

// The sweep over d does not depend on the slider: computed once per seed in each worker.
let sweep = null;

export default {
  name: 'attention',
  module: 'deeper',
  title: 'Why attention divides by √d',
  embedHeight: 2380,
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
