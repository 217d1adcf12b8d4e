// SimulationRun as the page's workers use it: a simulation a layer at a time, or one part of its
// batch merged with the others, gives simulate's numbers bit for bit; its progress grows to 1; a
// run dropped halfway leaves the module as it was; and bad arguments get an Error that names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, SimulationRun, splitPlan, mergeParts, joinResults, exports } from './load.mjs';

const BIG = { layers: 100, width: 512, input: { samples: 32, features: 512 }, scheme: 'normal', activation: 'tanh', sigma: 0.05 };
const configs = [
  { scheme: 'normal', activation: 'tanh', sigma: 0.3, layers: 9, width: 40, input: { samples: 7, features: 25 } },
  { scheme: 'he-uniform', activation: 'relu', layers: 6, width: 33, trace: true, input: { samples: 5, features: 12 }, seed: 4 },
  { scheme: 'orthogonal', activation: 'sigmoid', gain: 1.5, bias: 0.1, layers: 5, width: 20, input: { samples: 4, features: 20 } },
  { scheme: 'pytorch-default', activation: 'leaky-relu', layers: 7, width: 17, input: [[1, 2, 3], [-1, 0.5, 2], [0, 0, 1]] },
];

// Exactly the same numbers: JSON keeps every bit of a finite double.
const same = (a, b, what) => assert.equal(JSON.stringify(a), JSON.stringify(b), what);

test('a layer at a time gives simulate\'s result, and its progress grows to 1', () => {
  for (const config of configs) {
    const run = new SimulationRun(config);
    const progress = [run.progress];
    let steps = 0;
    while (!run.step()) {
      steps++;
      progress.push(run.progress);
    }
    assert.equal(steps + 1, 2 * config.layers, 'one step per layer forward and backward');
    assert.ok(progress.every((p, i) => i === 0 || p > progress[i - 1]), `progress grows: ${progress}`);
    assert.equal(run.progress, 1);
    same(run.result(), simulate(config), JSON.stringify(config));
    run.free();
    run.free();
    assert.throws(() => run.step(), /^Error: SimulationRun\.step: this simulation was freed/);
  }
});

test('two or three parts merged are the whole batch, bit for bit', () => {
  for (const config of configs) {
    const whole = simulate(config);
    for (const parts of [2, 3]) {
      const values = [];
      for (let part = 0; part < parts; part++) {
        const run = new SimulationRun(config, { part, parts });
        values.push(run.partValues());
        run.free();
      }
      same(mergeParts(config, values), whole, `${parts} parts of ${JSON.stringify(config)}`);
      // The page's way: each part keeps its values in WebAssembly, takes the others', and measures
      // its share of the layers; the shares joined are the whole result.
      const pieces = [];
      for (let part = 0; part < parts; part++) {
        const run = new SimulationRun(config, { part, parts });
        const others = values.filter((_, k) => k !== part);
        if (part === 0) same(run.mergeWith(others), whole, `mergeWith, ${parts} parts`);
        const share = run.plan.shares[part];
        assert.deepEqual(share, { from: Math.floor((part * config.layers) / parts), to: Math.floor(((part + 1) * config.layers) / parts) });
        pieces.push(run.mergeWith(others, share));
        run.free();
      }
      same(joinResults(pieces), whole, `${parts} shares of the layers joined`);
      // And sent only the values of the layers the others' shares measure (the worker's way).
      const runs = Array.from({ length: parts }, (_, part) => new SimulationRun(config, { part, parts }));
      const sent = runs.map((run) => run.sendValues());
      if (parts === 2) assert.ok(sent.every((v, part) => v.length < values[part].length), 'fewer values than the whole part');
      const joined = joinResults(runs.map((run, part) => run.mergeShare(sent.filter((_, k) => k !== part))));
      runs.forEach((run) => run.free());
      same(joined, whole, `${parts} shares measured with what the plan sends`);
    }
  }
});

test('the explorer\'s largest network splits in two; small ones, LSUV and rescaled ReLU do not', () => {
  const half = Math.floor(BIG.layers / 2);
  assert.deepEqual(splitPlan(BIG, 2), {
    parts: 2,
    shares: [{ from: 0, to: half }, { from: half, to: BIG.layers }],
    sends: [{ from: half, to: BIG.layers }, { from: 0, to: half }],
  });
  const run = new SimulationRun(BIG, { cores: 2 });
  assert.deepEqual(run.plan, splitPlan(BIG, 2), 'a run planned for two cores is part 0 of the same plan');
  assert.equal(run.part, 0);
  assert.equal(run.whole, false);
  run.free();
  assert.equal(splitPlan(BIG, 1).parts, 1, 'one core: no second worker');
  assert.deepEqual(splitPlan(BIG, 1).shares, [{ from: 0, to: BIG.layers }]);
  assert.equal(splitPlan({ ...BIG, scheme: 'lsuv' }, 2).parts, 1);
  assert.equal(splitPlan({ ...BIG, activation: 'relu' }, 2).parts, 1, 'normal ReLU moves with σ by scaling');
  assert.equal(splitPlan({ ...BIG, layers: 20, width: 64, input: { samples: 32, features: 64 } }, 2).parts, 1);
  const small = new SimulationRun({ ...BIG, layers: 20, width: 64, input: { samples: 32, features: 64 } }, { cores: 2 });
  assert.equal(small.whole, true, 'a small network planned for two cores runs whole');
  small.free();
  assert.throws(() => splitPlan({ ...BIG, layers: 0 }, 2), /^Error: config\.layers must be/);
});

test('a run dropped halfway, then the same config again: the same numbers as a fresh call', () => {
  const config = { ...BIG, layers: 30, width: 256, input: { samples: 32, features: 256 } };
  const fresh = simulate(config);
  const run = new SimulationRun({ ...config, sigma: 0.08 }, { part: 1, parts: 2 });
  for (let i = 0; i < 17; i++) run.step();
  run.free();
  same(simulate(config), fresh);
});

test('bad arguments: an Error that names them, and the module unharmed', () => {
  const config = configs[0];
  const before = JSON.stringify(simulate(config));
  const bytes = exports.memory.buffer.byteLength;
  const cases = [
    [() => new SimulationRun(config, { parts: 0 }), /^parts must be a whole number from 1 to 8 \(got 0\)/],
    [() => new SimulationRun(config, { cores: 0 }), /^cores must be a whole number from 1 to 64 \(got 0\)/],
    [() => new SimulationRun(config, { cores: '2' }), /^cores must be a whole number from 1 to 64 \(got a string\)/],
    [() => new SimulationRun(config, { cores: 2, parts: 2 }), /^split takes either \{ cores \} or \{ part, parts \}, not both/],
    [() => new SimulationRun(config).mergeShare([]), /this simulation is whole: take its result with result\(\)|parts must be an array/],
    [() => new SimulationRun(config, { parts: 2.5 }), /^parts must be a whole number from 1 to 8 \(got 2\.5\)/],
    [() => new SimulationRun(config, { part: 2, parts: 2 }), /^part must be a whole number from 0 to 1 \(got 2\)/],
    [() => new SimulationRun(config, { part: '1', parts: 2 }), /^part must be a whole number .*\(got a string\)/],
    [() => new SimulationRun(config, { parts: 8 }), /^parts must be 1 for this config \(got 8\): a batch splits into at most as many parts as it has samples/],
    [() => new SimulationRun({ ...config, scheme: 'lsuv' }, { parts: 2 }), /^parts must be 1 for this config .*LSUV/],
    [() => new SimulationRun({ ...config, width: -1 }), /^config\.width must be a whole number/],
    [() => mergeParts(config, 'x'), /^parts must be an array of 1 to 8 Float64Array.*\(got a string\)/],
    [() => mergeParts(config, [new Float64Array(5)]), /^parts must each be one of this config's parts/],
    [() => mergeParts(config, []), /^parts must be an array of 1 to 8 Float64Array.*\(got 0 parts\)/],
    [() => {
      const r = new SimulationRun(config, { part: 0, parts: 2 });
      try { return r.mergeWith([], { from: 3, to: 3 }); } finally { r.free(); }
    }, /^parts must be an array of 1 to 8 Float64Array.*\(got 0 parts\)/],
    [() => {
      const r = new SimulationRun(config, { part: 1, parts: 2 });
      try { return mergeParts(config, [r.partValues()]); } finally { r.free(); }
    }, /^parts must cover the batch in order/],
    [() => {
      const r = new SimulationRun(config);
      try { return r.partValues(); } finally { r.free(); }
    }, /this simulation is whole: take its result with result\(\)/],
    [() => {
      const r = new SimulationRun(config, { part: 1, parts: 2 });
      try { return r.result(); } finally { r.free(); }
    }, /this simulation is a part: take its values with partValues\(\)/],
  ];
  for (const [call, pattern] of cases) {
    assert.throws(call, (e) => e instanceof Error && pattern.test(e.message), String(pattern));
  }
  assert.equal(JSON.stringify(simulate(config)), before, 'the same numbers after');
  assert.equal(exports.memory.buffer.byteLength, bytes, 'no memory grew');
});
