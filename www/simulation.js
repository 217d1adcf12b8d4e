// The page's one route to the simulator: a figure asks `simulation.run(state)` for its numbers and
// gets them back, computed in a worker, with progress and cancellation. Whether the run took one
// worker or two is this file's business and the workers': the page never sees a part.
//
//   const simulation = createSimulation(FIGURES.explorer);
//   const data = await simulation.run(state, { onProgress: (share) => … });   // newest run wins
//   simulation.destroy();
//
// A figure with one large simulation (`simulation(state)` in its module, the explorer) may have
// a second worker, the lead's peer, joined to it by a MessageChannel: the lead asks the core for a
// split plan (`splitPlan`), hands the peer its part over the channel, and joins the two halves
// itself (see worker.js). On a device without the cores or the memory for two, one worker runs it.
import { compiled } from './boot.js';

/**
 * A worker whose modules' memory passed this many bytes is replaced once it is idle: WebAssembly
 * memory never shrinks, so this gives back what one large simulation (or many) took.
 */
export const RECYCLE_BYTES = 384 << 20;

/**
 * A simulation worker with its own WebAssembly instance. `call(message)` posts a message with a
 * fresh `id` and resolves with the worker's answer to it (rejects, with `cancelled` set, when the
 * worker dropped it for a newer one); `listen(fn)` receives every other message (progress,
 * training, a dropped request). Failing to start rejects every call with the reason.
 * `restart()` replaces the worker by a fresh one (its memory given back).
 */
export function spawnWorker() {
  const waiting = new Map();
  const listeners = new Set();
  let nextId = 1;
  let broken = null;
  let worker = null;
  const fail = (message) => {
    broken = new Error(message);
    for (const w of waiting.values()) w.reject(broken);
    waiting.clear();
  };
  const answer = (m) => {
    const w = waiting.get(m.id);
    if (!w || !(m.type === 'result' || m.type === 'error' || m.type === 'cancelled')) return false;
    waiting.delete(m.id);
    if (m.type === 'error') w.reject(new Error(m.message));
    else if (m.type === 'cancelled') w.reject(Object.assign(new Error('replaced by a newer request'), { cancelled: true }));
    else w.resolve(m);
    return m.type !== 'cancelled';
  };
  const start = () => {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event) => {
      const m = event.data;
      if (m.type === 'ready') performance.mark('worker-ready');
      // Everything but an answer is news to the listeners (progress, training, a dropped request).
      if (!answer(m)) for (const fn of listeners) fn(m);
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      fail(`the simulation worker stopped: ${e.message || 'it could not be started'}`);
    };
    worker.onmessageerror = () => fail('the simulation worker sent a message that could not be read');
    compiled.then((module) => worker.postMessage({ type: 'init', module }), (e) => fail(String(e?.message ?? e)));
  };
  start();
  return {
    /** Resolves with the worker's `{ type: 'result', data, memory }` for `message`. */
    call(message, transfer = []) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...message, id }, transfer);
      });
    },
    post(message, transfer = []) {
      worker.postMessage(message, transfer);
    },
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    get idle() {
      return waiting.size === 0;
    },
    restart() {
      worker.terminate();
      broken = null;
      start();
    },
    terminate() {
      worker.terminate();
      fail('the simulation worker was closed');
    },
  };
}

/** Workers started ahead of their figure's simulation, by figure name. */
const warm = new Map();

/**
 * Starts the worker of the figure `def` now, so that it loads its modules while the page's
 * WebAssembly compiles; the figure's simulation takes it over. For the first figure on the screen.
 */
export function prewarm(def) {
  if (def?.compute && !warm.has(def.name)) warm.set(def.name, spawnWorker());
}

/**
 * Whether this device can give a figure a second worker: it holds the network's weights too
 * (210 MB at the explorer's largest setting), so only with the cores and, where the browser
 * says, the memory for it.
 */
function peers() {
  const nav = globalThis.navigator ?? {};
  return (nav.deviceMemory ?? 8) >= 4 && (nav.hardwareConcurrency ?? 1) >= 2 ? 1 : 0;
}

/**
 * The simulation of the figure `def` (a module of www/figures/): `run(state, { onProgress })` resolves with the figure's
 * numbers for `state` (its `compute`, run in a worker), or rejects with the error that stopped
 * it; a run started while another is under way replaces it (the older one rejects with
 * `cancelled` set). Options: `recycleAbove`, the bytes of WebAssembly memory past which an idle
 * worker is replaced.
 */
export function createSimulation(def, { recycleAbove = RECYCLE_BYTES } = {}) {
  if (typeof def?.compute !== 'function') throw new Error(`createSimulation: a figure with a compute (got ${String(def?.name ?? def)})`);
  const { name } = def;
  const lead = warm.get(name) ?? spawnWorker();
  warm.delete(name);
  let peer = null;
  let onProgress = null;
  lead.listen((m) => {
    if (m.type === 'progress') onProgress?.(m.progress);
  });
  // The peer, for a figure with one large simulation, joined to the lead by a channel of their
  // own: what passes between the halves of a run never crosses the page.
  const join = () => {
    const channel = new MessageChannel();
    lead.post({ type: 'peer', port: channel.port1 }, [channel.port1]);
    peer.post({ type: 'peer', port: channel.port2 }, [channel.port2]);
  };
  if (def.simulation && peers() > 0) {
    peer = spawnWorker();
    join();
  }
  // The newest run: only its progress is shown.
  let latest = 0;
  // What the runs took (see `stats`).
  const stats = { runs: 0, recycled: 0, last: null };
  return {
    run(state, { onProgress: progress } = {}) {
      const job = ++latest;
      onProgress = progress ?? null;
      // A figure computed a layer at a time takes each request at once (the worker drops the
      // older between two layers); the others answer one at a time, in order.
      return lead.call({ type: 'compute', figure: name, state }).then((m) => {
        if (job === latest) onProgress = null;
        stats.runs++;
        stats.last = { parts: m.parts ?? 1, memory: m.memory, peerMemory: m.peerMemory ?? null };
        // Both workers idle (the lead joins the peer's half before it answers): give back memory
        // that one large run took.
        if (lead.idle && job === latest) {
          const big = m.memory > recycleAbove || (m.peerMemory ?? 0) > recycleAbove;
          if (big) {
            stats.recycled++;
            lead.restart();
            peer?.restart();
            if (peer) join();
          }
        }
        return m.data;
      });
    },
    /**
     * What the runs took, for the page benchmark and the tests: `{ runs, recycled, last }`, the
     * runs answered, how many times the workers were replaced, and the last run's `{ parts,
     * memory, peerMemory }` (workers used, bytes of WebAssembly memory in the lead and the peer).
     */
    get stats() {
      return { ...stats };
    },
    /** The lead worker, for a figure that talks to it itself (the training figure's runs). */
    get worker() {
      return lead;
    },
    destroy() {
      lead.terminate();
      peer?.terminate();
    },
  };
}

/** The worker that computes exercises' answer keys, started by the first one asked for. */
let answers = null;

/**
 * The answer key of exercise `ex` (see exercises/index.js) for its figure's `state`, computed by
 * the simulator in a worker of its own: `ex.key(sim, state, figure)`'s result.
 */
export function answerKey(ex, state, figure) {
  answers ??= spawnWorker();
  const module = ex.module ?? figure.module ?? 'main';
  return answers.call({ type: 'key', exercise: `${ex.figure}/${ex.id}`, module, state }).then((m) => m.data);
}
