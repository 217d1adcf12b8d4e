// Training inside a simulation worker: one network per worker, trained in slices of about 25 ms
// so that a pause or a new network is answered between slices, with its progress posted to the
// page about ten times a second.
//
// Messages in ({ type: 'train', cmd, token, … }):
//   create { config, res }   builds the network (the token tags every later message about it)
//   run { steps }            trains until `steps` (or divergence)
//   pause                    stops after the current slice
//   free                     drops the network
// Messages out: { type: 'train-progress', token, step, loss, accuracy, diverged, divergedAt,
//   losses (recorded since the last message), probs (P(class 1) on res × res), points (first
//   message only), spread (when stopped), running }.

import { RECORD_EVERY } from './format.js';

const CHUNK = 10;
const SLICE_MS = 25;
const POST_MS = 100;

let run = null;

// Zero-delay yields between slices (a timeout would be clamped to 4 ms when nested).
let channel = null;
function later() {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => slice();
  }
  channel.port2.postMessage(null);
}

function snapshot(full) {
  const r = run;
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

function record() {
  const p = run.trainer.progress();
  run.loss = p.loss;
  run.accuracy = p.accuracy;
  if (p.diverged) {
    run.diverged = true;
    run.divergedAt = p.step;
  } else {
    run.losses.push(p.loss);
  }
}

function slice() {
  if (!run?.running) return;
  const t0 = performance.now();
  while (performance.now() - t0 < SLICE_MS && run.step < run.target && !run.diverged) {
    run.trainer.train(CHUNK);
    run.step += CHUNK;
    if (run.step % RECORD_EVERY === 0) record();
  }
  const done = run.diverged || run.step >= run.target;
  if (done) run.running = false;
  if (done || performance.now() - run.posted >= POST_MS) run.post(snapshot(false));
  if (run.running) later();
}

function free() {
  run?.trainer.free();
  run = null;
}

/** Handles one `train` message; `post` sends an answer to the page. */
export function trainerMessage(sim, m, post) {
  if (m.cmd === 'create') {
    free();
    const trainer = new sim.Trainer(m.config);
    const p = trainer.progress();
    // A run whose very first outputs overflow has diverged before it started.
    run = {
      trainer, token: m.token, res: m.res, post, step: 0, target: 0, running: false,
      loss: p.loss, accuracy: p.accuracy, diverged: p.diverged, divergedAt: 0,
      losses: p.diverged ? [] : [p.loss], sent: 0, posted: 0,
    };
    post(snapshot(true));
    return;
  }
  if (!run || run.token !== m.token) return;
  if (m.cmd === 'run') {
    run.target = m.steps;
    if (!run.running && !run.diverged && run.step < run.target) {
      run.running = true;
      later();
    } else {
      post(snapshot(false));
    }
  } else if (m.cmd === 'pause') {
    if (run.running) {
      run.running = false;
      post(snapshot(false));
    }
  } else if (m.cmd === 'free') {
    free();
  }
}
