// Benchmark: the slowest call each export allows, and the memory the module holds afterwards.
// The budgets (src/core/config.rs, src/core/train.rs) promise that every allowed call finishes in
// about 1.5 s on the 2-core development machine and needs at most 512 MB; this measures the
// configs that come closest, and one just past each budget to show it is refused.
// Usage: node bench/limits.mjs   (scripts/bench.sh builds target/pkg first)
import { readFileSync } from 'node:fs';
import { simulate, weights, Trainer, exports } from '../tests/wasm/load.mjs';
import * as deeper from '../target/pkg/deeper.js';

const deeperExports = deeper.initSync({ module: readFileSync(new URL('../target/pkg/weight-init-deeper_bg.wasm', import.meta.url)) });

const MB = 1 << 20;
const rows = [];
let highWater = exports.memory.buffer.byteLength;

function time(name, call) {
  const t0 = performance.now();
  let outcome;
  try {
    call();
    outcome = 'ran';
  } catch (e) {
    outcome = `refused: ${e.message.slice(0, 90)}…`;
  }
  const ms = performance.now() - t0;
  highWater = Math.max(highWater, exports.memory.buffer.byteLength);
  rows.push([name, outcome === 'ran' ? `${ms.toFixed(0)} ms` : '–', outcome]);
}

const batch = (samples, features) => Array.from({ length: samples }, (_, i) => Array.from({ length: features }, (_, j) => Math.sin(i * 7 + j)));

// simulate: the largest work in each shape the budget allows.
time('simulate: tanh 9 × 512, batch 512 (dense products)', () => simulate({ activation: 'tanh', scheme: 'xavier-normal', layers: 9, width: 512, input: { samples: 512, features: 512 } }));
time('simulate: tanh 1000 × 64, batch 192', () => simulate({ activation: 'tanh', scheme: 'xavier-normal', layers: 1000, width: 64, input: { samples: 192, features: 64 } }));
time('simulate: He 100 × 512, batch 32', () => simulate({ scheme: 'he-normal', layers: 100, width: 512, input: { samples: 32, features: 512 } }));
time('simulate: one layer 4096 × 4096, batch 64', () => simulate({ layers: 1, width: 4096, input: { samples: 64, features: 4096 } }));
time('simulate: orthogonal 100 × 512, batch 32 (reflections)', () => simulate({ scheme: 'orthogonal', layers: 100, width: 512, input: { samples: 32, features: 512 } }));
time('simulate: orthogonal 30 × 256, batch 512 (reflections)', () => simulate({ scheme: 'orthogonal', layers: 30, width: 256, input: { samples: 512, features: 256 } }));
time('simulate: tanh 80 × 512, batch 512 (over the memory budget)', () => simulate({ activation: 'tanh', layers: 80, width: 512, input: { samples: 512, features: 512 } }));
time('simulate: tanh 30 × 512, batch 512 (over the work budget)', () => simulate({ activation: 'tanh', layers: 30, width: 512, input: { samples: 512, features: 512 } }));
time('simulate: orthogonal 40 × 256, batch 512 (over the work budget)', () => simulate({ scheme: 'orthogonal', layers: 40, width: 256, input: { samples: 512, features: 256 } }));
const given = batch(256, 4096);
time('simulate: 1,048,576 input numbers given as arrays (256 × 4096)', () => simulate({ layers: 1, width: 64, input: given }));
time('simulate: 4096 × 4096 input as arrays (over the input limit)', () => simulate({ layers: 1, width: 8, input: batch(4096, 4096) }));
time('simulate: trace of 256 × 256', () => simulate({ layers: 256, width: 256, trace: true, input: { samples: 32, features: 256 } }));

// weights: the largest single matrix.
time('weights: 4096 × 4096 He normal', () => weights({ scheme: 'he-normal', layers: 1, width: 4096, input: { samples: 1, features: 4096 } }, 1));

// Trainer at its largest network.
const big = { layers: 40, width: 64, batch: 512, points: 5000 };
const t = new Trainer(big);
const stepsMessage = (() => { try { t.train(100000); return ''; } catch (e) { return e.message; } })();
const maxSteps = Number(/at most (\d+)/.exec(stepsMessage)?.[1] ?? 1);
const resMessage = (() => { try { t.boundary(100); return ''; } catch (e) { return e.message; } })();
const maxRes = Number(/at most (\d+)/.exec(resMessage)?.[1] ?? 100);
time(`Trainer(${JSON.stringify(big)})`, () => new Trainer(big).free());
time(`train(${maxSteps}) on that network (its most per call)`, () => t.train(maxSteps));
time('progress() on that network (5,000 points)', () => t.progress());
time('neuronSpread() on that network', () => t.neuronSpread());
time(`boundary(${maxRes}) on that network (its finest grid)`, () => t.boundary(maxRes));
time('train(100000) on that network (over its limit)', () => t.train(100000));
t.free();
const small = new Trainer({});
time('train(100000) on the figure\'s network (20 × 16, batch 32)', () => small.train(100000));
time('boundary(100) on the figure\'s network', () => small.boundary(100));
small.free();

// The second module (deeper.js): the largest of each config.
time('isometry: orthogonal tanh 128 × 128, q* = 10', () => deeper.isometry({ activation: 'tanh', q: 10, layers: 128, width: 128 }));
time('isometry: Gaussian ReLU 128 × 128', () => deeper.isometry({ activation: 'relu', weights: 'gaussian', layers: 128, width: 128 }));
time('residual: 100 blocks × 256, batch 64, pre-LN', () => deeper.residual({ blocks: 100, width: 256, samples: 64, norm: 'pre' }));
time('attention: d 2048, 256 keys, 32 × 32 queries (theory for 256 keys, cold)', () => deeper.attention({ d: 2048, keys: 256, sequences: 32, queries: 32 }));
time('isometry: 129 layers (over its limit)', () => deeper.isometry({ layers: 129 }));
const deeperMemory = deeperExports.memory.buffer.byteLength;

console.log(`The slowest allowed calls, WebAssembly in Node ${process.version}, one run each`);
console.log('| call | time | outcome |');
console.log('|---|---|---|');
for (const [name, ms, outcome] of rows) console.log(`| ${name} | ${ms} | ${outcome} |`);
console.log(`\nWebAssembly memory high-water mark: ${(highWater / MB).toFixed(0)} MB (memory never shrinks; budget 512 MB); the second module's after its calls: ${(deeperMemory / MB).toFixed(0)} MB`);
