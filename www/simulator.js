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
  initSync as initWasmSync, schemaJson, simulateTape, weightsTape, weightVarianceTape, spreadLaw as spreadLawCore, drawsTape, SimulationCore, splitPlanTape, mergeTape, edgeOfChaosTape,
  drawLinesTape, drawLinePanelsTape, drawHistogramsTape, drawWeightsTape, drawGridsTape, drawBoundariesTape, drawDigitsTape, drawPhaseTape, drawHikingTape,
} from '../weight-init.js';

// The built-ins this file reads arguments with, taken when it loads: a page that later changes one
// (Array.prototype[1] = 5, a getter on Float64Array.prototype.length) cannot change how an
// argument is read, and `guard` refuses to call the module once a built-in that its generated
// bindings use has been replaced, rather than let a wrong length reach WebAssembly.
const uncurry = (f) => Function.prototype.call.bind(f);
const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
const typedLength = uncurry(Object.getOwnPropertyDescriptor(TypedArray, 'length').get);
const typedTag = uncurry(Object.getOwnPropertyDescriptor(TypedArray, Symbol.toStringTag).get);
const hasOwn = uncurry(Object.prototype.hasOwnProperty);
const { isArray } = Array;
const { getPrototypeOf, getOwnPropertyDescriptor } = Object;
const { ownKeys } = Reflect;
const { isView } = ArrayBuffer;
const F64 = Float64Array;
const float64From = Float64Array.from.bind(Float64Array);

/** The built-ins the generated bindings use, as they were when this file loaded. */
const WATCHED = [
  [globalThis, ['Float64Array', 'Uint8Array', 'Uint32Array', 'Int32Array', 'Error', 'TextDecoder', 'TextEncoder', 'WebAssembly', 'Array', 'Object', 'String', 'Number']],
  [TypedArray, ['length', 'byteLength', 'byteOffset', 'buffer', 'set', 'subarray', 'slice']],
  [Float64Array, ['from']],
  [globalThis.TextDecoder?.prototype, ['decode']],
  [globalThis.TextEncoder?.prototype, ['encode', 'encodeInto']],
  [globalThis.WebAssembly?.Memory?.prototype, ['buffer']],
].filter(([o]) => o).map(([o, names]) => [o, names.map((n) => [n, getOwnPropertyDescriptor(o, n)])]);
/** Typed arrays' own prototypes, which hold nothing but their constructor and element size. */
const PLAIN_PROTOTYPES = [Float64Array, Uint8Array, Uint32Array, Int32Array].map((T) => [T.name, T.prototype, ownKeys(T.prototype).length]);

function same(a, b) {
  if (!a || !b) return a === b;
  return a.value === b.value && a.get === b.get && a.set === b.set;
}

/**
 * Throws an Error (before the module is called) when a built-in the bindings rely on has been
 * replaced since this file loaded; the message names it.
 */
export function guard() {
  for (const [o, names] of WATCHED) {
    for (const [name, was] of names) {
      if (!same(getOwnPropertyDescriptor(o, name), was)) {
        throw new Error(`the simulator will not run: the built-in ${name === 'buffer' && o !== TypedArray ? 'WebAssembly.Memory.prototype.buffer' : name} was changed after it loaded`);
      }
    }
  }
  for (const [name, proto, keys] of PLAIN_PROTOTYPES) {
    if (ownKeys(proto).length !== keys) throw new Error(`the simulator will not run: ${name}.prototype was changed after it loaded`);
  }
}

/** Whether Array.prototype or Object.prototype holds an element (so a hole in an array reads it). */
function prototypesHoldElements() {
  for (const o of [Array.prototype, Object.prototype]) {
    for (const k of ownKeys(o)) if (typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k)) return true;
  }
  return false;
}

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

/**
 * `config` with every field it leaves out set to its schema's default: `kind` names the schema
 * ('simulate', 'residual', 'attention', 'isometry', 'train', 'edge', …, as `schema().schemas`
 * lists them). Fields without a default stay out. It checks nothing else: the exports validate.
 */
export function withDefaults(kind, config) {
  const s = schema().schemas[kind];
  if (!s) throw new Error(`kind must be one of ${Object.keys(schema().schemas).join(', ')} (got ${String(kind)})`);
  const out = { ...config };
  for (const f of s.fields) {
    if (out[f.name] === undefined && f.default !== null) out[f.name] = structuredClone(f.default);
  }
  return out;
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

/**
 * Turns any JavaScript value into the tape the WebAssembly side reads. Never throws. One function
 * with one inner walker, longer than most: every guard against a hostile value (getters, proxies,
 * cycles, holes, sizes past the limits) sits beside the read it protects.
 */
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
      if (isView(v)) {
        // Read with the typed arrays' own getters: a subclass or a changed prototype cannot lie
        // about the length.
        const tag = typedTag(v);
        if (tag === undefined) other('a DataView');
        else if (tag === 'BigInt64Array' || tag === 'BigUint64Array') other(`a ${tag}`);
        else {
          const n = typedLength(v);
          if (!room(n)) other(`a typed array of ${n} numbers, more than one call may carry`);
          else {
            out.push(T.numbers, n);
            for (let i = 0; i < n; i++) out.push(v[i]);
          }
        }
        return;
      }
      if (isArray(v)) {
        const n = v.length;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) { other('an array whose length is not a count'); return; }
        if (!room(n)) { other(`an array of ${n} items, more than one call may carry`); return; }
        const xs = new Array(n);
        let numbers = true;
        for (let i = 0; i < n; i++) {
          if (holes && !hasOwn(v, i)) {
            xs[i] = HOLE;
            numbers = false;
            continue;
          }
          xs[i] = v[i];
          if (typeof xs[i] !== 'number') numbers = false;
        }
        out.push(numbers ? T.numbers : T.list, n);
        if (numbers) for (let i = 0; i < n; i++) out.push(xs[i]);
        else for (let i = 0; i < n; i++) if (xs[i] === HOLE) other('an empty slot (a hole in the array)'); else put(xs[i], depth + 1);
        // An array whose contents together pass the limit is described as a whole, so the error
        // names it rather than one of its rows.
        if (items > limits.maxItems) {
          out.length = start;
          other(`an array holding more than the ${limits.maxItems} values one call may carry`);
        }
        return;
      }
      const proto = getPrototypeOf(v);
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
        if (!hasOwn(v, k)) {
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
  const holes = prototypesHoldElements();
  put(value, 0);
  return float64From(out);
}

/**
 * A byte array read as plain data: a copy of `bytes`, which must be a Uint8Array of at most `max`
 * bytes, taken with the typed arrays' own getters (so a Proxy, a subclass or a changed prototype
 * cannot lie about its length or contents); an Error naming `what` otherwise.
 */
export function bytesOf(bytes, what, max) {
  let tag;
  try {
    tag = typedTag(bytes);
  } catch {
    tag = undefined;
  }
  if (tag !== 'Uint8Array') {
    const got = bytes === null ? 'null' : typeof bytes !== 'object' ? `a ${typeof bytes}` : isView(bytes) ? 'another kind of typed array' : 'an object that is not a Uint8Array';
    throw new Error(`${what} must be a Uint8Array (got ${got})`);
  }
  const n = typedLength(bytes);
  if (n > max) throw new Error(`${what} must hold at most ${max} bytes (got ${n})`);
  const copy = new Uint8Array(n);
  if (n > 0) typedSet(copy, bytes);
  return copy;
}

/** Marks an array's hole while it is read (an object no caller can pass). */
const HOLE = Object.freeze({});

/** Reads one slot of a result layout into `obj`: `a.b` nests, a trailing `?` turns NaN into null. */
function slotsOf(names) {
  return names.map((s) => {
    const nullable = s.endsWith('?');
    const [a, b] = (nullable ? s.slice(0, -1) : s).split('.');
    return { a, b, nullable };
  });
}

const flatLayouts = new Map();

/**
 * A flat result of the core read by the names of its layout `name` in `schema().result` (see
 * src/core/schema/flat.rs): `name` a number (dotted names nest), `name?` null when NaN, `name~` left
 * out when NaN, `#count` a count for the arrays after it, `name[count]` that many numbers,
 * `name[]` the rest.
 */
export function unpackFlat(name, d) {
  let entries = flatLayouts.get(name);
  if (!entries) {
    entries = schema().result[name].map((s) => {
      const [, count, path, array, of, mark] = /^(#?)([\w.]+)(\[(\w*)\])?([?~]?)$/.exec(s);
      return { count: count === '#', path: path.split('.'), array: array !== undefined, of, mark };
    });
    flatLayouts.set(name, entries);
  }
  const out = {};
  const counts = new Map();
  let i = 0;
  for (const e of entries) {
    if (e.count) {
      counts.set(e.path[0], d[i++]);
      continue;
    }
    let v;
    if (e.array) {
      const n = e.of ? counts.get(e.of) : d.length - i;
      v = d.slice(i, i + n);
      i += n;
    } else {
      v = d[i++];
      if (Number.isNaN(v) && e.mark === '~') continue;
      if (Number.isNaN(v) && e.mark === '?') v = null;
    }
    let o = out;
    for (let k = 0; k < e.path.length - 1; k++) o = o[e.path[k]] ??= {};
    o[e.path[e.path.length - 1]] = v;
  }
  return out;
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
  const tape = encode(config);
  guard();
  return unpack(simulateTape(tape));
}

/**
 * An options argument read as plain data: each of `names` taken from the object's own data
 * properties without running a getter, so nothing the caller wrote runs while it is read.
 * Undefined means no options; anything else that is not such an object is an Error naming `what`.
 */
export function optionsOf(o, what, names) {
  if (o === undefined) return {};
  const quoted = names.map((n) => `'${n}'`);
  const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0];
  const bad = (got) => new Error(`${what} must be an object with ${list} (got ${got})`);
  if (o === null) throw bad('null');
  if (typeof o !== 'object' && typeof o !== 'function') throw bad(`a ${typeof o}`);
  const out = {};
  for (const name of names) {
    let d;
    try {
      d = getOwnPropertyDescriptor(o, name);
    } catch {
      throw bad('an object that throws when read');
    }
    if (d === undefined) continue;
    if (!('value' in d)) throw new Error(`${what}.${name} must be a plain value (got a getter)`);
    out[name] = d.value;
  }
  return out;
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
 * simulation it no longer needs between layers. With `{ cores }` the core plans the run for that
 * many workers (`run.plan`, as `splitPlan` gives it) and this is its part 0 — or the whole run,
 * when the plan does not split. With `{ part, parts }` (parts 2 to 8, part 0 to parts − 1) it
 * runs part `part` of a plan of `parts` parts, for another worker's run. A part sends the others
 * its values (`sendValues`) and measures its share of the layers with theirs (`mergeShare`);
 * `joinResults` joins the shares. Whole or joined, the numbers are simulate's, bit for bit.
 * Free it when done.
 */
export class SimulationRun {
  #core;
  #plan;

  constructor(config, split) {
    const { part = 0, parts, cores } = optionsOf(split, 'split', ['part', 'parts', 'cores']);
    if (cores !== undefined && (parts !== undefined || part !== 0)) {
      throw new Error('split takes either { cores } or { part, parts }, not both');
    }
    if (cores !== undefined) wholeNumber(cores, 1, 64, 'cores');
    const n = parts ?? 1;
    wholeNumber(n, 1, 8, 'parts');
    wholeNumber(part, 0, n - 1, 'part');
    const tape = encode(config);
    guard();
    this.#core = cores !== undefined ? SimulationCore.planned(tape, cores) : new SimulationCore(tape, part, n);
    this.#plan = planOf(this.#core.plan());
  }

  #live(what) {
    if (!this.#core) throw new Error(`SimulationRun.${what}: this simulation was freed`);
    guard();
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

  /** The plan this run is part of: `{ parts, shares, sends }`, as `splitPlan` gives it. */
  get plan() {
    return this.#plan;
  }

  /** Which part of its plan this run is (0 for a whole run). */
  get part() {
    return this.#live('part').part();
  }

  /** Whether this is the whole batch rather than a part. */
  get whole() {
    return this.#plan.parts === 1;
  }

  /** Runs what is left; the result, as `simulate` returns it (whole simulations; again on a later call). */
  result() {
    return unpack(this.#live('result').result());
  }

  /**
   * Runs what is left; this part's values, for `mergeParts` (parts), or with `{ from, to }` only
   * those that another part's `mergeWith` with the same `{ from, to }` needs.
   */
  partValues(range) {
    const { from, to } = rangeOf(range);
    return this.#live('partValues').partValues(from, to);
  }

  /** Runs what is left; the values this part's plan sends the other parts (`plan.sends[part]`). */
  sendValues() {
    return this.#live('sendValues').sendValues();
  }

  /**
   * Runs what is left of this part and measures it with the other parts' `partValues()` (in order
   * of part): the whole batch's result, as `simulate` returns it, or with `{ from, to }` its hidden
   * layers from + 1 to `to` alone, numbered from 1 (join such pieces with `joinResults`). Its own
   * values stay in WebAssembly's memory, so only the others' cross over.
   */
  mergeWith(others, range) {
    const values = concatParts(others);
    const { from, to } = rangeOf(range);
    return unpack(this.#live('mergeWith').mergeWith(values, from, to));
  }

  /** `mergeWith(others, plan.shares[part])`: this part's share of the layers, with the others' `sendValues()`. */
  mergeShare(others) {
    const values = concatParts(others);
    return unpack(this.#live('mergeShare').mergeShare(values));
  }

  /** Frees the simulation; any later call throws. Freeing twice does nothing. */
  free() {
    const core = this.#core;
    this.#core = null;
    core?.free();
  }
}

/** A `{ from, to }` layer range (both optional: all the layers). */
function rangeOf(range) {
  const { from = 0, to = 2 ** 32 - 1 } = optionsOf(range, 'range', ['from', 'to']);
  wholeNumber(from, 0, 2 ** 32 - 2, 'from');
  wholeNumber(to, 1, 2 ** 32 - 1, 'to');
  return { from, to };
}

/** A plan from the core's numbers (see `splitPlanTape` in bindings.rs). */
function planOf(flat) {
  const parts = flat[0];
  const ranges = (at) => Array.from({ length: parts }, (_, p) => ({ from: flat[at + 2 * p], to: flat[at + 2 * p + 1] }));
  return { parts, shares: ranges(1), sends: ranges(1 + 2 * parts) };
}

/**
 * How the core splits `config`'s run for workers on `cores` cores: `{ parts, shares, sends }`.
 * `parts` is 1 for networks too small to gain from a second worker and for those that do not
 * split (LSUV, whose scales come from the whole batch; networks that `simulate` scales from a
 * reference run); otherwise up to 2. Part p measures hidden layers `shares[p].from + 1` to
 * `shares[p].to` and sends the others its values for layers `sends[p]`.
 */
export function splitPlan(config, cores) {
  const n = Number.isInteger(cores) && cores > 0 ? Math.min(cores, 64) : 1;
  const tape = encode(config);
  guard();
  return planOf(splitPlanTape(tape, n));
}

const typedSet = uncurry(TypedArray.set);

/**
 * Parts' values one after the other, in a new array of this file's own: read with the typed
 * arrays' own getters, so a Proxy, a subclass or a getter cannot change what crosses over.
 */
function concatParts(parts) {
  const bad = (got) => new Error(`parts must be an array of 1 to 8 Float64Array, each a part's partValues() (got ${got})`);
  let n;
  try {
    if (!isArray(parts)) throw bad(parts === null ? 'null' : `a ${typeof parts}`);
    n = parts.length;
  } catch (e) {
    throw e instanceof Error && e.message.startsWith('parts ') ? e : bad('a value that throws when read');
  }
  if (!Number.isInteger(n) || n < 1 || n > 8) throw bad(`${String(n)} parts`);
  const list = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    let p;
    try {
      p = parts[i];
    } catch {
      throw bad(`a part ${i} that throws when read`);
    }
    let tag;
    try {
      tag = typedTag(p);
    } catch {
      tag = undefined;
    }
    if (tag !== 'Float64Array') throw bad(`a part ${i} that is not a Float64Array`);
    list.push(p);
    total += typedLength(p);
  }
  const values = new F64(total);
  let at = 0;
  for (const p of list) {
    typedSet(values, p, at);
    at += typedLength(p);
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
  const values = concatParts(parts);
  guard();
  return unpack(mergeTape(tape, values));
}

/** Hidden layer `layer`'s weights under `config`: the matrix `simulate` draws for it. */
export function weights(config, layer) {
  const [c, l] = [encode(config), encode(layer)];
  guard();
  return weightsTape(c, l);
}

/** The variance `config`'s scheme gives one weight of hidden layer `layer`. */
export function weightVariance(config, layer) {
  const [c, l] = [encode(config), encode(layer)];
  guard();
  return weightVarianceTape(c, l);
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
  const tape = encode(config);
  guard();
  return unpackFlat('edge', edgeOfChaosTape(tape));
}

// Drawing. The module draws on a picture of the canvas's size and returns it as a tape (see
// src/charts/picture.rs); `paint` replays it on the canvas here. So no canvas, context or getter of
// the caller's ever reaches WebAssembly: the canvas's size is read with the <canvas> element's own
// getters, and whatever throws while painting is caught here and named.
const canvasProto = globalThis.HTMLCanvasElement?.prototype;
const canvasWidth = canvasProto && uncurry(Object.getOwnPropertyDescriptor(canvasProto, 'width').get);
const canvasHeight = canvasProto && uncurry(Object.getOwnPropertyDescriptor(canvasProto, 'height').get);
const canvasContext = canvasProto && uncurry(canvasProto.getContext);

/** The canvas's 2D context and size, read as plain data; an Error naming `canvas` otherwise. */
function canvasOf(canvas) {
  try {
    const context = canvasContext(canvas, '2d');
    const width = canvasWidth(canvas);
    const height = canvasHeight(canvas);
    if (context) return { context, width, height };
  } catch {
    // Not a <canvas> (a Proxy, a look-alike, another element): said below.
  }
  throw new Error('canvas must be a <canvas> element with a 2D context');
}

let measuring = null;

/**
 * Text widths for the module's layout, measured on a canvas of this file's own (so the caller's
 * canvas is not touched before painting). Never throws: what cannot be measured is estimated.
 */
function measure(font, text) {
  try {
    measuring ??= (globalThis.OffscreenCanvas ? new OffscreenCanvas(1, 1) : document.createElement('canvas')).getContext('2d');
    measuring.font = font;
    const w = measuring.measureText(text).width;
    if (Number.isFinite(w)) return w;
  } catch {
    // Estimated below.
  }
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12);
  return 0.6 * size * text.length;
}

const BASELINES = ['top', 'middle', 'bottom'];
const ALIGNS = ['start', 'center', 'end'];

/**
 * Replays a picture tape (from `at`) on a 2D context, as plotters' canvas backend would draw. One
 * loop over the commands, one case each, kept together: it is the hot path of every redraw.
 */
function paint(ctx, t, at) {
  let i = at;
  const colour = () => {
    const c = `rgba(${t[i]},${t[i + 1]},${t[i + 2]},${t[i + 3]})`;
    i += 4;
    return c;
  };
  const text = () => {
    const n = t[i++];
    let s = '';
    for (let k = 0; k < n; k += 4096) s += String.fromCharCode(...t.subarray(i + k, i + Math.min(n, k + 4096)));
    i += n;
    return s;
  };
  const stroke = (c) => {
    ctx.strokeStyle = c;
    ctx.lineWidth = t[i++];
  };
  const trace = () => {
    const n = t[i++];
    ctx.beginPath();
    for (let k = 0; k < n; k++, i += 2) {
      if (k === 0) ctx.moveTo(t[i], t[i + 1]);
      else ctx.lineTo(t[i], t[i + 1]);
    }
    return n;
  };
  while (i < t.length) {
    switch (t[i++]) {
      case 0: { // pixel
        const [x, y] = [t[i], t[i + 1]];
        i += 2;
        ctx.fillStyle = colour();
        ctx.fillRect(x, y, 1, 1);
        break;
      }
      case 1: { // line
        const [x0, y0, x1, y1] = [t[i], t[i + 1], t[i + 2], t[i + 3]];
        i += 4;
        stroke(colour());
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        break;
      }
      case 2: { // rectangle
        const [x, y, w, h] = [t[i], t[i + 1], t[i + 2], t[i + 3]];
        i += 4;
        const c = colour();
        if (t[i++] === 1) {
          i++;
          ctx.fillStyle = c;
          ctx.fillRect(x, y, w, h);
        } else {
          stroke(c);
          ctx.strokeRect(x, y, w, h);
        }
        break;
      }
      case 3: { // polyline
        trace();
        stroke(colour());
        ctx.stroke();
        break;
      }
      case 4: { // filled polygon
        const n = trace();
        if (n > 0) ctx.closePath();
        ctx.fillStyle = colour();
        ctx.fill();
        break;
      }
      case 5: { // circle
        const [x, y, r] = [t[i], t[i + 1], t[i + 2]];
        i += 3;
        const c = colour();
        const fill = t[i++] === 1;
        if (fill) {
          i++;
          ctx.fillStyle = c;
        } else stroke(c);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        if (fill) ctx.fill();
        else ctx.stroke();
        break;
      }
      case 6: { // text
        const [x, y, degrees, baseline, align] = [t[i], t[i + 1], t[i + 2], t[i + 3], t[i + 4]];
        i += 5;
        const c = colour();
        const font = text();
        const s = text();
        if (degrees !== 0) {
          ctx.save();
          ctx.translate(x, y);
          ctx.rotate((degrees / 180) * Math.PI);
        }
        ctx.textBaseline = BASELINES[baseline];
        ctx.textAlign = ALIGNS[align];
        ctx.fillStyle = c;
        ctx.font = font;
        ctx.fillText(s, degrees !== 0 ? 0 : x, degrees !== 0 ? 0 : y);
        if (degrees !== 0) ctx.restore();
        break;
      }
      default:
        throw new Error(`unknown picture operation ${t[i - 1]}`);
    }
  }
}

/**
 * Draws with `tapeFn` (one of the module's draw…Tape exports) on `canvas`: returns the numbers the
 * chart reports (where its plot landed), or null when the canvas is too small to hold a chart.
 */
function draw(tapeFn, canvas, ...tapes) {
  const { context, width, height } = canvasOf(canvas);
  guard();
  const out = tapeFn(width, height, measure, ...tapes);
  const k = out[0];
  if (out.length === 1) return null;
  try {
    paint(context, out, 1 + k);
  } catch (e) {
    throw new Error(`canvas could not be painted on: its 2D context threw (${describe(e)})`);
  }
  return out.subarray(1, 1 + k);
}

/** A thrown value, briefly, for a message (never its markup: callers put messages in text). */
function describe(e) {
  try {
    return (e instanceof Error ? e.message : String(e)).slice(0, 120);
  } catch {
    return 'a value that cannot be shown';
  }
}

const plotArea = (a, i) => ({
  left: a[i],
  right: a[i + 1],
  top: a[i + 2],
  bottom: a[i + 3],
  xMin: a[i + 4],
  xMax: a[i + 5],
  yLog: a[i + 6] === 1,
  yMin: a[i + 7],
  yMax: a[i + 8],
});
const regions = (a) => (a ? Array.from({ length: a.length / 4 }, (_, k) => ({ left: a[4 * k], right: a[4 * k + 1], top: a[4 * k + 2], bottom: a[4 * k + 3] })) : []);

/**
 * Draws lines over layers (LinesSpec). Returns where the plot landed, in the canvas's pixels:
 * `{ left, right, top, bottom, xMin, xMax, yLog, yMin, yMax }`: x is xMin at the left edge and
 * xMax at the right; y is yMin at the bottom edge and yMax at the top, on a log axis (yLog) as
 * log10 of the value (decade exponents). Values map linearly to pixels between the edges. Null
 * when the canvas has no size.
 */
export function drawLines(canvas, spec, theme) {
  const a = draw(drawLinesTape, canvas, encode(spec), encode(theme));
  return a && a.length === 9 ? plotArea(a, 0) : null;
}
/**
 * Draws line charts as small multiples, one legend, a y range per panel (LinePanelsSpec). Returns
 * where each panel's plot landed, as drawLines does (empty when the canvas has no size).
 */
export function drawLinePanels(canvas, spec, theme) {
  const a = draw(drawLinePanelsTape, canvas, encode(spec), encode(theme));
  return a ? Array.from({ length: a.length / 9 }, (_, k) => plotArea(a, 9 * k)) : [];
}
/**
 * Draws histograms as small multiples (HistogramsSpec). Returns where each panel's bars span,
 * `{ left, right, top, bottom }` in the canvas's pixels, `lo` at the left edge and `hi` at the right.
 */
export function drawHistograms(canvas, spec, theme) {
  return regions(draw(drawHistogramsTape, canvas, encode(spec), encode(theme)));
}
/** Draws sampled weights with their densities (WeightsSpec). */
export function drawWeights(canvas, spec, theme) {
  draw(drawWeightsTape, canvas, encode(spec), encode(theme));
}
/** Draws neurons × layers grids (GridsSpec). Returns where each grid's cells lie (layer 1 on top). */
export function drawGrids(canvas, spec, theme) {
  return regions(draw(drawGridsTape, canvas, encode(spec), encode(theme)));
}
/** Draws decision boundaries (BoundariesSpec). */
export function drawBoundaries(canvas, spec, theme) {
  draw(drawBoundariesTape, canvas, encode(spec), encode(theme));
}
/**
 * Draws the phase diagram (PhaseSpec). Returns where it lies in the canvas's pixels with the
 * σ_w², σ_b² at its right and top edges, or null when the canvas has no size.
 */
export function drawPhase(canvas, spec, theme) {
  const a = draw(drawPhaseTape, canvas, encode(spec), encode(theme));
  return a && a.length === 6 ? { left: a[0], right: a[1], top: a[2], bottom: a[3], sw2Max: a[4], sb2Max: a[5] } : null;
}
/** Draws 8 × 8 digit images with each network's answers, wrong ones marked (DigitsSpec). */
export function drawDigits(canvas, spec, theme) {
  draw(drawDigitsTape, canvas, encode(spec), encode(theme));
}
/** Draws the hiking analogy. */
export function drawHiking(canvas, theme) {
  draw(drawHikingTape, canvas, encode(theme));
}
