// Helpers the figures share: the page's number formats (the only ones: every number the page
// writes goes through `fmt`, `count` or `factor`), batch sizing, quantiles, the seed control.

/** A number for labels and tables: 3 significant digits, exponent form when tiny or huge. */
export function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2).replace('e-', 'e−').replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** A count with its thousands grouped: 10,000. */
export const count = (n) => n.toLocaleString('en');

/** A per-layer factor for a short title: 5e−10, 0.05, 1.25 (one digit when tiny). */
export const factor = (v) => (v < 1e-3 ? v.toExponential(0).replace('e-', 'e−') : fmt(v));

/** Input samples per simulation: enough that a layer's statistics describe the network, not one input. */
export const SAMPLES = 32;

/** The training figure records the loss every this many steps. */
export const RECORD_EVERY = 50;

export const pow10 = (v) => 10 ** v;

/**
 * A slider that moves log₁₀ of a value (σ, a learning rate): `scale: 'log10'` says so to the
 * page, which shows, exports and reads out 10^v; the figure's config converts it, once.
 */
export function logControl(control) {
  return { show: (v) => fmt(pow10(v)), ...control, type: 'range', scale: 'log10' };
}

export const seedControl = { key: 'seed', type: 'seed', label: 'Seed', default: 0 };

/** `[value, label]` pairs for a select: every name of a schema list, labelled where a label is known. */
export const named = (names, labels) => names.map((n) => [n, labels[n] ?? n]);

/** The p-quantile of `xs` (sorted in place), the nearest rank. */
export function quantile(xs, p) {
  xs.sort((a, b) => a - b);
  return xs[Math.round((xs.length - 1) * p)];
}

/** A result with its typed arrays as plain arrays, to post to the page. */
export const plain = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v) : v]));
