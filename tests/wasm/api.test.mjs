// simulate() as JavaScript sees it: the result's shape, errors that name the field, no input that
// breaks the module, and the same module running in a worker thread with no DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { simulate } from './load.mjs';

test('defaults run the article experiment: 8 layers of 10 on [1..5]', () => {
  const r = simulate();
  assert.equal(r.layers.length, 8);
  assert.equal(r.samples, 1);
  assert.equal(r.features, 5);
  assert.equal(r.theory.length, 8);
  const l = r.layers[0];
  for (const k of ['preMean', 'preVariance', 'postMean', 'postVariance', 'gradVariance', 'weightGradVariance', 'neuronSpread']) {
    assert.equal(typeof l[k], 'number', k);
  }
  assert.equal(l.saturatedFraction, null);
  assert.ok(l.deadFraction >= 0 && l.deadFraction <= 1);
  assert.equal(l.histogram.counts.length, 30);
  assert.equal(l.histogram.counts.reduce((a, b) => a + b, 0), 10);
  // σ = 0.01: theory for layer 1 is (n−1)/n · σ² · |x|² = 0.9 · 1e-4 · 55.
  assert.ok(Math.abs(r.theory[0].preVariance - 0.9 * 1e-4 * 55) < 1e-15);
  assert.equal(r.firstNonFiniteLayer, null);
});

test('Var(Z) averaged over 2,000 seeds in wasm matches the closed form (σ = 0.5)', () => {
  // E[np.var(Z_l)] = 0.9 · 0.25 · 55 · 1.25^(l−1); check within 4 standard errors.
  const runs = Array.from({ length: 2000 }, (_, seed) => simulate({ sigma: 0.5, seed }));
  for (let l = 0; l < 8; l++) {
    const xs = runs.map((r) => r.layers[l].preVariance);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    const want = 0.9 * 0.25 * 55 * 1.25 ** l;
    assert.ok(Math.abs(mean - want) <= (4 * sd) / Math.sqrt(xs.length), `layer ${l + 1}: ${mean} vs ${want}`);
  }
});

test('overflow is a result: Infinity/NaN and the layer it started at', () => {
  const r = simulate({ sigma: 1e6, layers: 100 });
  assert.ok(r.firstNonFiniteLayer > 1);
  assert.ok(!Number.isFinite(r.layers[99].preVariance));
  assert.ok(r.layers[99].histogram.nonFinite > 0);
});

const bad = [
  [null, /^config must be an object/],
  ['sigma', /^config must be an object/],
  [42, /^config must be an object/],
  [[1, 2], /^config must be an object/],
  [{ sigma: NaN }, /^config\.sigma must be a finite number from 0 to 1000000 \(got NaN\)/],
  [{ sigma: Infinity }, /^config\.sigma .*Infinity/],
  [{ sigma: '0.5' }, /^config\.sigma .*string/],
  [{ layers: 0 }, /^config\.layers must be a whole number from 1 to 1000/],
  [{ layers: 2.5 }, /^config\.layers/],
  [{ width: 1e12 }, /^config\.width .*1 to 4096/],
  [{ scheme: 'kaiming' }, /^config\.scheme must be one of .*"he-normal"/],
  [{ activation: 'gelu' }, /^config\.activation must be one of/],
  [{ seed: -1 }, /^config\.seed/],
  [{ seed: 2 ** 60 }, /^config\.seed/],
  [{ input: [] }, /^config\.input must hold 1 to 4096 numbers/],
  [{ input: [[1, 2], [3]] }, /^config\.input\[1\] .*ragged/],
  [{ input: [1, NaN] }, /^config\.input\[1\]/],
  [{ input: new Array(1e6).fill(1) }, /^config\.input .*1000000 items/],
  [{ input: { samples: 10 } }, /^config\.input\.features is required/],
  [{ input: 'x'.repeat(1e6) }, /^config\.input .*1000000 characters/],
  [{ layers: 1000, width: 4096 }, /^config\.layers .*at most 33554432/],
  [{ layers: 30, width: 512, input: { samples: 512, features: 512 } }, /^config\.layers asks for too much work/],
  [{ scheme: 'orthogonal', layers: 30, width: 256, input: { samples: 512, features: 256 } }, /^config\.scheme asks for too much work.*orthogonal/],
  [{ sigmaa: 1 }, /^config\.sigmaa is not a known field/],
  [{ sigma: 10n }, /^config\.sigma .*bigint/],
  [{ sigma: () => 1 }, /^config\.sigma .*function/],
  [{ get sigma() { throw new Error('boom'); } }, /^config\.sigma .*throws when read/],
];

test('malformed configs throw an Error that names the field and the allowed range', () => {
  for (const [config, pattern] of bad) {
    assert.throws(() => simulate(config), (e) => e instanceof Error && pattern.test(e.message), `${String(config?.toString?.() ?? config)}`);
    // ...and the module is still alive.
    assert.equal(simulate({ layers: 2 }).layers.length, 2);
  }
});

const show = (v) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));

// A small seeded generator, so a failing case can be replayed.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('1,000 random configs: each runs or throws a named Error; the module never traps', () => {
  const rand = mulberry32(2024);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const scalars = [0, 1, 2, 3, 8, 17, -1, 0.5, 1e-5, 1e300, NaN, Infinity, -Infinity, null, undefined, true, '', 'relu',
    'tanh', 'he-normal', 'orthogonal', 'zeros', '<img src=x onerror=alert(1)>', {}, [], [1, 2], 10n];
  const fields = ['input', 'layers', 'width', 'scheme', 'sigma', 'gain', 'bias', 'activation', 'slope', 'seed', 'bins', 'nope'];
  let ran = 0, refused = 0;
  for (let i = 0; i < 1000; i++) {
    const config = {};
    for (let k = Math.floor(rand() * 6); k > 0; k--) {
      const f = pick(fields);
      config[f] = f === 'input' && rand() < 0.6
        ? pick([[1, 2, 3], [[1, 2], [3, 4]], { samples: pick(scalars), features: pick(scalars) }, [[1], [2, 3]], [pick(scalars)]])
        : pick(scalars);
    }
    try {
      const r = simulate(config);
      assert.ok(Array.isArray(r.layers) && r.layers.length >= 1);
      ran++;
    } catch (e) {
      assert.ok(e instanceof Error, `non-Error thrown for ${show(config)}`);
      assert.match(e.message, /^config(\.[a-z]+| must)/, `${show(config)}: ${e.message}`);
      refused++;
    }
  }
  assert.ok(ran > 50 && refused > 50, `ran ${ran}, refused ${refused}`);
  assert.equal(simulate().layers.length, 8);
});

test('runs in a worker thread, which has no DOM', async () => {
  const source = `
    const { parentPort } = require('node:worker_threads');
    import(${JSON.stringify(new URL('./load.mjs', import.meta.url).href)}).then(({ simulate }) => {
      const r = simulate({ sigma: 0.5, seed: 3 });
      parentPort.postMessage({ hasWindow: typeof window !== 'undefined', pre: r.layers[7].preVariance });
    });`;
  const result = await new Promise((resolve, reject) => {
    const w = new Worker(source, { eval: true });
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.equal(result.hasWindow, false);
  assert.equal(result.pre, simulate({ sigma: 0.5, seed: 3 }).layers[7].preVariance);
});
