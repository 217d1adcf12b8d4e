// The wasm build gives the native build's numbers bit for bit (fixture written by tests/determinism.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { simulate } from './load.mjs';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/determinism.json', import.meta.url)));

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
