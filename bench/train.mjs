// Benchmark: training steps per second of the training figure's network in WebAssembly (Node)
// against the same network and update rule in NumPy, in one run.
// Usage: node bench/train.mjs [seconds]   (scripts/bench.sh builds target/pkg first)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';


import { Trainer } from '../tests/wasm/load.mjs';
const seconds = Number(process.argv[2] ?? 2);

const t = new Trainer({});
t.train(200); // warm up
let steps = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  t.train(50);
  steps += 50;
}
const wasm = steps / ((performance.now() - start) / 1000);
t.free();

const script = fileURLToPath(new URL('./numpy_train.py', import.meta.url));
const numpy = JSON.parse(execFileSync('python3', [script, String(seconds)], { encoding: 'utf8' }));
console.log('Training steps per second: 2 → 20 ReLU layers of 16 → 2, batch 32, SGD with momentum');
console.log('| implementation | steps/s |');
console.log('|---|---|');
console.log(`| NumPy ${numpy.numpy} | ${numpy.steps_per_second.toFixed(0)} |`);
console.log(`| WebAssembly (Node ${process.version}) | ${wasm.toFixed(0)} (${(wasm / numpy.steps_per_second).toFixed(1)}× NumPy) |`);
