// The first figure: the signal through 50 ReLU layers for a spread σ of the reader's choice, one
// network and the average, with He's σ marked on the slider.
import { SAMPLES, fmt, pow10 } from '../format.js';

/** He's σ for this network, 64 wide: √(2/64). */
const INTRO_HE = Math.sqrt(2 / 64);

export default {
  name: 'intro',
  title: 'The signal through 50 layers, for a spread σ of your choice',
  embedHeight: 1100,
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
};
