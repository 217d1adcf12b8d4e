// The simulation worker: every `simulate`, `weights` and training step runs here, off the page's
// main thread, which only draws. One WebAssembly instance per worker, made from the compiled
// module the page sends (so the module is fetched and compiled once).
//
// Messages in:
//   { type: 'init', module }                      a compiled WebAssembly.Module
//   { type: 'compute', id, figure, state }        runs FIGURES[figure].compute(simulator, state)
//   { type: 'train', ... }                        see trainer.js
// Messages out:
//   { type: 'ready' } · { type: 'result', id, data } · { type: 'error', id, message }
import * as simulator from '../simulator.js';
import { FIGURES } from './figures.js';
import { trainerMessage } from './trainer.js';

// Messages that arrive before the module are kept, in order, until it does.
let early = [];

function handle(m) {
  if (m.type === 'compute') {
    try {
      const data = FIGURES[m.figure].compute(simulator, m.state);
      self.postMessage({ type: 'result', id: m.id, data });
    } catch (e) {
      self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
    }
  } else if (m.type === 'train') {
    trainerMessage(simulator, m, (out) => self.postMessage(out));
  }
}

self.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'init') {
    simulator.initSync({ module: m.module });
    self.postMessage({ type: 'ready' });
    const waiting = early;
    early = null;
    for (const w of waiting) handle(w);
  } else if (early) {
    early.push(m);
  } else {
    handle(m);
  }
};
