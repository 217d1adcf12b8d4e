// Residual blocks with and without LayerNorm (He et al. 2016; Hanin & Rolnick 2018; Fixup;
// SkipInit; GPT-2; Xiong et al. 2020): the signal and the gradient through L blocks.
import { SAMPLES, fmt, plain, seedControl } from '../format.js';

const WIDTH = 128;

/** The three branch scales the residual figure compares, for L blocks. */
export function residualAlphas(blocks) {
  return [
    { alpha: 1, name: 'α = 1', label: 'α = 1 (plain ResNet)', color: 3 },
    { alpha: 1 / Math.sqrt(blocks), name: 'α = 1/√L', label: `α = 1/√L = ${fmt(1 / Math.sqrt(blocks))}`, color: 0 },
    { alpha: 0, name: 'α = 0', label: 'α = 0 (Fixup, SkipInit)', color: 2 },
  ];
}

export default {
  name: 'residual',
  module: 'deeper',
  title: 'Residual blocks: the signal and the gradient through L blocks',
  embedHeight: 1550,
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
