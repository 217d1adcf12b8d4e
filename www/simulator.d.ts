// Generated from src/core/schema/ (tables.rs, this template simulator.d.ts.in) by `UPDATE_TYPES=1 cargo test --test schema`. Do not edit.

/** Name of a weight initialization scheme. */
export type Scheme = "normal" | "uniform" | "constant" | "zeros" | "xavier-normal" | "xavier-uniform" | "he-normal" | "he-uniform" | "lecun-normal" | "pytorch-default" | "orthogonal" | "lsuv";
/** Name of an activation function. */
export type ActivationName = "relu" | "leaky-relu" | "tanh" | "sigmoid" | "linear";

/** Every field is optional; the defaults are the article's experiment with σ = 0.01. */
export interface SimulateConfig {
  /** One sample (numbers), a batch of equal-length samples (arrays of numbers), or { samples, features } for N(0, 1) inputs drawn from the seed. At most 4096 samples × 4096 features; given numbers within ±1e6, at most 1048576 of them. Default [1, 2, 3, 4, 5]. */
  input?: ArrayLike<number> | ArrayLike<number>[] | { samples: number; features: number };
  /** Hidden layers. Whole number 1–1000. Default 8. */
  layers?: number;
  /** Neurons per hidden layer. Whole number 1–4096. Default 10. */
  width?: number;
  /** How every layer's weights are drawn ("pytorch-default" draws the biases too, U(±1/√fan_in), as nn.Linear does). Default "normal". */
  scheme?: Scheme;
  /** Standard deviation of "normal" and "uniform", the value of "constant". 0–1000000. Default 0.01. */
  sigma?: number;
  /** Multiplies the fan-based schemes and "orthogonal". 0–1000000. Default 1. */
  gain?: number;
  /** Every bias. -1000000–1000000. Default 0. */
  bias?: number;
  /** σ_b: each neuron's bias is `bias` plus a draw from N(0, σ_b²), as in the mean-field theory of the edge of chaos. 0–1000000. Default 0. */
  biasSigma?: number;
  /** The nonlinearity after every hidden layer. Default "relu". */
  activation?: ActivationName;
  /** Negative slope of "leaky-relu" (the He schemes correct for it). 0–1. Default 0.01. */
  slope?: number;
  /** Same config and seed, same numbers, on every platform. Whole number 0–9007199254740991. Default 0. */
  seed?: number;
  /** Bins of each layer's histogram. Whole number 1–256. Default 30. */
  bins?: number;
  /** Record every neuron's output for the first sample (allowed while layers × width ≤ 65536). Default false. */
  trace?: boolean;
}

/** Every field is optional; the defaults are the figure's: 20 ReLU layers of 16 on the spiral, He, SGD with learning rate 0.01 and momentum 0.9. */
export interface TrainConfig {
  /** The data set: three 2-D sets of two classes, or the 8 × 8 handwritten digits (64 inputs, 10 classes, a fixed test set of 297 images; load them first with loadDigits). Default "spiral". */
  dataset?: "spiral" | "moons" | "circles" | "digits";
  /** Points in a 2-D data set (the digits have their own 1,500 training images). Whole number 20–5000. Default 400. */
  points?: number;
  /** Hidden layers. Whole number 1–40. Default 20. */
  layers?: number;
  /** Neurons per hidden layer. Whole number 2–64. Default 16. */
  width?: number;
  /** The nonlinearity after every hidden layer. Default "relu". */
  activation?: "relu" | "tanh";
  /** How the weights start (every layer, the output layer too); biases start at 0, or drawn as the scheme draws them ("pytorch-default": U(±1/√fan_in)). Default "he-normal". */
  scheme?: "normal" | "uniform" | "constant" | "zeros" | "xavier-normal" | "xavier-uniform" | "he-normal" | "he-uniform" | "lecun-normal" | "pytorch-default" | "orthogonal";
  /** Standard deviation of "normal" and "uniform", the value of "constant". 0–1000000. Default 0.01. */
  sigma?: number;
  /** Learning rate. 0–10. Default 0.01. */
  lr?: number;
  /** Momentum of SGD. 0–0.99. Default 0.9. */
  momentum?: number;
  /** SGD with momentum, or Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with bias correction; momentum unused). Default "sgd". */
  optimizer?: "sgd" | "adam";
  /** Minibatch size. Whole number 1–512. Default 32. */
  batch?: number;
  /** Same config and seed, same numbers, on every platform. Whole number 0–9007199254740991. Default 0. */
  seed?: number;
}

/** Every field is optional: a point (σ_w², σ_b²), optionally two inputs to follow through `layers` layers and a grid of χ₁ over the phase diagram. */
export interface EdgeConfig {
  /** The nonlinearity. Default "tanh". */
  activation?: "relu" | "tanh";
  /** σ_w²: weights are N(0, σ_w²/n). 0.01–10. Default 1.5. */
  sw2?: number;
  /** σ_b²: biases are N(0, σ_b²). 0–2. Default 0.05. */
  sb2?: number;
  /** Layers of the two-input recursion (`pair`). Whole number 0–200. Default 0. */
  layers?: number;
  /** Second moment of the first input's pre-activations at layer 1. 0–100. Default 1. */
  q1?: number;
  /** Second moment of the second input's pre-activations at layer 1. 0–100. Default 1. */
  q2?: number;
  /** Correlation of the two inputs' pre-activations at layer 1. -1–1. Default 0.5. */
  c?: number;
  /** Columns of the χ₁ grid over σ_w² (0: no grid). Whole number 0–48. Default 0. */
  columns?: number;
  /** Rows of the χ₁ grid over σ_b². Whole number 0–32. Default 0. */
  rows?: number;
  /** The grid spans σ_w² from 0 to this. 0.1–10. Default 4. */
  sw2Max?: number;
  /** The grid spans σ_b² from 0 to this. 0.01–2. Default 0.5. */
  sb2Max?: number;
}

/** Every field is optional: blocks x + α F(x) with a He-initialized branch F(y) = W₂ relu(W₁ relu(y)). */
export interface ResidualConfig {
  /** Residual blocks L. Whole number 1–100. Default 50. */
  blocks?: number;
  /** Neurons per layer. Whole number 2–256. Default 128. */
  width?: number;
  /** Input samples, each N(0, 1). Whole number 1–64. Default 32. */
  samples?: number;
  /** α in x + α F(x): 1 as in He et al.; 1/√L keeps the growth to about e; 0 is a branch whose last layer starts at zero (Fixup, SkipInit). 0–2. Default 1. */
  alpha?: number;
  /** "pre": a LayerNorm before each branch (pre-LN), x + α F(LN(x)). Default "none". */
  norm?: "none" | "pre";
  /** Same config and seed, same numbers, on every platform. Whole number 0–9007199254740991. Default 0. */
  seed?: number;
}

/** Every field is optional: sequences of keys and queries of d N(0, 1) entries, their scores with and without the 1/√d scale. */
export interface AttentionConfig {
  /** Entries per query and key, each N(0, 1). Whole number 1–2048. Default 64. */
  d?: number;
  /** Keys each query attends over. Whole number 2–256. Default 64. */
  keys?: number;
  /** Sequences, each its own keys and queries. Whole number 1–32. Default 32. */
  sequences?: number;
  /** Queries per sequence. Whole number 1–32. Default 8. */
  queries?: number;
  /** Same config and seed, same numbers, on every platform. Whole number 0–9007199254740991. Default 0. */
  seed?: number;
  /** Leave out the theory (it does not depend on the seed; callers sweeping d can keep it). Default false. */
  skipTheory?: boolean;
}

/** Every field is optional: a square network at the edge of chaos, its input–output Jacobian's singular values. */
export interface IsometryConfig {
  /** The nonlinearity; each at its critical point (linear σ_w² = 1, ReLU σ_w² = 2, tanh on its critical line at q*). Default "linear". */
  activation?: "linear" | "tanh" | "relu";
  /** Scaled orthogonal matrices or N(0, σ_w²/n) entries. Default "orthogonal". */
  weights?: "orthogonal" | "gaussian";
  /** Layers L. Whole number 1–128. Default 32. */
  layers?: number;
  /** Neurons per layer (square layers). Whole number 2–128. Default 128. */
  width?: number;
  /** tanh: the fixed point q* on the critical line (σ_w², σ_b² follow from it). 1e-4–10. Default 0.01. */
  q?: number;
  /** Same config and seed, same numbers, on every platform. Whole number 0–9007199254740991. Default 0. */
  seed?: number;
}

/** Colours and scale of a chart. */
export interface Theme {
  /** Dark background. Default false. */
  dark?: boolean;
  /** Device pixels per CSS pixel (devicePixelRatio); drawn clamped to 0.5–4. 0.25–8. Default 1. */
  scale?: number;
}

/** One line: values[i] is drawn at x = xStart + i·xStep. */
export interface LineSeries {
  /** Legend text; empty leaves the item out of the legend. */
  label?: string;
  /** Palette index. Whole number 0–63. Default 0. */
  color?: number;
  /** Dashed (theory). Default false. */
  dashed?: boolean;
  /** A marker at each point (lines of up to 400 points). Default false. */
  markers?: boolean;
  /** Line width in CSS pixels; 0 draws 2 for a solid line and 1.5 for a dashed one. 0–8. Default 0. */
  width?: number;
  /** The values; NaN and ±Infinity mark overflow, and on a log axis values ≤ 0 sit on the floor. At most 4096 numbers. */
  values?: ArrayLike<number>;
  /** Draw nothing (no line, markers, legend entry or overflow band): the values only stretch the axes, the x extent and a log axis's fitted range (a linear axis keeps yMin–yMax), so that the axes can hold a curve not shown yet. Default false. */
  ghost?: boolean;
}

/** Lines over layers (drawLines). */
export interface LinesSpec {
  /** Label of the x axis. */
  xLabel?: string;
  /** Label of the y axis. */
  yLabel?: string;
  /** Logarithmic y axis fitted to the data (yMin and yMax are then unused). Default false. */
  log?: boolean;
  /** Bottom of a linear y axis. -1000000000000–1000000000000. Default 0. */
  yMin?: number;
  /** Top of a linear y axis (above yMin). -1000000000000–1000000000000. Default 1. */
  yMax?: number;
  /** x of each series' first value. -1000000000–1000000000. Default 1. */
  xStart?: number;
  /** x distance between consecutive values. 1e-6–1000000000. Default 1. */
  xStep?: number;
  /** The lines, drawn in order. */
  series?: LineSeries[];
}

/** One panel: a title (a second line after \n is set smaller) and its lines. */
export interface LinePanel {
  /** Panel title; a second line after \n is set smaller. */
  title?: string;
  /** The lines, drawn in order. */
  series?: LineSeries[];
}

/** Line charts as small multiples with one legend, each panel with its own y range (drawLinePanels). */
export interface LinePanelsSpec {
  /** Label of the x axis. */
  xLabel?: string;
  /** Label of the y axis. */
  yLabel?: string;
  /** Logarithmic y axis fitted to the data (yMin and yMax are then unused). Default false. */
  log?: boolean;
  /** Bottom of a linear y axis. -1000000000000–1000000000000. Default 0. */
  yMin?: number;
  /** Top of a linear y axis (above yMin). -1000000000000–1000000000000. Default 1. */
  yMax?: number;
  /** x of each series' first value. -1000000000–1000000000. Default 1. */
  xStart?: number;
  /** x distance between consecutive values. 1e-6–1000000000. Default 1. */
  xStep?: number;
  /** Panels per row. Whole number 1–12. Default 3. */
  columns?: number;
  /** The panels, row by row; each has its own y range. */
  panels?: LinePanel[];
}

/** One histogram: counts over equal bins from lo to hi. */
export interface HistogramPanel {
  /** Panel title. */
  title?: string;
  /** Left edge of the first bin. -1e300–1e300. Default 0. */
  lo?: number;
  /** Right edge of the last bin. -1e300–1e300. Default 1. */
  hi?: number;
  /** Values per bin. At most 262144 numbers. */
  counts?: ArrayLike<number>;
  /** Values that were NaN or ±Infinity. 0–1e300. Default 0. */
  nonFinite?: number;
}

/** Histograms as small multiples (drawHistograms). */
export interface HistogramsSpec {
  /** Panels per row. Whole number 1–12. Default 3. */
  columns?: number;
  /** Palette index. Whole number 0–63. Default 0. */
  color?: number;
  /** The panels, row by row. */
  panels?: HistogramPanel[];
}

/** Sampled weights and the density they were drawn from. */
export interface WeightSample {
  /** Legend text; empty leaves the item out of the legend. */
  label?: string;
  /** Palette index. Whole number 0–63. Default 0. */
  color?: number;
  /** The weights; values beyond ±1e100, NaN and ±Infinity are left out. At most 262144 numbers. */
  values?: ArrayLike<number>;
  /** The density drawn over them. Default "normal". */
  kind?: "normal" | "uniform";
  /** σ of a normal, the half-width of a uniform. 1e-300–1000000000000. Default 1. */
  param?: number;
}

/** Sampled weights with their densities (drawWeights). */
export interface WeightsSpec {
  /** Histogram bins. Whole number 1–400. Default 40. */
  bins?: number;
  /** The samples, overlaid. */
  samples?: WeightSample[];
}

/** values[l][j]: neuron j's output at layer l + 1. */
export interface Grid {
  /** Panel title. */
  title?: string;
  /** One array of neuron outputs per layer; at most 65536 values in all. */
  values?: ArrayLike<number>[];
}

/** Neurons × layers grids side by side (drawGrids). */
export interface GridsSpec {
  /** The grids, left to right. */
  grids?: Grid[];
}

/** A network's P(class 1) over the plane with the data on top. */
export interface BoundaryPanel {
  /** Panel title. */
  title?: string;
  /** Grid points along each side. Whole number 1–100. Default 20. */
  res?: number;
  /** res × res probabilities, rows from the top. At most 10000 numbers. */
  probs?: ArrayLike<number>;
  /** The data as (x, y, class) triples. At most 15000 numbers. */
  points?: ArrayLike<number>;
  /** Mark the panel (a diverged run). Default false. */
  alarm?: boolean;
}

/** Decision boundaries as small multiples (drawBoundaries). */
export interface BoundariesSpec {
  /** Panels per row. Whole number 1–12. Default 5. */
  columns?: number;
  /** The panels, row by row. */
  panels?: BoundaryPanel[];
}

/** A network's predicted digit for each of the chart's images. */
export interface DigitPanel {
  /** Panel title. */
  title?: string;
  /** Each image's predicted digit, 0–9; −1 where the network gives no single answer. At most 64 numbers. */
  predictions?: ArrayLike<number>;
  /** Mark the panel (a diverged run). Default false. */
  alarm?: boolean;
}

/** 8 × 8 digit images with each network's answers, wrong ones marked (drawDigits). */
export interface DigitsSpec {
  /** Panels per row. Whole number 1–12. Default 5. */
  columns?: number;
  /** 64 values per image, 0 (blank) to 1 (ink), row by row. At most 4096 numbers. */
  images?: ArrayLike<number>;
  /** Each image's digit. At most 64 numbers. */
  labels?: ArrayLike<number>;
  /** The panels, row by row. */
  panels?: DigitPanel[];
}

/** A line over the phase diagram, as (σ_w², σ_b²) pairs. */
export interface PhaseLine {
  /** Its legend entry. */
  label?: string;
  /** (σ_w², σ_b²) pairs, in order. At most 800 numbers. */
  points?: ArrayLike<number>;
  /** Draw it dashed. Default false. */
  dashed?: boolean;
}

/** χ₁ over (σ_w², σ_b²), ordered below 1 and chaotic above, with lines and a point (drawPhase). */
export interface PhaseSpec {
  /** σ_w² at the right edge (0 at the left). 0.1–10. Default 4. */
  sw2Max?: number;
  /** σ_b² at the top (0 at the bottom). 0.01–2. Default 0.5. */
  sb2Max?: number;
  /** Columns of the grid. Whole number 0–48. Default 0. */
  columns?: number;
  /** Rows of the grid. Whole number 0–32. Default 0. */
  rows?: number;
  /** χ₁ per cell, row by row from the top. At most 1536 numbers. */
  chi?: ArrayLike<number>;
  /** Lines to draw over it. */
  lines?: PhaseLine[];
  /** A point to mark, (σ_w², σ_b²). At most 2 numbers. */
  point?: ArrayLike<number>;
}

export interface Histogram { lo: number; hi: number; counts: number[]; nonFinite: number; }

export interface LayerStats {
  layer: number;
  preMean: number; preVariance: number; postMean: number; postVariance: number;
  /** ReLU/leaky ReLU: share of neurons ≤ 0 for every sample; otherwise null. */
  deadFraction: number | null;
  /** tanh: share of values with |a| > 0.97; sigmoid: outside (0.03, 0.97); otherwise null. */
  saturatedFraction: number | null;
  /** Largest gap between two neurons' outputs for one sample; 0 = all neurons identical. */
  neuronSpread: number;
  histogram: Histogram;
  gradVariance: number; weightGradVariance: number;
}

export interface TheoryLayer {
  layer: number;
  preMean: number; preVariance: number; postMean: number; postVariance: number;
  gradVariance: number; weightGradVariance: number;
  /** Predicted spread over seeds: the standard deviation of ln(Var(Z) / preVariance); null where it does not apply (a batch, a bias, tanh, sigmoid, orthogonal, PyTorch's default). */
  preLogSpread: number | null;
}

export interface Simulation {
  samples: number;
  features: number;
  layers: LayerStats[];
  /** Mean-field prediction per layer; null for "zeros" and "constant". */
  theory: TheoryLayer[] | null;
  /** First layer (1-based) whose values or statistics are NaN or ±Infinity, or null. */
  firstNonFiniteLayer: number | null;
  /** The same for the gradient, counting from the last layer back. */
  firstNonFiniteGradLayer: number | null;
  /** With `trace`: trace[l][j] is neuron j's output at layer l + 1 for the first sample; else null. */
  trace: number[][] | null;
}

/** Loss and accuracy over the training set, and over the test set (NaN for the 2-D sets, which have none). */
export interface TrainProgress { step: number; loss: number; accuracy: number; diverged: boolean; testLoss: number; testAccuracy: number; }

/** One field of a schema, as `schema()` lists it. */
export interface SchemaField {
  name: string;
  kind: "whole" | "number" | "name" | "flag" | "text" | "numbers" | "rows" | "list" | "input";
  min?: number; max?: number; names?: string[]; item?: string;
  default: number | string | boolean | number[] | null;
  doc: string;
}

/** The contract: every config's and spec's fields, the name lists, the limits, the result layout. */
export interface Schema {
  schemas: Record<string, { name: string; root: string; fields: SchemaField[] }>;
  names: { schemes: Scheme[]; sigmaSchemes: Scheme[]; activations: ActivationName[]; trainActivations: string[]; datasets: string[] };
  /** How the page's controls name each scheme and activation. */
  labels: Record<string, string>;
  limits: { maxSeed: number; maxItems: number; maxText: number; maxKeys: number; maxDepth: number; maxDigitsBytes: number };
  result: { header: string[]; layer: string[]; theory: string[]; progress: string[]; residual: string[]; attention: string[]; isometry: string[]; edge: string[] };
  /** How arguments cross into WebAssembly: tag numbers of the flat encoding. */
  tape: Record<string, number>;
}

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module (by default from beside this file). Call once before anything else. */
export default function init(module_or_path?: { module_or_path: InitInput | Promise<InitInput> }): Promise<{ memory: WebAssembly.Memory }>;
/** Loads the module synchronously from bytes or a compiled module (Node, workers). */
export function initSync(module: { module: BufferSource | WebAssembly.Module }): { memory: WebAssembly.Memory };

/** The contract (see Schema). */
export function schema(): Schema;

/** `config` with every field it leaves out set to the default of schema `kind` ("simulate", "residual", …, as `schema().schemas` lists them); throws an Error naming `kind` when there is no such schema. */
export function withDefaults<T extends object>(kind: string, config?: T): T & Record<string, unknown>;

/** Runs the simulator. Throws an Error naming the field and what it allows when the config is malformed. */
export function simulate(config?: SimulateConfig): Simulation;

/** Hidden layer `layer`'s weights under `config`, fan_in × width row by row: the matrix simulate draws. */
export function weights(config: SimulateConfig | undefined, layer: number): Float64Array;

/** The variance `config`'s scheme gives one weight of hidden layer `layer` (0 for zeros and constant). */
export function weightVariance(config: SimulateConfig | undefined, layer: number): number;

/**
 * Everything random simulate(config) draws, so that another program can run the very same network:
 * the input batch (samples × features, row by row), the unit noise the backward pass starts from
 * (samples × width), and per hidden layer its weights (fan_in × width, row by row) and biases.
 */
export function draws(config?: SimulateConfig): { input: number[]; noise: number[]; weights: number[][]; biases: number[][] };

/**
 * The exact law of one He-initialized ReLU network's Var(Z_l) / E[Var(Z_l)] with one input, for
 * layers 1 … `layers` (1 to 1000) of a network `width` (2 to 4096) wide: per layer, the chance that
 * Var(Z_l) is exactly 0 (an earlier layer died) and the 10 %, 50 % and 90 % quantiles.
 */
export function spreadLaw(width: number, layers: number): { atom: number[]; q10: number[]; q50: number[]; q90: number[] };

/** Where signal propagation sits at (σ_w², σ_b²) in the mean-field limit (Poole et al. 2016; Schoenholz et al. 2017). */
export interface EdgeResult {
  /** Fixed point of the length map q ↦ σ_w² E[φ(√q z)²] + σ_b² (0: the signal fades; Infinity: it grows without bound). */
  qStar: number;
  /** σ_w² E[φ′(√q* z)²]: below 1 ordered, above 1 chaotic. */
  chi1: number;
  /** The correlation depth scale ξ_c = −1/ln χ_c(c*): layers over which the two inputs' correlation c approaches its fixed point c* by a factor e. In the ordered phase (c* = 1) it is 1/|ln χ₁|, over which 1 − c, a squared distance, changes by e; in the chaotic phase (c* < 1) it differs. */
  depthScale: number;
  /** The critical σ_w² at this σ_b² (χ₁ = 1). */
  criticalSw2: number;
  /** Per layer, the cosine similarity of two inputs' outputs (config.layers entries). */
  cosine: Float64Array;
  /** χ₁ per grid cell, row by row from the top (config.columns × config.rows). */
  grid: Float64Array;
  /** The critical line as (σ_w², σ_b²) pairs, σ_b² from 0 to config.sb2Max. */
  line: Float64Array;
}
export function edgeOfChaos(config?: EdgeConfig): EdgeResult;

/** What `residual` in deeper.js returns: block 0 (the input) to L, measured and predicted second moments. */
export interface ResidualResult {
  /** Mean square of x_l over the batch and the neurons, l = 0…L. */
  forward: Float64Array;
  /** Mean square of the gradient ∂/∂x_l, with unit Gaussian noise at block L. */
  backward: Float64Array;
  /** (1 + α²)^l without normalization, 1 + lα² with pre-LN. */
  forwardTheory: Float64Array;
  /** (1 + α²)^(L−l) without normalization, q_L / q_l with pre-LN. */
  backwardTheory: Float64Array;
}

/** What `isometry` in deeper.js returns: one network's input–output Jacobian at a critical point. */
export interface IsometryResult {
  /** The critical point used: weights N(0, sw2/n) (or orthogonal with gain √sw2), biases N(0, sb2). */
  sw2: number;
  sb2: number;
  /** J's singular values at the last layer, largest first. */
  singularValues: Float64Array;
  /** Layers at which the spread was measured (at most 32, the last included). */
  depths: Float64Array;
  /** Mean of the squared singular values there (1 in theory). */
  mean: Float64Array;
  /** Their variance (JJᵀ's eigenvalues') over their mean squared there. */
  spread: Float64Array;
  /** The wide-network theory of the spread, L (μ₂/μ₁² − 1 − s₁), s₁ = −1 Gaussian, 0 orthogonal. */
  spreadTheory: Float64Array;
}

/** Half of what `attention` in deeper.js returns: the softmax of the queries' scores over their keys. */
export interface AttentionSide {
  /** Standard deviation of the scores (√d without the scale, 1 with it). */
  scoreSd: number;
  /** Mean entropy of the attention weights, in nats (ln keys when uniform). */
  entropy: number;
  /** Mean largest attention weight. */
  largest: number;
  /** Median over queries of ‖diag(p) − ppᵀ‖, the softmax Jacobian every gradient to the scores passes through. */
  jacobian: number;
  /** The first query's attention weights, largest first. */
  first: Float64Array;
  /** Expected entropy and largest weight for independent N(0, s²) scores (absent with skipTheory). */
  theory?: { entropy: number; largest: number };
}

/**
 * `simulate(config)` a layer at a time: a worker can show progress and drop a simulation it no
 * longer needs between layers. With `{ cores }` the core plans the run for that many workers and
 * this is its part 0 (or the whole run); with `{ part, parts }` (parts 2–8) it runs that part of a
 * plan. Whole or joined, the numbers are simulate's, bit for bit.
 */
export class SimulationRun {
  /** Throws an Error naming the field when the config is malformed, or `parts`/`part`/`cores` when out of range. */
  constructor(config?: SimulateConfig, split?: { cores?: number } | { part?: number; parts?: number });
  /** Does the next layer's work (forward or backward); true once done. */
  step(): boolean;
  /** The share of the work done, from 0 to 1. */
  readonly progress: number;
  /** The plan this run is part of. */
  readonly plan: SplitPlan;
  /** Which part of its plan this run is (0 for a whole run). */
  readonly part: number;
  /** Whether this is the whole batch rather than a part. */
  readonly whole: boolean;
  /** Runs what is left; the result as `simulate` returns it (whole simulations only). */
  result(): Simulation;
  /** Runs what is left; this part's values for `mergeParts` (parts only), or with `{ from, to }` only those another part's `mergeWith` needs to measure hidden layers from + 1 to `to`. */
  partValues(layers?: { from?: number; to?: number }): Float64Array;
  /** Runs what is left; the values the plan sends the other parts (`plan.sends[part]`). */
  sendValues(): Float64Array;
  /** Runs what is left of this part and measures it with the other parts' values: the whole batch's result, or with `{ from, to }` its hidden layers from + 1 to `to` (numbered from 1; see joinResults). */
  mergeWith(others: Float64Array[], layers?: { from?: number; to?: number }): Simulation;
  /** `mergeWith(others, plan.shares[part])`, with the other parts' `sendValues()`. */
  mergeShare(others: Float64Array[]): Simulation;
  /** Frees the simulation; any later call throws. */
  free(): void;
}

/** How a run is split over workers: part p measures hidden layers `shares[p].from + 1` to `shares[p].to` and sends the others its values for `sends[p]`. */
export interface SplitPlan {
  parts: number;
  shares: { from: number; to: number }[];
  sends: { from: number; to: number }[];
}

/** How the core splits `config`'s run for workers on `cores` cores (parts 1: do not split; at most 2). */
export function splitPlan(config: SimulateConfig, cores: number): SplitPlan;

/** One result from the results of consecutive layer ranges (`mergeWith` with `{ from, to }`), in order. */
export function joinResults(pieces: Simulation[]): Simulation;

/** `simulate(config)`'s result from its parts' `partValues()`, in order of part. Throws an Error naming `parts` when they do not fit the config. */
export function mergeParts(config: SimulateConfig, parts: Float64Array[]): Simulation;

/** Chart drawing (page only: needs a canvas). Each throws an Error naming a malformed spec field. */
/**
 * Where a line chart's plot landed, in canvas pixels, and the values at its edges: x is xMin at the left edge and xMax at the right,
 * y is yMin at the bottom edge and yMax at the top, as log10 of the value (decade exponents) when yLog. Values map linearly to pixels between the edges.
 */
export interface PlotArea { left: number; right: number; top: number; bottom: number; xMin: number; xMax: number; yLog: boolean; yMin: number; yMax: number }
export function drawLines(canvas: HTMLCanvasElement, spec: LinesSpec, theme?: Theme): PlotArea | null;
/** A rectangle of a canvas, in its pixels: where a panel's bars or a grid's cells lie. */
export interface Region { left: number; right: number; top: number; bottom: number }
/** Returns where each panel's plot landed (empty when the canvas has no size). */
export function drawLinePanels(canvas: HTMLCanvasElement, spec: LinePanelsSpec, theme?: Theme): PlotArea[];
/** Returns where each panel's bars span, `lo` at the left edge and `hi` at the right. */
export function drawHistograms(canvas: HTMLCanvasElement, spec: HistogramsSpec, theme?: Theme): Region[];
export function drawWeights(canvas: HTMLCanvasElement, spec: WeightsSpec, theme?: Theme): void;
/** Returns where each grid's cells lie: layer 1 on top, neuron 1 on the left. */
export function drawGrids(canvas: HTMLCanvasElement, spec: GridsSpec, theme?: Theme): Region[];
export function drawBoundaries(canvas: HTMLCanvasElement, spec: BoundariesSpec, theme?: Theme): void;
export function drawDigits(canvas: HTMLCanvasElement, spec: DigitsSpec, theme?: Theme): void;
/** Returns where the diagram lies and its σ_w², σ_b² ranges, to turn a click into a point. */
export function drawPhase(canvas: HTMLCanvasElement, spec: PhaseSpec, theme?: Theme): { left: number; right: number; top: number; bottom: number; sw2Max: number; sb2Max: number } | null;
export function drawHiking(canvas: HTMLCanvasElement, theme?: Theme): void;
