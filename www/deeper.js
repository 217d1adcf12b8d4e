// The API of the article's later sections (dynamical isometry, residual networks, attention) and
// of the training figure: `isometry`, `residual`, `attention`, `Trainer` and `loadDigits` (`Digits`), over the
// second WebAssembly module (weight-init-deeper.js beside this file), which a page loads only when
// one of their figures comes into view. Arguments are encoded by
// simulator.js's `encode`, so the simulator's module must be initialized first (its schema holds
// the tape's tags and these configs' fields).
import initWasm, {
  initSync as initWasmSync, residualTape, attentionTape, isometryTape, TrainerCore, loadDigits as loadDigitsCore,
} from '../weight-init-deeper.js';
import { encode, schema, guard, bytesOf, unpackFlat } from './simulator.js';

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
  const tape = encode(config);
  guard();
  return unpackFlat('residual', residualTape(tape));
}

/**
 * The softmax of query–key scores at initialization, with and without the 1/√d scale:
 * `{ scaled, unscaled }`, each `{ scoreSd, entropy, largest, jacobian, first, theory? }`.
 */
export function attention(config) {
  const tape = encode(config);
  guard();
  return unpackFlat('attention', attentionTape(tape));
}

/**
 * A square network at the edge of chaos: its input–output Jacobian's singular values at the last
 * layer and their spread layer by layer, beside the wide-network theory (see IsometryConfig).
 */
export function isometry(config) {
  const tape = encode(config);
  guard();
  return unpackFlat('isometry', isometryTape(tape));
}

const made = Symbol('Digits');

/** The digits data set, read by `loadDigits`: give it to the trainers on `dataset: "digits"`. */
export class Digits {
  #core;

  constructor(token, core) {
    if (token !== made) throw new Error('Digits: made by loadDigits(bytes), not by new Digits()');
    this.#core = core;
  }

  /** The data in the module, for a trainer; an Error when `d` is not live digits. */
  static coreOf(d, what) {
    if (!(typeof d === 'object' && d !== null && #core in d)) {
      throw new Error(`${what} must be the digits loadDigits(bytes) returned`);
    }
    if (!d.#core) throw new Error(`${what}: these digits were freed; load them again`);
    return d.#core;
  }

  /** Frees the data; trainers already made keep their copy. Freeing twice does nothing. */
  free() {
    const core = this.#core;
    this.#core = null;
    core?.free();
  }
}

/**
 * Reads the digits data set (the bytes of www/data/digits.bin.gz, decompressed) for the trainers
 * that ask for `dataset: "digits"`: the `Digits` to give them. Throws an Error saying what is
 * wrong with bytes of another kind.
 */
export function loadDigits(bytes) {
  const copy = bytesOf(bytes, 'loadDigits: bytes', schema().limits.maxDigitsBytes);
  guard();
  return new Digits(made, loadDigitsCore(copy));
}

/** A count of test points: a whole number from 0 to 1,000. */
function checkCount(count, what) {
  if (!Number.isInteger(count) || count < 0 || count > 1000) {
    throw new Error(`Trainer.${what}: count must be a whole number from 0 to 1000 (got ${String(count)})`);
  }
  return count;
}

/**
 * A network trained on a 2-D data set or the digits, in slices; see `TrainConfig`. On
 * `dataset: "digits"` it learns `digits`, what `loadDigits` returned.
 */
export class Trainer {
  #core;

  constructor(config, digits) {
    const tape = encode(config);
    const data = digits === undefined ? null : Digits.coreOf(digits, 'Trainer: digits');
    guard();
    this.#core = data ? TrainerCore.withDigits(tape, data) : new TrainerCore(tape);
  }

  // Every argument is read before the trainer is looked at, so a getter or valueOf that frees it
  // finds it freed here instead of under WebAssembly.
  #live(what) {
    if (!this.#core) throw new Error(`Trainer.${what}: this trainer was freed; create a new one`);
    guard();
    return this.#core;
  }

  /** Takes up to `steps` SGD steps (fewer once diverged). */
  train(steps) {
    const t = encode(steps);
    this.#live('train').train(t);
  }

  /**
   * `{ step, loss, accuracy, diverged, testLoss, testAccuracy }`: over the whole training set, and
   * over the test set (NaN for the 2-D sets, which have none).
   */
  progress() {
    const p = this.#live('progress').progress();
    const names = schema().result.progress;
    const o = {};
    names.forEach((name, k) => { o[name] = p[k]; });
    o.diverged = o.diverged === 1;
    return o;
  }

  /** P(class 1) on a res × res grid over [−1.8, 1.8]², rows from the top. */
  boundary(res) {
    const t = encode(res);
    return this.#live('boundary').boundary(t);
  }

  /** The data set as (x, y, class) triples (empty for the digits). */
  points() {
    return this.#live('points').points();
  }

  /** The predicted class of each of the first `count` test points; NaN where no single class wins. */
  predictions(count) {
    const n = checkCount(count, 'predictions');
    return this.#live('predictions').predictions(n);
  }

  /** The first `count` test points, each its class then its inputs (65 numbers per digit). */
  testPoints(count) {
    const n = checkCount(count, 'testPoints');
    const core = this.#live('testPoints');
    return { labels: [...core.testLabels(n)], inputs: core.testInputs(n), features: core.features() };
  }

  /** Largest difference between two neurons' outputs in any hidden layer (0: all identical). */
  neuronSpread() {
    return this.#live('neuronSpread').neuronSpread();
  }

  /** Frees the network; any later call throws an Error. */
  free() {
    const core = this.#core;
    this.#core = null;
    core?.free();
  }
}
