// The article's experiment: an 8-layer ReLU network at six values of σ, the median and 10–90 %
// band of many draws (or one draw), beside the expectation.
import { count, factor, fmt, quantile, seedControl } from '../format.js';

// The article's five values of σ, and σ = 1 to show a network that explodes in every draw.
const SIGMAS = [1e-5, 1e-3, 1e-2, 1e-1, 0.5, 1];
const SIGMA_NAMES = ['10⁻⁵', '10⁻³', '10⁻²', '0.1', '0.5', '1'];

/** Draws behind the figure's median and band (the prose's numbers use 20,000). */
export const EXPERIMENT_DRAWS = 10000;
/** The experiment's one network: a typical draw at every σ (tests/prose.rs checks it). */
export const EXPERIMENT_SEED = 5;

export default {
  name: 'experiment',
  title: "The article's experiment: six values of σ",
  embedHeight: 1720,
  canvases: [{ name: 'experiment', label: 'Variance per layer for six values of sigma, one panel each with its own logarithmic axis.' }],
  controls: [
    { key: 'view', type: 'select', label: 'Draws', default: 'many',
      options: [['many', `median and 10–90 % of ${count(EXPERIMENT_DRAWS)} draws`], ['one', 'one network (the seed below)']] },
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
      return { title: `σ = ${SIGMA_NAMES[k]}${k === SIGMAS.length - 1 ? ' (added)' : ''}\n×${factor(ratio)} per layer`, series };
    });
    const css = canvases.experiment.width / theme.scale;
    wasm.drawLinePanels(canvases.experiment, {
      xLabel: 'layer', yLabel: keys.map((k) => name[k]).join(' and '), log: true,
      columns: css < 600 ? 2 : 3, panels,
    }, theme);
    const last = runs[0].layers.length - 1;
    const of = many ? `the median of ${count(EXPERIMENT_DRAWS)} draws` : `this draw (seed ${state.seed})`;
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
};
