// The wasm build gives the native build's numbers bit for bit (fixture written by tests/determinism.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { simulate, weights, Trainer } from './load.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/determinism.json', import.meta.url)));
const more = JSON.parse(readFileSync(new URL('../fixtures/determinism-more.json', import.meta.url)));

function bits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function flatten(value, path, out) {
  if (value === null) out[path] = 'null';
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, `${path}.${k}`, out);
  else if (typeof value === 'number') out[path] = bits(value);
  else throw new Error(`unexpected ${typeof value} at ${path}`);
  return out;
}

for (const { config, bits: expected } of fixture) {
  test(`bit-identical to native: ${JSON.stringify(config)}`, () => {
    const got = flatten(simulate(config), '', {});
    assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort(), 'same fields');
    for (const [path, want] of Object.entries(expected)) {
      assert.equal(got[path], want, `${path}`);
    }
  });
}

const hex = (xs) => Array.from(xs, bits);

for (const { config, layer, bits: expected } of more.weights) {
  test(`weights() bit-identical to native: ${JSON.stringify(config)}, layer ${layer}`, () => {
    assert.deepEqual(hex(weights(config, layer)), expected);
  });
}

for (const { config, steps, res, progress, boundary } of more.trainers) {
  test(`Trainer bit-identical to native: ${JSON.stringify(config)}`, () => {
    const t = new Trainer(config);
    t.train(steps);
    const p = t.progress();
    assert.deepEqual(hex([p.step, p.loss, p.accuracy]), progress);
    assert.deepEqual(hex(t.boundary(res)), boundary);
    t.free();
  });
}
