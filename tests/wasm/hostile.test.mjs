// The boundary as a hostile caller meets it: values whose reading throws, objects that are not
// plain, inherited properties, quiet coercions, use after free. Each kind is tried 100,000 times;
// every call must throw an Error that names the field, and afterwards the module must give the
// same numbers as before, with no more memory than before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, weights, Trainer, exports } from './load.mjs';

/** Asserts that `call` throws an Error whose message matches `pattern`. */
function throwsError(call, pattern) {
  assert.throws(call, (e) => e instanceof Error && pattern.test(e.message));
}

const ROUNDS = 100_000;

function detached() {
  const a = new Float64Array(4);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

class Point { constructor() { this.sigma = 1; } }

// [what, call, the message it must throw]
const KINDS = [
  ['a getter that throws', () => simulate({ get sigma() { throw 42; } }), /^config\.sigma must be a finite number .*\(got a property that throws when read\)/],
  ['a Proxy whose get trap throws', () => simulate(new Proxy({ sigma: 1 }, { get() { throw 'idx'; } })), /^config\.sigma .*throws when read/],
  ['a Proxy whose ownKeys trap throws', () => simulate(new Proxy({}, { ownKeys() { throw new Error('x'); } })), /^config must be an object .*got a value that throws when read/],
  ['a revoked Proxy', () => simulate(revoked()), /^config must be an object .*throws when read/],
  ['a revoked Proxy as input', () => simulate({ input: revoked() }), /^config\.input must be .*throws when read/],
  ['a detached buffer', () => simulate({ input: detached() }), /^config\.input must hold 1 to 4096 numbers \(got 0 items\)/],
  ['a BigInt64Array as input', () => simulate({ input: new BigInt64Array(1) }), /^config\.input must be .*BigInt64Array/],
  ['a BigInt64Array as sigma', () => simulate({ sigma: new BigUint64Array(1) }), /^config\.sigma must be a finite number .*BigUint64Array/],
  ['a bigint', () => simulate({ layers: 2n }), /^config\.layers must be a whole number from 1 to 1000 \(got a bigint\)/],
  ['a symbol', () => simulate({ scheme: Symbol('he') }), /^config\.scheme must be one of .*\(got a symbol\)/],
  ['a Map', () => simulate(new Map([['sigma', 1]])), /^config must be an object such as .*\(got a Map\)/],
  ['a class instance', () => simulate(new Point()), /^config must be an object .*\(got an instance of Point\)/],
  ['an inherited property', () => simulate(Object.create({ layers: 2 })), /^config must be an object .*an instance of Object|^config\.layers .*inherited/],
  ['a string as a count', () => simulate({ layers: '2' }), /^config\.layers must be a whole number .*the string "2"/],
  ['an array as a count', () => simulate({ layers: [3] }), /^config\.layers must be a whole number .*an array of 1 numbers/],
  ['true as a count', () => simulate({ width: true }), /^config\.width must be a whole number .*\(got true\)/],
  ['a symbol as a layer', () => weights({}, Symbol()), /^layer must be a whole number from 1 to 1000 \(got a symbol\)/],
  ['a valueOf that throws as a layer', () => weights({}, { valueOf() { throw 1; } }), /^layer must be a whole number .*\(got an object\)/],
  ['a getter that throws, to weights', () => weights({ get width() { throw 1; } }, 1), /^config\.width .*throws when read/],
];

function fingerprint() {
  const r = simulate({ sigma: 0.5, input: { samples: 4, features: 10 }, seed: 9 });
  return r.layers.map((l) => [l.preVariance, l.gradVariance, l.histogram.counts.join()]);
}

test(`every hostile kind, ${ROUNDS.toLocaleString('en')} times each: an Error naming the field, and the module unharmed`, () => {
  const before = fingerprint();
  const bytes = exports.memory.buffer.byteLength;
  for (const [what, call, pattern] of KINDS) {
    let message = '';
    for (let i = 0; i < ROUNDS; i++) {
      try {
        call();
        assert.fail(`${what}: did not throw`);
      } catch (e) {
        if (!(e instanceof Error)) assert.fail(`${what}: threw ${typeof e} ${String(e)}, not an Error`);
        message = e.message;
      }
    }
    assert.match(message, pattern, what);
  }
  assert.deepEqual(fingerprint(), before, 'the same numbers after every hostile call');
  assert.equal(exports.memory.buffer.byteLength, bytes, 'no memory grew');
});

test('inherited properties are refused, even when the prototype is polluted', () => {
  Object.prototype.layers = 2; // eslint-disable-line no-extend-native
  try {
    throwsError(() => simulate({}), /^config\.layers .*inherited property/);
  } finally {
    delete Object.prototype.layers;
  }
  assert.equal(simulate({}).layers.length, 8);
});

test(`use after free is an Error, never a trap: valueOf, getters, ${ROUNDS.toLocaleString('en')} calls on a freed trainer`, () => {
  const t = new Trainer({ layers: 2 });
  throwsError(() => t.train({ valueOf() { t.free(); return 1; } }), /^steps must be a whole number .*\(got an object\)/);
  t.train(1);
  const u = new Trainer({ layers: 2 });
  u.free();
  for (let i = 0; i < ROUNDS; i++) {
    throwsError(() => u.train(1), /^Trainer\.train: this trainer was freed/);
    throwsError(() => u.boundary(10), /^Trainer\.boundary: this trainer was freed/);
  }
  const v = new Trainer({ layers: 2 });
  // A getter reached while reading the argument frees the trainer: the call finds it freed.
  throwsError(() => v.boundary([{ get x() { v.free(); return 1; } }]), /^Trainer\.boundary: this trainer was freed/);
  throwsError(() => v.progress(), /^Trainer\.progress: this trainer was freed/);
  u.free();
  t.free();
  assert.equal(simulate().layers.length, 8);
});
