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
//   losses (recorded since the last message), probs (P(class 1) on res × res), points (first
//   message only), spread (when stopped), running }.

import { RECORD_EVERY } from './format.js';

const CHUNK = 10;
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
    probs: r.trainer.boundary(r.res),
  };
  r.sent = r.losses.length;
  r.posted = performance.now();
  if (full) out.points = r.trainer.points();
  // The neuron spread needs a pass over the whole data set: only when training stops.
  if (!r.running) out.spread = r.trainer.neuronSpread();
  return out;
}

function record(r) {
  const p = r.trainer.progress();
  r.loss = p.loss;
  r.accuracy = p.accuracy;
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

/** Handles one `train` message; `post` sends an answer to the page. */
export function trainerMessage(sim, m, post) {
  if (m.cmd === 'create') {
    const trainer = new sim.Trainer(m.config);
    const p = trainer.progress();
    // A run whose very first outputs overflow has diverged before it started.
    const r = {
      trainer, token: m.token, res: m.res, post, step: 0, target: 0, running: false,
      loss: p.loss, accuracy: p.accuracy, diverged: p.diverged, divergedAt: 0,
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
