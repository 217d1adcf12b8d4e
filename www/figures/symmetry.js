// Identical weights make identical neurons: every neuron's output, layer by layer, with
// constant weights beside random ones.
import { seedControl, fmt } from '../format.js';

// Inputs the figure offers: no input can make identical neurons differ.
const SYMMETRY_INPUTS = {
  article: ['x = [1, 2, 3, 4, 5]', [1, 2, 3, 4, 5]],
  mixed: ['x = [−3, 0.5, 2, −1, 4]', [-3, 0.5, 2, -1, 4]],
  large: ['x = [100, −50, 20, 0, 7]', [100, -50, 20, 0, 7]],
  random: ['random N(0, 1), 5 features (from the seed)', { samples: 1, features: 5 }],
};

export default {
  name: 'symmetry',
  title: 'Identical weights make identical neurons',
  embedHeight: 1230,
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
};
