// Benchmark: the slowest call each export allows, and the memory a module needs for it. The
// budgets (src/core/config.rs, src/core/train.rs, src/core/network.rs's weights_work) promise that
// every allowed call finishes within 1.5 s on one core of the 2-core development machine and needs
// at most 512 MB of module memory; this measures the configs that come closest, and one just past
// each budget to show it is refused. Each call runs alone in a fresh Node process (one core, a
// new module), so its time is its own and the module's memory afterwards is its high-water mark.
// Usage: node bench/limits.mjs   (scripts/bench.sh builds target/pkg first)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MB = 1 << 20;
const batch = (samples, features) => Array.from({ length: samples }, (_, i) => Array.from({ length: features }, (_, j) => Math.sin(i * 7 + j)));

/** The most steps (or grid side) a trainer allows, from its own error message. */
function most(call) {
  try {
    call();
  } catch (e) {
    return Number(/at most (\d+)/.exec(e.message)?.[1] ?? 1);
  }
  return 1;
}

/**
 * A simulate case at the work budget's edge in its shape: the call with `samples`, which the
 * budget allows, and the same with one sample more, which it must refuse (checked after timing:
 * a refused config is turned away before anything is allocated).
 */
function atLimit(name, config) {
  const over = { ...config, input: { ...config.input, samples: config.input.samples + 1 } };
  return [`${name}, batch ${config.input.samples}`, ({ m }) => m.simulate(config), ({ m }) => {
    try {
      m.simulate(over);
    } catch (e) {
      return /too much work/.test(e.message) ? 'yes' : `no (batch ${over.input.samples}: ${e.message.slice(0, 60)}…)`;
    }
    return `no: batch ${over.input.samples} is allowed too`;
  }];
}

// [name, (modules) => the call, optionally (modules) => whether the call is at its limit].
// `m.simulate` etc. are simulator.js's, `d.*` deeper.js's.
const CASES = [
  // simulate: the largest work in each shape the budget allows.
  atLimit('simulate: tanh 9 × 512 (dense products)', { activation: 'tanh', scheme: 'xavier-normal', layers: 9, width: 512, input: { samples: 505, features: 512 } }),
  atLimit('simulate: tanh 1000 × 64 (deep)', { activation: 'tanh', scheme: 'xavier-normal', layers: 1000, width: 64, input: { samples: 135, features: 64 } }),
  atLimit('simulate: He 1000 × 16 (narrow: the work done once per value)', { scheme: 'he-normal', layers: 1000, width: 16, input: { samples: 1355, features: 16 } }),
  atLimit('simulate: tanh 1000 × 16 (narrow)', { activation: 'tanh', scheme: 'xavier-normal', layers: 1000, width: 16, input: { samples: 770, features: 16 } }),
  ['simulate: He 100 × 512, batch 32 (the explorer\'s largest)', ({ m }) => m.simulate({ scheme: 'he-normal', layers: 100, width: 512, input: { samples: 32, features: 512 } })],
  ['simulate: one layer 4096 × 4096, batch 64', ({ m }) => m.simulate({ layers: 1, width: 4096, input: { samples: 64, features: 4096 } })],
  ['simulate: orthogonal 100 × 512, batch 32 (reflections)', ({ m }) => m.simulate({ scheme: 'orthogonal', layers: 100, width: 512, input: { samples: 32, features: 512 } })],
  ['simulate: LSUV 100 × 512, batch 32', ({ m }) => m.simulate({ scheme: 'lsuv', layers: 100, width: 512, input: { samples: 32, features: 512 } })],
  atLimit('simulate: orthogonal 30 × 256 (reflections)', { scheme: 'orthogonal', layers: 30, width: 256, input: { samples: 472, features: 256 } }),
  atLimit('simulate: orthogonal 8 × 128 on 3622 features (features ≫ width)', { scheme: 'orthogonal', layers: 8, width: 128, input: { samples: 653, features: 3622 } }),
  ['simulate: tanh 46 × 10 at bias −10⁶, σ_b 10⁶ (the quadrature far out)', ({ m }) => m.simulate({ layers: 46, bias: -1e6, biasSigma: 1e6, activation: 'tanh', input: { samples: 1, features: 13 } })],
  ['simulate: sigmoid 1000 × 8 at bias 10⁶, σ_b 10⁶', ({ m }) => m.simulate({ layers: 1000, width: 8, bias: 1e6, biasSigma: 1e6, activation: 'sigmoid', input: { samples: 1, features: 13 } })],
  ['simulate: 1,048,576 input numbers given as arrays (256 × 4096)', ({ m }) => m.simulate({ layers: 1, width: 64, input: batch(256, 4096) })],
  ['simulate: trace of 256 × 256', ({ m }) => m.simulate({ layers: 256, width: 256, trace: true, input: { samples: 32, features: 256 } })],
  ['simulate: orthogonal 8 × 128 on 1853 × 3622 inputs (over the work budget)', ({ m }) => m.simulate({ layers: 8, width: 128, scheme: 'orthogonal', input: { samples: 1853, features: 3622 } })],
  ['simulate: tanh 80 × 512, batch 512 (over the memory budget)', ({ m }) => m.simulate({ activation: 'tanh', layers: 80, width: 512, input: { samples: 512, features: 512 } })],
  ['simulate: tanh 30 × 512, batch 512 (over the work budget)', ({ m }) => m.simulate({ activation: 'tanh', layers: 30, width: 512, input: { samples: 512, features: 512 } })],
  ['simulate: 4096 × 4096 input as arrays (over the input limit)', ({ m }) => m.simulate({ layers: 1, width: 8, input: batch(4096, 4096) })],
  // weights: the largest single matrix of each kind.
  ['weights: 4096 × 4096 He normal', ({ m }) => m.weights({ scheme: 'he-normal', layers: 1, width: 4096, input: { samples: 1, features: 4096 } }, 1)],
  ['weights: orthogonal 1023 × 1023 (the widest allowed, formed from its reflections)', ({ m }) => m.weights({ scheme: 'orthogonal', layers: 1, width: 1023, input: { samples: 1, features: 1023 } }, 1)],
  ['weights: LSUV 100 × 512 × 32, layer 100 (the pass up to it)', ({ m }) => m.weights({ scheme: 'lsuv', layers: 100, width: 512, input: { samples: 32, features: 512 } }, 100)],
  ['weightVariance: LSUV 100 × 512 × 32, layer 100', ({ m }) => m.weightVariance({ scheme: 'lsuv', layers: 100, width: 512, input: { samples: 32, features: 512 } }, 100)],
  ['weights: orthogonal 4096 × 4096 (over the work budget)', ({ m }) => m.weights({ scheme: 'orthogonal', layers: 1, width: 4096, input: { samples: 1, features: 4096 } }, 1)],
  // Trainer: the largest network, and narrow ones, whose per-layer costs dominate.
  ['Trainer({ layers: 40, width: 64, batch: 512, points: 5000 })', ({ d }) => new d.Trainer({ layers: 40, width: 64, batch: 512, points: 5000 }).free()],
  ...[
    { layers: 40, width: 64, batch: 512, points: 5000 },
    { layers: 40, width: 2, points: 100 },
    { layers: 40, width: 2, batch: 1, points: 100 },
    { layers: 2, width: 2, batch: 512, points: 5000 },
    { layers: 10, width: 8, batch: 8, points: 200 },
    { layers: 20, width: 16 },
    { layers: 1, width: 64, batch: 512, points: 5000 },
  ].map((c) => [`train(its most) on ${JSON.stringify(c)}`, ({ d }) => {
    const t = new d.Trainer(c);
    t.train(most(() => t.train(100000)));
  }]),
  ['progress() on 40 × 64, 5,000 points', ({ d }) => new d.Trainer({ layers: 40, width: 64, batch: 512, points: 5000 }).progress()],
  ['neuronSpread() on 40 × 64, 5,000 points', ({ d }) => new d.Trainer({ layers: 40, width: 64, batch: 512, points: 5000 }).neuronSpread()],
  ['boundary(its finest) on 40 × 64', ({ d }) => {
    const t = new d.Trainer({ layers: 40, width: 64, batch: 512, points: 5000 });
    t.boundary(most(() => t.boundary(100)));
  }],
  ['train(100000) on 40 × 64 (over its limit)', ({ d }) => new d.Trainer({ layers: 40, width: 64, batch: 512, points: 5000 }).train(100000)],
  // The second module (deeper.js): the largest of each config.
  ['isometry: orthogonal tanh 128 × 128, q* = 10', ({ d }) => d.isometry({ activation: 'tanh', q: 10, layers: 128, width: 128 })],
  ['isometry: Gaussian ReLU 128 × 128', ({ d }) => d.isometry({ activation: 'relu', weights: 'gaussian', layers: 128, width: 128 })],
  ['residual: 100 blocks × 256, batch 64, pre-LN', ({ d }) => d.residual({ blocks: 100, width: 256, samples: 64, norm: 'pre' })],
  ['attention: d 2048, 256 keys, 32 × 32 queries (theory for 256 keys, cold)', ({ d }) => d.attention({ d: 2048, keys: 256, sequences: 32, queries: 32 })],
  ['isometry: 129 layers (over its limit)', ({ d }) => d.isometry({ layers: 129 })],
];

if (process.argv[2] === '--case') {
  // One case, in this fresh process: its time, its outcome and the modules' memory after it.
  const { readFileSync } = await import('node:fs');
  const pkg = new URL('../target/pkg/', import.meta.url);
  const m = await import(new URL('simulator.js', pkg));
  const d = await import(new URL('deeper.js', pkg));
  const main = m.initSync({ module: readFileSync(new URL('weight-init_bg.wasm', pkg)) });
  const second = d.initSync({ module: readFileSync(new URL('weight-init-deeper_bg.wasm', pkg)) });
  const [name, call, edge] = CASES[Number(process.argv[3])];
  const module = name.startsWith('simulate') || name.startsWith('weight') ? main : second;
  const before = module.memory.buffer.byteLength;
  const t0 = performance.now();
  let outcome = 'ran';
  try {
    call({ m, d });
  } catch (e) {
    outcome = `refused: ${e.message.slice(0, 100)}…`;
  }
  const ms = performance.now() - t0;
  const after = module.memory.buffer.byteLength;
  const limit = edge ? edge({ m, d }) : '';
  console.log(JSON.stringify({ ms, outcome, before, after, limit, module: module === main ? 'simulator' : 'second' }));
} else {
  console.log(`The slowest allowed calls, WebAssembly in Node ${process.version}, each alone in a fresh process`);
  console.log('| call | time | module memory after | outcome | one sample more refused |');
  console.log('|---|---|---|---|---|');
  const high = { simulator: 0, second: 0 };
  let slowest = 0;
  for (let i = 0; i < CASES.length; i++) {
    const out = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--case', String(i)], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop());
    const ran = out.outcome === 'ran';
    high[out.module] = Math.max(high[out.module], out.after);
    if (ran) slowest = Math.max(slowest, out.ms);
    console.log(`| ${CASES[i][0]} | ${ran ? `${out.ms.toFixed(0)} ms` : '–'} | ${(out.after / MB).toFixed(0)} MB | ${out.outcome} | ${out.limit} |`);
  }
  console.log(`\nSlowest allowed call: ${slowest.toFixed(0)} ms (budget 1,500 ms). Module memory high-water marks: the simulator ${(high.simulator / MB).toFixed(0)} MB, the second module ${(high.second / MB).toFixed(0)} MB (budget 512 MB each; memory never shrinks within an instance, so the page replaces a worker whose module grew large once it is idle).`);
}
