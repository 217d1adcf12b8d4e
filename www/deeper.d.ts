// The API of the article's later sections and of the training figure (src/deeper.js), over its own
// WebAssembly module.
// Initialize simulator.js first: its `encode` reads this API's arguments.
import type { AttentionConfig, AttentionSide, IsometryConfig, IsometryResult, ResidualConfig, ResidualResult, TrainConfig, TrainProgress } from './simulator.js';

/** Loads the module (by default from beside this file). */
export default function init(options?: { module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }): Promise<unknown>;
/** Loads the module synchronously from bytes or a compiled module. */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): unknown;

/** Residual blocks x + α F(x), or x + α F(LN(x)), at initialization. Throws an Error naming a malformed field. */
export function residual(config?: ResidualConfig): ResidualResult;

/** The softmax of query–key scores with and without the 1/√d scale. Throws an Error naming a malformed field. */
export function attention(config?: AttentionConfig): { scaled: AttentionSide; unscaled: AttentionSide };

/** A square network at the edge of chaos: its input–output Jacobian's singular values. Throws an Error naming a malformed field. */
export function isometry(config?: IsometryConfig): IsometryResult;

/** The digits data set, read by `loadDigits`: give it to the trainers on `dataset: "digits"`. */
export class Digits {
  private constructor();
  /** Frees the data; trainers already made keep their copy. */
  free(): void;
}

/** Reads the digits data set (www/data/digits.bin.gz, decompressed) for `dataset: "digits"`. */
export function loadDigits(bytes: Uint8Array): Digits;

/** A network trained on a 2-D data set or the digits: train in slices, read progress and the boundary between them. */
export class Trainer {
  /** `digits`: what `loadDigits` returned, needed on `dataset: "digits"`. */
  constructor(config?: TrainConfig, digits?: Digits);
  /** Takes up to `steps` steps of the optimizer (fewer once diverged); the most per call depends on the network's size. */
  train(steps: number): void;
  progress(): TrainProgress;
  /** P(class 1) on a res × res grid over [−1.8, 1.8]², rows from the top; NaN where not finite. */
  boundary(res: number): Float64Array;
  /** The data set as (x, y, class) triples (empty for the digits). */
  points(): Float64Array;
  /** The predicted class of each of the first `count` (0 to 1000) test points; NaN where no single class wins. */
  predictions(count: number): Float64Array;
  /** The first `count` (0 to 1000) test points: their classes, and their inputs one after the other, `features` each. */
  testPoints(count: number): { labels: number[]; inputs: Float64Array; features: number };
  /** Largest difference between two neurons' outputs in any hidden layer (0: all identical). */
  neuronSpread(): number;
  /** Frees the network; any later call throws. */
  free(): void;
}
