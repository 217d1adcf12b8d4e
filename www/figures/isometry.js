// Going deeper: dynamical isometry (Saxe et al. 2013; Pennington, Schoenholz & Ganguli 2017), the
// singular values of the input–output Jacobian with orthogonal and Gaussian weights. Measured in
// the worker with the second module; the theory drawn beside it.
import { fmt, logControl, plain, seedControl } from '../format.js';

const WIDTH = 128;
const ACTIVATION_NAMES = { linear: 'linear', tanh: 'tanh', relu: 'ReLU' };

/**
 * The isometry figure's default seed: a typical draw (its largest Gaussian singular value lies in
 * the middle of 40 networks', checked by tests/prose.rs), not the first seed whatever it shows.
 */
const ISOMETRY_SEED = 16;

export default {
  name: 'isometry',
  module: 'deeper',
  title: 'Dynamical isometry: the singular values of the input–output Jacobian',
  embedHeight: 1940,
  canvases: [
    { name: 'spectrum', label: 'The singular values of one network’s input–output Jacobian, largest first, with orthogonal and with Gaussian weights, on a logarithmic axis.' },
    { name: 'spread', label: 'How far the squared singular values spread (their variance over their mean squared) at each depth, with orthogonal and with Gaussian weights, measured and predicted.' },
  ],
  controls: [
    { key: 'activation', type: 'select', label: 'Activation', default: 'tanh',
      options: [['linear', 'linear (σ_w² = 1)'], ['tanh', 'tanh, on its critical line'], ['relu', 'ReLU (σ_w² = 2, He)']] },
    // q* moves tanh along its critical line; linear and ReLU networks have one critical point.
    logControl({ key: 'q', label: 'tanh: q*', default: -2, min: -3, max: 0.5, step: 0.1,
      enabled: (s) => s.activation === 'tanh' }),
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

