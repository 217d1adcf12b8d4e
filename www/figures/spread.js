// One network is not the average: the exact law of one He ReLU network's Var(Z) over its
// expectation, beside simulated networks.
import { fmt, quantile } from '../format.js';

/** The figure shows its draws' median and band from this many networks on. */
const SPREAD_BAND = 100;
/** Weights the figure's networks draw at most, together (under a second in a worker):
 * enough for a measured band at the text's 100 × 64. */
const SPREAD_BUDGET = 2 ** 26;

/**
 * How many networks the figure simulates: 400 while they fit in its budget; past it, a few
 * drawn as single lines (at 100 × 512 one network holds 26 million weights).
 */
export function spreadNetworks({ layers, width }) {
  const fit = Math.floor(SPREAD_BUDGET / (layers * width * width));
  return fit >= SPREAD_BAND ? Math.min(400, fit) : Math.max(1, Math.min(5, fit));
}

export default {
  name: 'spread',
  title: 'One network is not the average',
  embedHeight: 1440,
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
};
