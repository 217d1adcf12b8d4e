// The training figure: one network trained live under several initializations, in slices of a few
// milliseconds per animation frame so the page stays responsive.
import { schema } from '../simulator.js';
import { fmt, named, pow10, seedControl } from './format.js';

/** The runs the training figure compares: key, label, and the scheme config. */
const RUNS = [
  ['zeros', 'zeros', { scheme: 'zeros' }, 'zeros'],
  ['small', 'too small (σ = 0.01)', { scheme: 'normal', sigma: 0.01 }, 'σ = 0.01'],
  ['he', 'He', { scheme: 'he-normal' }, 'He'],
  ['xavier', 'Xavier', { scheme: 'xavier-normal' }, 'Xavier'],
  ['large', 'too large (σ = 1)', { scheme: 'normal', sigma: 1 }, 'σ = 1'],
];


const RECORD_EVERY = 50;
const CHUNK = 10;
const RES = 26;
let wasmForTraining = null;

export function setTrainingModule(wasm) {
  wasmForTraining = wasm;
}

function runKey(state) {
  return JSON.stringify([state.dataset, state.activation, state.layers, state.lr, state.seed, ...RUNS.map(([k]) => state[k])]);
}

function reset(fig) {
  const rt = fig.runtime;
  const wasm = wasmForTraining;
  pause(fig);
  for (const r of rt.runs) r.trainer.free();
  const s = fig.state;
  rt.key = runKey(s);
  rt.runs = RUNS.map(([key, label, scheme, short], k) => ({ key, label, short, scheme, color: [6, 4, 0, 1, 5][k] }))
    .filter((r) => s[r.key] === 1)
    .map((r) => {
      const config = { dataset: s.dataset, activation: s.activation, layers: s.layers, width: 16, lr: pow10(s.lr), seed: s.seed, ...r.scheme };
      const trainer = new wasm.Trainer(config);
      const p = trainer.progress();
      // A run whose very first outputs overflow has diverged before it started.
      return { ...r, config, trainer, losses: p.diverged ? [] : [p.loss], step: 0, loss: p.loss, accuracy: p.accuracy, diverged: p.diverged, divergedAt: 0 };
    });
  rt.lastBoundary = 0;
  rt.points = null;
  rt.next = 0;
  status(fig);
}

function status(fig) {
  const rt = fig.runtime;
  const done = Math.min(...rt.runs.map((r) => (r.diverged ? fig.state.steps : r.step)), fig.state.steps);
  rt.bar.value = rt.runs.length ? done / fig.state.steps : 0;
  rt.start.textContent = rt.running ? 'Pause' : done > 0 && done < fig.state.steps ? 'Resume' : done >= fig.state.steps ? 'Train further' : 'Start training';
  rt.status.textContent = rt.running ? `Training… step ${done} of ${fig.state.steps}` : done >= fig.state.steps ? `Done: ${done} steps.` : done > 0 ? `Paused at step ${done}.` : 'Not started.';
}

function pause(fig) {
  fig.runtime.running = false;
  status(fig);
}

/** Trains in slices of at most 8 ms per animation frame, so the page stays responsive. */
function play(fig) {
  const rt = fig.runtime;
  if (rt.running) return;
  if (rt.key !== runKey(fig.state)) reset(fig);
  if (rt.runs.every((r) => r.diverged || r.step >= fig.state.steps)) {
    fig.set({ steps: Math.min(8000, fig.state.steps + 1000) }, { commit: true });
  }
  rt.running = true;
  // One loop at a time: a loop whose token is no longer the newest ends at its next frame, so
  // however often Start, Pause and Restart are clicked, one loop trains.
  const token = (rt.loop = (rt.loop ?? 0) + 1);
  const tick = () => {
    if (!rt.running || rt.loop !== token) return;
    // Round-robin chunks of 10 steps (a few milliseconds each) until 8 ms of this frame are used.
    const t0 = performance.now();
    let busy = true;
    while (busy && performance.now() - t0 < 8) {
      busy = false;
      // Start each pass where the last one stopped, so every run gets its turn.
      for (let k = 0; k < rt.runs.length; k++) {
        const r = rt.runs[(rt.next + k) % rt.runs.length];
        if (r.diverged || r.step >= fig.state.steps) continue;
        busy = true;
        r.trainer.train(CHUNK);
        r.step += CHUNK;
        if (r.step % RECORD_EVERY === 0) {
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
        if (performance.now() - t0 >= 8) {
          rt.next = (rt.next + k + 1) % rt.runs.length;
          break;
        }
      }
    }
    if (!busy) rt.running = false;
    status(fig);
    fig.request();
    if (rt.running) requestAnimationFrame(tick);
  };
  status(fig);
  requestAnimationFrame(tick);
}

export const TRAINING = {
  title: 'Does it train? One network, five initializations',
  canvases: [
    { name: 'loss', label: 'Training loss per step for each initialization on a logarithmic axis.' },
    { name: 'boundaries', label: 'What each network predicts over the plane, with the data points on top.' },
  ],
  controls: [
    { key: 'dataset', type: 'select', label: 'Data', default: 'spiral', get options() { return named(schema().names.datasets, {}); } },
    { key: 'activation', type: 'select', label: 'Activation', default: 'relu', get options() { return named(schema().names.trainActivations, schema().labels); } },
    { key: 'layers', type: 'range', label: 'Depth', default: 20, min: 2, max: 30, step: 1 },
    { key: 'lr', type: 'range', label: 'Learning rate', default: -2, min: -3.5, max: -0.5, step: 0.05, show: (v) => fmt(pow10(v)) },
    { key: 'steps', type: 'range', label: 'Steps', default: 3000, min: 500, max: 8000, step: 500 },
    ...RUNS.map(([key, label]) => ({ key, type: 'toggle', label, default: 1 })),
    seedControl,
  ],
  setup(fig, ui, el) {
    const start = el('button', { type: 'button', 'data-action': 'train', class: 'primary', text: 'Start training' });
    const restart = el('button', { type: 'button', 'data-action': 'restart', text: 'Restart' });
    const bar = el('progress', { max: 1, value: 0, 'aria-label': 'Training progress' });
    const status = el('span', { class: 'train-status', 'aria-live': 'polite', text: 'Not started.' });
    ui.append(el('div', { class: 'train-bar' }, start, restart, bar, status));
    fig.runtime = { key: '', runs: [], running: false, start, bar, status, lastBoundary: 0 };
    start.addEventListener('click', () => (fig.runtime.running ? pause(fig) : play(fig)));
    restart.addEventListener('click', () => { reset(fig); play(fig); });
  },
  teardown(fig) {
    pause(fig);
    for (const r of fig.runtime.runs) r.trainer.free();
    fig.runtime.runs = [];
  },
  draw(wasm, state, canvases, theme, fig) {
    const rt = fig.runtime;
    if (rt.key !== runKey(state)) reset(fig);
    const step = RECORD_EVERY;
    wasm.drawLines(canvases.loss, {
      xLabel: 'training step', yLabel: 'loss (cross-entropy)', log: true, xStart: 0, xStep: step,
      // Each line is narrower than the one drawn before it, so runs whose losses coincide (stuck at
      // ln 2) show as stripes inside each other instead of hiding each other.
      series: rt.runs.map((r, i) => ({
        label: r.diverged ? `${r.label}: diverged at step ${r.divergedAt}` : `${r.label}: ${fmt(100 * r.accuracy)} %`,
        color: r.color, values: r.losses, width: 2 + 1.25 * (rt.runs.length - 1 - i),
      })),
    }, theme);
    // Each draw refreshes one run's predictions (round-robin; all of them when training is not
    // running), so no frame pays for every network at once.
    const stale = rt.runs.filter((r) => r.probsStep !== r.step || !r.probs);
    for (const r of rt.running ? stale.slice(0, 1) : stale) {
      r.probs = r.trainer.boundary(RES);
      r.probsStep = r.step;
    }
    const now = performance.now();
    if (!rt.running || now - rt.lastBoundary > 250) {
      rt.lastBoundary = now;
      rt.points ??= rt.runs[0]?.trainer.points() ?? [];
      wasm.drawBoundaries(canvases.boundaries, {
        // Five across on a wide screen, three on a phone.
        columns: Math.min(canvases.boundaries.width / (window.devicePixelRatio || 1) < 600 ? 3 : 5, Math.max(1, rt.runs.length)),
        panels: rt.runs.map((r) => ({
          title: r.diverged ? `${r.short}: diverged` : `${r.short}: ${fmt(100 * r.accuracy)} %`,
          res: RES, probs: r.probs, points: rt.points, alarm: r.diverged,
        })),
      }, theme);
    }
    const words = rt.runs.map((r) => (r.diverged ? `${r.label} diverged` : `${r.label} at ${fmt(100 * r.accuracy)} % accuracy`)).join(', ');
    return {
      summaries: { loss: `After ${Math.max(0, ...rt.runs.map((r) => r.step))} steps: ${words}.` },
      configs: rt.runs.map((r) => r.config),
      columns: ['initialization', 'steps', 'loss', 'accuracy', 'status', 'largest gap between neurons'],
      // The neuron spread needs a pass over the whole data set: only when training is not running.
      rows: rt.runs.map((r) => [r.label, r.step, r.loss, r.accuracy, r.diverged ? 'diverged' : 'finite', rt.running ? null : r.trainer.neuronSpread()]),
    };
  },
};
