// The explainer's figures as components: `mount(element, options)` renders one figure into any
// element and returns a handle to update or destroy it. The article page and the embed view use the
// same code.
//
//   import { mount } from './www/explainer.js';
//   const fig = await mount(document.querySelector('#here'), { figure: 'explorer', state: { layers: 50 } });
//   fig.update({ scheme: 'he-normal' });
//   fig.destroy();

import init, * as bindings from '../simulator.js';
import { FIGURES, fmt } from './figures.js';
import { compiled } from './boot.js';

// The code panels' generators, fetched the first time a reader opens one (not part of the first view).
let codeModule = null;
let codeLoading = null;
const loadCode = () => {
  codeLoading ??= import('./code.js').then((m) => { codeModule = m; });
  return codeLoading;
};

export { FIGURES, fmt };

let ready = null;

/** Loads the WebAssembly module once on the page (for drawing); resolves to its exports. */
export function load() {
  ready ??= compiled.then((module) => init({ module_or_path: module })).then(() => {
    performance.mark('wasm-ready');
    return bindings;
  });
  return ready;
}

/**
 * Resolves once the next frame has been painted: a task queued from the frame's animation
 * callback runs after that frame's layout and paint. In a tab that is not shown (no frames),
 * after `wait` ms at most (never, for `Infinity`).
 */
export function painted(wait = 100) {
  return new Promise((resolve) => {
    const timer = Number.isFinite(wait) ? setTimeout(resolve, wait) : 0;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        clearTimeout(timer);
        resolve();
      };
      channel.port2.postMessage(null);
    });
  });
}

// 'first-plot' marks when the page's first picture is on the screen (see bench/page.mjs).
let plotShown = false;

/** Workers started ahead of their figure's mount, by figure name. */
const warm = new Map();

/**
 * Starts the worker of figure `name` now, so that it loads its modules while the page's
 * WebAssembly compiles; the figure's mount() takes it over. For the first figure on the screen.
 */
export function prewarm(name) {
  if (FIGURES[name]?.compute && !warm.has(name)) warm.set(name, spawnWorker());
}

/**
 * A worker whose modules' memory passed this many bytes is replaced once it is idle: WebAssembly
 * memory never shrinks, so this gives back what one large simulation (or many) took.
 */
export const RECYCLE_BYTES = 384 << 20;

/**
 * A simulation worker with its own WebAssembly instance. `call(message)` posts a message with a
 * fresh `id` and resolves with the worker's answer to it (rejects, with `cancelled` set, when the
 * worker dropped it for a newer one); `listen(fn)` receives every other message (progress,
 * training, a dropped request, and `{ type: 'recycled', memory }` when it was replaced). Failing
 * to start rejects every call with the reason. A worker that only computes (it was never sent a
 * training message, whose network lives in it) is replaced by a fresh one when an answer reports
 * more than `recycleAbove` bytes of memory and no other call waits.
 */
export function spawnWorker({ recycleAbove = RECYCLE_BYTES } = {}) {
  const waiting = new Map();
  const listeners = new Set();
  let nextId = 1;
  let broken = null;
  let stateful = false;
  let worker = null;
  const fail = (message) => {
    broken = new Error(message);
    for (const w of waiting.values()) w.reject(broken);
    waiting.clear();
  };
  const tell = (m) => {
    for (const fn of listeners) fn(m);
  };
  const start = () => {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event) => {
      const m = event.data;
      const w = waiting.get(m.id);
      if (m.type === 'ready') performance.mark('worker-ready');
      if (w && (m.type === 'result' || m.type === 'error' || m.type === 'cancelled')) {
        waiting.delete(m.id);
        if (m.type === 'error') w.reject(new Error(m.message));
        else if (m.type === 'cancelled') w.reject(Object.assign(new Error('replaced by a newer request'), { cancelled: true }));
        else w.resolve(m.data);
      }
      // Everything but an answer is news to the listeners (progress, training, a dropped request).
      if (!(w && (m.type === 'result' || m.type === 'error'))) tell(m);
      if (m.type === 'result' && m.memory > recycleAbove && !stateful && waiting.size === 0 && !broken) {
        worker.terminate();
        start();
        tell({ type: 'recycled', memory: m.memory });
      }
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
    call(message) {
      if (broken) return Promise.reject(broken);
      if (message.type === 'train') stateful = true;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...message, id });
      });
    },
    post(message, transfer = []) {
      if (message.type === 'train') stateful = true;
      worker.postMessage(message, transfer);
    },
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    terminate() {
      worker.terminate();
      fail('the simulation worker was closed');
    },
  };
}

/** The explainer's base URL (the folder holding index.html), for links and embed snippets. */
export const BASE_URL = new URL('../', import.meta.url);

// ---------------------------------------------------------------- state and URLs

function defaults(def) {
  return Object.fromEntries(def.controls.map((c) => [c.key, c.default]));
}

/** Parses one URL value for a control; `undefined` when it is not an allowed value. */
export function parseValue(control, text) {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  if (control.type === 'select') return control.options.some(([v]) => v === text) ? text : undefined;
  if (control.type === 'toggle') return text === '1' || text === 'true' ? 1 : text === '0' || text === 'false' ? 0 : undefined;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const v = Number(text);
  if (control.type === 'seed') return Number.isInteger(v) && v >= 0 && v <= bindings.schema().limits.maxSeed ? v : undefined;
  const { min, max, step } = control;
  if (!(v >= min && v <= max)) return undefined;
  const snapped = min + Math.round((v - min) / step) * step;
  return Math.abs(snapped - v) < 1e-9 ? Number(snapped.toFixed(10)) : undefined;
}

/**
 * Reads a figure's state, and the controls to hide, from URL parameters named `figure.key`
 * (and `hide=figure.key,…`). Returns { state, hidden, rejected } where `rejected` lists the
 * parameters that were present but not allowed (they keep their defaults).
 */
export function stateFromParams(name, params) {
  const def = FIGURES[name];
  const state = defaults(def);
  const rejected = [];
  for (const c of def.controls) {
    const raw = params.get(`${name}.${c.key}`);
    if (raw === null) continue;
    const v = parseValue(c, raw);
    if (v === undefined) rejected.push(`${name}.${c.key}`);
    else state[c.key] = v;
  }
  const hidden = (params.get('hide') ?? '').split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(`${name}.`))
    .map((s) => s.slice(name.length + 1))
    .filter((k) => def.controls.some((c) => c.key === k));
  return { state, hidden, rejected };
}

/** Writes a figure's non-default state into `params` (and removes defaults). */
export function stateToParams(name, state, params) {
  const def = FIGURES[name];
  for (const c of def.controls) {
    const key = `${name}.${c.key}`;
    if (state[c.key] === c.default) params.delete(key);
    else params.set(key, String(state[c.key]));
  }
  return params;
}

// ---------------------------------------------------------------- DOM

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

let uid = 0;

function buildControl(fig, c) {
  const id = `c${++uid}-${c.key}`;
  if (c.type === 'select') {
    const select = el('select', { id, 'data-control': c.key });
    for (const [value, label] of c.options) select.append(el('option', { value, text: label }));
    return el('div', { class: 'control', 'data-key': c.key }, el('label', { for: id, text: c.label }), select);
  }
  if (c.type === 'toggle') {
    const input = el('input', { id, type: 'checkbox', 'data-control': c.key });
    return el('div', { class: 'control toggle', 'data-key': c.key }, el('label', { for: id }, input, ` ${c.label}`));
  }
  if (c.type === 'range') {
    const input = el('input', { id, type: 'range', 'data-control': c.key, min: c.min, max: c.max, step: c.step });
    const out = el('output', { for: id, 'data-show': c.key });
    if (!c.mark) {
      return el('div', { class: 'control slider', 'data-key': c.key },
        el('label', { for: id }, `${c.label} `, out), input);
    }
    // A marked value (`mark: { value, label }`): a tick on the track and its label under it, at
    // the thumb's centre for that value (the thumb is about 16 px wide).
    input.setAttribute('list', `${id}-marks`);
    const at = (c.mark.value - c.min) / (c.max - c.min);
    const tick = el('span', { class: 'slider-mark', 'data-mark': c.key, 'aria-hidden': 'true', text: c.mark.label });
    tick.style.left = `calc(${(100 * at).toFixed(3)}% + ${((0.5 - at) * 16).toFixed(2)}px)`;
    return el('div', { class: 'control slider marked', 'data-key': c.key },
      el('label', { for: id }, `${c.label} `, out),
      el('div', { class: 'slider-track' }, input, tick),
      el('datalist', { id: `${id}-marks` }, el('option', { value: c.mark.value, label: c.mark.label })));
  }
  // seed: a number box and a button that draws new random weights.
  const input = el('input', { id, type: 'number', 'data-control': c.key, min: 0, max: bindings.schema().limits.maxSeed, step: 1, inputmode: 'numeric' });
  const again = el('button', { type: 'button', 'data-action': 'new-seed', text: 'New random weights' });
  again.addEventListener('click', () => fig.set({ [c.key]: Math.floor(Math.random() * 1e6) }, { commit: true }));
  return el('div', { class: 'control seed', 'data-key': c.key },
    el('label', { for: id, text: c.label }), el('div', { class: 'inline' }, input, again));
}

function theme() {
  return { dark: window.matchMedia('(prefers-color-scheme: dark)').matches, scale: window.devicePixelRatio || 1 };
}

/** CSS sizes of canvases, kept current by a ResizeObserver so drawing never forces a layout. */
const sizes = new WeakMap();

/** Sizes a canvas's backing store to its CSS size × devicePixelRatio, so it stays sharp. */
function fit(canvas) {
  let size = sizes.get(canvas);
  if (!size) {
    const rect = canvas.getBoundingClientRect();
    size = { width: rect.width, height: rect.height };
  }
  const s = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(size.width * s));
  const h = Math.max(1, Math.round(size.height * s));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return canvas;
}

function download(name, type, data) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function csv(table) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [table.columns, ...table.rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/**
 * Sizes every `<iframe data-weight-init>` of the page to the height its figure reports, for host
 * pages that load this module anyway (the embed code carries the same listener as a script).
 */
export function followEmbedHeights() {
  addEventListener('message', (e) => {
    const d = e.data;
    if (!d || d.type !== 'weight-init:height' || !(d.height > 0)) return;
    for (const f of document.querySelectorAll('iframe[data-weight-init]')) {
      if (f.contentWindow === e.source) f.style.height = `${Math.min(d.height, 20000)}px`;
    }
  });
  // Frames that reported before this listener started report again.
  for (const f of document.querySelectorAll('iframe[data-weight-init]')) {
    f.contentWindow?.postMessage({ type: 'weight-init:height?' }, '*');
  }
}

/** The listener an embedding page needs, as a script: the same as followEmbedHeights(). */
export const EMBED_LISTENER = "addEventListener('message',function(e){var d=e.data;if(!d||d.type!=='weight-init:height'||!(d.height>0))return;"
  + "document.querySelectorAll('iframe[data-weight-init]').forEach(function(f){if(f.contentWindow===e.source)f.style.height=Math.min(d.height,20000)+'px';});});"
  + "document.querySelectorAll('iframe[data-weight-init]').forEach(function(f){f.contentWindow&&f.contentWindow.postMessage({type:'weight-init:height?'},'*');});";

/**
 * The embed code for a figure: an iframe of the embed view, and the listener that sizes it. Its
 * fallback height (`def.embedHeight`) fits the figure in a 360 px column, so a host that strips
 * scripts cuts nothing off.
 */
export function embedCode(url, def) {
  const attr = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attr(url)}" title="${attr(def.title)}" width="100%" height="${def.embedHeight}" style="border:0;display:block" loading="lazy" data-weight-init></iframe>\n`
    + `<script>${EMBED_LISTENER}</script>`;
}

/** Copies text, falling back to showing it selected in a box when the clipboard is unavailable. */
async function share(fig, text, what) {
  const box = fig.root.querySelector('.share-box');
  box.hidden = false;
  const area = box.querySelector('textarea');
  area.value = text;
  box.querySelector('.share-what').textContent = what;
  try {
    await navigator.clipboard.writeText(text);
    box.querySelector('.share-status').textContent = 'Copied to the clipboard.';
  } catch {
    area.focus();
    area.select();
    box.querySelector('.share-status').textContent = 'Select and copy the text above.';
  }
}

/**
 * Renders figure `options.figure` into `element` and returns a handle:
 * `{ state, set(values), update(values), draw(), destroy(), exportCSV(), exportJSON(), exportPNG(), table }`.
 *
 * Options: `state` (initial values, as in a link), `hide` (control keys to hide), `link(state)`
 * (the page URL for this state; default: the explainer at BASE_URL), `onChange(state, { commit })`,
 * `first` ({ state, data }: the figure's numbers computed ahead for that state, drawn without a
 * worker when the figure starts in it).
 * Each figure redraws only while it is visible.
 */
export async function mount(element, options = {}) {
  const name = options.figure;
  const def = FIGURES[name];
  if (!def) throw new Error(`mount: figure must be one of ${Object.keys(FIGURES).join(', ')} (got ${String(name)})`);
  const worker = warm.get(name) ?? null;
  warm.delete(name);
  const wasm = await load();
  const fig = {
    name, def, root: element, wasm, state: { ...defaults(def) }, table: null, drawn: 0,
    visible: false, dirty: true, options, spawnWorker, worker,
  };
  // Initial values go through the same checks as a link's.
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.state ?? {})) params.set(`${name}.${k}`, String(v));
  const parsed = stateFromParams(name, params);
  fig.state = parsed.state;
  fig.rejected = parsed.rejected;

  const ui = el('div', { class: 'figure-ui', 'data-figure': name });
  if (def.presets) {
    const presets = el('div', { class: 'presets', role: 'group', 'aria-label': 'Presets' }, el('span', { class: 'presets-label', text: 'Presets:' }));
    for (const [key, label, values] of def.presets) {
      const b = el('button', { type: 'button', 'data-preset': key, 'aria-pressed': 'false', text: label });
      b.addEventListener('click', () => fig.choose({ ...defaults(def), seed: fig.state.seed, ...values }, { commit: true }));
      presets.append(b);
    }
    ui.append(presets);
  }
  const controls = el('div', { class: 'controls', role: 'group', 'aria-label': `${def.title}: controls` });
  for (const c of def.controls) controls.append(buildControl(fig, c));
  if (def.controls.length) {
    const reset = el('button', { type: 'button', 'data-action': 'reset', text: 'Reset' });
    reset.addEventListener('click', () => fig.choose(defaults(def), { commit: true }));
    controls.append(el('div', { class: 'control' }, reset));
    ui.append(controls);
  }
  if (def.note) ui.append(el('p', { class: 'hint', 'data-show': 'note', 'aria-live': 'polite' }));
  if (def.setup) def.setup(fig, ui, el);
  const grid = el('div', { class: def.canvases.length > 1 ? 'chart-grid' : 'chart-single' });
  const computing = el('p', { class: 'status computing-note', role: 'status', hidden: true, text: 'Computing…' });
  const canvases = {};
  for (const c of def.canvases) {
    canvases[c.name] = el('canvas', {
      class: c.wide ? 'chart chart-wide' : 'chart', 'data-canvas': c.name, role: 'img', 'aria-label': c.label,
    }, c.label);
    grid.append(canvases[c.name]);
  }
  grid.append(computing);
  ui.append(grid);

  const status = el('p', { class: 'status error', role: 'status', hidden: true });

  const tools = el('div', { class: 'figure-tools' });
  const details = el('details', { class: 'numbers' }, el('summary', { text: 'Numbers behind this figure' }), el('div', { class: 'table-slot' }));
  details.addEventListener('toggle', () => renderTable());
  const button = (action, text, fn) => {
    const b = el('button', { type: 'button', 'data-action': action, text });
    b.addEventListener('click', fn);
    tools.append(b);
  };
  const link = () => {
    const u = new URL(options.link ? options.link(fig.state) : BASE_URL);
    if (!options.link) {
      u.search = stateToParams(name, fig.state, new URLSearchParams()).toString();
      u.hash = `fig-${name}`;
    }
    // The hidden controls travel with the link: this figure's, and any other figure's already there.
    const others = (u.searchParams.get('hide') ?? '').split(',').filter((k) => k && !k.startsWith(`${name}.`));
    const hide = [...others, ...[...hidden].map((k) => `${name}.${k}`)];
    if (hide.length) u.searchParams.set('hide', hide.join(','));
    else u.searchParams.delete('hide');
    return u.href;
  };
  const embedUrl = () => {
    const u = new URL(link());
    u.searchParams.set('embed', name);
    u.hash = '';
    return u.href;
  };
  button('copy-link', 'Copy link', () => share(fig, link(), 'Link to this figure as shown:'));
  button('copy-embed', 'Copy embed code', () => share(fig, embedCode(embedUrl(), def), 'Embed code for this figure as shown (the script sizes the frame to the figure; without it the frame keeps a height that fits at any width):'));
  if (def.data !== false) {
    button('export-csv', 'CSV', () => fig.exportCSV());
    button('export-json', 'JSON', () => fig.exportJSON());
  }
  button('export-png', 'PNG', () => fig.exportPNG());
  const shareBox = el('div', { class: 'share-box', hidden: true },
    el('p', { class: 'share-what' }), el('textarea', { readonly: true, rows: 3, 'aria-label': 'Text to copy' }), el('p', { class: 'share-status', 'aria-live': 'polite' }));
  // Code to take away for each network the figure shows (see www/code.js, loaded the first time a
  // code panel opens): `def.codes(state, data)` lists them as [label, config, generator], the
  // generator an export of code.js (frameworkCode when absent), from the state and the numbers on
  // screen; a figure of one network gives `def.config(state)`.
  const codes = def.codes ? (state) => def.codes(state, fig.shownData) : def.config ? (state) => [[def.title, def.config(state)]] : null;
  const code = codes ? el('details', { class: 'code' },
    el('summary', { text: 'Code for this setting: PyTorch, Keras, Flax, NumPy' }),
    el('div', { class: 'code-bar' },
      def.codes ? el('label', {}, 'Network ', el('select', { 'data-code': 'network' })) : '',
      el('label', {}, 'Framework ', el('select', { 'data-code': 'framework' },
        ...[['pytorch', 'PyTorch'], ['keras', 'Keras'], ['flax', 'JAX / Flax'], ['numpy', 'NumPy (runs it, prints the numbers)']]
          .map(([value, text]) => el('option', { value, text })))),
      el('button', { type: 'button', 'data-action': 'copy-code', text: 'Copy code' }),
      el('button', { type: 'button', 'data-action': 'network-file', text: 'Download this network' })),
    el('p', { class: 'code-note', 'data-code': 'note' }),
    el('pre', {}, el('code', {})),
    el('p', { class: 'code-defaults', text: 'When you write nothing:' }),
    el('ul', { class: 'code-defaults' })) : null;
  const renderCode = () => {
    if (!code?.open) return;
    if (!codeModule) {
      loadCode().then(() => {
        code.querySelector('ul.code-defaults').replaceChildren(...codeModule.DEFAULTS.map(([who, what, url]) => el('li', {}, `${who}: ${what} `, el('a', { href: url, text: 'documentation' }))));
        renderCode();
      }, (e) => { code.querySelector('pre code').textContent = `The code could not be loaded: ${e?.message ?? e}`; });
      return;
    }
    const list = codes(fig.shownState ?? fig.state);
    // A figure whose code needs its numbers writes it once they are on screen.
    if (!list.length) {
      code.querySelector('pre code').textContent = '';
      return;
    }
    const network = code.querySelector('[data-code="network"]');
    let k = 0;
    if (network) {
      // The labels follow the state (a fixed σ's value); the choice is kept by position.
      k = Math.min(list.length - 1, Math.max(0, network.selectedIndex));
      network.replaceChildren(...list.map(([label], i) => el('option', { value: String(i), text: label })));
      network.selectedIndex = k;
    }
    const which = code.querySelector('[data-code="framework"]').value;
    const [, config, generator = 'frameworkCode', options = {}] = list[k];
    code.querySelector('pre code').textContent = codeModule[generator](config, options)[which];
    // The simulator's generator is not NumPy's: what the script reproduces, and the file that
    // makes it print the figure's own numbers (a plain network of at most NETWORK_FILE_LIMIT numbers).
    const fileButton = code.querySelector('[data-action="network-file"]');
    const size = generator === 'frameworkCode' ? networkSize(config) : Infinity;
    const fits = size <= codeModule.NETWORK_FILE_LIMIT;
    fileButton.hidden = generator !== 'frameworkCode';
    fileButton.disabled = !fits;
    code.querySelector('[data-code="note"]').textContent = generator !== 'frameworkCode'
      ? `The NumPy script draws its own random numbers (NumPy's generator, not the simulator's): it prints the same statistics over seeds, not this figure's exact numbers.`
      : options.draws > 1
        ? `The figure shows the median and the 10 % and 90 % points over ${options.draws.toLocaleString('en')} networks; so does the NumPy script (draws = ${options.draws}), over networks from NumPy's generator: the same statistics, up to the noise of a finite number of draws. Set draws = 1 for one network, or download the network of seed ${config.seed ?? 0} to print the simulator's own.`
        : fits
        ? `The NumPy script draws its own network with NumPy's generator (seed ${config.seed ?? 0}), so its numbers differ from the figure's draw while following the same statistics over seeds. To print the figure's own numbers, download this network and set network_file to its path.`
        : `The NumPy script draws its own network with NumPy's generator (seed ${config.seed ?? 0}): the same statistics over seeds, not this draw's numbers. This network is too large to offer as a file; a smaller depth or width can be downloaded and reproduced exactly.`;
  };
  // How many numbers the network file of `config` holds: input, weights, biases, noise.
  const networkSize = (config) => {
    const layers = config.layers ?? 8;
    const width = config.width ?? 10;
    const features = Array.isArray(config.input) ? 5 : config.input?.features ?? 5;
    const samples = config.input?.samples ?? 1;
    return (samples + layers) * width + features * (samples + width) + (layers - 1) * width * width;
  };
  if (code) {
    code.addEventListener('toggle', renderCode);
    for (const select of code.querySelectorAll('select')) select.addEventListener('change', renderCode);
    code.querySelector('[data-action="copy-code"]').addEventListener('click', () => share(fig, code.querySelector('pre code').textContent, 'Code for this setting:'));
    code.querySelector('[data-action="network-file"]').addEventListener('click', () => {
      const list = codes(fig.shownState ?? fig.state);
      const network = code.querySelector('[data-code="network"]');
      const [, config] = list[Math.max(0, network ? network.selectedIndex : 0)];
      download(`${name}-network.json`, 'application/json', codeModule.networkFile(config, wasm.draws(config)));
    });
  }
  ui.append(status, ...(def.data === false ? [] : [details]), ...(code ? [code] : []), tools, shareBox);
  element.replaceChildren(ui);

  const hidden = new Set(options.hide ?? []);
  for (const c of def.controls) {
    if (hidden.has(c.key)) ui.querySelector(`.control[data-key="${c.key}"]`).hidden = true;
  }

  function sync() {
    for (const c of def.controls) {
      const input = ui.querySelector(`[data-control="${c.key}"]`);
      const v = fig.state[c.key];
      if (c.type === 'toggle') input.checked = v === 1;
      else if (input.value !== String(v)) input.value = String(v);
      if (c.type === 'range') {
        const shown = c.show ? c.show(v) : String(v);
        ui.querySelector(`[data-show="${c.key}"]`).textContent = shown;
        input.setAttribute('aria-valuetext', `${c.label} ${shown}`);
      }
      input.disabled = c.enabled ? !c.enabled(fig.state) : false;
    }
    for (const b of ui.querySelectorAll('[data-preset]')) {
      const values = def.presets.find(([k]) => k === b.dataset.preset)[2];
      const on = Object.entries({ ...defaults(def), ...values }).every(([k, v]) => k === 'seed' || hidden.has(k) || fig.state[k] === v);
      b.setAttribute('aria-pressed', String(on));
      // A preset that needs a control this link hides at another value is not offered: the
      // lesson's fixed controls stay as the link set them.
      const blocked = Object.entries(values).filter(([k, v]) => hidden.has(k) && fig.state[k] !== v)
        .map(([k]) => def.controls.find((c) => c.key === k).label);
      b.disabled = blocked.length > 0;
      if (blocked.length) b.title = `This link fixes ${blocked.join(' and ')}; the preset would change ${blocked.length > 1 ? 'them' : 'it'}.`;
      else b.removeAttribute('title');
    }
    if (def.note) ui.querySelector('[data-show="note"]').textContent = def.note(fig.state);
  }

  function renderTable() {
    if (!details.open || !fig.table) return;
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const c of fig.table.columns) head.append(el('th', { scope: 'col', text: c }));
    const body = table.createTBody();
    for (const row of fig.table.rows) {
      const tr = body.insertRow();
      row.forEach((v, i) => {
        const cell = i === 0 ? el('th', { scope: 'row' }) : tr.insertCell();
        if (i === 0) tr.append(cell);
        cell.textContent = typeof v === 'number' && i > 0 ? fmt(v) : String(v ?? '–');
        if (typeof v === 'number') cell.className = 'num';
      });
    }
    details.querySelector('.table-slot').replaceChildren(table);
  }

  // What each chart shows and where its plots landed, for the read-out under the pointer: a
  // function from a point in the canvas's pixels to the lines of text for it (or null).
  const plots = new WeakMap();
  const inside = (r, px, py) => px >= r.left && px <= r.right && py >= r.top && py <= r.bottom;
  // The values of a chart's lines at the layer nearest to x.
  const lineValues = (area, spec, series, px, title) => {
    const x = area.xMin + ((px - area.left) / (area.right - area.left)) * (area.xMax - area.xMin);
    const start = spec.xStart ?? 1;
    const step = spec.xStep ?? 1;
    const longest = Math.max(...series.map((line) => line.values.length));
    const i = Math.min(longest - 1, Math.max(0, Math.round((x - start) / step)));
    // An unlabelled line continues the labelled one before it (a band's other edge, one of many
    // networks): one row, the lowest to the highest of its values.
    const rows = [];
    for (const line of series) {
      if (line.label) rows.push({ label: line.label, values: [] });
      if (rows.length && i < line.values.length) rows[rows.length - 1].values.push(line.values[i]);
    }
    const range = (v) => (v.length === 1 ? fmt(v[0]) : `${fmt(Math.min(...v))} to ${fmt(Math.max(...v))}`);
    const lines = rows.filter((row) => row.values.length).map((row) => `${row.label}: ${range(row.values)}`);
    return [...(title ? [title] : []), `${spec.xLabel || 'x'} ${fmt(start + i * step)}`, ...lines];
  };
  const drawer = {
    ...wasm,
    drawLines(canvas, spec, t) {
      const area = wasm.drawLines(canvas, spec, t);
      plots.set(canvas, area && ((px, py) => (inside(area, px, py) ? lineValues(area, spec, spec.series, px) : null)));
      return area;
    },
    drawLinePanels(canvas, spec, t) {
      const areas = wasm.drawLinePanels(canvas, spec, t);
      plots.set(canvas, (px, py) => {
        const k = areas.findIndex((a) => inside(a, px, py));
        if (k < 0) return null;
        const panel = spec.panels[k];
        return lineValues(areas[k], spec, panel.series, px, panel.title.split('\n')[0]);
      });
      return areas;
    },
    drawHistograms(canvas, spec, t) {
      const regions = wasm.drawHistograms(canvas, spec, t);
      plots.set(canvas, (px, py) => {
        const k = regions.findIndex((r) => r.right > r.left && inside(r, px, py));
        if (k < 0) return null;
        const { title, lo, hi, counts } = spec.panels[k];
        const r = regions[k];
        const i = Math.min(counts.length - 1, Math.floor(((px - r.left) / (r.right - r.left)) * counts.length));
        const width = (hi - lo) / counts.length;
        const total = counts.reduce((a, b) => a + b, 0);
        return [title, `values ${fmt(lo + i * width)} to ${fmt(lo + (i + 1) * width)}`, `${fmt(counts[i])} of ${fmt(total)} (${fmt((100 * counts[i]) / (total || 1))} %)`];
      });
      return regions;
    },
    drawGrids(canvas, spec, t) {
      const regions = wasm.drawGrids(canvas, spec, t);
      plots.set(canvas, (px, py) => {
        const k = regions.findIndex((r) => inside(r, px, py) && r.right > r.left);
        if (k < 0) return null;
        const { title, values } = spec.grids[k];
        const r = regions[k];
        const row = Math.min(values.length - 1, Math.floor(((py - r.top) / (r.bottom - r.top)) * values.length));
        const cols = Math.max(...values.map((v) => v.length));
        const col = Math.min(cols - 1, Math.floor(((px - r.left) / (r.right - r.left)) * cols));
        return [title, `layer ${row + 1}, neuron ${col + 1}`, `output ${fmt(values[row][col])}`];
      });
      return regions;
    },
  };
  const readout = el('div', { class: 'readout', 'aria-hidden': 'true', hidden: true });
  grid.append(readout);
  const point = (e) => {
    const canvas = e.currentTarget;
    const box = canvas.getBoundingClientRect();
    const px = ((e.clientX - box.left) * canvas.width) / box.width;
    const py = ((e.clientY - box.top) * canvas.height) / box.height;
    const lines = plots.get(canvas)?.(px, py);
    if (!lines) {
      readout.hidden = true;
      return;
    }
    readout.textContent = lines.join('\n');
    readout.hidden = false;
    const host = grid.getBoundingClientRect();
    const left = Math.min(e.clientX - host.left + 14, host.width - readout.offsetWidth - 4);
    readout.style.left = `${Math.max(4, left)}px`;
    readout.style.top = `${Math.max(4, e.clientY - host.top - readout.offsetHeight - 10)}px`;
  };

  /** Draws `data` (computed for `state`) on the canvases, and the table and descriptions. */
  function render(state, data, error) {
    fig.shownState = state;
    fig.shownData = data;
    const start = performance.now();
    try {
      if (error) throw error;
      for (const c of Object.values(canvases)) fit(c);
      fig.table = def.draw(drawer, state, canvases, theme(), fig, data);
      // What each canvas now shows, in words, for screen readers.
      for (const [name, text] of Object.entries(fig.table?.summaries ?? {})) {
        canvases[name]?.setAttribute('aria-label', `${def.canvases.find((c) => c.name === name).label} ${text}`);
      }
      status.hidden = true;
      fig.drawn++;
      element.dataset.drawn = String(fig.drawn);
      if (!plotShown) {
        plotShown = true;
        painted(Infinity).then(() => performance.mark('first-plot'));
      }
    } catch (e) {
      status.hidden = false;
      status.textContent = `This figure could not be drawn: ${e.message ?? e}`;
    }
    renderTable();
    renderCode();
    // Each redraw's main-thread time, when the page benchmark asks (bench/page.mjs).
    if (globalThis.measureDraws) performance.measure(`draw ${name}`, { start, end: performance.now() });
  }

  // The figure's numbers are computed in its own worker. While a control moves, the newest
  // request wins, and a result older than the one on screen is never drawn. A figure whose worker
  // computes a layer at a time (`def.simulation`) sends each request at once: the worker drops the
  // older one between two layers. For the others one request is in flight and the latest newer
  // one waits (replacing any older one that was waiting). A large layered simulation is split
  // between the figure's worker and a second one (`fig.helper`), each running half of the batch.
  let busyTimer = 0;
  const busy = (on) => {
    clearTimeout(busyTimer);
    if (on) {
      busyTimer = setTimeout(() => {
        computing.hidden = false;
        grid.setAttribute('aria-busy', 'true');
        ui.classList.add('computing');
      }, 100);
    } else {
      computing.hidden = true;
      computing.textContent = 'Computing…';
      grid.removeAttribute('aria-busy');
      ui.classList.remove('computing');
    }
  };
  const layered = Boolean(def.simulation);
  // A long layered simulation says how far it is.
  const showProgress = (m) => {
    if (m.type === 'progress' && flight.inflight) computing.textContent = `Computing… ${Math.round(100 * m.progress)} %`;
  };
  let progressShown = null;
  // A second worker holds the network's weights too (210 MB at the largest setting): only on a
  // device with the cores and, where the browser says, the memory for it.
  const nav = globalThis.navigator ?? {};
  const cores = (nav.deviceMemory ?? 8) >= 4 ? Math.min(2, nav.hardwareConcurrency ?? 1) : 1;
  const flight = { seq: 0, shown: 0, sent: 0, inflight: false, queued: null, key: null, data: null };
  const send = (seq, state) => {
    flight.inflight = true;
    flight.sent = seq;
    if (!fig.worker) fig.worker = spawnWorker();
    if (!progressShown) progressShown = fig.worker.listen(showProgress);
    const key = JSON.stringify(state);
    const done = (data, error) => {
      if (error?.cancelled) return;
      const latest = seq === flight.sent;
      if (latest) flight.inflight = false;
      if (seq > flight.shown) {
        flight.shown = seq;
        if (!error) Object.assign(flight, { key, data });
        render(state, data, error);
      }
      const next = flight.queued;
      flight.queued = null;
      if (next) send(next.seq, next.state);
      else if (!flight.inflight) busy(false);
    };
    let parts = 1;
    try {
      if (layered && cores > 1) parts = wasm.splitParts(def.simulation(state), cores);
    } catch {
      // A config the worker will refuse with its message: not split.
    }
    const call = (worker, part) => worker.call({ type: 'compute', figure: name, state, job: seq, part, parts });
    if (parts === 1) {
      call(fig.worker, 0).then((data) => done(data), (e) => done(null, e));
      return;
    }
    // Two workers, each half of the batch; each sends the other its values (relayed here) and
    // returns half of the layers' measurements, which are joined here.
    if (!fig.helper) {
      fig.helper = spawnWorker();
      const relay = (to) => (m) => {
        if (m.type === 'values') to().post({ type: 'part', job: m.job, part: m.part, values: m.values }, [m.values.buffer]);
      };
      fig.worker.listen(relay(() => fig.helper));
      fig.helper.listen(relay(() => fig.worker));
    }
    const workers = [fig.worker, fig.helper];
    Promise.all(workers.map((w, part) => call(w, part).catch((e) => {
      // The other worker waits for this one's values: tell it, and it stops too.
      if (!e?.cancelled) workers[1 - part].post({ type: 'part', job: seq, error: String(e?.message ?? e) });
      throw e;
    }))).then(
      (pieces) => done(def.compute(wasm, state, wasm.joinResults(pieces))),
      (e) => done(null, e),
    );
  };

  /** Whether the picture shows the newest values (nothing computing or waiting). */
  fig.settled = () => !flight.inflight && !flight.queued && flight.shown === flight.seq;

  fig.draw = () => {
    fig.dirty = false;
    const state = { ...fig.state };
    const seq = ++flight.seq;
    if (!def.compute) {
      flight.shown = seq;
      render(state);
      return;
    }
    // Same values as the picture's (a resize, a theme change): redraw without computing.
    if (!flight.inflight && flight.key === JSON.stringify(state)) {
      flight.shown = seq;
      render(state, flight.data);
      return;
    }
    busy(true);
    if (flight.inflight && !layered) flight.queued = { seq, state };
    else send(seq, state);
  };

  /** Redraws now if on screen, otherwise when it scrolls into view. */
  fig.request = () => {
    if (fig.visible) fig.draw();
    else fig.dirty = true;
  };

  /** Sets values (each checked against its control; bad ones are ignored) and redraws. */
  fig.set = (values, { commit = false, silent = false } = {}) => {
    for (const c of def.controls) {
      if (!(c.key in values)) continue;
      const v = parseValue(c, String(values[c.key]));
      if (v !== undefined) fig.state[c.key] = v;
    }
    sync();
    fig.request();
    if (!silent) options.onChange?.({ ...fig.state }, { commit });
  };
  fig.update = (values) => fig.set(values);
  /**
   * What the figure's own buttons use (presets, Reset, a control that moves others, another
   * figure's "open in"): `set` without the controls the link hides, which keep their values.
   */
  fig.choose = (values, how) => fig.set(Object.fromEntries(Object.entries(values).filter(([k]) => !hidden.has(k))), how);

  for (const c of def.controls) {
    const input = ui.querySelector(`[data-control="${c.key}"]`);
    const read = () => {
      if (c.type === 'seed') {
        const v = Math.floor(Number(input.value));
        return Number.isFinite(v) ? Math.min(bindings.schema().limits.maxSeed, Math.max(0, v)) : 0;
      }
      if (c.type === 'toggle') return input.checked ? 1 : 0;
      return c.type === 'select' ? input.value : Number(input.value);
    };
    // A control may move others with it (`also(state)`: the training figure's learning rate
    // follows its data set and optimizer).
    input.addEventListener('input', () => {
      const v = read();
      // A control the link hides stays as it is.
      const also = Object.entries(c.also?.({ ...fig.state, [c.key]: v }) ?? {}).filter(([k]) => !hidden.has(k));
      fig.set({ ...Object.fromEntries(also), [c.key]: v });
    });
    input.addEventListener('change', () => options.onChange?.({ ...fig.state }, { commit: true }));
  }

  fig.exportCSV = () => fig.table && download(`${name}.csv`, 'text/csv', csv(fig.table));
  fig.exportJSON = () => fig.table && download(`${name}.json`, 'application/json', JSON.stringify({
    figure: name, state: fig.state, configs: fig.table.configs ?? [], columns: fig.table.columns, rows: fig.table.rows,
  }, null, 2));
  fig.exportPNG = () => {
    // The figure drawn again at twice the screen's resolution (at least), laid out as on screen,
    // under its title, its settings and the link that reproduces it.
    const list = Object.entries(canvases);
    const rects = list.map(([, c]) => c.getBoundingClientRect());
    const left = Math.min(...rects.map((r) => r.left));
    const top = Math.min(...rects.map((r) => r.top));
    const width = Math.max(...rects.map((r) => r.right)) - left;
    const height = Math.max(...rects.map((r) => r.bottom)) - top;
    const t = { ...theme(), scale: Math.max(2, window.devicePixelRatio || 1) };
    const s = t.scale;
    const sharp = Object.fromEntries(list.map(([key], i) => {
      const c = document.createElement('canvas');
      c.width = Math.round(rects[i].width * s);
      c.height = Math.round(rects[i].height * s);
      return [key, c];
    }));
    def.draw(wasm, fig.shownState ?? fig.state, sharp, t, fig, flight.data);
    const settings = def.controls.map((c) => `${c.label} ${c.show ? c.show(fig.state[c.key]) : fig.state[c.key]}`).join(' · ');
    const head = 72;
    const out = document.createElement('canvas');
    out.width = Math.round(width * s);
    out.height = Math.round((height + head) * s);
    const ctx = out.getContext('2d');
    ctx.fillStyle = t.dark ? '#16181d' : '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = t.dark ? '#e6e6e6' : '#222222';
    ctx.textBaseline = 'top';
    ctx.font = `bold ${16 * s}px sans-serif`;
    ctx.fillText(def.title, 8 * s, 8 * s, (width - 16) * s);
    ctx.font = `${12 * s}px sans-serif`;
    ctx.fillText(settings, 8 * s, 32 * s, (width - 16) * s);
    ctx.fillText(link(), 8 * s, 50 * s, (width - 16) * s);
    list.forEach(([key], i) => ctx.drawImage(sharp[key], Math.round((rects[i].left - left) * s), Math.round((rects[i].top - top + head) * s)));
    out.toBlob((blob) => download(`${name}.png`, 'image/png', blob), 'image/png');
  };

  const io = new IntersectionObserver((entries) => {
    for (const e of entries) {
      fig.visible = e.isIntersecting;
      if (fig.visible && fig.dirty) fig.draw();
    }
  }, { rootMargin: '200px 0px' });
  let pending = false;
  const redraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fig.request(); });
  };
  const ro = new ResizeObserver((entries) => {
    for (const e of entries) {
      const box = e.contentBoxSize?.[0];
      sizes.set(e.target, box ? { width: box.inlineSize, height: box.blockSize } : { width: e.contentRect.width, height: e.contentRect.height });
    }
    redraw();
  });
  for (const c of Object.values(canvases)) {
    ro.observe(c);
    c.addEventListener('pointermove', point);
    c.addEventListener('pointerdown', point);
    c.addEventListener('pointerleave', () => { readout.hidden = true; });
  }
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  dark.addEventListener('change', redraw);
  io.observe(element);
  fig.destroy = () => {
    def.teardown?.(fig);
    clearTimeout(busyTimer);
    fig.worker?.terminate();
    fig.helper?.terminate();
    io.disconnect();
    ro.disconnect();
    dark.removeEventListener('change', redraw);
    element.replaceChildren();
    delete element.dataset.drawn;
  };

  sync();
  if (options.first && JSON.stringify(options.first.state) === JSON.stringify(fig.state)) {
    Object.assign(flight, { key: JSON.stringify(fig.state), data: options.first.data });
  }
  // Already on screen: draw now rather than a frame later, when the observer first reports.
  const r = element.getBoundingClientRect();
  if (r.bottom > -200 && r.top < window.innerHeight + 200 && r.width > 0) {
    fig.visible = true;
    fig.draw();
  }
  return fig;
}
