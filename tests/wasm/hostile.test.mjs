// The boundary as a hostile caller meets it: values whose reading throws, objects that are not
// plain, inherited properties, quiet coercions, use after free. Each kind is tried 100,000 times;
// every call must throw an Error that names the field, and afterwards the module must give the
// same numbers as before, with no more memory than before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, weights, Trainer, exports, deeperExports, loadDigits, SimulationRun, mergeParts, isometry } from './load.mjs';

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

// The second pass: the edges a careless host page or an attacker meets through the built API.
const SECOND = 10_000;
const modules = [exports, deeperExports];
/** Memory and externref table sizes of both modules, to compare before and after. */
const footprint = () => modules.map((m) => [m.memory.buffer.byteLength, m.__wbindgen_externrefs.length]);

function revokedArray() {
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  return proxy;
}

function detachedBytes() {
  const a = new Uint8Array(8);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

// One array for every call: making a new one takes JavaScript about 70 ms, the refusal 0.08 ms.
const HOLES = new Array(1e7);

class Claims extends Uint8Array {
  get length() { return 2 ** 28; }
}

const SECOND_KINDS = [
  // loadDigits reads its bytes on the JavaScript side, with the typed arrays' own getters.
  ['a Proxy whose length says 2³¹, as digits', () => loadDigits(new Proxy(new Uint8Array(8), { get: (t, k) => (k === 'length' ? 2 ** 31 : t[k]) })), /^loadDigits: bytes must be a Uint8Array \(got an object that is not a Uint8Array\)/],
  ['a Proxy whose index getter throws, as digits', () => loadDigits(new Proxy(new Uint8Array(8), { get() { throw 1; } })), /^loadDigits: bytes must be a Uint8Array/],
  ['a detached Uint8Array, as digits', () => loadDigits(detachedBytes()), /^the digits data do not start with DG01/],
  ['a Uint8Array subclass whose length says 2²⁸, as digits', () => loadDigits(new Claims(6)), /^the digits data do not start with DG01/],
  ['a plain array, as digits', () => loadDigits([68, 71, 48, 49]), /^loadDigits: bytes must be a Uint8Array \(got an object that is not a Uint8Array\)/],
  // Options are read as plain data, without running a getter.
  ['a getter as parts', () => new SimulationRun({}, { get parts() { throw 1; } }), /^split\.parts must be a plain value \(got a getter\)/],
  ['null as a split', () => new SimulationRun({}, null), /^split must be an object with 'part', 'parts' or 'cores' \(got null\)/],
  ['a revoked Proxy as a split', () => new SimulationRun({}, revoked()), /^split must be an object .*throws when read/],
  ['a getter as from', () => { const r = new SimulationRun({ activation: 'tanh', input: { samples: 4, features: 3 } }, { part: 0, parts: 2 }); try { return r.partValues({ get from() { throw 'x'; } }); } finally { r.free(); } }, /^range\.from must be a plain value \(got a getter\)/],
  ['a Proxy whose get trap throws, as parts', () => mergeParts({}, new Proxy([], { get() { throw 2; } })), /^parts must be an array of 1 to 8 Float64Array.*throws when read/],
  ['a revoked Proxy, as parts', () => mergeParts({}, revokedArray()), /^parts must be an array of 1 to 8 Float64Array/],
  // weights names the argument that is wrong.
  ['a number as the config, a layer past 2⁵³', () => weights(0, 2 ** 53), /^config must be an object .*\(got 0\)/],
  ['ten million holes as the input', () => weights({ input: HOLES }, 1), /^config\.input must be .*\(got an array of 10000000 items, more than one call may carry\)/],
  ['a layer past 2⁵³', () => weights({}, 2 ** 53), /^layer must be a whole number from 1 to 1000 \(got 9007199254740992\)/],
];

test(`second pass: every kind ${SECOND.toLocaleString('en')} times, an Error naming the argument, and neither module's memory nor externref table grew`, () => {
  assert.throws(() => loadDigits(new Uint8Array(6)), /DG01/); // the first copy of bytes, so that the memory it takes is there before
  const before = fingerprint();
  const sizes = footprint();
  for (const [what, call, pattern] of SECOND_KINDS) {
    let message = '';
    for (let i = 0; i < SECOND; i++) {
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
  assert.deepEqual(footprint(), sizes, 'no memory or externref slot grew');
});

test('a hole is never read through a polluted prototype, and a changed built-in stops the call before WebAssembly', () => {
  Array.prototype[1] = 5; // eslint-disable-line no-extend-native
  try {
    throwsError(() => simulate({ input: [1, , 3] }), /^config\.input\[1\] must be a number \(got an empty slot \(a hole in the array\)\)/); // eslint-disable-line no-sparse-arrays
  } finally {
    delete Array.prototype[1];
  }
  const before = fingerprint();
  const sizes = footprint();
  const tamper = (proto, name, descriptor) => {
    const was = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, { configurable: true, ...descriptor });
    return () => (was ? Object.defineProperty(proto, name, was) : delete proto[name]);
  };
  const TypedArray = Object.getPrototypeOf(Uint8Array.prototype);
  const cases = [
    [() => tamper(Float64Array.prototype, 'length', { get() { return 1e9; } }), /^the simulator will not run: Float64Array\.prototype was changed/],
    [() => tamper(TypedArray, 'length', { get() { return 1e9; } }), /^the simulator will not run: the built-in length was changed/],
    [() => tamper(TypedArray, 'set', { value() { throw 1; } }), /^the simulator will not run: the built-in set was changed/],
    [() => tamper(globalThis, 'Float64Array', { value: Array, writable: true }), /^the simulator will not run: the built-in Float64Array was changed/],
  ];
  for (const [change, pattern] of cases) {
    for (let i = 0; i < 1000; i++) {
      const restore = change();
      try {
        throwsError(() => simulate({ input: new Float64Array([1, 2]) }), pattern);
        throwsError(() => weights({}, 1), pattern);
        throwsError(() => new Trainer({}), pattern);
      } finally {
        restore();
      }
    }
  }
  assert.deepEqual(fingerprint(), before, 'the same numbers once the built-ins are back');
  assert.deepEqual(footprint(), sizes);
  assert.equal(simulate({ input: new Float64Array([1, 2]) }).features, 2);
});

test('a run gives its result again, and a dead network\'s Jacobian spread is finite', () => {
  const r = new SimulationRun({ sigma: 0.3, seed: 4 });
  const first = r.result();
  assert.deepEqual(r.result(), first);
  assert.ok(first.layers.length === 8 && first.samples === 1);
  r.free();
  const dead = isometry({ activation: 'relu', weights: 'gaussian', width: 2, seed: 12047746 });
  assert.ok(Array.from(dead.singularValues).every((s) => s === 0));
  assert.ok(Array.from(dead.spread).every((s) => s >= 0 && s <= 1), String(dead.spread));
});
