// Benchmark: simulate() in WebAssembly (Node) against the NumPy reference, in one run.
// Usage: node bench/simulate.mjs [seconds-per-measurement]   (scripts/bench.sh builds and runs it)
//
// The two sides take turns: seven rounds, each timing simulate() then NumPy for the same share of
// the time, so that a machine that speeds up or slows down during the run weighs on both alike.
// Each side's figure is the median of its rounds. OpenBLAS's worker threads spin for a moment after
// NumPy's last product, on the core simulate() would run on, so each wasm round waits for them to
// sleep first.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { simulate } from '../tests/wasm/load.mjs';

const seconds = Number(process.argv[2] ?? 2);
const rounds = 7;
const configs = {
  article: { sigma: 0.1 },
  large: { scheme: 'he-normal', layers: 50, width: 256, input: { samples: 256, features: 256 } },
  explorer: { scheme: 'he-normal', layers: 100, width: 512, input: { samples: 32, features: 512 } },
};

// The NumPy side: a Python process that times one call on request and answers with a JSON line.
const script = fileURLToPath(new URL('./numpy_reference.py', import.meta.url));
const python = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
const answer = async () => JSON.parse((await lines.next()).value);
const { numpy: numpyVersion } = await answer();
async function numpyPerCall(name, budgetSeconds) {
  python.stdin.write(`${name} ${budgetSeconds}\n`);
  return (await answer()).seconds * 1000;
}

// The explorer's σ slider at its largest setting with tanh, which no rescaling shortcut covers:
// each σ is a new computation, but the weights' unit draws are kept from the last value, so only
// the products and activations are redone (one worker; the page splits it across two, see
// bench/page.mjs). NumPy runs the same network with its draws kept too, in float64 and float32.
const tanh = { scheme: 'normal', activation: 'tanh', layers: 100, width: 512, input: { samples: 32, features: 512 }, seed: 1 };
let seed = 0;
let step = 0;
function wasmPerCall(name, budgetSeconds) {
  const budget = budgetSeconds * 1000;
  let n = 0;
  const start = performance.now();
  do {
    if (name === 'tanh') simulate({ ...tanh, sigma: 0.02 + 0.0001 * (step++ % 500) });
    else simulate({ ...configs[name], seed: seed++ });
    n++;
  } while (performance.now() - start < budget);
  return (performance.now() - start) / n;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Milliseconds per call on each side, median of the rounds; `also` names more NumPy calls timed in
// the same rounds.
async function compare(name, totalSeconds, also = []) {
  const share = totalSeconds / rounds / (2 + also.length);
  wasmPerCall(name, share); // warm up: the JIT compiles the hot functions before the first round
  for (const n of [name, ...also]) await numpyPerCall(n, share / 4);
  const wasm = [], numpy = [], more = also.map(() => []);
  for (let r = 0; r < rounds; r++) {
    await settle();
    wasm.push(wasmPerCall(name, share));
    numpy.push(await numpyPerCall(name, share));
    for (const [k, n] of also.entries()) more[k].push(await numpyPerCall(n, share));
  }
  return { wasm: median(wasm), numpy: median(numpy), also: more.map(median) };
}

const article = await compare('article', seconds * 2);
const large = await compare('large', seconds * 4);
const explorer = await compare('explorer', seconds * 6);
const tanhKept = await compare('tanh', seconds * 6, ['tanh32']);
python.stdin.end();

// The explorer's σ slider at its largest setting (normal weights, ReLU): after the first value,
// each new σ rescales the kept reference run instead of recomputing the network.
const drag = { scheme: 'normal', layers: 100, width: 512, input: { samples: 32, features: 512 }, seed: 1 };
simulate({ ...drag, sigma: 0.1 });
const sigmas = Array.from({ length: 200 }, (_, k) => 10 ** (-3 + (4 * k) / 200));
const dragStart = performance.now();
for (const sigma of sigmas) simulate({ ...drag, sigma });
const perSigma = (performance.now() - dragStart) / sigmas.length;


const rows = [
  ['article config (8 × 10, X = [1..5])', `${(article.numpy * 1000).toFixed(1)} µs`,
    `${(article.wasm * 1000).toFixed(2)} µs`, article.numpy / article.wasm, null],
  ['50 layers × 256 wide × batch 256, he-normal', `${large.numpy.toFixed(1)} ms`, `${large.wasm.toFixed(1)} ms`,
    large.numpy / large.wasm, 0.5],
  ['explorer, largest: 100 × 512 × batch 32, he-normal (a new network)', `${explorer.numpy.toFixed(1)} ms`,
    `${explorer.wasm.toFixed(1)} ms`, explorer.numpy / explorer.wasm, null],
  ['explorer, largest, σ moved (normal, ReLU; NumPy recomputes)', `${explorer.numpy.toFixed(1)} ms`,
    `${perSigma.toFixed(2)} ms`, explorer.numpy / perSigma, null],
  ['explorer, largest, σ moved (normal, tanh: draws kept on both sides, one worker; NumPy float64)', `${tanhKept.numpy.toFixed(1)} ms`,
    `${tanhKept.wasm.toFixed(1)} ms`, tanhKept.numpy / tanhKept.wasm, null],
  ['the same, NumPy in float32 (simulate multiplies in single precision, sums its statistics in double)', `${tanhKept.also[0].toFixed(1)} ms`,
    `${tanhKept.wasm.toFixed(1)} ms`, tanhKept.also[0] / tanhKept.wasm, null],
];
console.log(`NumPy ${numpyVersion} (python3) vs simulate() in WebAssembly (Node ${process.version}), ` +
  `${rounds} interleaved rounds, medians`);
console.log('| config | NumPy per call | wasm per call | speed-up | target |');
console.log('|---|---|---|---|---|');
for (const [name, np, wasm, ratio, target] of rows) {
  const verdict = target === null ? 'reported' : `≥ ${target}× ${ratio >= target ? 'met' : 'NOT met'}`;
  console.log(`| ${name} | ${np} | ${wasm} | ${ratio.toFixed(2)}× | ${verdict} |`);
}
