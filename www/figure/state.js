// A figure's state: its controls' values, checked against each control, read from and written
// to links (`?explorer.sigma=-0.5&hide=explorer.scheme`).
import { schema } from '../simulator.js';
import { FIGURES } from '../figures/index.js';
import { fmt, pow10 } from '../format.js';

/** Every control's default: the figure's untouched state. */
export function defaults(def) {
  return Object.fromEntries(def.controls.map((c) => [c.key, c.default]));
}

/** Parses one URL value for a control; `undefined` when it is not an allowed value. */
export function parseValue(control, text) {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  if (control.type === 'select') return control.options.some(([v]) => v === text) ? text : undefined;
  if (control.type === 'toggle') return text === '1' || text === 'true' ? 1 : text === '0' || text === 'false' ? 0 : undefined;
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const v = Number(text);
  if (control.type === 'seed') return Number.isInteger(v) && v >= 0 && v <= schema().limits.maxSeed ? v : undefined;
  const { min, max, step } = control;
  if (!(v >= min && v <= max)) return undefined;
  const snapped = min + Math.round((v - min) / step) * step;
  return Math.abs(snapped - v) < 1e-9 ? Number(snapped.toFixed(10)) : undefined;
}

/** A control's value as the reader sees it: a log₁₀ slider's 10^v, a select's label. */
export function shown(control, v) {
  if (control.show) return control.show(v);
  if (control.scale === 'log10') return fmt(pow10(v));
  if (control.type === 'select') return control.options.find(([k]) => k === v)?.[1] ?? String(v);
  if (control.type === 'toggle') return v === 1 ? 'on' : 'off';
  return String(v);
}

/** The figure's settings in one line: "Scheme He normal · σ 0.1 · …". */
export function settingsLine(def, state) {
  return def.controls.map((c) => `${c.label} ${shown(c, state[c.key])}`).join(' · ');
}

/**
 * Reads a figure's state, and the controls to hide, from URL parameters named `figure.key`
 * (and `hide=figure.key,…`). Returns { state, hidden, rejected } where `rejected` lists the
 * parameters that were present but not allowed (they keep their defaults).
 */
export function stateFromParams(name, params) {
  const def = FIGURES[name];
  const state = defaults(def);
  const rejected = [];
  for (const c of def.controls) {
    const raw = params.get(`${name}.${c.key}`);
    if (raw === null) continue;
    const v = parseValue(c, raw);
    if (v === undefined) rejected.push(`${name}.${c.key}`);
    else state[c.key] = v;
  }
  const hidden = (params.get('hide') ?? '').split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith(`${name}.`))
    .map((s) => s.slice(name.length + 1))
    .filter((k) => def.controls.some((c) => c.key === k));
  return { state, hidden, rejected };
}

/** Writes a figure's non-default state into `params` (and removes defaults). */
export function stateToParams(name, state, params) {
  const def = FIGURES[name];
  for (const c of def.controls) {
    const key = `${name}.${c.key}`;
    if (state[c.key] === c.default) params.delete(key);
    else params.set(key, String(state[c.key]));
  }
  return params;
}
