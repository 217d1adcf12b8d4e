// The simulation worker: every `simulate`, `weights` and training step runs here, off the page's
// main thread, which only draws. One WebAssembly instance per worker, made from the compiled
// module the page sends (so the module is fetched and compiled once). Figures of the article's
// later sections (`module: 'deeper'`) and training compute with the second module (deeper.js),
// which the worker loads the first time one of them asks.
//
// A figure with one large simulation (`simulation(state)` in figures.js, the explorer) runs it a
// layer at a time, giving the event loop a turn every few milliseconds: a newer request for it
// then drops the older one at once rather than waiting behind it. Such a simulation can also be
// split across two workers, each running half of the batch: when both are done, each sends the
// other (through the page) its values of the layers the other measures, and measures half of the
// layers with both halves; the page joins the two halves of the result (the same numbers, bit for
// bit, as one worker's).
//
// Messages in:
//   { type: 'init', module }                                  a compiled WebAssembly.Module
//   { type: 'compute', id, figure, state, job?, part?, parts? } FIGURES[figure], whole or one part
//   { type: 'part', job, part, values | error }               another worker's part of request `job`
//   { type: 'train', ... }                                    see trainer.js
// Messages out:
//   { type: 'ready' } · { type: 'result', id, data, memory } · { type: 'error', id, message }
//   (memory: the bytes both modules' WebAssembly memories hold, which never shrink: the page
//   replaces a worker whose memory grew large once it is idle, to give it back)
//   { type: 'values', id, job, part, values }                 this part's values, for the others
//   { type: 'cancelled', id }                                 dropped for a newer request
//   { type: 'progress', id, progress }                        share of a long simulation done
import * as simulator from '../simulator.js';
import { FIGURES } from './figures.js';

// Messages that arrive before a module they need are held, in order, until it is there: the
// simulator's before 'init', the second module's while it loads. `held` is null when none waits.
let held = [];
let deeper = null;
// The modules' exports, for their memory's size.
let mainExports = null;
let deeperExports = null;
const memory = () => (mainExports?.memory.buffer.byteLength ?? 0) + (deeperExports?.memory.buffer.byteLength ?? 0);
const result = (id, data, transfer) => self.postMessage({ type: 'result', id, data, memory: memory() }, transfer);
// The training loop (trainer.js), loaded with the second module: not part of the page's first view.
let trainerMessage = null;

// The layered simulation under way: { id, job, run, cancelled, parts: values that arrived, wake }.
let current = null;
// Parts that arrived before this worker started the request they belong to, by job.
const early = new Map();

/** A turn of the event loop without a timer's clamping: resolves on the next task. */
const channel = new MessageChannel();
const turns = [];
channel.port1.onmessage = () => turns.shift()?.();
const nextTask = () => new Promise((resolve) => {
  turns.push(resolve);
  channel.port2.postMessage(0);
});

/** Drops the simulation under way: its memory (and the weights it holds) is freed now. */
function cancel() {
  if (!current) return;
  current.cancelled = true;
  current.run?.free();
  current.wake?.();
  self.postMessage({ type: 'cancelled', id: current.id });
  current = null;
}

/** The share of a split run's work that its layers' steps take (the exchange and the measuring take the rest). */
const STEPPING = 0.8;

/** Milliseconds of work between turns of the event loop. */
const SLICE = 8;

async function layered(m, def) {
  cancel();
  const job = { id: m.id, job: m.job, run: null, cancelled: false, values: early.get(m.job) ?? [], failed: null, wake: null };
  early.clear();
  current = job;
  const parts = m.parts ?? 1;
  const part = m.part ?? 0;
  const config = def.simulation(m.state);
  try {
    job.run = new simulator.SimulationRun(config, { part, parts });
    const start = performance.now();
    let t = start;
    let told = -Infinity;
    while (!job.run.step()) {
      const now = performance.now();
      if (now - t < SLICE) continue;
      // How far it is, from when the page shows "Computing…" (after 100 ms), then a few times a
      // second: each message makes the page lay out and paint, on a core the workers also need.
      if (part === 0 && now - start > 100 && now - told > 200) {
        told = now;
        self.postMessage({ type: 'progress', id: m.id, progress: (parts > 1 ? STEPPING : 1) * job.run.progress });
      }
      await nextTask();
      if (job.cancelled) return;
      t = performance.now();
    }
    // A split run's parts then swap values and measure their layers, the last fifth of the work;
    // the page, which shows "Computing…" after 100 ms, hears how far it is before that starts.
    if (part === 0 && parts > 1) self.postMessage({ type: 'progress', id: m.id, progress: STEPPING });
    if (parts === 1) {
      const r = job.run.result();
      result(m.id, def.compute(simulator, m.state, r));
      return;
    }
    // This part's values go to the other workers and theirs come here: each worker then measures
    // its share of the layers with every part's values, and the page joins the shares. A worker
    // is sent only the values of the layers its share measures (and of the layer before them).
    const layers = config.layers;
    const shareOf = (p) => ({ from: Math.floor((p * layers) / parts), to: Math.floor(((p + 1) * layers) / parts) });
    const others = Array.from({ length: parts }, (_, p) => p).filter((p) => p !== part).map(shareOf);
    const needed = { from: Math.min(...others.map((s) => s.from)), to: Math.max(...others.map((s) => s.to)) };
    const mine = job.run.partValues(needed);
    self.postMessage({ type: 'values', id: m.id, job: m.job, part, values: mine }, [mine.buffer]);
    while (job.values.length < parts - 1 && !job.cancelled && !job.failed) {
      await new Promise((resolve) => { job.wake = resolve; });
    }
    if (job.cancelled) return;
    if (job.failed) throw job.failed;
    const values = job.values.sort((a, b) => a.part - b.part).map((v) => v.values);
    const r = job.run.mergeWith(config, values, shareOf(part));
    result(m.id, r);
  } catch (e) {
    if (!job.cancelled) self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
  } finally {
    job.run?.free();
    if (current === job) current = null;
  }
}

function handle(m) {
  if (m.type === 'compute') {
    const def = FIGURES[m.figure];
    if (def?.simulation) {
      layered(m, def);
      return;
    }
    try {
      const data = def.compute(def.module === 'deeper' ? deeper : simulator, m.state);
      result(m.id, data);
    } catch (e) {
      self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
    }
  } else if (m.type === 'part') {
    // Another worker's part's values, or the error that stopped it.
    const job = current?.job === m.job ? current : null;
    if (m.error !== undefined) {
      if (job) job.failed = new Error(m.error);
    } else if (job) {
      job.values.push({ part: m.part, values: m.values });
    } else {
      early.set(m.job, [...(early.get(m.job) ?? []), { part: m.part, values: m.values }]);
    }
    job?.wake?.();
  } else if (m.type === 'train') {
    trainerMessage(deeper, m, (out) => self.postMessage(out));
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
  } else if (!deeper && (m.type === 'train' || (m.type === 'compute' && FIGURES[m.figure]?.module === 'deeper'))) {
    held = [m];
    Promise.all([import('../deeper.js'), import('./trainer.js')])
      .then(async ([api, trainer]) => {
        trainerMessage = trainer.trainerMessage;
        deeperExports = await api.default();
        deeper = api;
      })
      .catch((e) => {
        const message = `the second simulation module could not be loaded: ${e?.message ?? e}`;
        deeper = new Proxy({}, { get: () => () => { throw new Error(message); } });
        trainerMessage ??= (_, t, post) => {
          if (t.cmd === 'create') post({ type: 'train-error', token: t.token, message });
        };
      })
      .finally(release);
  } else {
    handle(m);
  }
}

self.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'init') {
    mainExports = simulator.initSync({ module: m.module });
    self.postMessage({ type: 'ready' });
    release();
  } else {
    route(m);
  }
};
