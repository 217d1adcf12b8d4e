// The code the page offers: every PyTorch, Keras and Flax snippet parses as Python for every
// scheme and activation, and the NumPy script reproduces what simulate() measures.
//
// The script draws its own random numbers (NumPy's generator, not the simulator's), so it is
// compared over many draws: for each layer, the median over 120 seeds of ln Var(Z) (and of the
// gradient's variance) from the script against the same median from simulate over 120 seeds.
// One draw's ln Var(Z) spreads with s² ≈ (2 + 5(l − 1))/n for ReLU (see the spread figure), so
// each median has a standard error near 1.25 s/√120; the tolerance, 0.12 + 0.3·s, is over three
// standard errors of the difference at every layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameworkCode } from '../../www/code.js';
import { simulate, schema, withDefaults } from './load.mjs';
import { runSeeds, syntaxErrors } from './python.mjs';


test('every PyTorch, Keras and Flax snippet is valid Python, for every scheme and activation', () => {
  const snippets = [];
  for (const scheme of schema().names.schemes) {
    for (const activation of schema().names.activations) {
      for (const [gain, bias, biasSigma] of [[1, 0, 0], [1.5, 0.1, 0], [1, 0, 0.2]]) {
        const code = frameworkCode(withDefaults('simulate', { scheme, activation, sigma: 0.05, gain, bias, biasSigma, layers: 3, width: 8, input: { samples: 4, features: 5 } }));
        for (const [name, text] of Object.entries(code)) snippets.push({ name: `${scheme} ${activation} gain ${gain} σ_b ${biasSigma} ${name}`, text });
      }
    }
  }
  const failures = syntaxErrors(snippets);
  assert.equal(failures.length, 0, failures.slice(0, 5).join('\n'));
  assert.ok(snippets.length >= 4 * schema().names.schemes.length * schema().names.activations.length);
});

/** The median of each layer's ln of `key` over `runs` (arrays of per-layer rows). */
function medians(runs, key) {
  return runs[0].map((_, l) => {
    const xs = runs.map((r) => Math.log(r[l][key])).sort((a, b) => a - b);
    return (xs[Math.floor((xs.length - 1) / 2)] + xs[Math.ceil((xs.length - 1) / 2)]) / 2;
  });
}

const SEEDS = 120;

for (const config of [
  { scheme: 'he-normal', activation: 'relu', layers: 12, width: 64, input: { samples: 32, features: 64 } },
  { scheme: 'normal', sigma: 0.1, activation: 'relu', layers: 12, width: 64, input: { samples: 32, features: 64 } },
  { scheme: 'xavier-uniform', activation: 'tanh', layers: 12, width: 64, input: { samples: 32, features: 64 } },
  { scheme: 'pytorch-default', activation: 'relu', layers: 12, width: 64, input: { samples: 32, features: 64 } },
  { scheme: 'orthogonal', gain: 1.2, activation: 'sigmoid', layers: 8, width: 48, input: { samples: 32, features: 48 } },
  // LSUV: orthogonal, then each layer to unit variance on the batch.
  { scheme: 'lsuv', activation: 'tanh', layers: 12, width: 64, input: { samples: 32, features: 48 } },
  // The edge of chaos's random biases: tanh at σ_w² = 1.76, σ_b² = 0.05.
  { scheme: 'normal', sigma: Math.sqrt(1.76 / 64), biasSigma: Math.sqrt(0.05), activation: 'tanh', layers: 12, width: 64, input: { samples: 32, features: 64 } },
]) {
  test(`the NumPy script reproduces simulate: ${config.scheme}, ${config.activation}`, () => {
    const script = frameworkCode(withDefaults('simulate', config)).numpy;
    assert.match(script, /^seed = 0 /m);
    const out = runSeeds(script, SEEDS).map((rows) => rows.map((row) => Object.fromEntries(['layer', 'z', 'h', 'g'].map((k, i) => [k, Number(row[i])]))));
    const ours = Array.from({ length: SEEDS }, (_, seed) => simulate({ ...config, seed }).layers.map((l) => ({ z: l.preVariance, g: l.gradVariance })));
    const n = config.width;
    for (const key of ['z', 'g']) {
      const [a, b] = [medians(out, key), medians(ours, key)];
      a.forEach((v, l) => {
        const spread = Math.sqrt((2 + 5 * l) / n);
        const tolerance = 0.12 + 0.3 * spread;
        assert.ok(Math.abs(v - b[l]) <= tolerance,
          `${key} at layer ${l + 1}: NumPy median ln ${v.toFixed(3)}, simulate ${b[l].toFixed(3)} (tolerance ${tolerance.toFixed(2)})`);
      });
    }
  });
}

test('the code takes its defaults from the schema: a field left out is an Error naming it', () => {
  assert.throws(() => frameworkCode({ layers: 3 }), /^Error: frameworkCode: config\.input is missing \(complete the config with withDefaults\('simulate', config\)\)/);
  const defaults = Object.fromEntries(schema().schemas.simulate.fields.map((f) => [f.name, f.default]));
  const code = frameworkCode(withDefaults('simulate', {}));
  // The schema's default network: its depth, width and σ, in every framework's code.
  for (const text of [code.pytorch, code.keras, code.flax]) {
    assert.match(text, new RegExp(`^layers, width, features = ${defaults.layers}, ${defaults.width}, ${defaults.input.length}$`, 'm'));
  }
  assert.match(code.pytorch, new RegExp(`std=${defaults.sigma}\\)`));
  assert.throws(() => withDefaults('simulat', {}), /^Error: kind must be one of simulate, train/);
});
