// The digits in the module: loaded on demand from the repo's file, trained with SGD and Adam, and
// bad bytes or arguments refused with an Error that says what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Trainer, loadDigits } from './load.mjs';

const file = fileURLToPath(new URL('../../www/data/digits.bin.gz', import.meta.url));

let digits;

test('the digits must be loaded first and given to the trainer, and only real digits bytes load', () => {
  assert.throws(() => new Trainer({ dataset: 'digits' }), /config\.dataset.*loadDigits/);
  assert.throws(() => loadDigits('DG01'), /bytes must be a Uint8Array/);
  assert.throws(() => loadDigits(new Uint8Array([1, 2, 3])), /DG01/);
  digits = loadDigits(new Uint8Array(gunzipSync(readFileSync(file))));
  // Loading gives a value; it changes nothing else: without it the digits are still refused.
  assert.throws(() => new Trainer({ dataset: 'digits' }), /config\.dataset.*loadDigits/);
  assert.throws(() => new Trainer({ dataset: 'digits' }, { digits }), /Trainer: digits must be the digits loadDigits\(bytes\) returned/);
  const other = loadDigits(new Uint8Array(gunzipSync(readFileSync(file))));
  other.free();
  other.free();
  assert.throws(() => new Trainer({ dataset: 'digits' }, other), /Trainer: digits: these digits were freed/);
});

test('a run on the digits reports test accuracy, predictions and the test images', () => {
  for (const optimizer of ['sgd', 'adam']) {
    const t = new Trainer({ dataset: 'digits', optimizer, lr: optimizer === 'adam' ? 0.001 : 0.003 }, digits);
    const before = t.progress();
    // Untrained, the 10 outputs of He's network are a guess: near 1 in 10.
    assert.ok(before.testAccuracy < 0.3, `${optimizer}: ${before.testAccuracy}`);
    for (let i = 0; i < 5; i++) t.train(200);
    const after = t.progress();
    assert.equal(after.step, 1000);
    assert.ok(after.testAccuracy > before.testAccuracy + 0.3, `${optimizer}: ${before.testAccuracy} → ${after.testAccuracy}`);
    const predictions = t.predictions(24);
    assert.equal(predictions.length, 24);
    assert.ok(predictions.every((c) => Number.isInteger(c) && c >= 0 && c <= 9));
    const images = t.testPoints(2);
    assert.equal(images.features, 64, '8 × 8 pixels');
    assert.equal(images.labels.length, 2);
    assert.ok(images.labels.every((c) => Number.isInteger(c) && c >= 0 && c <= 9));
    assert.equal(images.inputs.length, 2 * 64);
    assert.ok(images.inputs.every((v) => v >= 0 && v <= 1), 'pixels scaled to 0–1');
    assert.ok(images.inputs.some((v) => v > 0.5), 'some dark pixels');
    assert.deepEqual([...t.boundary(20)], [], 'no plane to draw for 64 inputs');
    assert.throws(() => t.predictions(-1), /Trainer\.predictions: count must be a whole number from 0 to 1000 \(got -1\)/);
    assert.throws(() => t.testPoints(1e9), /Trainer\.testPoints: count/);
    t.free();
  }
});
