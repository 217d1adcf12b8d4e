// The charts as the page's figures specify them: each figure's own module (www/figures/*.js, run
// here against the built module) computes and draws at its defaults, at each preset and with
// every slider at its minimum and at its maximum, on a desktop and on a phone, at the canvas
// sizes the page's stylesheet gives. The specs it hands the drawing exports are written to
// tests/fixtures/page-specs.json, which tests/layout.rs draws to check that no text overlaps
// other text or leaves the canvas. This test fails when that file is not what the figures draw
// now: run it with UPDATE_SPECS=1 to write it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import './load.mjs';
import * as simulator from '../../target/pkg/simulator.js';
import * as deeper from '../../target/pkg/deeper.js';
import { FIGURES } from '../../target/pkg/www/figures/index.js';

const FILE = fileURLToPath(new URL('../fixtures/page-specs.json', import.meta.url));
const CSS = readFileSync(fileURLToPath(new URL('../../www/style.css', import.meta.url)), 'utf8');
// The phone rules sit in `@media (max-width: 44rem)` blocks.
const PHONE_CSS = [...CSS.matchAll(/@media \(max-width: 44rem\)\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g)].map((m) => m[1]).join('\n');

// The figures this covers: every figure whose pictures come from its numbers alone (the hiking
// figure draws no data; the training figure's pictures come from runs that train over time).
const COVERED = ['intro', 'symmetry', 'experiment', 'explorer', 'xavier', 'he', 'spread', 'edge', 'isometry', 'residual', 'attention'];

/** The screens: the article's column on a desktop, and a phone (the stylesheet's ≤ 44rem rules). */
const SCREENS = [{ name: 'desktop', width: 900, phone: false }, { name: 'phone', width: 340, phone: true }];

/** A canvas's aspect ratio on a screen, from the stylesheet's rules for it. */
function aspect(canvas, phone) {
  const ratio = (css, selector) => {
    const m = new RegExp(`${selector.replace(/[[\]"().]/g, '\\$&')}\\s*\\{[^}]*aspect-ratio:\\s*([\\d.]+)\\s*/\\s*([\\d.]+)`).exec(css);
    return m ? Number(m[1]) / Number(m[2]) : null;
  };
  const own = `canvas[data-canvas="${canvas.name}"]`;
  const kind = canvas.wide ? 'canvas.chart-wide' : 'canvas.chart';
  return (phone && (ratio(PHONE_CSS, own) ?? ratio(PHONE_CSS, kind))) || ratio(CSS, own) || ratio(CSS, kind);
}

/** The states to draw: the defaults, each preset, every slider at its minimum, at its maximum. */
function states(def) {
  const base = Object.fromEntries(def.controls.map((c) => [c.key, c.default]));
  const ranges = def.controls.filter((c) => c.type === 'range');
  const out = [['defaults', base]];
  for (const [key, , values] of def.presets ?? []) out.push([`preset ${key}`, { ...base, ...values }]);
  for (const end of ['min', 'max']) {
    if (ranges.length) out.push([`sliders at ${end}`, { ...base, ...Object.fromEntries(ranges.map((c) => [c.key, c[end]])) }]);
  }
  return out;
}

/** Draws `def` for `state` with drawing exports that record their specs instead of drawing. */
function specsOf(def, state, screen) {
  const data = def.compute ? def.compute(def.module === 'deeper' ? deeper : simulator, state) : undefined;
  const canvases = Object.fromEntries(def.canvases.map((c) => [c.name, { name: c.name, width: screen.width, height: Math.round(screen.width / aspect(c, screen.phone)) }]));
  const drawn = [];
  const wasm = new Proxy(simulator, {
    get(target, prop) {
      if (typeof prop === 'string' && prop.startsWith('draw')) {
        return (canvas, spec) => {
          drawn.push({ canvas: canvas.name, kind: prop.slice(4, 5).toLowerCase() + prop.slice(5), width: canvas.width, height: canvas.height, spec });
          return null;
        };
      }
      return target[prop];
    },
  });
  const fig = { state, root: { querySelector: () => null } };
  def.draw(wasm, state, canvases, { dark: false, scale: 1 }, fig, data);
  return drawn;
}

test('the page\'s chart specs are the ones tests/layout.rs checks', () => {
  const entries = [];
  for (const name of COVERED) {
    const def = FIGURES[name];
    for (const [label, state] of states(def)) {
      for (const screen of SCREENS) {
        for (const d of specsOf(def, state, screen)) {
          // The weights chart's spec is every sampled weight, hundreds of thousands of numbers:
          // tests/layout.rs draws that chart from the same layers itself.
          if (d.kind !== 'weights') entries.push({ name: `${name}/${d.canvas}, ${label}, ${screen.name}`, ...d });
        }
      }
    }
  }
  assert.ok(entries.length > 100, `${entries.length} charts`);
  assert.ok(entries.every((e) => e.width > 0 && e.height > 0 && e.height < 2 * e.width), 'every canvas has a size from the stylesheet');
  // Numbers to 12 significant digits (the file is for drawing, not for equal bits); NaN and
  // ±Infinity, which JSON lacks, as the strings "NaN", "Infinity" and "-Infinity".
  const number = (v) => (Number.isFinite(v) ? Number(v.toPrecision(12)) : String(v));
  // One chart per line.
  const text = `[\n${entries.map((e) => JSON.stringify(e, (k, v) => (typeof v === 'number' ? number(v) : v))).join(',\n')}\n]\n`;
  if (process.env.UPDATE_SPECS) writeFileSync(FILE, text);
  let saved = '';
  try { saved = readFileSync(FILE, 'utf8'); } catch { /* not written yet */ }
  assert.ok(saved === text, 'tests/fixtures/page-specs.json is not what the figures draw now: run `UPDATE_SPECS=1 node --test tests/wasm/specs.test.mjs` and commit it');
});
