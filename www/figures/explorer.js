// Explore initialization: any scheme, activation, depth, width, bias spread and gain; the
// activations' and gradients' variance per layer beside the theory, histograms and dead units.
import { schema } from '../simulator.js';
import { SAMPLES, fmt, logControl, named, pow10, seedControl } from '../format.js';

/**
 * The explorer's default seed: a typical draw with He weights (its Var(Z) at layer 20 over the
 * expectation lies in the middle of 10,000 draws', checked by tests/prose.rs), so that the
 * "Appropriate (He)" preset shows what most networks do.
 */
const EXPLORER_SEED = 42;

/** Whether a scheme's scale is σ (the others set theirs from the layer sizes). */
const usesSigma = (scheme) => schema().names.sigmaSchemes.includes(scheme);

export default {
  name: 'explorer',
  title: 'Explore initialization',
  embedHeight: 2920,
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
    logControl({ key: 'sigma', label: 'σ', default: -1, min: -5, max: 1, step: 0.05, enabled: (s) => usesSigma(s.scheme) }),
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
};
