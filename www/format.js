// Helpers the figures share: number formatting, batch sizing, the seed control.

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

/** Input samples per simulation: enough that a layer's statistics describe the network, not one input. */
export const SAMPLES = 32;

/** The training figure records the loss every this many steps. */
export const RECORD_EVERY = 50;

export const pow10 = (v) => 10 ** v;
export const seedControl = { key: 'seed', type: 'seed', label: 'Seed', default: 0 };

/** `[value, label]` pairs for a select: every name of a schema list, labelled where a label is known. */
export const named = (names, labels) => names.map((n) => [n, labels[n] ?? n]);
