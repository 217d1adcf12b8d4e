// Benchmark: training steps per second on the digits in a Web Worker of headless Chromium (the
// way the page trains) against the same network and update rule in NumPy, in one run: momentum
// SGD and Adam, the training figure's network (64 → 20 ReLU layers of 16 → 10, batch 32,
// learning rate 0.001).
// Usage: node bench/digits.mjs [seconds]   (scripts/bench.sh builds dist/ first)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/browser/server.mjs';
import { launch } from '../tests/browser/chromium.mjs';

const seconds = Number(process.argv[2] ?? 2);
const server = await serve(fileURLToPath(new URL('../dist/', import.meta.url)));
const browser = await launch();
const page = await browser.newPage();
// Any page of the site: the worker's module imports need its origin.
await page.goto(`${server.url}www/style.css`);

// The worker loads the module and the digits as the page's training worker does, then trains
// one network for `seconds` and reports its steps per second.
const browserRate = (optimizer) => page.evaluate(async ([base, optimizer, seconds]) => {
  const source = `
    import * as simulator from '${base}simulator.js';
    import * as sim from '${base}deeper.js';
    onmessage = async () => {
      await simulator.default();
      await sim.default();
      const gz = await fetch('${base}www/data/digits.bin.gz');
      const digits = sim.loadDigits(new Uint8Array(await new Response(gz.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()));
      const t = new sim.Trainer({ dataset: 'digits', optimizer: '${optimizer}', lr: 0.001 }, digits);
      t.train(100);
      let steps = 0;
      const start = performance.now();
      while (performance.now() - start < ${seconds * 1000}) { t.train(50); steps += 50; }
      postMessage({ rate: steps / ((performance.now() - start) / 1000), accuracy: t.progress().testAccuracy });
    };`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
  const answer = new Promise((resolve) => { worker.onmessage = (e) => resolve(e.data); });
  worker.postMessage(null);
  const out = await answer;
  worker.terminate();
  return out;
}, [server.url, optimizer, seconds]);

const script = fileURLToPath(new URL('./numpy_train.py', import.meta.url));
console.log('Training steps per second on the digits: 64 → 20 ReLU layers of 16 → 10, batch 32, lr 0.001');
console.log('| optimizer | NumPy | WebAssembly in a Chromium worker |');
console.log('|---|---|---|');
for (const optimizer of ['sgd', 'adam']) {
  const wasm = await browserRate(optimizer);
  const numpy = JSON.parse(execFileSync('python3', [script, String(seconds), 'digits', optimizer], { encoding: 'utf8' }));
  console.log(`| ${optimizer === 'sgd' ? 'momentum SGD' : 'Adam'} | ${numpy.steps_per_second.toFixed(0)} (NumPy ${numpy.numpy}) | ${wasm.rate.toFixed(0)} (${(wasm.rate / numpy.steps_per_second).toFixed(1)}× NumPy) |`);
}
await browser.close();
server.close?.();
process.exit(0);
