// Xavier normal and uniform: the two weight distributions of the same variance, and a deep ReLU
// network under each.
import { SAMPLES } from '../format.js';

export default {
  name: 'xavier',
  title: 'Xavier normal and uniform',
  embedHeight: 1320,
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
};
