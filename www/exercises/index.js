// The article's exercises: each asks about one figure, and the simulator holds its answer key.
// An exercise is a plain description:
//
//   id, figure, kind       its name (`figure/id` in links and in answer messages), its figure, and
//                          one of 'choose', 'estimate', 'sketch', 'find'
//   question(state)        the question for the figure's state (the page's text at the defaults,
//                          checked by tests/wasm/exercises.test.mjs), and `hint(state)`
//   setup(state)           values the exercise sets on the figure when it starts (a prediction
//                          about a setting the figure is not showing yet)
//   conceal                the figure's pictures are hidden until the reader commits an answer
//   key(sim, state, def)   the answer, computed in a worker by the simulator (`sim`: simulator.js,
//                          or deeper.js when the exercise's (or its figure's) `module` is
//                          'deeper'; `def`, the figure) from the figure's state when the
//                          reader commits; a plain object with `answer` and whatever `explain` needs
//   options(state)         choose: [[value, label], …]; the key's `answer` is one of the values
//   tolerance              estimate: how far off an answer may be, `{ factor }` (a ratio) or
//                          `{ plus }` (a difference), stated after answering
//   canvas, series(key)    sketch: the canvas the reader draws on and, in the key, `values`, the
//                          per-layer curve to draw; `bounds`, values the axes must reach while
//                          the reader sketches (so that they do not give the answer away);
//                          `tolerance.decades`, the mean distance allowed on the log axis
//   holds(data, state)     find: whether the figure's numbers (its `compute`, from the worker)
//                          meet the condition, `{ ok, text }`; the key's `answer` is a setting
//                          that meets it (what "Show me" sets); `moves`, the controls the
//                          reader moves to get there
//   explain(key, state)    the answer in a sentence, for the reveal (the page's reasoning follows
//                          it); the page prints it at the defaults (`data-explain`, checked)
//   see                    the id of the passage that explains it
import { fmt, pow10, SAMPLES } from '../format.js';

const he64 = Math.sqrt(2 / 64);
/** log₁₀ of `x`, snapped to a slider's grid `min + k·step`. */
const snap = (x, min, step) => Number((min + Math.round((x - min) / step) * step).toFixed(10));
/** The option whose value (a number) is nearest to `x`. */
const nearest = (options, x) => options.reduce((a, b) => (Math.abs(b[1] - x) < Math.abs(a[1] - x) ? b : a))[0];
const within = (ratio, factor) => ratio >= 1 / factor && ratio <= factor;

export const EXERCISES = [
  {
    id: 'level', figure: 'intro', kind: 'find', moves: ['ratio'], see: 'he',
    question: () => 'Move σ until the average signal (dashed) at layer 50 is within a factor of 10 of its value at layer 1.',
    hint: () => 'Each layer multiplies the average variance by the same factor, σ²·64/2, so 49 layers multiply it by that factor to the 49th power. Which σ makes the factor 1?',
    holds: ({ expected }) => {
      const ratio = expected[expected.length - 1] / expected[0];
      return { ok: within(ratio, 10), text: `layer 50 holds ${fmt(ratio)} × layer 1’s variance` };
    },
    key: () => ({ answer: { ratio: 0 } }),
    explain: (key, state) => `σ = ${fmt(he64 * pow10(state.ratio))}: at He’s σ = √(2/64) = ${fmt(he64)} each layer multiplies the variance by σ²·64/2 = 1.`,
  },
  {
    id: 'gradient', figure: 'hiking', kind: 'choose', see: 'bad',
    question: () => `A ReLU network 20 layers deep and 64 wide starts with σ = 0.1, below He’s ${fmt(he64)}. Compared with the variance of the gradient at layer 20, the variance of the gradient that reaches layer 1 is, on average:`,
    hint: () => 'Going back through a layer multiplies the gradient’s variance by σ²·64/2, as going forward does the signal’s. How many layers lie between 20 and 1?',
    options: () => [['larger', 'about a billion times larger'], ['same', 'about as large'], ['thousand', 'about a thousand times smaller'], ['billion', 'about a billion times smaller']],
    key(sim) {
      const r = sim.simulate({ scheme: 'normal', sigma: 0.1, layers: 20, width: 64, input: { samples: SAMPLES, features: 64 }, bins: 1 });
      const ratio = r.theory[0].gradVariance / r.theory[19].gradVariance;
      const answer = nearest([['larger', 9], ['same', 0], ['thousand', -3], ['billion', -9]], Math.log10(ratio));
      return { answer, ratio, factor: 0.01 * 64 / 2 };
    },
    explain: (key) => `On average the gradient’s variance at layer 1 is ${fmt(key.ratio)} times the one at layer 20 (its size, the square root, ${fmt(Math.sqrt(key.ratio))} times): each of the 19 layers between them multiplies the variance by σ²·64/2 = ${fmt(key.factor)}.`,
  },
  {
    id: 'rows', figure: 'symmetry', kind: 'choose', see: 'random',
    question: () => 'In the left network every weight is the same. At any layer, and for any input, how many different values do the layer’s 10 neurons output?',
    hint: () => 'Write down what two neurons of the first layer compute: the same weights times the same input.',
    options: () => [['one', 'one: they all output the same value'], ['two', 'two at most'], ['ten', 'up to ten: one per neuron']],
    key(sim, state, def) {
      const { a } = def.networks(state);
      const r = sim.simulate(a);
      const gap = Math.max(...r.layers.map((l) => l.neuronSpread));
      return { answer: gap === 0 ? 'one' : 'ten', gap };
    },
    explain: (key) => `One: the largest difference between two neurons of a layer is ${fmt(key.gap)}, at every layer. Identical weights give identical sums, identical outputs and, in training, identical updates.`,
  },
  {
    id: 'factor', figure: 'experiment', kind: 'estimate', see: 'experiment',
    tolerance: { factor: 1.25 },
    question: () => 'The experiment has no panel for σ = 0.2. By what factor would the average Var(Z) be multiplied at each layer with σ = 0.2?',
    hint: () => 'Read the factors in the panels’ titles for σ = 0.1 and σ = 0.5: how does the factor grow with σ? Each layer sums 10 weighted inputs, and ReLU keeps half of the second moment.',
    key(sim) {
      const r = sim.simulate({ sigma: 0.2, seed: 0, bins: 1 });
      return { answer: r.theory[2].preVariance / r.theory[1].preVariance };
    },
    explain: (key) => `× ${fmt(key.answer)} per layer: the factor is σ² × 10 × ½, which grows with the square of σ, so σ = 0.2 gives 0.04 × 5. After the first layer the variance falls ${fmt(1 / key.answer ** 7)}-fold over the next seven.`,
  },
  {
    id: 'xavier-relu', figure: 'explorer', kind: 'estimate', conceal: true, see: 'xavier',
    tolerance: { factor: 2 },
    setup: () => ({ scheme: 'xavier-normal', activation: 'relu' }),
    question: (s) => `Before you look: with Xavier normal weights and ReLU, ${s.layers} layers of ${s.width}, what is the average Var(Z) at layer ${s.layers}? (The input’s variance is 1.)`,
    hint: () => 'Xavier sets Var(W) = 2/(fan_in + fan_out) = 1/n when the layers are equally wide, so the first layer keeps the variance; after that, ReLU halves it at every layer.',
    key(sim, state, def) {
      const config = { ...def.config({ ...state, scheme: 'xavier-normal', activation: 'relu' }), bins: 1 };
      const r = sim.simulate(config);
      return { answer: r.theory[state.layers - 1].preVariance, first: r.theory[0].preVariance };
    },
    explain: (key, s) => `${fmt(key.answer)}: the first layer keeps the input’s variance (${fmt(key.first)} for these 32 samples), and each of the next ${s.layers - 1} halves it: ${fmt(key.first)} × ½^${s.layers - 1}.`,
  },
  {
    id: 'gradient-level', figure: 'explorer', kind: 'find', moves: ['scheme', 'activation', 'sigma'], see: 'he',
    question: () => 'With the scheme set to “normal” (a fixed σ) and ReLU, move σ until the gradient stays level: its dashed theory line changes by less than 15 % a layer.',
    hint: () => 'The gradient’s variance is multiplied by σ²·n/2 at each layer on the way back: which σ makes that 1 at this width?',
    holds: ({ config, r }) => {
      const g = r.theory;
      if (config.scheme !== 'normal' || config.activation !== 'relu' || !g) return { ok: false, text: 'set the scheme to normal and the activation to ReLU' };
      const per = (g[0].gradVariance / g[g.length - 1].gradVariance) ** (1 / Math.max(1, g.length - 1));
      return { ok: g.length === 1 || within(per, 1.15), text: `the gradient changes by × ${fmt(per)} a layer` };
    },
    key: (sim, s) => ({ answer: { scheme: 'normal', activation: 'relu', sigma: snap(Math.log10(Math.sqrt(2 / s.width)), -5, 0.05) } }),
    explain: (key, s) => `σ = ${fmt(pow10(s.sigma))}, next to He’s √(2/${s.width}) = ${fmt(Math.sqrt(2 / s.width))}: the gradient’s variance is multiplied by σ²·${s.width}/2 at each layer on its way back.`,
  },
  {
    id: 'factor', figure: 'xavier', kind: 'choose', see: 'xavier',
    question: (s) => `In the right-hand chart, a ReLU network ${Math.min(s.width, 128)} wide with Xavier weights: by what factor is Var(Z) multiplied from one layer to the next, and why is it the same at every layer?`,
    hint: () => 'Xavier’s Var(W) = 2/(n + n) = 1/n keeps the variance of a linear layer; what does ReLU do to the second moment it passes on?',
    options: () => [['1', '1: Xavier keeps the variance level'], ['0.707', '1/√2: the weights are too small by √2'], ['0.5', '½: ReLU zeroes half of each layer’s input'], ['0.25', '¼: Xavier and ReLU each halve it']],
    key(sim, state, def) {
      const [[, cn]] = def.networks(state);
      const r = sim.simulate({ ...cn, bins: 1 });
      const per = r.theory[2].preVariance / r.theory[1].preVariance;
      return { answer: nearest([['1', 1], ['0.707', Math.SQRT1_2], ['0.5', 0.5], ['0.25', 0.25]], per), per };
    },
    explain: (key) => `× ${fmt(key.per)}: Xavier’s variance 1/n keeps a linear layer’s signal, and ReLU zeroes half of every layer’s input, halving its second moment.`,
  },
  {
    id: 'tanh-line', figure: 'explorer', kind: 'sketch', canvas: 'variance', conceal: true, see: 'xavier-tanh',
    // Tight enough that a straight (geometric) line between the right ends does not pass.
    tolerance: { decades: 0.2 },
    setup: () => ({ scheme: 'xavier-normal', activation: 'tanh' }),
    question: (s) => `Before you look: with Xavier normal weights and tanh, ${s.layers} layers of ${s.width}, sketch the average Var(Z) at each layer (drag across the chart, or type values below).`,
    hint: () => 'Near 0, tanh is the identity, so Xavier would keep the variance; but tanh squashes large values, a little more at every layer. Does the signal stay, fall fast, or sink slowly?',
    key(sim, state, def) {
      const r = sim.simulate({ ...def.config({ ...state, scheme: 'xavier-normal', activation: 'tanh' }), bins: 1 });
      const values = r.theory.map((l) => l.preVariance);
      return { answer: values, values, bounds: [1e-6, 10] };
    },
    explain: (key, s) => `It sinks slowly: from ${fmt(key.values[0])} at layer 1 to ${fmt(key.values[s.layers - 1])} at layer ${s.layers}. Each tanh takes a little off a signal that is not small, and less as the signal shrinks.`,
  },
  {
    id: 'level', figure: 'he', kind: 'find', moves: ['sigma'], see: 'he',
    question: (s) => `Move the fixed σ until its dashed line ends within a factor of 3 of He’s at layer ${s.layers}.`,
    hint: () => 'A fixed σ multiplies the variance by σ²·64/2 at each layer, He by exactly 1.',
    holds: ({ runs }) => {
      const last = (r) => r.theory[r.theory.length - 1].preVariance;
      const ratio = last(runs[3]) / last(runs[0]);
      return { ok: within(ratio, 3), text: `the fixed σ ends at ${fmt(ratio)} × He’s` };
    },
    key: () => ({ answer: { sigma: snap(Math.log10(he64), -3, 0.05) } }),
    explain: (key, s) => `σ = ${fmt(pow10(s.sigma))}, next to He’s √(2/64) = ${fmt(he64)}: only there is σ²·64/2 close to 1.`,
  },
  {
    id: 'width', figure: 'spread', kind: 'choose', see: 'spread',
    question: (s) => `At depth ${s.layers}, 80 % of networks ${s.width} wide end between two values. Double the width to ${2 * s.width}: on the logarithmic axis, how much narrower does that band get?`,
    hint: () => 'Each layer adds a small random factor to ln Var(Z), with a variance of about 5/n (n the width); over L layers they add up.',
    options: () => [['same', 'it stays as wide'], ['root', 'about 1/√2 as wide'], ['half', 'about half as wide'], ['quarter', 'about a quarter as wide']],
    key(sim, state, def) {
      const band = (width) => {
        const law = sim.spreadLaw(width, state.layers);
        const l = state.layers - 1;
        return Math.log(law.q90[l] / law.q10[l]);
      };
      const ratio = band(2 * state.width) / band(state.width);
      return { answer: nearest([['same', 1], ['root', Math.SQRT1_2], ['half', 0.5], ['quarter', 0.25]], ratio), ratio };
    },
    explain: (key) => `${fmt(key.ratio)} as wide: the spread of ln Var(Z) grows like √(L/n), so doubling the width divides it by about √2.`,
  },
  {
    id: 'zeros', figure: 'training', kind: 'choose', module: 'main', see: 'training',
    question: () => 'Why does the zero-initialized network stay at chance, even with a larger learning rate?',
    hint: () => 'Follow the gradient back from the output through weights that are all zero.',
    options: () => [['lr', 'its learning rate is still too small'], ['grad', 'the gradient of every hidden weight is exactly zero, so they never move'], ['overfit', 'it overfits the training points'], ['dead', 'its ReLUs die during training']],
    key(sim, state, def) {
      const r = sim.simulate({ scheme: 'zeros', activation: state.activation, layers: state.layers, width: 16, input: { samples: SAMPLES, features: 2 }, bins: 1 });
      const hidden = r.layers.slice(0, -1).map((l) => l.gradVariance);
      const largest = Math.max(...hidden);
      return { answer: largest === 0 ? 'grad' : 'lr', largest };
    },
    explain: (key) => `Its hidden gradients are exactly zero (the largest variance of any of them: ${fmt(key.largest)}): every gradient on its way back is multiplied by the zero weights above it, so no step, however long, moves them.`,
  },
  {
    id: 'critical', figure: 'edge', kind: 'find', moves: ['sw2'], see: 'edge',
    question: (s) => `Move σ_w² onto the edge of chaos for σ_b² = ${fmt(s.sb2)}: the read-out’s χ₁ within 0.02 of 1.`,
    hint: () => 'Left of the line (blue) nearby inputs converge and χ₁ < 1; right of it (orange) they separate and χ₁ > 1.',
    holds: ({ theory }) => ({ ok: Math.abs(theory.chi1 - 1) <= 0.02, text: `χ₁ = ${fmt(theory.chi1)}` }),
    key(sim, state, def) {
      const { theory } = def.compute(sim, state);
      return { answer: { sw2: snap(theory.criticalSw2, 0.2, 0.05) }, critical: theory.criticalSw2 };
    },
    explain: (key, s) => `σ_w² ≈ ${fmt(key.critical)} at σ_b² = ${fmt(s.sb2)}: there χ₁ = 1, and a small change to the input neither fades nor grows from layer to layer.`,
  },
  {
    id: 'relu', figure: 'isometry', kind: 'choose', module: 'deeper', conceal: true, see: 'isometry',
    setup: () => ({ activation: 'relu' }),
    question: (s) => `Before you look: with ReLU (σ_w² = 2) instead of tanh, at depth ${s.layers}, do orthogonal weights keep the Jacobian’s singular values close to 1?`,
    hint: () => 'An orthogonal matrix keeps every length, but ReLU’s slope is 0 for about half the units and 1 for the rest.',
    options: () => [['yes', 'yes: orthogonal weights keep them at 1 whatever the activation'], ['no', 'no: they spread with depth, as Gaussian ones do'], ['better', 'they spread less than with tanh']],
    key(sim, state, def) {
      const r = sim.isometry(def.config({ ...state, activation: 'relu' }, 'orthogonal'));
      const spread = r.spread[r.spread.length - 1];
      return { answer: spread > 0.5 ? 'no' : 'yes', spread };
    },
    explain: (key, s) => `No: at depth ${s.layers} the squared singular values’ spread is ${fmt(key.spread)} with orthogonal weights. ReLU’s slopes are 0 or 1, so the Jacobian, a product of the weights and of those slopes, squashes some directions whatever the weights are.`,
  },
  {
    id: 'pre-norm', figure: 'residual', kind: 'sketch', canvas: 'forward', module: 'deeper', conceal: true, see: 'residual',
    tolerance: { decades: 0.5 },
    setup: () => ({ norm: 'pre' }),
    question: (s) => `Before you look: with pre-LayerNorm and α = 1, sketch the signal’s second moment at each of the ${s.blocks} blocks (without normalization it doubles at every block).`,
    hint: () => 'With LayerNorm in front, every branch sees an input of variance 1, whatever x has grown to. What does each block then add to x’s second moment?',
    key(sim, state, def) {
      const r = sim.residual(def.config({ ...state, norm: 'pre' }, 1));
      const values = Array.from(r.forwardTheory);
      return { answer: values, values, bounds: [0.1, 1e16] };
    },
    explain: (key, s) => `It grows by about 1 a block, from ${fmt(key.values[0])} to ${fmt(key.values[s.blocks])} after ${s.blocks} blocks: linear growth, not doubling, because every branch adds a variance-1 signal.`,
  },
  {
    id: 'collapse', figure: 'attention', kind: 'find', moves: ['logd'], see: 'attention',
    question: () => 'Move d until, without the scale, one key takes most of the attention: the largest weight averages more than 0.9.',
    hint: () => 'Without the scale the scores’ spread is √d: how large must it be for the largest of 64 scores to win almost everything in the softmax?',
    holds: ({ unscaled }) => ({ ok: unscaled.largest > 0.9, text: `the largest weight averages ${fmt(unscaled.largest)}` }),
    key(sim, state, def) {
      const data = def.compute(sim, state);
      const k = data.sweep.unscaled.largest.findIndex((v) => v > 0.9);
      return { answer: { logd: k }, d: 2 ** k };
    },
    explain: (key) => `From d = ${key.d} on: the unscaled scores spread by √d = ${fmt(Math.sqrt(key.d))}, and with the largest of 64 scores that far above the rest the softmax gives it nearly everything.`,
  },
  {
    id: 'spread', figure: 'attention', kind: 'estimate', conceal: true, see: 'attention',
    tolerance: { factor: 1.25 },
    setup: (s) => ({ logd: Math.min(11, s.logd + 2) }),
    question: (s) => `Before you look: without the scale, what is the standard deviation of the scores q·k at d = ${2 ** s.logd}? (Every entry of q and k is N(0, 1).)`,
    hint: () => 'q·k is a sum of d products, each with mean 0 and variance 1.',
    key(sim, state, def) {
      const r = sim.attention(def.config(state));
      return { answer: r.unscaled.scoreSd };
    },
    explain: (key, s) => `${fmt(key.answer)}, close to √d = ${fmt(Math.sqrt(2 ** s.logd))}: a sum of d independent products of variance 1 has variance d. Dividing by √d brings it back to 1.`,
  },
];

/**
 * The controls exercise `ex` has to move (a find-the-setting exercise's, a prediction's set-up):
 * where a link hides one of them, the exercise is not offered.
 */
export const needs = (ex, state) => [...(ex.moves ?? []), ...Object.keys(ex.setup?.(state) ?? {})];

/** The state exercise `ex` asks about: the figure's `state` with the exercise's set-up applied. */
export const askedState = (ex, state) => ({ ...state, ...(ex.setup?.(state) ?? {}) });

/** Exercise `figure/id`, or undefined. */
export const exercise = (name) => EXERCISES.find((e) => `${e.figure}/${e.id}` === name);

/** The figure's own exercises, in the article's order. */
export const exercisesOf = (figure) => EXERCISES.filter((e) => e.figure === figure);
