// The simulation worker: every `simulate`, `weights` and training step runs here, off the page's
// main thread, which only draws. One WebAssembly instance per worker, made from the compiled
// module the page sends (so the module is fetched and compiled once). Figures of the article's
// later sections (`module: 'deeper'`) compute with the second module (deeper.js), which the
// worker loads the first time one of them asks.
//
// Messages in:
//   { type: 'init', module }                      a compiled WebAssembly.Module
//   { type: 'compute', id, figure, state }        runs FIGURES[figure].compute(api, state)
//   { type: 'train', ... }                        see trainer.js
// Messages out:
//   { type: 'ready' } · { type: 'result', id, data } · { type: 'error', id, message }
import * as simulator from '../simulator.js';
import { FIGURES } from './figures.js';
import { trainerMessage } from './trainer.js';

// Messages that arrive before a module they need are held, in order, until it is there: the
// simulator's before 'init', the second module's while it loads. `held` is null when none waits.
let held = [];
let deeper = null;

function handle(m) {
  if (m.type === 'compute') {
    try {
      const def = FIGURES[m.figure];
      const data = def.compute(def.module === 'deeper' ? deeper : simulator, m.state);
      self.postMessage({ type: 'result', id: m.id, data });
    } catch (e) {
      self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
    }
  } else if (m.type === 'train') {
    trainerMessage(simulator, m, (out) => self.postMessage(out));
  }
}

/** Handles what was held, in order. */
function release() {
  const waiting = held;
  held = null;
  for (const w of waiting) route(w);
}

/** Handles `m` now, or once the module it (or a message before it) needs is there. */
function route(m) {
  if (held) {
    held.push(m);
  } else if (m.type === 'compute' && FIGURES[m.figure]?.module === 'deeper' && !deeper) {
    held = [m];
    import('../deeper.js')
      .then(async (api) => {
        await api.default();
        deeper = api;
      })
      .catch((e) => {
        const message = `the second simulation module could not be loaded: ${e?.message ?? e}`;
        deeper = new Proxy({}, { get: () => () => { throw new Error(message); } });
      })
      .finally(release);
  } else {
    handle(m);
  }
}

self.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'init') {
    simulator.initSync({ module: m.module });
    self.postMessage({ type: 'ready' });
    release();
  } else {
    route(m);
  }
};
