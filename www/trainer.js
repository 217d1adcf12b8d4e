// Training inside a simulation worker: the networks it holds take turns, ten steps each, in
// slices of about 25 ms, so that a pause or a new network is answered between slices; each one's
// progress goes to the page about ten times a second.
//
// Messages in ({ type: 'train', cmd, token, … }):
//   create { config, res }   builds a network, named by the message's token from then on
//   run { steps }            trains it until `steps` (or divergence)
//   pause                    stops it after the current slice
//   free                     drops it
// Messages out: { type: 'train-progress', token, step, loss, accuracy, diverged, divergedAt,
//   losses (recorded since the last message), probs (P(class 1) on res × res; empty for the
//   digits), points (first message only), spread (when stopped), running, testAccuracy,
//   predictions (the first DIGITS test images' predicted digits, −1 for no single answer),
//   images (first message only: those images' labels and pixels) }
//   · { type: 'train-error', token, message } when a network cannot be built.
//
// The digits are fetched (www/data/digits.bin.gz) and decompressed here the first time a run asks
// for them: the page's first view never carries them.

import { RECORD_EVERY } from './format.js';

const CHUNK = 10;
/** Test digits shown with each run's answers. */
export const DIGITS = 12;
const SLICE_MS = 25;
const POST_MS = 100;

/** The networks this worker trains, by token. */
const runs = new Map();

// Zero-delay yields between slices (a timeout would be clamped to 4 ms when nested).
let channel = null;
let scheduled = false;
function later() {
  if (scheduled) return;
  scheduled = true;
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => {
      scheduled = false;
      slice();
    };
  }
  channel.port2.postMessage(null);
}

function snapshot(r, full) {
  const out = {
    type: 'train-progress', token: r.token, step: r.step, loss: r.loss, accuracy: r.accuracy,
    diverged: r.diverged, divergedAt: r.divergedAt, losses: r.losses.slice(r.sent), running: r.running,
    probs: r.trainer.boundary(r.res), testAccuracy: r.testAccuracy,
    predictions: Array.from(r.trainer.predictions(DIGITS), (c) => (Number.isNaN(c) ? -1 : c)),
  };
  r.sent = r.losses.length;
  r.posted = performance.now();
  if (full) {
    out.points = r.trainer.points();
    out.images = r.trainer.testPoints(DIGITS);
  }
  // The neuron spread needs a pass over the whole data set: only when training stops.
  if (!r.running) out.spread = r.trainer.neuronSpread();
  return out;
}

function record(r) {
  const p = r.trainer.progress();
  r.loss = p.loss;
  r.accuracy = p.accuracy;
  r.testAccuracy = p.testAccuracy;
  if (p.diverged) {
    r.diverged = true;
    r.divergedAt = p.step;
  } else {
    r.losses.push(p.loss);
  }
}

/** Trains the running networks in turn, CHUNK steps each, for one slice. */
function slice() {
  const active = () => [...runs.values()].filter((r) => r.running);
  const t0 = performance.now();
  let busy = active();
  while (busy.length && performance.now() - t0 < SLICE_MS) {
    for (const r of busy) {
      r.trainer.train(CHUNK);
      r.step += CHUNK;
      if (r.step % RECORD_EVERY === 0) record(r);
      if (r.diverged || r.step >= r.target) {
        r.running = false;
        r.post(snapshot(r, false));
      }
    }
    busy = active();
  }
  for (const r of busy) if (performance.now() - r.posted >= POST_MS) r.post(snapshot(r, false));
  if (busy.length) later();
}

let digits = null;

/** Fetches, decompresses and loads the digits into this worker's training module, once: the `Digits` the trainers learn. */
function loadDigits(sim) {
  digits ??= (async () => {
    const response = await fetch(new URL('./data/digits.bin.gz', import.meta.url));
    if (!response.ok) throw new Error(`the digits data could not be loaded (HTTP ${response.status})`);
    const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
    return sim.loadDigits(bytes);
  })();
  digits.catch(() => { digits = null; });
  return digits;
}

// Messages are handled in order; building a digits network may first wait for the data.
let queue = Promise.resolve();

/** Handles one `train` message; `post` sends an answer to the page. */
export function trainerMessage(sim, m, post) {
  queue = queue.then(() => handle(sim, m, post));
}

async function handle(sim, m, post) {
  if (m.cmd === 'create') {
    let trainer;
    try {
      const data = m.config.dataset === 'digits' ? await loadDigits(sim) : undefined;
      trainer = new sim.Trainer(m.config, data);
    } catch (e) {
      post({ type: 'train-error', token: m.token, message: String(e?.message ?? e) });
      return;
    }
    const p = trainer.progress();
    // A run whose very first outputs overflow has diverged before it started.
    const r = {
      trainer, token: m.token, res: m.res, post, step: 0, target: 0, running: false,
      loss: p.loss, accuracy: p.accuracy, testAccuracy: p.testAccuracy, diverged: p.diverged, divergedAt: 0,
      losses: p.diverged ? [] : [p.loss], sent: 0, posted: 0,
    };
    runs.set(m.token, r);
    post(snapshot(r, true));
    return;
  }
  const r = runs.get(m.token);
  if (!r) return;
  if (m.cmd === 'run') {
    r.target = m.steps;
    if (!r.running && !r.diverged && r.step < r.target) {
      r.running = true;
      later();
    } else {
      post(snapshot(r, false));
    }
  } else if (m.cmd === 'pause') {
    if (r.running) {
      r.running = false;
      post(snapshot(r, false));
    }
  } else if (m.cmd === 'free') {
    r.trainer.free();
    runs.delete(m.token);
  }
}
