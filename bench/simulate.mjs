// Benchmark: simulate() in WebAssembly (Node) against the NumPy reference, in one run.
// Usage: node bench/simulate.mjs [seconds-per-measurement]   (scripts/bench.sh builds and runs it)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { simulate } from '../tests/wasm/load.mjs';

const seconds = Number(process.argv[2] ?? 2);
const article = { sigma: 0.1 };
const large = { scheme: 'he-normal', layers: 50, width: 256, input: { samples: 256, features: 256 } };

// Time per call: several rounds of back-to-back calls, the median round (robust to a noisy machine).
function perCall(fn, totalSeconds) {
  const rounds = 7;
  const budget = (totalSeconds * 1000) / rounds;
  for (let t = performance.now(); performance.now() - t < budget;) fn(); // warm up (JIT tiers)
  const times = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < budget) { fn(); n++; }
    times.push((performance.now() - start) / n);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(rounds / 2)];
}

let seed = 0;
const wasmArticleUs = perCall(() => simulate({ ...article, seed: seed++ }), seconds) * 1000;
const wasmLargeMs = perCall(() => simulate({ ...large, seed: seed++ }), seconds * 2);

const script = fileURLToPath(new URL('./numpy_reference.py', import.meta.url));
const numpy = JSON.parse(execFileSync('python3', [script, String(seconds)], { encoding: 'utf8' }));

const rows = [
  ['article config (8 × 10, X = [1..5])', `${numpy.article_us.toFixed(1)} µs`, `${wasmArticleUs.toFixed(2)} µs`,
    numpy.article_us / wasmArticleUs, 30],
  ['50 layers × 256 wide × batch 256, he-normal', `${numpy.large_ms.toFixed(1)} ms`, `${wasmLargeMs.toFixed(1)} ms`,
    numpy.large_ms / wasmLargeMs, 0.5],
];
console.log(`NumPy ${numpy.numpy} (python3) vs simulate() in WebAssembly (Node ${process.version}), median of 7 rounds`);
console.log('| config | NumPy per call | wasm per call | speed-up | target |');
console.log('|---|---|---|---|---|');
for (const [name, np, wasm, ratio, target] of rows) {
  console.log(`| ${name} | ${np} | ${wasm} | ${ratio.toFixed(2)}× | ≥ ${target}× ${ratio >= target ? 'met' : 'NOT met'} |`);
}
