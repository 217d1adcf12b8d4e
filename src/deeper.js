// The API of the article's later sections (dynamical isometry, residual networks, attention):
// `isometry`, `residual` and `attention`, over the second WebAssembly module (weight-init-deeper.js beside this file), which
// a page loads only when one of their figures comes into view. Arguments are encoded by
// simulator.js's `encode`, so the simulator's module must be initialized first (its schema holds
// the tape's tags and these configs' fields).
import initWasm, { initSync as initWasmSync, residualTape, attentionTape, isometryTape } from './weight-init-deeper.js';
import { encode } from './simulator.js';

/** Loads the module (by default from beside this file); resolves to its exports. */
export default function init(options) {
  return initWasm(options);
}

/** Loads the module synchronously from bytes or a compiled module (Node, workers). */
export function initSync(options) {
  return initWasmSync(options);
}

/**
 * Residual blocks x + α F(x) (or x + α F(LN(x))) at initialization: `{ forward, backward,
 * forwardTheory, backwardTheory }`, block 0 (the input) to L (see ResidualConfig).
 */
export function residual(config) {
  const a = residualTape(encode(config));
  const n = a[0] + 1;
  const part = (k) => a.slice(1 + k * n, 1 + (k + 1) * n);
  return { forward: part(0), backward: part(1), forwardTheory: part(2), backwardTheory: part(3) };
}

/**
 * The softmax of query–key scores at initialization, with and without the 1/√d scale:
 * `{ scaled, unscaled }`, each `{ scoreSd, entropy, largest, jacobian, first, theory? }`.
 */
export function attention(config) {
  const a = attentionTape(encode(config));
  let at = 0;
  const side = () => {
    const [scoreSd, entropy, largest, jacobian, h, p, keys] = a.slice(at, at + 7);
    const first = a.slice(at + 7, at + 7 + keys);
    at += 7 + keys;
    return { scoreSd, entropy, largest, jacobian, first, ...(Number.isNaN(h) ? {} : { theory: { entropy: h, largest: p } }) };
  };
  const scaled = side();
  return { scaled, unscaled: side() };
}

/**
 * A square network at the edge of chaos: its input–output Jacobian's singular values at the last
 * layer and their spread layer by layer, beside the wide-network theory (see IsometryConfig).
 */
export function isometry(config) {
  const a = isometryTape(encode(config));
  const n = a[2];
  const k = a[3 + n];
  const at = 4 + n;
  return {
    sw2: a[0], sb2: a[1], singularValues: a.slice(3, 3 + n),
    depths: a.slice(at, at + k), mean: a.slice(at + k, at + 2 * k), spread: a.slice(at + 2 * k, at + 3 * k), spreadTheory: a.slice(at + 3 * k, at + 4 * k),
  };
}
