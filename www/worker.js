// The simulation worker: every figure's `compute`, and every training step, runs here, off the
// page's main thread, which only draws. One WebAssembly instance per worker, made from the
// compiled module the page sends (so the module is fetched and compiled once). Figures of the
// article's later sections (`module: 'deeper'`) and training compute with the second module
// (deeper.js), which the worker loads the first time one of them asks.
//
// A figure with one large simulation (`simulation(state)`, the explorer) runs it a layer at a
// time, giving the event loop a turn every few milliseconds: a newer request then drops the older
// one at once rather than waiting behind it. Given a peer (another worker, over a MessageChannel
// of their own), this worker leads: it asks the core for a split plan, and when the core splits
// the run, the peer runs the other part of the batch; the two swap the values each needs, each
// measures its share of the layers, and the lead joins the shares (the same numbers, bit for
// bit, as one worker's) and runs the figure's `compute` on them.
//
// From the page:
//   { type: 'init', module }                   a compiled WebAssembly.Module
//   { type: 'peer', port }                     the channel to the peer (replaces any earlier one)
//   { type: 'compute', id, figure, state }     FIGURES[figure].compute for `state`
//   { type: 'train', ... }                     see trainer.js
//   { type: 'key', id, exercise, module, state }
//                                              the answer key of exercise `figure/id` (see
//                                              exercises/index.js) for the figure's `state`
// To the page:
//   { type: 'ready' } · { type: 'result', id, data, memory, peerMemory, parts } · { type: 'error', id, message }
//   (memory, peerMemory: the bytes this worker's and the peer's WebAssembly memories hold, which
//   never shrink, so the page replaces idle workers whose memory grew large; parts: how many
//   workers the run took, for a layered figure)
//   { type: 'cancelled', id }                  dropped for a newer request
//   { type: 'progress', id, progress }         the share of a long simulation done
// Between lead and peer (over the port):
//   { type: 'run', job, figure, state, part, parts }   lead → peer: run this part of the core's plan
//   { type: 'values', job, values }                    each → the other: the values its share needs
//   { type: 'piece', job, data, memory }               peer → lead: the peer's share, measured
//   { type: 'failed', job, message }                   either → the other: this part stopped
//   { type: 'cancel', job }                            lead → peer: drop it
import * as simulator from './simulator.js';
import { FIGURES } from './figures/index.js';

// Messages that arrive before a module they need are held, in order, until it is there: the
// simulator's before 'init', the second module's while it loads. `held` is null when none waits.
let held = [];
let deeper = null;
// The modules' exports, for their memory's size.
let mainExports = null;
let deeperExports = null;
const memory = () => (mainExports?.memory.buffer.byteLength ?? 0) + (deeperExports?.memory.buffer.byteLength ?? 0);
// The training loop (trainer.js), loaded with the second module: not part of the page's first view.
let trainerMessage = null;

/** The channel to the other worker of a split run, and its messages for the run under way. */
let port = null;

/** The layered run under way in this worker (lead or peer), or null. */
let current = null;
let jobs = 0;

/** A turn of the event loop without a timer's clamping: resolves on the next task. */
const channel = new MessageChannel();
const turns = [];
channel.port1.onmessage = () => turns.shift()?.();
const nextTask = () => new Promise((resolve) => {
  turns.push(resolve);
  channel.port2.postMessage(0);
});

/** The share of a split run's work that its layers' steps take (the exchange and measuring take the rest). */
const STEPPING = 0.8;

/** Milliseconds of work between turns of the event loop. */
const SLICE = 8;

/**
 * The layered run under way: part `part` of `parts` of job `job` (the lead's number for it), with
 * the other part's messages for it in `inbox`. The port keeps messages in order, and the lead
 * posts 'run' before anything else of a job, so none arrives before its job starts.
 */
function startJob(job, part, parts) {
  current = { job, part, parts, run: null, cancelled: false, inbox: [], wake: null };
  return current;
}

/** Waits for the other part's message of `type` (or its failure, or a cancellation). */
async function receive(run, type) {
  for (;;) {
    if (run.cancelled) return null;
    const k = run.inbox.findIndex((m) => m.type === type || m.type === 'failed');
    if (k >= 0) {
      const [m] = run.inbox.splice(k, 1);
      if (m.type === 'failed') throw new Error(m.message);
      return m;
    }
    await new Promise((resolve) => { run.wake = resolve; });
  }
}

/** Steps `run` to its end, a slice at a time; `tell(share)` hears how far it is. False if dropped. */
async function stepAll(job, tell) {
  const start = performance.now();
  let t = start;
  let told = -Infinity;
  while (!job.run.step()) {
    const now = performance.now();
    if (now - t < SLICE) continue;
    // How far it is, from when the page shows "Computing…" (after 100 ms), then a few times a
    // second: each message makes the page lay out and paint, on a core the workers also need.
    if (tell && now - start > 100 && now - told > 200) {
      told = now;
      tell(job.run.progress);
    }
    await nextTask();
    if (job.cancelled) return false;
    t = performance.now();
  }
  return true;
}

/** Drops the run under way: its memory (and the weights it holds) is freed now. */
function cancel(notify) {
  if (!current) return;
  const job = current;
  job.cancelled = true;
  job.run?.free();
  job.wake?.();
  if (job.part === 0 && job.parts > 1) port?.postMessage({ type: 'cancel', job: job.job });
  if (notify) notify(job);
  current = null;
}

/** The lead's side of a layered figure's request: whole, or part 0 of a split run. */
async function lead(m, def) {
  cancel((job) => job.id !== undefined && self.postMessage({ type: 'cancelled', id: job.id }));
  const config = def.simulation(m.state);
  let job = null;
  try {
    job = startJob(++jobs, 0, 1);
    job.id = m.id;
    // The core plans the run: whole, or split over this worker and the peer.
    job.run = new simulator.SimulationRun(config, { cores: port ? 2 : 1 });
    const { parts } = job.run.plan;
    job.parts = parts;
    if (parts > 1) port.postMessage({ type: 'run', job: job.job, figure: m.figure, state: m.state, part: 1, parts });
    const share = parts > 1 ? STEPPING : 1;
    const tell = (p) => self.postMessage({ type: 'progress', id: m.id, progress: share * p });
    if (!(await stepAll(job, tell))) return;
    if (parts === 1) {
      self.postMessage({ type: 'result', id: m.id, data: def.compute(simulator, m.state, job.run.result()), memory: memory(), parts: 1 });
      return;
    }
    // Swap values with the peer; measure this part's share of the layers; join the peer's.
    tell(1);
    const mine = job.run.sendValues();
    port.postMessage({ type: 'values', job: job.job, values: mine }, [mine.buffer]);
    const theirs = await receive(job, 'values');
    if (!theirs) return;
    const own = job.run.mergeShare([theirs.values]);
    const piece = await receive(job, 'piece');
    if (!piece) return;
    const r = simulator.joinResults([own, piece.data]);
    self.postMessage({ type: 'result', id: m.id, data: def.compute(simulator, m.state, r), memory: memory(), peerMemory: piece.memory, parts });
  } catch (e) {
    if (job && !job.cancelled && job.parts > 1) port?.postMessage({ type: 'failed', job: job.job, message: String(e?.message ?? e) });
    if (!job?.cancelled) self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
  } finally {
    job?.run?.free();
    if (job && current === job) current = null;
  }
}

/** The peer's side: part `m.part` of the lead's run `m.job`. */
async function follow(m) {
  cancel();
  const def = FIGURES[m.figure];
  const job = startJob(m.job, m.part, m.parts);
  const fail = (e) => port?.postMessage({ type: 'failed', job: m.job, message: String(e?.message ?? e) });
  try {
    job.run = new simulator.SimulationRun(def.simulation(m.state), { part: m.part, parts: m.parts });
    if (!(await stepAll(job, null))) return;
    const mine = job.run.sendValues();
    port.postMessage({ type: 'values', job: m.job, values: mine }, [mine.buffer]);
    const theirs = await receive(job, 'values');
    if (!theirs) return;
    const data = job.run.mergeShare([theirs.values]);
    port.postMessage({ type: 'piece', job: m.job, data, memory: memory() });
  } catch (e) {
    if (!job.cancelled) fail(e);
  } finally {
    job.run?.free();
    if (current === job) current = null;
  }
}

/** A message from the other worker of a split run. */
function fromPeer(m) {
  if (m.type === 'run') {
    follow(m);
    return;
  }
  if (m.type === 'cancel') {
    if (current?.job === m.job) cancel();
  } else if (current?.job === m.job) {
    current.inbox.push(m);
    current.wake?.();
  }
}

function handle(m) {
  if (m.type === 'compute') {
    const def = FIGURES[m.figure];
    if (def?.simulation) {
      lead(m, def);
      return;
    }
    try {
      const data = def.compute(def.module === 'deeper' ? deeper : simulator, m.state);
      self.postMessage({ type: 'result', id: m.id, data, memory: memory() });
    } catch (e) {
      self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
    }
  } else if (m.type === 'key') {
    answerKey(m);
  } else if (m.type === 'train') {
    trainerMessage(deeper, m, (out) => self.postMessage(out));
  } else if (m.type === 'from-peer') {
    fromPeer(m.message);
  }
}

/** The exercises, loaded the first time a key is asked for. */
let exercises = null;

/** Computes an exercise's answer key with the simulator, for the figure's state in `m`. */
async function answerKey(m) {
  try {
    exercises ??= import('./exercises/index.js');
    const ex = (await exercises).exercise(m.exercise);
    if (!ex?.key) throw new Error(`there is no exercise ${m.exercise} with a key`);
    const sim = m.module === 'deeper' ? deeper : simulator;
    self.postMessage({ type: 'result', id: m.id, data: ex.key(sim, m.state, FIGURES[ex.figure]), memory: memory() });
  } catch (e) {
    self.postMessage({ type: 'error', id: m.id, message: String(e?.message ?? e) });
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
  } else if (!deeper && (m.type === 'train' || (m.type === 'key' && m.module === 'deeper') || (m.type === 'compute' && FIGURES[m.figure]?.module === 'deeper'))) {
    held = [m];
    Promise.all([import('./deeper.js'), import('./trainer.js')])
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
  } else if (m.type === 'peer') {
    port?.close();
    port = m.port;
    // The peer's messages wait, like the page's, for this worker's module.
    port.onmessage = (e) => (held ? held.push({ type: 'from-peer', message: e.data }) : fromPeer(e.data));
  } else {
    route(m);
  }
};
