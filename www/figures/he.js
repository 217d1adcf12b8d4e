// He, Xavier, PyTorch's default and a fixed σ in one deep ReLU network.
import { SAMPLES, fmt, logControl, pow10 } from '../format.js';

export default {
  name: 'he',
  title: 'He, Xavier and a fixed σ in a deep ReLU network',
  embedHeight: 1030,
  canvases: [{ name: 'he', label: 'Variance per layer of a deep ReLU network: He stays level, Xavier halves at each layer, a fixed sigma shrinks or grows geometrically.' }],
  controls: [
    { key: 'layers', type: 'range', label: 'Depth', default: 30, min: 5, max: 60, step: 1 },
    logControl({ key: 'sigma', label: 'Fixed σ', default: -1, min: -3, max: 0, step: 0.05 }),
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
};
