// The JavaScript half of simulate()'s boundary (the Rust half is src/bindings.rs): configs go in
// and results come out as flat arrays of numbers, so that a call crosses between JavaScript and
// WebAssembly a few times instead of once per field.

// The names the core accepts, in the order of `Scheme::ALL` and `Activation::NAMES`. A name not
// here sends the config down the general path, which reports it.
const SCHEMES = ['normal', 'uniform', 'constant', 'zeros', 'xavier-normal', 'xavier-uniform',
  'he-normal', 'he-uniform', 'lecun-normal', 'pytorch-default', 'orthogonal'];
const ACTIVATIONS = ['relu', 'leaky-relu', 'tanh', 'sigmoid', 'linear'];

// Where each field goes in packConfig's output; slot 0 holds the bits of the fields present. No
// prototype, so that a key like `constructor` finds nothing.
const SLOTS = Object.assign(Object.create(null), { layers: 1, width: 2, scheme: 3, sigma: 4, gain: 5,
  bias: 6, activation: 7, slope: 8, seed: 9, bins: 10, trace: 11, input: 12 });

// Packs a config that is a plain object of numbers, known names, a boolean `trace` and an optional
// `input` of `{ samples, features }` into `out` (see SLOTS; input's two numbers go to slots 12 and
// 13), and returns true. Anything else returns false and is read by the general path, which knows
// every allowed shape and words every error: this one only recognizes the common case quickly, it
// judges nothing (a NaN sigma is packed as NaN, and refused by the same check either way).
export function packConfig(c, out) {
  out[0] = 0;
  if (c === undefined) return true;
  if (c === null || typeof c !== 'object' || Object.getPrototypeOf(c) !== Object.prototype) return false;
  let present = 0;
  try {
    for (const key in c) {
      const v = c[key];
      if (v === undefined) continue;
      const slot = SLOTS[key];
      let x;
      if (key === 'scheme' || key === 'activation') {
        x = typeof v === 'string' ? (key === 'scheme' ? SCHEMES : ACTIVATIONS).indexOf(v) : -1;
        if (x < 0) return false;
      } else if (key === 'trace') {
        if (typeof v !== 'boolean') return false;
        x = v ? 1 : 0;
      } else if (key === 'input') {
        if (!packShape(v, out)) return false; // slots 12 and 13
        present |= 1 << slot;
        continue;
      } else if (slot !== undefined && typeof v === 'number') {
        x = v;
      } else {
        return false;
      }
      out[slot] = x;
      present |= 1 << slot;
    }
  } catch {
    return false; // a getter that throws: the general path says which field
  }
  out[0] = present;
  return true;
}

// `{ samples, features }`, both numbers, nothing else.
function packShape(v, out) {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  let seen = 0;
  for (const key in v) {
    const x = v[key];
    if (x === undefined) continue;
    if (typeof x !== 'number') return false;
    if (key === 'samples') { out[12] = x; seen |= 1; } else if (key === 'features') { out[13] = x; seen |= 2; } else return false;
  }
  return seen === 3;
}

// Builds simulate()'s result object from the flat array the Rust side packs (see `pack` in
// bindings.rs). The layout: an 8-number header, then per layer 12 numbers and the histogram
// counts, then per layer 6 theory numbers when theory is present, then the trace (layers × width).
export function unpack(d) {
  const n = d[2], bins = d[3], flags = d[4];
  const dead = (flags & 1) !== 0, sat = (flags & 2) !== 0, hasTheory = (flags & 4) !== 0;
  const hasTrace = (flags & 8) !== 0, width = d[7];
  const layers = new Array(n);
  let i = 8;
  for (let l = 0; l < n; l++) {
    // A plain loop, and counts as small integers (`| 0`): arrays of integers are built faster than
    // arrays of doubles.
    const counts = new Array(bins);
    for (let b = 0; b < bins; b++) counts[b] = d[i + 12 + b] | 0;
    layers[l] = {
      layer: l + 1,
      preMean: d[i], preVariance: d[i + 1], postMean: d[i + 2], postVariance: d[i + 3],
      deadFraction: dead ? d[i + 4] : null,
      saturatedFraction: sat ? d[i + 5] : null,
      neuronSpread: d[i + 6],
      histogram: { lo: d[i + 7], hi: d[i + 8], counts, nonFinite: d[i + 9] },
      gradVariance: d[i + 10], weightGradVariance: d[i + 11],
    };
    i += 12 + bins;
  }
  let theory = null;
  if (hasTheory) {
    theory = new Array(n);
    for (let l = 0; l < n; l++, i += 6) {
      theory[l] = {
        layer: l + 1,
        preMean: d[i], preVariance: d[i + 1], postMean: d[i + 2], postVariance: d[i + 3],
        gradVariance: d[i + 4], weightGradVariance: d[i + 5],
      };
    }
  }
  let trace = null;
  if (hasTrace) {
    trace = new Array(n);
    for (let l = 0; l < n; l++, i += width) trace[l] = Array.from(d.subarray(i, i + width));
  }
  return {
    samples: d[0], features: d[1], layers, theory, trace,
    firstNonFiniteLayer: d[5] === 0 ? null : d[5],
    firstNonFiniteGradLayer: d[6] === 0 ? null : d[6],
  };
}
