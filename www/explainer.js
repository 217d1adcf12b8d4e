// The explainer's figures as components: `mount(element, options)` renders one figure into any
// element and returns a handle to update or destroy it. The article page and the embed view use the
// same code.
//
//   import { mount } from './www/explainer.js';
//   const fig = await mount(document.querySelector('#here'), { figure: 'explorer', state: { layers: 50 } });
//   fig.update({ scheme: 'he-normal' });
//   fig.destroy();
//
// A figure is a module under www/figures/ (its controls, compute, draw, read-out and code); the
// component is made of the parts under www/figure/: the view (controls and canvases), the
// scheduler (when to compute, in the figure's simulation, and when to draw), the read-out under
// the pointer, the exports (table, CSV, JSON, PNG, link, embed) and the code panel.
import init, * as bindings from './simulator.js';
import { FIGURES } from './figures/index.js';
import { fmt } from './format.js';
import { compiled } from './boot.js';
import { fit, sizes, theme } from './figure/dom.js';
import { buildView, concealView, syncView } from './figure/view.js';
import { createReadout } from './figure/readout.js';
import { createScheduler } from './figure/scheduler.js';
import { buildExports } from './figure/exports.js';
import { buildCodePanel } from './figure/code-panel.js';
import { defaults, parseValue, stateFromParams } from './figure/state.js';
import { prewarm as warmUp, spawnWorker } from './simulation.js';

export { FIGURES, fmt };
export { parseValue, stateFromParams, stateToParams } from './figure/state.js';
export { BASE_URL, EMBED_LISTENER, embedCode, followEmbedHeights } from './figure/exports.js';
export { RECYCLE_BYTES, createSimulation, spawnWorker } from './simulation.js';

/** Starts figure `name`'s worker ahead of its mount (for the first figure on the screen). */
export const prewarm = (name) => warmUp(FIGURES[name]);

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

/**
 * Draws `data` (computed for `state`) on the figure's canvases, with the table, the code and the
 * canvases' descriptions; an error is shown in the figure's status line instead.
 */
function render(fig, parts, state, data, error) {
  const { def, element } = fig;
  fig.shownState = state;
  fig.shownData = data;
  const start = performance.now();
  try {
    if (error) throw error;
    for (const c of Object.values(parts.canvases)) fit(c);
    fig.table = def.draw(parts.readout.drawer, state, parts.canvases, theme(), fig, data);
    // What each canvas now shows, in words, for screen readers.
    for (const [name, text] of Object.entries(fig.table?.summaries ?? {})) {
      parts.canvases[name]?.setAttribute('aria-label', `${def.canvases.find((c) => c.name === name).label} ${text}`);
    }
    parts.status.hidden = true;
    fig.drawn++;
    element.dataset.drawn = String(fig.drawn);
    element.dispatchEvent(new CustomEvent('weight-init:drawn', { bubbles: true, detail: { figure: fig.name, drawn: fig.drawn } }));
    if (!plotShown) {
      plotShown = true;
      painted(Infinity).then(() => performance.mark('first-plot'));
    }
  } catch (e) {
    parts.status.hidden = false;
    parts.status.textContent = `This figure could not be drawn: ${e.message ?? e}`;
  }
  parts.exports.refresh();
  parts.code.render();
  // Each redraw's main-thread time, when the page benchmark asks (bench/page.mjs).
  if (globalThis.measureDraws) performance.measure(`draw ${fig.name}`, { start, end: performance.now() });
}

/** Shows, after 100 ms, that the figure computes (with `text`, how far); hides it when done. */
function busyNote(fig, parts) {
  let timer = 0;
  return (on, text) => {
    const { computing, grid } = parts;
    if (on && text) computing.textContent = text;
    if (on) {
      if (timer || !computing.hidden) return;
      timer = setTimeout(() => {
        timer = 0;
        computing.hidden = false;
        grid.setAttribute('aria-busy', 'true');
        fig.ui.classList.add('computing');
        fig.element.dispatchEvent(new CustomEvent('weight-init:computing', { bubbles: true, detail: { figure: fig.name } }));
      }, 100);
      return;
    }
    clearTimeout(timer);
    timer = 0;
    computing.hidden = true;
    computing.textContent = 'Computing…';
    grid.removeAttribute('aria-busy');
    fig.ui.classList.remove('computing');
  };
}

/** Redraws `fig` while it is on screen, when it is resized and when the theme changes. */
function observe(fig, canvases) {
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
  for (const c of Object.values(canvases)) ro.observe(c);
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  dark.addEventListener('change', redraw);
  io.observe(fig.element);
  return () => {
    io.disconnect();
    ro.disconnect();
    dark.removeEventListener('change', redraw);
  };
}

/**
 * Renders figure `options.figure` into `element` and returns a handle:
 * `{ state, set(values), update(values), choose(values), draw(), settled(), destroy(),
 * exportCSV(), exportJSON(), exportPNG(), table }`. The element emits `weight-init:drawn` after
 * each picture and `weight-init:computing` when a computation takes longer than 100 ms (both
 * bubble, with `detail.figure` naming the figure).
 *
 * Options: `state` (initial values, as in a link), `hide` (control keys to hide), `link(state)`
 * (the page URL for this state; default: the explainer at BASE_URL), `onChange(state, { commit })`,
 * `first` ({ state, data }: the figure's numbers computed ahead for that state, drawn without a
 * worker when the figure starts in it). Each figure redraws only while it is visible.
 */
export async function mount(element, options = {}) {
  const name = options.figure;
  const def = FIGURES[name];
  if (!def) throw new Error(`mount: figure must be one of ${Object.keys(FIGURES).join(', ')} (got ${String(name)})`);
  const wasm = await load();
  // Initial values go through the same checks as a link's.
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(options.state ?? {})) params.set(`${name}.${k}`, String(v));
  const parsed = stateFromParams(name, params);
  const fig = {
    name, def, element, root: element, wasm, options, state: parsed.state, rejected: parsed.rejected,
    hidden: new Set(options.hide ?? []), table: null, drawn: 0, visible: false, dirty: true,
    // Workers of its own, for a figure that keeps state in them (the training figure's networks).
    spawnWorker,
  };

  /** Sets values (each checked against its control; bad ones are ignored) and redraws. */
  fig.set = (values, { commit = false, silent = false } = {}) => {
    for (const c of def.controls) {
      if (!(c.key in values)) continue;
      const v = parseValue(c, String(values[c.key]));
      if (v !== undefined) fig.state[c.key] = v;
    }
    syncView(fig);
    fig.request();
    if (!silent) options.onChange?.({ ...fig.state }, { commit });
  };
  fig.update = (values) => fig.set(values);
  /**
   * What the figure's own buttons use (presets, Reset, a control that moves others, another
   * figure's "open in"): `set` without the controls the link hides, which keep their values.
   */
  fig.choose = (values, how) => fig.set(Object.fromEntries(Object.entries(values).filter(([k]) => !fig.hidden.has(k))), how);
  fig.committed = () => options.onChange?.({ ...fig.state }, { commit: true });
  fig.defaults = () => defaults(def);

  const view = buildView(fig);
  fig.ui = view.ui;
  // An exercise may change how a canvas's line chart is drawn (`fig.overlays[name]`, see
  // figure/exercise.js) and hide the figure's pictures until the reader answers (`fig.conceal`).
  fig.overlays = {};
  const overlayOf = (canvas) => fig.overlays[canvas.dataset.canvas] ?? null;
  const parts = { ...view, readout: createReadout(view.grid, wasm, overlayOf) };
  fig.areaOf = (canvasName) => parts.readout.areaOf(view.canvases[canvasName]);
  fig.canvases = view.canvases;
  fig.conceal = (on, text) => concealView(view, on, text);
  parts.exports = buildExports(fig, view.canvases);
  parts.code = buildCodePanel(fig, parts.exports.share);
  const { numbers, tools, shareBox } = parts.exports;
  view.ui.append(view.status, ...(numbers ? [numbers] : []), ...(parts.code.panel ? [parts.code.panel] : []), tools, shareBox);
  element.replaceChildren(view.ui);
  for (const c of Object.values(view.canvases)) parts.readout.attach(c);

  parts.busy = busyNote(fig, parts);
  const scheduler = createScheduler(fig, {
    render: (state, data, error) => render(fig, parts, state, data, error),
    busy: parts.busy,
  });
  fig.draw = () => {
    fig.dirty = false;
    scheduler.draw();
  };
  fig.settled = scheduler.settled;
  /** Redraws now if on screen, otherwise when it scrolls into view. */
  fig.request = () => {
    if (fig.visible) fig.draw();
    else fig.dirty = true;
  };
  const unobserve = observe(fig, view.canvases);
  fig.destroy = () => {
    def.teardown?.(fig);
    parts.busy(false);
    scheduler.destroy();
    unobserve();
    element.replaceChildren();
    delete element.dataset.drawn;
  };

  syncView(fig);
  if (options.first && JSON.stringify(options.first.state) === JSON.stringify(fig.state)) scheduler.seed(fig.state, options.first.data);
  // Already on screen: draw now rather than a frame later, when the observer first reports.
  const r = element.getBoundingClientRect();
  if (r.bottom > -200 && r.top < window.innerHeight + 200 && r.width > 0) {
    fig.visible = true;
    fig.draw();
  }
  return fig;
}
