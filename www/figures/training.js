// The training figure: one network trained live under several initializations, in workers; the
// page only draws what they report, so it stays responsive however long training takes.
import { schema } from '../simulator.js';
import { RECORD_EVERY, fmt, logControl, named, pow10, seedControl } from '../format.js';

/** The runs the training figure compares: key, label, and the scheme config. */
const RUNS = [
  ['zeros', 'zeros', { scheme: 'zeros' }, 'zeros'],
  ['small', 'too small (σ = 0.01)', { scheme: 'normal', sigma: 0.01 }, 'σ = 0.01'],
  ['he', 'He', { scheme: 'he-normal' }, 'He'],
  ['xavier', 'Xavier', { scheme: 'xavier-normal' }, 'Xavier'],
  ['large', 'too large (σ = 1)', { scheme: 'normal', sigma: 1 }, 'σ = 1'],
];


const RES = 26;
let tokens = 0;

/**
 * The learning rate (log₁₀) the figure starts from for a data set and an optimizer: where He
 * learns within the default 3,000 steps. Picking a data set or an optimizer moves the slider here.
 */
export function recommendedLr(state) {
  return state.optimizer === 'adam' || state.dataset === 'digits' ? -3 : -2;
}

function runKey(state) {
  return JSON.stringify([state.dataset, state.activation, state.layers, state.lr, state.optimizer, state.seed, ...RUNS.map(([k]) => state[k])]);
}

/**
 * Builds the selected runs' networks afresh in the figure's workers: one fewer than the machine
 * has cores (at least one), so that the page keeps a core to draw on; the runs share them.
 */
function reset(fig) {
  const rt = fig.runtime;
  pause(fig);
  for (const r of rt.runs) r.worker.post({ type: 'train', cmd: 'free', token: r.token });
  const s = fig.state;
  rt.key = runKey(s);
  rt.points = null;
  rt.images = null;
  rt.error = null;
  const size = Math.max(1, Math.min(RUNS.length, (navigator.hardwareConcurrency || 2) - 1));
  while (rt.workers.length < size) rt.spawn();
  rt.runs = RUNS.map(([key, label, scheme, short], k) => ({ key, label, short, scheme, color: [6, 4, 0, 1, 5][k] }))
    .filter((r) => s[r.key] === 1)
    .map((r, i) => {
      const config = { dataset: s.dataset, activation: s.activation, layers: s.layers, width: 16, lr: pow10(s.lr), optimizer: s.optimizer, seed: s.seed, ...r.scheme };
      const worker = rt.workers[i % size];
      const token = ++tokens;
      worker.post({ type: 'train', cmd: 'create', token, config, res: RES });
      return { ...r, config, worker, token, losses: [], step: 0, loss: null, accuracy: null, testAccuracy: null, predictions: [], diverged: false, divergedAt: 0, probs: [], spread: null, running: false, ready: false };
    });
  status(fig);
  fig.request();
}

/** Takes in a progress message from a run's worker. */
function progress(fig, m) {
  const rt = fig.runtime;
  const r = rt.runs.find((x) => x.token === m.token);
  if (!r) return;
  if (m.type === 'train-error') {
    rt.error = m.message;
    r.ready = true;
    rt.running = false;
    status(fig);
    return;
  }
  Object.assign(r, {
    step: m.step, loss: m.loss, accuracy: m.accuracy, testAccuracy: m.testAccuracy, diverged: m.diverged, divergedAt: m.divergedAt,
    probs: m.probs, predictions: m.predictions, running: m.running, ready: true,
  });
  r.losses.push(...m.losses);
  if (m.spread !== undefined) r.spread = m.spread;
  if (m.points) rt.points ??= m.points;
  if (m.images?.labels.length) rt.images ??= m.images;
  if (rt.running && rt.runs.every((x) => x.ready && (x.diverged || x.step >= fig.state.steps))) rt.running = false;
  status(fig);
  // Messages come from every run; one redraw per frame is enough.
  if (!rt.frame) {
    rt.frame = requestAnimationFrame(() => {
      rt.frame = 0;
      fig.request();
    });
  }
}

function status(fig) {
  const rt = fig.runtime;
  const done = Math.min(...rt.runs.map((r) => (r.diverged ? fig.state.steps : r.step)), fig.state.steps);
  rt.bar.value = rt.runs.length ? done / fig.state.steps : 0;
  rt.start.textContent = rt.running ? 'Pause' : done > 0 && done < fig.state.steps ? 'Resume' : done >= fig.state.steps ? 'Train further' : 'Start training';
  rt.status.textContent = rt.error ? `Could not start: ${rt.error}.`
    : rt.running ? `Training… step ${done} of ${fig.state.steps}` : done >= fig.state.steps ? `Done: ${done} steps.` : done > 0 ? `Paused at step ${done}.` : 'Not started.';
}

function pause(fig) {
  const rt = fig.runtime;
  if (rt.running) for (const r of rt.runs) r.worker.post({ type: 'train', cmd: 'pause', token: r.token });
  rt.running = false;
  status(fig);
}

/** Trains every run in its worker, all at once: the page only draws what they report. */
function play(fig) {
  const rt = fig.runtime;
  if (rt.running) return;
  if (rt.key !== runKey(fig.state)) reset(fig);
  if (rt.runs.every((r) => r.diverged || r.step >= fig.state.steps) && rt.runs.some((r) => r.step > 0)) {
    fig.set({ steps: Math.min(8000, fig.state.steps + 1000) }, { commit: true });
  }
  if (rt.runs.length === 0) return;
  rt.running = true;
  for (const r of rt.runs) {
    r.running = !r.diverged && r.step < fig.state.steps;
    r.worker.post({ type: 'train', cmd: 'run', token: r.token, steps: fig.state.steps });
  }
  status(fig);
}

const DATA_LABELS = { digits: 'handwritten digits (8 × 8)' };

export default {
  name: 'training',
  title: 'Does it train? One network, five initializations',
  embedHeight: 2010,
  canvases: [
    { name: 'loss', label: 'Training loss per step for each initialization on a logarithmic axis.' },
    { name: 'boundaries', label: 'What each network predicts: over the plane with the data points on top, or, on the digits, for the first test images.' },
  ],
  controls: [
    // The three 2-D sets, and the digits (loaded by the workers when picked).
    { key: 'dataset', type: 'select', label: 'Data', default: 'spiral', get options() { return named(schema().names.datasets, DATA_LABELS); }, also: (s) => ({ lr: recommendedLr(s) }) },
    { key: 'optimizer', type: 'select', label: 'Optimizer', default: 'sgd', options: [['sgd', 'SGD, momentum 0.9'], ['adam', 'Adam']], also: (s) => ({ lr: recommendedLr(s) }) },
    { key: 'activation', type: 'select', label: 'Activation', default: 'relu', get options() { return named(schema().names.trainActivations, schema().labels); } },
    { key: 'layers', type: 'range', label: 'Depth', default: 20, min: 2, max: 30, step: 1 },
    logControl({ key: 'lr', label: 'Learning rate', default: -2, min: -3.5, max: -0.5, step: 0.05 }),
    { key: 'steps', type: 'range', label: 'Steps', default: 3000, min: 500, max: 8000, step: 500 },
    ...RUNS.map(([key, label]) => ({ key, type: 'toggle', label, default: 1 })),
    seedControl,
  ],
  // Picking a data set or an optimizer moves the learning rate (recommendedLr): said here.
  note(state) {
    const lr = fmt(pow10(state.lr));
    const own = fmt(pow10(recommendedLr(state)));
    const why = state.optimizer === 'adam' ? 'Adam' : state.dataset === 'digits' ? 'the digits' : 'SGD on the 2-D sets';
    return `Learning rate ${lr}${lr === own ? `, the figure's choice for ${why}` : ` (the figure's choice for ${why} is ${own})`}: picking Adam or the digits sets it to 0.001, SGD on the 2-D sets to 0.01.`;
  },
  setup(fig, ui, el) {
    const start = el('button', { type: 'button', 'data-action': 'train', class: 'primary', text: 'Start training' });
    const restart = el('button', { type: 'button', 'data-action': 'restart', text: 'Restart' });
    const bar = el('progress', { max: 1, value: 0, 'aria-label': 'Training progress' });
    const status = el('span', { class: 'train-status', 'aria-live': 'polite', text: 'Not started.' });
    ui.append(el('div', { class: 'train-bar' }, start, restart, bar, status));
    const workers = [];
    fig.runtime = {
      key: '', runs: [], running: false, start, bar, status, workers, frame: 0,
      spawn() {
        const w = fig.spawnWorker();
        w.listen((m) => (m.type === 'train-progress' || m.type === 'train-error') && progress(fig, m));
        workers.push(w);
        return w;
      },
    };
    start.addEventListener('click', () => (fig.runtime.running ? pause(fig) : play(fig)));
    restart.addEventListener('click', () => { reset(fig); play(fig); });
  },
  teardown(fig) {
    pause(fig);
    for (const w of fig.runtime.workers) w.terminate();
    fig.runtime.workers.length = 0;
    fig.runtime.runs = [];
  },
  draw(wasm, state, canvases, theme, fig) {
    const rt = fig.runtime;
    if (rt.key !== runKey(state)) reset(fig);
    const digits = state.dataset === 'digits';
    // A run's figures before its worker first reports are not known yet. On the digits the
    // accuracy that counts is on the held-out test images.
    const accuracy = (r) => (!r.ready ? '…' : digits ? `${fmt(100 * r.testAccuracy)} % on test` : `${fmt(100 * r.accuracy)} %`);
    wasm.drawLines(canvases.loss, {
      xLabel: 'training step', yLabel: 'training loss (cross-entropy)', log: true, xStart: 0, xStep: RECORD_EVERY,
      // Each line is narrower than the one drawn before it, so runs whose losses coincide (stuck at
      // ln 2) show as stripes inside each other instead of hiding each other.
      series: rt.runs.map((r, i) => ({
        label: r.diverged ? `${r.label}: diverged at step ${r.divergedAt}` : `${r.label}: ${accuracy(r)}`,
        color: r.color, values: r.losses, width: 2 + 1.25 * (rt.runs.length - 1 - i),
      })),
    }, theme);
    // Five across on a wide screen, three on a phone.
    const columns = Math.min(canvases.boundaries.width / theme.scale < 600 ? 3 : 5, Math.max(1, rt.runs.length));
    const title = (r) => (r.diverged ? `${r.short}: diverged` : `${r.short}: ${accuracy(r)}`);
    if (digits) {
      const { labels = [], inputs = [] } = rt.images ?? {};
      const count = labels.length;
      wasm.drawDigits(canvases.boundaries, {
        columns,
        labels,
        images: Array.from(inputs),
        panels: rt.runs.map((r) => ({ title: title(r), predictions: r.predictions.slice(0, count), alarm: r.diverged })),
      }, theme);
    } else {
      wasm.drawBoundaries(canvases.boundaries, {
        columns,
        panels: rt.runs.map((r) => ({ title: title(r), res: RES, probs: r.probs, points: rt.points ?? [], alarm: r.diverged })),
      }, theme);
    }
    const words = rt.runs.map((r) => (r.diverged ? `${r.label} diverged` : `${r.label} at ${accuracy(r)} accuracy`)).join(', ');
    const right = (r) => r.predictions.filter((c, i) => c === rt.images?.labels[i]).length;
    return {
      summaries: {
        loss: `After ${Math.max(0, ...rt.runs.map((r) => r.step))} steps: ${words}.`,
        boundaries: digits
          ? `The first ${rt.images?.labels.length ?? 0} test digits: ${rt.runs.map((r) => `${r.label} answers ${right(r)} right`).join(', ')}.`
          : '',
      },
      configs: rt.runs.map((r) => r.config),
      columns: ['initialization', 'steps', 'loss', 'training accuracy', 'test accuracy', 'status', 'largest gap between neurons'],
      // The neuron spread is measured by the worker whenever a run stops.
      rows: rt.runs.map((r) => [r.label, r.step, r.loss, r.accuracy, digits ? r.testAccuracy : null, r.diverged ? 'diverged' : 'finite', r.running ? null : r.spread]),
    };
  },
};
