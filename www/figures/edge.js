// The edge of chaos (Poole et al. 2016; Schoenholz et al. 2017): where a tanh network with
// weights N(0, σ_w²/n) and biases N(0, σ_b²) sits in the phase diagram, and two inputs followed
// through one such network beside the mean-field theory.
import { fmt, seedControl } from '../format.js';

const WIDTH = 256;
const LAYERS = 40;
const GRID = { columns: 32, rows: 20, sw2Max: 4, sb2Max: 0.5 };
/** The cosine similarity of the two inputs. */
const START = 0.6;
/**
 * The default seed: a typical network (its 1 − cos at layer 40 over the theory's lies in the
 * middle of 100 networks', checked by tests/prose.rs); one draw strays from the theory by a
 * random factor, and the mean over networks follows it.
 */
const SEED = 12;

/** Two inputs of N(0, 1) values with cosine about START, from the seed (xorshift, Box–Muller). */
function inputs(seed) {
  let s = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const x = Array.from({ length: WIDTH }, normal);
  const y = x.map((v) => START * v + Math.sqrt(1 - START * START) * normal());
  return [x, y];
}

const dot = (u, v) => u.reduce((a, x, i) => a + x * v[i], 0) / u.length;
const cosine = (u, v) => dot(u, v) / Math.sqrt(dot(u, u) * dot(v, v));

// The phase diagram does not depend on the point: computed once per worker.
let grid = null;

/** Words for where the point sits. */
export function phaseWords({ qStar, chi1, depthScale }) {
  // Without biases below σ_w² = 1 the signal itself fades: the network acts more and more linearly,
  // which keeps the angle between the two inputs while both shrink towards 0.
  if (qStar === 0) return `ordered, and the signal itself fades to 0 (q* = 0): both inputs' signals fade, their variance shrinking by a factor e every ${fmt(depthScale)} layers, while the angle between them stays`;
  if (Math.abs(Math.log(chi1)) < 0.02) return 'at the edge of chaos: differences between inputs neither shrink nor grow';
  // 1 − c, a squared distance, changes by e every ξ = 1/|ln χ₁| layers; a distance every 2ξ. In
  // the chaotic phase the correlation settles at c* < 1, on its own scale ξ_c (depthScale).
  const xi = 1 / Math.abs(Math.log(chi1));
  return chi1 < 1
    ? `ordered: two inputs' outputs converge, 1 − c shrinking by a factor e every ${fmt(depthScale)} layers (their distance every ${fmt(2 * depthScale)})`
    : `chaotic: two nearby inputs' outputs separate, a small 1 − c growing by a factor e every ${fmt(xi)} layers (their distance every ${fmt(2 * xi)}), until their correlation settles below 1, approaching it by a factor e every ${fmt(depthScale)} layers`;
}

export default {
  name: 'edge',
  title: 'The edge of chaos: where a tanh network sits',
  embedHeight: 1770,
  canvases: [
    { name: 'phase', label: 'Phase diagram over σ_w² and σ_b² for tanh: ordered below the critical line, chaotic above it, with the ReLU line and the chosen point.' },
    { name: 'pair', label: 'One minus the cosine similarity of two inputs’ outputs at each layer, measured in one network and predicted by the mean-field theory.' },
  ],
  controls: [
    { key: 'sw2', type: 'range', label: 'σ_w²', default: 1.5, min: 0.2, max: 4, step: 0.05 },
    { key: 'sb2', type: 'range', label: 'σ_b²', default: 0.05, min: 0, max: 0.5, step: 0.01 },
    { ...seedControl, default: SEED },
  ],
  note(state) {
    return `A tanh network ${WIDTH} wide, weights N(0, σ_w²/${WIDTH}), biases N(0, σ_b²). Click the diagram to move the point.`;
  },
  /** The two networks the right-hand chart runs: one per input, the same weights and biases. */
  networks(state) {
    const base = {
      activation: 'tanh', scheme: 'normal', sigma: Math.sqrt(state.sw2 / WIDTH), biasSigma: Math.sqrt(state.sb2),
      layers: LAYERS, width: WIDTH, seed: state.seed, bins: 1,
    };
    const [x, y] = inputs(state.seed);
    return [base, x, y];
  },
  codes(state) {
    const [base] = this.networks(state);
    return [['this network', { ...base, input: { samples: 32, features: WIDTH } }]];
  },
  compute(sim, state) {
    const [base, x, y] = this.networks(state);
    const [a, b] = [x, y].map((input) => sim.simulate({ ...base, input, trace: true }).trace);
    const measured = a.map((h, l) => cosine(h, b[l]));
    const q1 = state.sw2 * dot(x, x) + state.sb2;
    const q2 = state.sw2 * dot(y, y) + state.sb2;
    const c = (state.sw2 * dot(x, y) + state.sb2) / Math.sqrt(q1 * q2);
    const first = !grid;
    const theory = sim.edgeOfChaos({
      sw2: state.sw2, sb2: state.sb2, layers: LAYERS, q1, q2, c,
      ...(first ? GRID : { sw2Max: GRID.sw2Max, sb2Max: GRID.sb2Max }),
    });
    if (first) grid = { chi: Array.from(theory.grid), line: Array.from(theory.line) };
    return {
      sw2: state.sw2, sb2: state.sb2, base, measured, grid,
      theory: { qStar: theory.qStar, chi1: theory.chi1, depthScale: theory.depthScale, criticalSw2: theory.criticalSw2, cosine: Array.from(theory.cosine) },
    };
  },
  draw(wasm, state, canvases, theme, fig, { sw2, sb2, base, measured, grid: g, theory }) {
    fig.phaseArea = wasm.drawPhase(canvases.phase, {
      ...GRID, chi: g.chi, point: [sw2, sb2],
      lines: [
        { label: 'tanh: edge of chaos, χ₁ = 1', points: g.line },
        { label: 'ReLU: σ_w² = 2 (He)', points: [2, 0, 2, GRID.sb2Max], dashed: true },
      ],
    }, theme);
    wasm.drawLines(canvases.pair, {
      xLabel: 'layer', yLabel: '1 − cos of the outputs', log: true,
      series: [
        { label: 'one network (measured)', color: 0, markers: true, values: measured.map((v) => 1 - v) },
        { label: 'mean-field theory', color: 0, dashed: true, values: theory.cosine.map((v) => 1 - v) },
      ],
    }, theme);
    const where = `At σ_w² = ${fmt(sw2)}, σ_b² = ${fmt(sb2)}: q* = ${fmt(theory.qStar)}, χ₁ = ${fmt(theory.chi1)}, ${phaseWords(theory)}. The edge of chaos at this σ_b² is σ_w² = ${fmt(theory.criticalSw2)}.`;
    fig.root.querySelector('[data-show="phase"]')?.replaceChildren(where);
    return {
      summaries: {
        phase: where,
        pair: `The two inputs start with cosine ${fmt(measured[0])} at layer 1; at layer ${LAYERS} it is ${fmt(measured[LAYERS - 1])} measured, ${fmt(theory.cosine[LAYERS - 1])} predicted.`,
      },
      configs: [base],
      columns: ['layer', 'cosine measured', 'cosine theory'],
      rows: measured.map((v, l) => [l + 1, v, theory.cosine[l]]),
    };
  },
  setup(fig, ui, el) {
    ui.append(el('p', { class: 'status phase-words', 'data-show': 'phase', 'aria-live': 'polite' }));
    // A click (or tap) on the diagram moves the point there, to the nearest step of each slider.
    ui.addEventListener('click', (e) => {
      const canvas = e.target.closest?.('canvas[data-canvas="phase"]');
      const a = fig.phaseArea;
      if (!canvas || !a) return;
      const box = canvas.getBoundingClientRect();
      const px = ((e.clientX - box.left) * canvas.width) / box.width;
      const py = ((e.clientY - box.top) * canvas.height) / box.height;
      if (px < a.left || px > a.right || py < a.top || py > a.bottom) return;
      const sw2 = ((px - a.left) / (a.right - a.left)) * a.sw2Max;
      const sb2 = ((a.bottom - py) / (a.bottom - a.top)) * a.sb2Max;
      const snap = (v, c) => Number(Math.min(c.max, Math.max(c.min, c.min + Math.round((v - c.min) / c.step) * c.step)).toFixed(10));
      const [cw, cb] = fig.def.controls;
      fig.set({ sw2: snap(sw2, cw), sb2: snap(sb2, cb) }, { commit: true });
    });
    const open = el('button', { type: 'button', 'data-action': 'open-explorer', text: 'Open this network in the explorer' });
    open.addEventListener('click', () => {
      // The explorer's σ slider moves in steps of 0.05 in log₁₀ σ: the nearest one.
      const sigma = Number((Math.round(Math.log10(Math.sqrt(fig.state.sw2 / WIDTH)) / 0.05) * 0.05).toFixed(10));
      const state = { scheme: 'normal', activation: 'tanh', sigma, sb: Number(Math.sqrt(fig.state.sb2).toFixed(2)), width: WIDTH, layers: LAYERS };
      ui.dispatchEvent(new CustomEvent('weight-init:open', { bubbles: true, detail: { figure: 'explorer', state } }));
    });
    ui.append(el('div', { class: 'figure-tools' }, open));
  },
};
