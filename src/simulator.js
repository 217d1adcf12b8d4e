// The simulator's JavaScript API: `simulate`, `SimulationRun`, `weights`, `schema` and the chart drawing
// functions, over the WebAssembly module built from this crate (weight-init.js beside this file).
//
// Every argument is turned into plain data here, before WebAssembly sees it: `encode` walks the
// value once, reads each property exactly once inside a try/catch, and writes a flat array of
// numbers (the tape; its tags come from the schema). Whatever JavaScript can throw while a value
// is read — a getter, a Proxy trap, a revoked Proxy, a BigInt — is caught here and described on
// the tape ("a property that throws when read"), so no exception ever unwinds through WebAssembly
// and the core's validation names the field in its error. The rules themselves (names, ranges,
// budgets) are the core's: this file reads them from `schema()` and keeps no copy.
import initWasm, {
  initSync as initWasmSync, schemaJson, simulateTape, weightsTape, weightVarianceTape, spreadLaw as spreadLawCore, drawsTape, SimulationCore, splitPartsTape, mergeTape, edgeOfChaosTape,
  drawLinesTape, drawLinePanelsTape, drawHistogramsTape, drawWeightsTape, drawGridsTape, drawBoundariesTape, drawDigitsTape, drawPhaseTape, drawHikingTape,
} from './weight-init.js';

let contract = null;

function freeze(o) {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  }
  return o;
}

/** The contract: every config's and spec's fields, name lists, limits, result layout and tape tags. */
export function schema() {
  contract ??= freeze(JSON.parse(schemaJson()));
  return contract;
}

/** Loads the WebAssembly module (by default from beside this file); resolves to its exports. */
export default async function init(options) {
  const exports = await initWasm(options);
  schema();
  return exports;
}

/** Loads the module synchronously from bytes or a compiled module (Node, workers). */
export function initSync(options) {
  const exports = initWasmSync(options);
  schema();
  return exports;
}

/** What an object that is not plain data is, for messages: "a Map", "an instance of Point". */
function kindOf(v) {
  try {
    if (v instanceof Map) return 'a Map';
    if (v instanceof Set) return 'a Set';
    if (v instanceof Date) return 'a Date';
    if (v instanceof Promise) return 'a Promise';
    const name = Object.getPrototypeOf(v)?.constructor?.name;
    return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,39}$/.test(name) ? `an instance of ${name}` : 'an object that is not plain';
  } catch {
    return 'an object that is not plain';
  }
}

/** Turns any JavaScript value into the tape the WebAssembly side reads. Never throws. */
export function encode(value) {
  const { tape: T, limits } = schema();
  const out = [];
  let items = 0;
  const text = (tag, s) => {
    out.push(tag, s.length);
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  };
  const other = (what) => text(T.other, what);
  const room = (n) => {
    items += n;
    return items <= limits.maxItems;
  };
  const put = (v, depth) => {
    const start = out.length;
    try {
      switch (typeof v) {
        case 'undefined': out.push(T.undefined); return;
        case 'boolean': out.push(v ? T.true : T.false); return;
        case 'number': out.push(T.number, v); return;
        case 'string':
          if (v.length > limits.maxText || !room(v.length)) other(`a string of ${v.length} characters`);
          else text(T.text, v);
          return;
        case 'bigint': other('a bigint'); return;
        case 'symbol': other('a symbol'); return;
        case 'function': other('a function'); return;
        default: break;
      }
      if (v === null) { out.push(T.null); return; }
      if (depth >= limits.maxDepth) { other('a value nested too deeply'); return; }
      if (ArrayBuffer.isView(v)) {
        if (v instanceof DataView) other('a DataView');
        else if (v instanceof BigInt64Array || v instanceof BigUint64Array) other(`a ${v[Symbol.toStringTag]}`);
        else if (!room(v.length)) other(`a typed array of ${v.length} numbers, more than one call may carry`);
        else {
          out.push(T.numbers, v.length);
          for (let i = 0; i < v.length; i++) out.push(v[i]);
        }
        return;
      }
      if (Array.isArray(v)) {
        const n = v.length;
        if (!room(n)) { other(`an array of ${n} items, more than one call may carry`); return; }
        const xs = new Array(n);
        let numbers = true;
        for (let i = 0; i < n; i++) {
          xs[i] = v[i];
          if (typeof xs[i] !== 'number') numbers = false;
        }
        out.push(numbers ? T.numbers : T.list, n);
        if (numbers) for (let i = 0; i < n; i++) out.push(xs[i]);
        else for (let i = 0; i < n; i++) put(xs[i], depth + 1);
        // An array whose contents together pass the limit is described as a whole, so the error
        // names it rather than one of its rows.
        if (items > limits.maxItems) {
          out.length = start;
          other(`an array holding more than the ${limits.maxItems} values one call may carry`);
        }
        return;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) { other(kindOf(v)); return; }
      const keys = [];
      for (const k in v) {
        keys.push(k);
        if (keys.length > limits.maxKeys) break;
      }
      if (keys.length > limits.maxKeys || !room(keys.length)) { other(`an object with more than ${limits.maxKeys} keys`); return; }
      out.push(T.map, keys.length);
      for (const k of keys) {
        text(T.text, k.length > limits.maxText ? k.slice(0, limits.maxText) : k);
        if (!Object.prototype.hasOwnProperty.call(v, k)) {
          other("an inherited property (only an object's own properties are read)");
          continue;
        }
        let x;
        try {
          x = v[k];
        } catch {
          other('a property that throws when read');
          continue;
        }
        put(x, depth + 1);
      }
    } catch {
      out.length = start;
      other('a value that throws when read');
    }
  };
  put(value, 0);
  return Float64Array.from(out);
}

/** Reads one slot of a result layout into `obj`: `a.b` nests, a trailing `?` turns NaN into null. */
function slotsOf(names) {
  return names.map((s) => {
    const nullable = s.endsWith('?');
    const [a, b] = (nullable ? s.slice(0, -1) : s).split('.');
    return { a, b, nullable };
  });
}

let layout = null;

function unpack(d) {
  if (!layout) {
    const r = schema().result;
    layout = { header: slotsOf(r.header), layer: slotsOf(r.layer), theory: slotsOf(r.theory) };
  }
  const put = (obj, slot, x) => {
    const v = slot.nullable && Number.isNaN(x) ? null : x;
    if (slot.b) obj[slot.a][slot.b] = v;
    else obj[slot.a] = v;
  };
  const head = {};
  layout.header.forEach((slot, k) => put(head, slot, d[k]));
  let i = layout.header.length;
  const n = head.layerCount;
  const layers = new Array(n);
  for (let l = 0; l < n; l++) {
    const layer = { layer: l + 1, histogram: {} };
    for (const slot of layout.layer) put(layer, slot, d[i++]);
    const counts = new Array(head.bins);
    for (let b = 0; b < head.bins; b++) counts[b] = d[i + b];
    layer.histogram.counts = counts;
    i += head.bins;
    layers[l] = layer;
  }
  let theory = null;
  if (head.hasTheory === 1) {
    theory = new Array(n);
    for (let l = 0; l < n; l++) {
      const t = { layer: l + 1 };
      for (const slot of layout.theory) put(t, slot, d[i++]);
      theory[l] = t;
    }
  }
  let trace = null;
  if (head.traceWidth > 0) {
    trace = new Array(n);
    for (let l = 0; l < n; l++, i += head.traceWidth) trace[l] = Array.from(d.subarray(i, i + head.traceWidth));
  }
  return {
    samples: head.samples, features: head.features, layers, theory, trace,
    firstNonFiniteLayer: head.firstNonFiniteLayer, firstNonFiniteGradLayer: head.firstNonFiniteGradLayer,
  };
}

/** Runs the simulator; throws an Error naming the field when the config is malformed. */
export function simulate(config) {
  return unpack(simulateTape(encode(config)));
}

/** A whole number from `lo` to `hi`, or an Error naming `what`. */
function wholeNumber(x, lo, hi, what) {
  if (!Number.isInteger(x) || x < lo || x > hi) {
    const got = typeof x === 'number' ? String(x) : `a ${typeof x}`;
    throw new Error(`${what} must be a whole number from ${lo} to ${hi} (got ${got})`);
  }
  return x;
}

/**
 * `simulate(config)` a layer at a time, so a caller (a worker) can show progress and drop a
 * simulation it no longer needs between layers. With `{ part, parts }` (parts 2 to 8, part 0 to
 * parts − 1) it runs only that part of the batch, for another worker to merge with the others
 * (`mergeParts`). Whole or merged, the numbers are simulate's, bit for bit. Free it when done.
 */
export class SimulationRun {
  #core;
  #whole;

  constructor(config, { part = 0, parts = 1 } = {}) {
    wholeNumber(parts, 1, 8, 'parts');
    wholeNumber(part, 0, parts - 1, 'part');
    this.#core = new SimulationCore(encode(config), part, parts);
    this.#whole = parts === 1;
  }

  #live(what) {
    if (!this.#core) throw new Error(`SimulationRun.${what}: this simulation was freed`);
    return this.#core;
  }

  /** Does the next layer's work (forward or backward); true once done. */
  step() {
    return this.#live('step').step();
  }

  /** The share of the work done, from 0 to 1. */
  get progress() {
    return this.#live('progress').progress();
  }

  /** Runs what is left; the result, as `simulate` returns it (whole simulations). */
  result() {
    return unpack(this.#live('result').result());
  }

  /**
   * Runs what is left; this part's values, for `mergeParts` (parts), or with `{ from, to }` only
   * those that another part's `mergeWith` with the same `{ from, to }` needs.
   */
  partValues({ from = 0, to = 2 ** 32 - 1 } = {}) {
    wholeNumber(from, 0, 2 ** 32 - 2, 'from');
    wholeNumber(to, 1, 2 ** 32 - 1, 'to');
    return this.#live('partValues').partValues(from, to);
  }

  /**
   * Runs what is left of this part and measures it with the other parts' `partValues()` (in order
   * of part): the whole batch's result, as `simulate` returns it, or with `{ from, to }` its hidden
   * layers from + 1 to `to` alone, numbered from 1 (join such pieces with `joinResults`). Its own values stay in
   * WebAssembly's memory, so only the others' cross over.
   */
  mergeWith(config, others, { from = 0, to = 2 ** 32 - 1 } = {}) {
    const tape = encode(config);
    const values = concatParts(others);
    wholeNumber(from, 0, 2 ** 32 - 2, 'from');
    wholeNumber(to, 1, 2 ** 32 - 1, 'to');
    return unpack(this.#live('mergeWith').mergeWith(tape, values, from, to));
  }

  /** Whether this is the whole batch rather than a part. */
  get whole() {
    return this.#whole;
  }

  /** Frees the simulation; any later call throws. Freeing twice does nothing. */
  free() {
    const core = this.#core;
    this.#core = null;
    core?.free();
  }
}

/**
 * How many parts to split `config`'s batch into for workers on `cores` cores: 1 for networks too
 * small to gain from a second worker and for those that do not split (LSUV, whose scales come from
 * the whole batch; networks that `simulate` scales from a reference run); otherwise up to 2.
 */
export function splitParts(config, cores) {
  const n = Number.isInteger(cores) && cores > 0 ? Math.min(cores, 64) : 1;
  return splitPartsTape(encode(config), n);
}

/** Parts' values one after the other (the one array itself when there is one). */
function concatParts(parts) {
  if (!Array.isArray(parts) || !parts.every((p) => p instanceof Float64Array)) {
    throw new Error('parts must be an array of Float64Array, each a part\'s partValues()');
  }
  if (parts.length === 1) return parts[0];
  const values = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  return values;
}

/**
 * One result from the results of consecutive layer ranges (`mergeWith` with `{ from, to }`), in
 * order: their layers and trace rows one after the other, the first non-finite layer of the
 * first range that has one, and the deepest non-finite gradient layer.
 */
export function joinResults(pieces) {
  const [first] = pieces;
  // Each piece numbers its layers from 1; the joined ones count on.
  const renumber = (list) => list.map((x, k) => ({ ...x, layer: k + 1 }));
  const out = { ...first, layers: renumber(pieces.flatMap((r) => r.layers)) };
  if (first.theory) out.theory = renumber(pieces.flatMap((r) => r.theory));
  if (first.trace) out.trace = pieces.flatMap((r) => r.trace);
  out.firstNonFiniteLayer = pieces.map((r) => r.firstNonFiniteLayer).find((v) => v !== null) ?? null;
  out.firstNonFiniteGradLayer = pieces.map((r) => r.firstNonFiniteGradLayer).findLast((v) => v !== null) ?? null;
  return out;
}

/** `simulate(config)`'s result from the `partValues()` of its parts, in order of part. */
export function mergeParts(config, parts) {
  const tape = encode(config);
  return unpack(mergeTape(tape, concatParts(parts)));
}

/** Hidden layer `layer`'s weights under `config`: the matrix `simulate` draws for it. */
export function weights(config, layer) {
  return weightsTape(encode([config, layer]));
}

/** The variance `config`'s scheme gives one weight of hidden layer `layer`. */
export function weightVariance(config, layer) {
  return weightVarianceTape(encode([config, layer]));
}

/**
 * Everything random `simulate(config)` draws, so that another program can run the very same
 * network: `{ input, noise, weights, biases }` — the input batch (samples × features, row by
 * row), the unit noise the backward pass starts from (samples × width), and per hidden layer its
 * weights (fan_in × width, row by row) and biases (width).
 */
export function draws(config) {
  const a = drawsTape(encode(config));
  const [samples, features, width, layers] = a;
  let at = 4;
  const take = (n) => Array.from(a.subarray(at, (at += n)));
  const input = take(samples * features);
  const noise = take(samples * width);
  const weights = [];
  const biases = [];
  for (let l = 0; l < layers; l++) {
    weights.push(take((l === 0 ? features : width) * width));
    biases.push(take(width));
  }
  return { input, noise, weights, biases };
}

/**
 * The exact law of one He-initialized ReLU network's Var(Z_l) / E[Var(Z_l)] with one input, for
 * layers 1 … `layers` of a network `width` wide: `{ atom, q10, q50, q90 }`, each one number a
 * layer (the chance that Var(Z_l) is exactly 0, an earlier layer having died, and the quantiles).
 */
export function spreadLaw(width, layers) {
  const a = spreadLawCore(width, layers);
  const part = (k) => Array.from(a.slice(k * layers, (k + 1) * layers));
  return { atom: part(0), q10: part(1), q50: part(2), q90: part(3) };
}

/**
 * The mean-field theory of signal propagation at (σ_w², σ_b²): `{ qStar, chi1, depthScale,
 * criticalSw2, cosine, grid, line }` (see EdgeConfig and EdgeResult in simulator.d.ts).
 */
export function edgeOfChaos(config) {
  const a = edgeOfChaosTape(encode(config));
  const layers = a[4];
  const cells = a[5 + layers];
  return {
    qStar: a[0], chi1: a[1], depthScale: a[2], criticalSw2: a[3],
    cosine: a.slice(5, 5 + layers),
    grid: a.slice(6 + layers, 6 + layers + cells),
    line: a.slice(6 + layers + cells),
  };
}

/** The canvas itself, checked to be a real <canvas> (a Proxy or look-alike fails here). */
function canvasOf(canvas) {
  try {
    HTMLCanvasElement.prototype.getContext.call(canvas, '2d');
    return canvas;
  } catch {
    throw new Error('canvas must be a <canvas> element');
  }
}

function drawing(draw) {
  return (canvas, spec, theme) => draw(canvasOf(canvas), encode(spec), encode(theme));
}

/**
 * Draws lines over layers (LinesSpec). Returns where the plot landed, in the canvas's pixels:
 * `{ left, right, top, bottom, xMin, xMax }` (x at the plot's left and right edges), or null when
 * the canvas has no size.
 */
export function drawLines(canvas, spec, theme) {
  const a = drawLinesTape(canvasOf(canvas), encode(spec), encode(theme));
  return a.length === 6 ? plotArea(a, 0) : null;
}
const plotArea = (a, i) => ({ left: a[i], right: a[i + 1], top: a[i + 2], bottom: a[i + 3], xMin: a[i + 4], xMax: a[i + 5] });
const regions = (a) => Array.from({ length: a.length / 4 }, (_, k) => ({ left: a[4 * k], right: a[4 * k + 1], top: a[4 * k + 2], bottom: a[4 * k + 3] }));
/**
 * Draws line charts as small multiples, one legend, a y range per panel (LinePanelsSpec). Returns
 * where each panel's plot landed, as drawLines does (empty when the canvas has no size).
 */
export function drawLinePanels(canvas, spec, theme) {
  const a = drawLinePanelsTape(canvasOf(canvas), encode(spec), encode(theme));
  return Array.from({ length: a.length / 6 }, (_, k) => plotArea(a, 6 * k));
}
/**
 * Draws histograms as small multiples (HistogramsSpec). Returns where each panel's bars span,
 * `{ left, right, top, bottom }` in the canvas's pixels, `lo` at the left edge and `hi` at the right.
 */
export function drawHistograms(canvas, spec, theme) {
  return regions(drawHistogramsTape(canvasOf(canvas), encode(spec), encode(theme)));
}
/** Draws sampled weights with their densities (WeightsSpec). */
export const drawWeights = drawing(drawWeightsTape);
/** Draws neurons × layers grids (GridsSpec). Returns where each grid's cells lie (layer 1 on top). */
export function drawGrids(canvas, spec, theme) {
  return regions(drawGridsTape(canvasOf(canvas), encode(spec), encode(theme)));
}
/** Draws decision boundaries (BoundariesSpec). */
export const drawBoundaries = drawing(drawBoundariesTape);
/**
 * Draws the phase diagram (PhaseSpec). Returns where it lies in the canvas's pixels with the
 * σ_w², σ_b² at its right and top edges, or null when the canvas has no size.
 */
export function drawPhase(canvas, spec, theme) {
  const a = drawPhaseTape(canvasOf(canvas), encode(spec), encode(theme));
  return a.length === 6 ? { left: a[0], right: a[1], top: a[2], bottom: a[3], sw2Max: a[4], sb2Max: a[5] } : null;
}
/** Draws 8 × 8 digit images with each network's answers, wrong ones marked (DigitsSpec). */
export const drawDigits = drawing(drawDigitsTape);
/** Draws the hiking analogy. */
export function drawHiking(canvas, theme) {
  drawHikingTape(canvasOf(canvas), encode(theme));
}
