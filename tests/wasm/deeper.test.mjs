// The second module (www/deeper.js): residual blocks and attention through their public API in
// Node — the numbers beside their theory, a clear Error naming the field for any malformed config,
// and the code the figures offer (valid Python; the NumPy scripts reproduce the module's numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withDefaults } from './load.mjs';
import * as deeper from '../../target/pkg/deeper.js';
import { attentionCode, isometryCode, residualCode } from '../../www/code.js';
import { runSeeds, syntaxErrors } from './python.mjs';

deeper.initSync({ module: readFileSync(fileURLToPath(new URL('../../target/pkg/weight-init-deeper_bg.wasm', import.meta.url))) });
const { residual, attention, isometry } = deeper;


function throwsError(call, pattern) {
  assert.throws(call, (e) => e instanceof Error && pattern.test(e.message), `expected ${pattern}`);
}

test('residual: block 0 to L, the closed forms beside the measurement', () => {
  const r = residual({ blocks: 20, width: 64, samples: 16, alpha: 1 });
  assert.equal(r.forward.length, 21);
  assert.equal(r.forwardTheory[20], 2 ** 20);
  assert.equal(r.backwardTheory[0], 2 ** 20);
  const pre = residual({ blocks: 20, alpha: 1, norm: 'pre' });
  assert.equal(pre.forwardTheory[20], 21);
  // One network 128 wide within 30 % of 1 + lα² at the last block.
  assert.ok(Math.abs(pre.forward[20] / 21 - 1) < 0.3, String(pre.forward[20]));
  const zero = residual({ blocks: 30, alpha: 0 });
  assert.ok(zero.forward.every((v) => v === zero.forward[0]));
  assert.ok(zero.backward.every((v) => v === zero.backward[0]));
  // Defaults: 50 blocks.
  assert.equal(residual().forward.length, 51);
});

test('attention: the scores spread as √d, the softmax follows the theory', () => {
  const a = attention({ d: 256 });
  assert.ok(Math.abs(a.unscaled.scoreSd / 16 - 1) < 0.05, String(a.unscaled.scoreSd));
  assert.ok(Math.abs(a.scaled.scoreSd - 1) < 0.05);
  for (const side of [a.scaled, a.unscaled]) {
    assert.ok(Math.abs(side.entropy - side.theory.entropy) < 0.1, `${side.entropy} vs ${side.theory.entropy}`);
    assert.ok(Math.abs(side.largest - side.theory.largest) < 0.04, `${side.largest} vs ${side.theory.largest}`);
    assert.equal(side.first.length, 64);
    assert.ok(Math.abs(side.first.reduce((x, y) => x + y, 0) - 1) < 1e-12);
  }
  assert.ok(a.unscaled.largest > 0.85 && a.scaled.largest < 0.15);
  const bare = attention({ d: 8, skipTheory: true });
  assert.equal(bare.scaled.theory, undefined);
});

test('isometry: orthogonal linear networks are exact isometries; the spread follows the theory', () => {
  const lin = isometry({ activation: 'linear', weights: 'orthogonal', layers: 64, width: 32 });
  assert.equal(lin.singularValues.length, 32);
  assert.ok(lin.singularValues.every((v) => Math.abs(v - 1) < 1e-9));
  const relu = isometry({ activation: 'relu', weights: 'orthogonal', layers: 8 });
  assert.equal(relu.sw2, 2);
  assert.equal(relu.spreadTheory.at(-1), 8);
  assert.ok(Math.abs(relu.spread.at(-1) / 8 - 1) < 0.3, String(relu.spread.at(-1)));
  const t = isometry({ activation: 'tanh', q: 0.01, layers: 32 });
  assert.ok(t.spread.at(-1) < 0.05 && t.spreadTheory.at(-1) < 0.03);
  assert.ok(t.depths.length <= 32 && t.depths.at(-1) === 32);
  const deep = isometry({ layers: 128, width: 8 });
  assert.equal(deep.depths.length, 32);
  assert.equal(deep.depths[0], 4);
  // The code writes the module's critical point to six digits.
  for (const q of [1e-4, 0.01, 0.3, 10]) {
    const config = { activation: 'tanh', q, layers: 1, width: 4 };
    const r = isometry(config);
    const code = isometryCode(withDefaults('isometry', { ...config, sw2: r.sw2, sb2: r.sb2 })).numpy;
    const [, sw2, sb2] = code.match(/^sw2, sb2, q = ([^,]+), ([^,]+),/m);
    assert.ok(Math.abs(Number(sw2) / r.sw2 - 1) < 1e-5, `q ${q}: σ_w² ${sw2} vs ${r.sw2}`);
    assert.ok(Math.abs(Number(sb2) - r.sb2) <= 1e-5 * Math.max(1, r.sb2), `q ${q}: σ_b² ${sb2} vs ${r.sb2}`);
  }
});

test('a malformed config is an Error naming the field and what it allows, and the module goes on', () => {
  const before = residual({ blocks: 5, seed: 3 }).forward;
  throwsError(() => residual({ blocks: 0 }), /^config\.blocks must be a whole number from 1 to 100/);
  throwsError(() => residual({ blocks: 1e9 }), /^config\.blocks must be a whole number from 1 to 100/);
  throwsError(() => residual({ width: 4096 }), /^config\.width must be a whole number from 2 to 256/);
  throwsError(() => residual({ alpha: -1 }), /^config\.alpha must be a finite number from 0 to 2/);
  throwsError(() => residual({ alpha: NaN }), /^config\.alpha/);
  throwsError(() => residual({ norm: 'post' }), /^config\.norm must be one of "none", "pre"/);
  throwsError(() => residual({ blocks: 5, extra: 1 }), /extra/);
  throwsError(() => residual({ get alpha() { throw new Error('no'); } }), /^config\.alpha .*throws when read/);
  throwsError(() => residual(new Proxy({}, { ownKeys() { throw 1; } })), /^config must be an object/);
  throwsError(() => attention({ d: 0 }), /^config\.d must be a whole number from 1 to 2048/);
  throwsError(() => attention({ d: 2.5 }), /^config\.d must be a whole number/);
  throwsError(() => attention({ keys: 1 }), /^config\.keys must be a whole number from 2 to 256/);
  throwsError(() => attention({ sequences: 1e6 }), /^config\.sequences must be a whole number from 1 to 32/);
  throwsError(() => attention({ queries: '8' }), /^config\.queries must be a whole number/);
  throwsError(() => attention({ seed: -1 }), /^config\.seed/);
  throwsError(() => attention(42), /^config must be an object/);
  throwsError(() => isometry({ activation: 'sigmoid' }), /^config\.activation must be one of "linear", "tanh", "relu"/);
  throwsError(() => isometry({ weights: 'uniform' }), /^config\.weights must be one of "orthogonal", "gaussian"/);
  throwsError(() => isometry({ layers: 129 }), /^config\.layers must be a whole number from 1 to 128/);
  throwsError(() => isometry({ width: 1 }), /^config\.width must be a whole number from 2 to 128/);
  throwsError(() => isometry({ q: 0 }), /^config\.q must be a finite number from 0\.0001 to 10/);
  throwsError(() => isometry({ q: Infinity }), /^config\.q/);
  assert.deepEqual(residual({ blocks: 5, seed: 3 }).forward, before);
});

test('the residual and attention code is valid Python in every framework', () => {
  const snippets = [];
  for (const norm of ['none', 'pre']) {
    for (const alpha of [1, 0.141, 0]) {
      for (const [name, text] of Object.entries(residualCode(withDefaults('residual', { blocks: 4, width: 8, alpha, norm })))) snippets.push({ name: `residual ${norm} ${alpha} ${name}`, text });
    }
  }
  for (const [name, text] of Object.entries(attentionCode(withDefaults('attention', { d: 16 })))) snippets.push({ name: `attention ${name}`, text });
  for (const activation of ['linear', 'tanh', 'relu']) {
    for (const weights of ['orthogonal', 'gaussian']) {
      const config = { activation, weights, layers: 3, width: 8 };
      const { sw2, sb2 } = isometry(config);
      for (const [name, text] of Object.entries(isometryCode(withDefaults('isometry', { ...config, sw2, sb2 })))) snippets.push({ name: `isometry ${activation} ${weights} ${name}`, text });
    }
  }
  const failures = syntaxErrors(snippets);
  assert.deepEqual(failures, []);
});

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Asserts that two samples' means agree within four standard errors of their difference (each
 * side's spread measured from itself), and within `cap` whatever the spread.
 */
function agree(xs, ys, what, cap = 0.3) {
  const [a, b] = [mean(xs), mean(ys)];
  const variance = (zs, m) => zs.reduce((t, z) => t + (z - m) ** 2, 0) / (zs.length - 1);
  const se = Math.sqrt(variance(xs, a) / xs.length + variance(ys, b) / ys.length);
  assert.ok(Math.abs(a - b) <= Math.min(cap, Math.max(1e-9, 4 * se)), `${what}: NumPy ${a}, module ${b} (standard error ${se})`);
}

for (const [norm, alpha] of [['none', 0.5], ['pre', 1], ['none', 0]]) {
  test(`the residual NumPy script reproduces the module: ${norm}, α = ${alpha}`, () => {
    // 24 networks each of 20 blocks, 64 wide: the means over networks of ln x² and of
    // ln gradient² at blocks 0, 10 and 20 agree within four standard errors of their difference
    // (each side's spread measured from its own 24 networks), and within 0.3 whatever the spread.
    const config = { blocks: 20, width: 64, samples: 32, alpha, norm };
    const script = residualCode(withDefaults('residual', config)).numpy;
    assert.match(script, /^seed = 0 /m);
    const runs = runSeeds(script, 24);
    const ours = Array.from({ length: 24 }, (_, seed) => residual({ ...config, seed }));
    for (const l of [0, 10, 20]) {
      agree(runs.map((r) => Math.log(Number(r[l][1]))), ours.map((r) => Math.log(r.forward[l])), `x² at block ${l}`);
      agree(runs.map((r) => Math.log(Number(r[l][2]))), ours.map((r) => Math.log(r.backward[l])), `gradient² at block ${l}`);
    }
  });
}

test('the attention NumPy script reproduces the module', () => {
  for (const d of [4, 64, 1024]) {
    const config = { d, keys: 64, sequences: 32, queries: 8 };
    const runs = runSeeds(attentionCode(withDefaults('attention', config)).numpy, 4);
    const ours = Array.from({ length: 4 }, (_, seed) => attention({ ...config, seed, skipTheory: true }));
    // 4 × 256 queries on each side: the mean entropy's standard error is below 0.03 nats.
    for (const [row, key] of [[0, 'scaled'], [1, 'unscaled']]) {
      const h = mean(runs.map((r) => Number(r[row][1])));
      const p = mean(runs.map((r) => Number(r[row][2])));
      const H = mean(ours.map((o) => o[key].entropy));
      const P = mean(ours.map((o) => o[key].largest));
      assert.ok(Math.abs(h - H) < 0.1, `d ${d} ${key} entropy: NumPy ${h}, module ${H}`);
      assert.ok(Math.abs(p - P) < 0.04, `d ${d} ${key} largest: NumPy ${p}, module ${P}`);
    }
  }
});

test('the isometry NumPy script reproduces the module', () => {
  // 12 networks each, 16 layers 64 wide: the mean of ln spread at the last layer agrees within four
  // standard errors (and 0.25) for orthogonal and Gaussian weights.
  for (const [activation, weights, q] of [['tanh', 'orthogonal', 1], ['tanh', 'gaussian', 0.01], ['relu', 'orthogonal', 1]]) {
    const config = { activation, weights, q, layers: 16, width: 64 };
    const { sw2, sb2 } = isometry(config);
    const script = isometryCode(withDefaults('isometry', { ...config, sw2, sb2 })).numpy;
    assert.match(script, /^seed = 0 /m);
    const runs = runSeeds(script, 12).map((rows) => rows.filter((r) => r.length === 3));
    const ours = Array.from({ length: 12 }, (_, seed) => isometry({ ...config, seed }));
    agree(runs.map((r) => Math.log(Number(r[15][2]))), ours.map((o) => Math.log(o.spread.at(-1))), `${activation} ${weights} ln spread`, 0.25);
  }
});
