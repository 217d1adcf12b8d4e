// The explainer's figures, one module each, in the article's order. A figure is a plain
// description:
//
//   name, title            its name (in links: `explorer.sigma=…`) and its title
//   embedHeight            the CSS height its embed view needs in a 360 px column, measured, rounded up
//   controls               [{ key, type: 'range' | 'select' | 'toggle' | 'seed', label, default, … }]:
//                          a range's min, max, step and `show(v)`; `scale: 'log10'` when it moves
//                          log₁₀ of a value (see logControl); `enabled(state)`; `also(state)`,
//                          the values it moves with it
//   presets, note(state)   named states, and a sentence under the controls
//   canvases               [{ name, label, wide }]
//   compute(sim, state, r) its numbers, in a worker (sim: simulator.js, or deeper.js for
//                          `module: 'deeper'`); with `simulation(state)`, the config of one large
//                          simulation the worker runs a layer at a time and passes in as `r`
//   draw(wasm, state, canvases, theme, fig, data)
//                          draws `data` and returns the numbers behind the picture,
//                          { columns, rows, configs, summaries }
//   config(state) | codes(state, data)
//                          the networks its code panel writes code for
//   setup(fig, ui, el), teardown(fig)
//                          extra parts (the training figure's buttons)
import intro from './intro.js';
import hiking from './hiking.js';
import symmetry from './symmetry.js';
import experiment from './experiment.js';
import explorer from './explorer.js';
import xavier from './xavier.js';
import he from './he.js';
import spread from './spread.js';
import training from './training.js';
import edge from './edge.js';
import isometry from './isometry.js';
import residual from './residual.js';
import attention from './attention.js';

/** Every figure by name, in the article's order. */
export const FIGURES = Object.fromEntries(
  [intro, hiking, symmetry, experiment, explorer, xavier, he, spread, training, edge, isometry, residual, attention]
    .map((def) => [def.name, def]),
);
