// The Trainer class as JavaScript sees it: config errors name the field, training lowers the loss,
// and a diverging run is reported, not a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trainer } from './load.mjs';

test('He on the moons: the loss falls and the accuracy rises', () => {
  const t = new Trainer({ dataset: 'moons', scheme: 'he-normal', layers: 8 });
  const start = t.progress();
  t.train(600);
  const end = t.progress();
  assert.equal(end.step, 600);
  assert.ok(end.loss < start.loss / 2, `${start.loss} → ${end.loss}`);
  assert.ok(end.accuracy > 0.9, `${end.accuracy}`);
  const b = t.boundary(16);
  assert.equal(b.length, 256);
  assert.equal(t.points().length, 400 * 3);
  t.free();
});

test('a too-large start diverges and says so', () => {
  const t = new Trainer({ scheme: 'normal', sigma: 1 });
  t.train(5);
  assert.equal(t.progress().diverged, true);
  t.free();
});

test('bad configs and step counts throw Errors that name the field', () => {
  for (const [config, pattern] of [
    [{ layers: 100 }, /^config\.layers must be a whole number from 1 to 40/],
    [{ lr: -1 }, /^config\.lr/],
    [{ dataset: 'xor' }, /^config\.dataset must be one of "spiral", "moons", "circles"/],
    [{ nope: 1 }, /^config\.nope is not a known field/],
    ['x', /^config must be an object/],
  ]) {
    assert.throws(() => new Trainer(config), (e) => e instanceof Error && pattern.test(e.message));
  }
  const t = new Trainer({ layers: 2 });
  assert.throws(() => t.train(1.5), /steps must be a whole number/);
  assert.throws(() => t.train(1e9), /steps must be a whole number/);
  for (const quiet of ['2', [3], true, null, undefined, 2.5, -1]) {
    assert.throws(() => t.train(quiet), (e) => e instanceof Error && /^steps must be a whole number from 0 to 100000/.test(e.message), String(quiet));
  }
  for (const res of [-1, NaN, 1, 101, '20', [20]]) {
    assert.throws(() => t.boundary(res), (e) => e instanceof Error && /^res must be a whole number from 2 to 100/.test(e.message), String(res));
  }
  t.train(1);
  assert.equal(t.progress().step, 1);
  t.free();
});

test('a large network is held to a call that stays bounded: steps and grid limits scale with its size', () => {
  const t = new Trainer({ layers: 40, width: 64, batch: 512, points: 5000 });
  assert.throws(() => t.train(100000), (e) => /^steps must be at most \d+ for this network/.test(e.message));
  assert.throws(() => t.boundary(100), (e) => /^res must be at most \d+ for this network/.test(e.message));
  t.train(1);
  assert.equal(t.progress().step, 1);
  t.free();
});
