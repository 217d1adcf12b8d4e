// The exercises' answer keys, computed by the simulator as the page computes them (each
// exercise's `key` in a worker there, here in Node on the same build), checked at the figure's
// defaults and at three other states against what the theory says independently: a closed form,
// a recurrence integrated here, or a quantity measured another way. And the page's text without
// JavaScript: each exercise's question, options and answer in index.html are the ones the
// exercise writes at the defaults (UPDATE_EXERCISES=1 rewrites them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import './load.mjs';
import * as simulator from '../../target/pkg/www/simulator.js';
import * as deeper from '../../target/pkg/www/deeper.js';
import { FIGURES } from '../../target/pkg/www/figures/index.js';
import { EXERCISES } from '../../target/pkg/www/exercises/index.js';

const defaultsOf = (def) => Object.fromEntries(def.controls.map((c) => [c.key, c.default]));
const simOf = (ex) => ((ex.module ?? FIGURES[ex.figure].module) === 'deeper' ? deeper : simulator);
const keyAt = (ex, state) => ex.key(simOf(ex), state, FIGURES[ex.figure]);
const dataAt = (ex, state) => FIGURES[ex.figure].compute(FIGURES[ex.figure].module === 'deeper' ? deeper : simulator, state);
/** The state an exercise asks about: `state` with its setup applied. */
const asked = (ex, state) => ({ ...state, ...(ex.setup?.(state) ?? {}) });

/** E[f(z)] for z ~ N(0, q), by the trapezoid rule on ±10 standard deviations (independent of the core's quadrature). */
function gauss(f, q) {
  const s = Math.sqrt(q);
  const n = 4000;
  const h = 20 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const x = -10 + i * h;
    const w = i === 0 || i === n ? 0.5 : 1;
    sum += w * f(s * x) * Math.exp(-x * x / 2);
  }
  return (sum * h) / Math.sqrt(2 * Math.PI);
}

const close = (a, b, rel, what) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} against ${b} (±${rel * 100} %)`);

/**
 * Per exercise: three states besides the defaults, and the independent check of the key (or,
 * for a find-the-setting exercise, of whether the figure's numbers meet the condition).
 */
const CHECKS = {
  'intro/level': {
    states: [{ ratio: 0 }, { ratio: 0.01 }, { ratio: -0.02 }],
    check(ex, state) {
      const { ok } = ex.holds(dataAt(ex, state), state);
      // The average multiplies by (σ/σ_He)² = 10^(2·ratio) per layer, over 49 layers.
      assert.equal(ok, Math.abs(49 * 2 * state.ratio) <= 1 + 1e-9, `holds at ratio ${state.ratio}`);
    },
  },
  'hiking/gradient': {
    states: [{}, {}, {}],
    check(ex, state) {
      const key = keyAt(ex, state);
      close(key.ratio, (0.01 * 64 / 2) ** 19, 1e-6, 'the gradient at layer 1 over layer 20');
      assert.equal(key.answer, 'billion');
    },
  },
  'symmetry/rows': {
    states: [{ scheme: 'zeros', input: 'article', seed: 0 }, { scheme: 'constant', input: 'random', seed: 3 }, { scheme: 'constant', input: 'large', seed: 0 }],
    check(ex, state) {
      const key = keyAt(ex, state);
      // Measured another way: every row of the traced outputs holds one value.
      const { a } = FIGURES.symmetry.networks(state);
      const rows = simulator.simulate(a).trace;
      const distinct = Math.max(...rows.map((row) => new Set(Array.from(row)).size));
      assert.equal(key.answer, distinct === 1 ? 'one' : 'ten', `${JSON.stringify(state)}: ${distinct} values in a row`);
      assert.equal(key.answer, 'one');
    },
  },
  'experiment/factor': {
    states: [{ view: 'one', show: 'both', seed: 5 }, { view: 'many', show: 'pre', seed: 5 }, { view: 'one', show: 'post', seed: 9 }],
    check(ex, state) {
      const { width } = simulator.withDefaults('simulate', {});
      close(keyAt(ex, state).answer, 0.2 ** 2 * width / 2, 1e-9, 'σ²·n/2');
    },
  },
  'explorer/xavier-relu': {
    states: [{ layers: 5, width: 10 }, { layers: 50, width: 512 }, { layers: 1, width: 64, seed: 3 }],
    check(ex, state) {
      const key = keyAt(ex, state);
      // Xavier's 1/n keeps the first layer at the input's mean square (about 1: 32 samples of
      // N(0, 1)), and ReLU halves it at each layer after.
      const input = simulator.simulate({ ...FIGURES.explorer.config(asked(ex, state)), scheme: 'xavier-normal', activation: 'relu', bins: 1 });
      const first = input.theory[0].preVariance;
      close(first, 1, 0.15, 'layer 1 holds the input mean square');
      close(key.answer, first * 0.5 ** (state.layers - 1), 1e-6, `½^${state.layers - 1}`);
    },
  },
  'explorer/gradient-level': {
    states: [{ scheme: 'normal', sigma: -0.75 }, { scheme: 'normal', sigma: -1.15, width: 300 }, { scheme: 'he-normal', sigma: -0.75 }],
    check(ex, state) {
      const { ok } = ex.holds(dataAt(ex, state), state);
      const per = (10 ** state.sigma) ** 2 * state.width / 2;
      assert.equal(ok, state.scheme === 'normal' && per <= 1.15 && per >= 1 / 1.15, `${JSON.stringify(state)}: ${per} a layer`);
      // The key's setting meets the condition at this width.
      const solved = { ...state, ...keyAt(ex, state).answer };
      assert.ok(ex.holds(dataAt(ex, solved), solved).ok, `the key's σ at width ${state.width}`);
    },
  },
  'explorer/tanh-line': {
    states: [{ layers: 50, width: 64 }, { layers: 10, width: 16 }, { layers: 100, width: 256 }],
    check(ex, state) {
      const { values } = keyAt(ex, state);
      assert.equal(values.length, state.layers);
      // q_{l+1} = σ_w² E[tanh(z)²], z ~ N(0, q_l), with Xavier's σ_w² = n · 2/(n + n) = 1.
      let q = values[0];
      for (let l = 1; l < state.layers; l++) {
        q = gauss((z) => Math.tanh(z) ** 2, q);
        close(values[l], q, 0.01, `layer ${l + 1}`);
      }
    },
  },
  'xavier/factor': {
    states: [{ width: 2 }, { width: 64 }, { width: 512 }],
    check(ex, state) {
      const key = keyAt(ex, state);
      close(key.per, 0.5, 1e-6, 'Xavier and ReLU');
      assert.equal(key.answer, '0.5');
    },
  },
  'he/level': {
    states: [{ layers: 30, sigma: -0.75 }, { layers: 60, sigma: -0.7 }, { layers: 5, sigma: -0.8 }],
    check(ex, state) {
      const { ok } = ex.holds(dataAt(ex, state), state);
      const per = (10 ** state.sigma) ** 2 * 32;
      assert.equal(ok, Math.abs(state.layers * Math.log(per)) <= Math.log(3), `${JSON.stringify(state)}`);
      const solved = { ...state, ...keyAt(ex, state).answer };
      assert.ok(ex.holds(dataAt(ex, solved), solved).ok, 'the key meets it');
    },
  },
  'spread/width': {
    states: [{ layers: 20, width: 100 }, { layers: 100, width: 16 }, { layers: 5, width: 512 }],
    check(ex, state) {
      const key = keyAt(ex, state);
      // ln Var(Z) gathers a term of variance ≈ 5/n per layer: its spread goes as 1/√n.
      assert.ok(key.ratio > 0.6 && key.ratio < 0.8, `band ratio ${key.ratio}`);
      assert.equal(key.answer, 'root');
    },
  },
  'training/zeros': {
    states: [{ layers: 2 }, { layers: 30, activation: 'tanh' }, { layers: 7, activation: 'relu' }],
    check(ex, state) {
      const key = keyAt(ex, state);
      assert.equal(key.largest, 0);
      assert.equal(key.answer, 'grad');
    },
  },
  'edge/critical': {
    states: [{ sw2: 1.2, sb2: 0 }, { sw2: 1.75, sb2: 0.3 }, { sw2: 2.1, sb2: 0.5 }],
    check(ex, state) {
      const data = dataAt(ex, state);
      // q* = σ_w² E[tanh(z)²] + σ_b² by iteration, χ₁ = σ_w² E[tanh′(z)²] at q*.
      let q = 1;
      for (let i = 0; i < 500; i++) q = state.sw2 * gauss((z) => Math.tanh(z) ** 2, q) + state.sb2;
      const chi = state.sw2 * gauss((z) => 1 / Math.cosh(z) ** 4, q);
      close(data.theory.chi1, chi, 2e-3, 'χ₁');
      assert.equal(ex.holds(data, state).ok, Math.abs(chi - 1) <= 0.02);
      const solved = { ...state, ...keyAt(ex, state).answer };
      assert.ok(ex.holds(dataAt(ex, solved), solved).ok, `the key's σ_w² ${solved.sw2} at σ_b² ${state.sb2}`);
    },
  },
  'isometry/relu': {
    states: [{ layers: 1 }, { layers: 8 }, { layers: 128, seed: 2 }],
    check(ex, state) {
      const key = keyAt(ex, state);
      // ReLU's slopes are 0 or 1: at depth 1 half the squared singular values are 0 and half 1,
      // a spread of about 1, and depth only adds to it.
      assert.ok(key.spread > 0.7, `spread ${key.spread}`);
      assert.equal(key.answer, 'no');
    },
  },
  'residual/pre-norm': {
    states: [{ blocks: 10 }, { blocks: 100, seed: 4 }, { blocks: 1 }],
    check(ex, state) {
      const { values } = keyAt(ex, state);
      assert.equal(values.length, state.blocks + 1);
      // Each block adds a branch of second moment 1 (two He layers on a unit-variance input).
      values.forEach((v, l) => close(v, values[0] + l, 0.03, `block ${l}`));
    },
  },
  'attention/collapse': {
    states: [{ logd: 11 }, { logd: 0, seed: 1 }, { logd: 7 }],
    check(ex, state) {
      const data = dataAt(ex, state);
      assert.equal(ex.holds(data, state).ok, data.unscaled.largest > 0.9);
      const key = keyAt(ex, state);
      const solved = { ...state, ...key.answer };
      assert.ok(ex.holds(dataAt(ex, solved), solved).ok, 'the key meets it');
      if (key.answer.logd > 0) {
        const below = { ...state, logd: key.answer.logd - 1 };
        assert.ok(!ex.holds(dataAt(ex, below), below).ok, 'and the d below it does not');
      }
      // The largest of 64 softmax weights of N(0, d) scores, averaged over draws here.
      const mean = (d) => {
        let total = 0;
        let u = 12345;
        const rand = () => ((u = (1103515245 * u + 12345) % 2147483648) + 0.5) / 2147483648;
        for (let t = 0; t < 3000; t++) {
          const s = Array.from({ length: 64 }, () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()) * Math.sqrt(d));
          const m = Math.max(...s);
          total += 1 / s.reduce((a, x) => a + Math.exp(x - m), 0);
        }
        return total / 3000;
      };
      assert.ok(mean(2 ** (key.answer.logd + 1)) > 0.9 && mean(2 ** Math.max(0, key.answer.logd - 1)) < 0.9, `d = ${key.d}`);
    },
  },
  'attention/spread': {
    states: [{ logd: 0 }, { logd: 9, seed: 2 }, { logd: 11 }],
    check(ex, state) {
      const s = asked(ex, state);
      close(keyAt(ex, s).answer, Math.sqrt(2 ** s.logd), 0.1, `√d at d = ${2 ** s.logd}`);
    },
  },
};

test('sixteen exercises or more, each kind at least twice, every figure with one, each checked here', () => {
  assert.ok(EXERCISES.length >= 14, `${EXERCISES.length} exercises`);
  for (const kind of ['choose', 'estimate', 'sketch', 'find']) {
    assert.ok(EXERCISES.filter((e) => e.kind === kind).length >= 2, kind);
  }
  const sectionsWithFigures = new Set(Object.keys(FIGURES));
  // The spread figure is in He's section, which has He's exercise as well.
  for (const name of sectionsWithFigures) {
    if (name === 'spread') continue;
    assert.ok(EXERCISES.some((e) => e.figure === name), `an exercise for ${name}`);
  }
  for (const e of EXERCISES) assert.ok(CHECKS[`${e.figure}/${e.id}`], `a check for ${e.figure}/${e.id}`);
});

for (const ex of EXERCISES) {
  const name = `${ex.figure}/${ex.id}`;
  test(`${name}: the key at the defaults and at three other states`, () => {
    const def = FIGURES[ex.figure];
    const { states, check } = CHECKS[name];
    for (const partial of [{}, ...states]) {
      const state = asked(ex, { ...defaultsOf(def), ...partial });
      check(ex, state);
      if (ex.kind === 'choose') assert.ok(ex.options(state).some(([v]) => v === keyAt(ex, state).answer), 'the key is an option');
      if (ex.kind === 'find') {
        const key = keyAt(ex, state);
        for (const [k, v] of Object.entries(key.answer)) {
          const control = def.controls.find((c) => c.key === k);
          assert.ok(control, `${k} is a control`);
          if (control.type === 'range') assert.ok(v >= control.min && v <= control.max, `${k} = ${v} in range`);
        }
      }
      assert.ok(ex.explain(keyAt(ex, state), state).length > 20);
    }
  });
}

// The text the page shows without JavaScript: the question at the defaults, the options, and
// the answer for the defaults (the setting a find-the-setting exercise's key gives).
const page = fileURLToPath(new URL('../../index.html', import.meta.url));
const escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function expectedBlock(ex) {
  const def = FIGURES[ex.figure];
  const state = asked(ex, defaultsOf(def));
  const key = keyAt(ex, state);
  const at = ex.kind === 'find' ? { ...state, ...key.answer } : state;
  return {
    question: ex.question(state),
    options: ex.kind === 'choose' ? ex.options(state).map(([, label]) => label) : null,
    explain: ex.explain(ex.kind === 'find' ? keyAt(ex, at) : key, at),
  };
}

test('index.html holds every exercise with the question, options and answer it writes at the defaults', () => {
  let html = readFileSync(page, 'utf8');
  const update = process.env.UPDATE_EXERCISES === '1';
  const wrong = [];
  for (const ex of EXERCISES) {
    const name = `${ex.figure}/${ex.id}`;
    const start = html.indexOf(`data-exercise="${name}"`);
    assert.ok(start > 0, `${name} in the page`);
    const end = html.indexOf('</details>', start);
    let block = html.slice(start, end);
    const want = expectedBlock(ex);
    const swap = (re, text) => {
      const m = block.match(re);
      assert.ok(m, `${name}: ${re}`);
      if (m[2] !== text) {
        wrong.push(`${name}: ${m[2]} ≠ ${text}`);
        block = block.replace(m[0], `${m[1]}${text}${m[3]}`);
      }
    };
    swap(/(<span data-question>)([^<]*)(<\/span>)/, escape(want.question));
    if (want.options) swap(/(<ol class="exercise-options" type="a" data-options>)(.*?)(<\/ol>)/, want.options.map((o) => `<li>${escape(o)}</li>`).join(''));
    swap(/(<p data-explain>)([^<]*)(<\/p>)/, escape(want.explain));
    html = html.slice(0, start) + block + html.slice(end);
  }
  if (update) writeFileSync(page, html);
  else assert.deepEqual(wrong, [], 'UPDATE_EXERCISES=1 node --test tests/wasm/exercises.test.mjs rewrites them');
});
