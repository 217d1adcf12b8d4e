// Code a reader can take away: the initialization a figure shows, written for PyTorch, Keras and
// JAX/Flax, what each framework does when nothing is written, and a NumPy script that draws the
// same kind of network with NumPy's generator (the same statistics over seeds) or, given the
// figure's network as a file (`networkFile`), prints the figure's own numbers. No DOM: the tests
// run it in Node.
//
// Every generator takes a complete config: the schema owns the defaults, and a caller fills in
// what a config leaves out with the simulator's `withDefaults(kind, config)` (`GENERATORS` names
// each generator's schema). A field left out is an Error that names it.

/** Each framework's default for a dense layer, from its own documentation. */
export const DEFAULTS = [
  ['PyTorch', 'nn.Linear draws its weights and its bias from U(±1/√fan_in) (kaiming_uniform_ with a = √5 for the weights).',
    'https://pytorch.org/docs/stable/generated/torch.nn.Linear.html'],
  ['Keras', 'Dense uses kernel_initializer="glorot_uniform" (Xavier uniform) and bias_initializer="zeros".',
    'https://keras.io/api/layers/core_layers/dense/'],
  ['Flax', 'nn.Dense uses kernel_init = lecun_normal() (variance 1/fan_in, truncated normal) and bias_init = zeros.',
    'https://flax.readthedocs.io/en/latest/api_reference/flax.linen/layers.html'],
];

const num = (v) => {
  if (!Number.isFinite(v)) return 'float("nan")';
  const s = String(Number(v.toPrecision(6)));
  return /[.e]/.test(s) ? s : `${s}.0`;
};

/** Each generator's config, by the name of its schema (see `withDefaults` in simulator.js). */
export const GENERATORS = {
  frameworkCode: 'simulate',
  residualCode: 'residual',
  attentionCode: 'attention',
  isometryCode: 'isometry',
};

/** `config`, after checking it has every field in `names`: an Error names the first it lacks. */
function complete(config, names, generator) {
  for (const name of names) {
    if (config?.[name] === undefined) {
      throw new Error(`${generator}: config.${name} is missing (complete the config with withDefaults('${GENERATORS[generator]}', config))`);
    }
  }
  return config;
}

const SIMULATE_FIELDS = ['input', 'layers', 'width', 'scheme', 'sigma', 'gain', 'activation', 'slope', 'bias', 'biasSigma', 'seed'];

/** Samples and features of a `simulate` input: one sample, rows of samples, or `{ samples, features }`. */
export function inputShape(input) {
  if (!Array.isArray(input)) return { samples: input.samples, features: input.features };
  if (Array.isArray(input[0])) return { samples: input.length, features: input[0].length };
  return { samples: 1, features: input.length };
}

/** The He variance's correction for a leaky slope a: 2/(1 + a²). */
function slopeOf(config) {
  return config.activation === 'leaky-relu' ? config.slope : 0;
}

/**
 * The initializer calls for `config` (scheme, sigma, gain, bias, activation): PyTorch on a
 * Linear layer `layer`, Keras and Flax as initializer objects. Every scheme has an exact match:
 * where a framework's named initializer differs (Keras's and JAX's glorot_normal, he_normal and
 * lecun_normal draw a truncated normal), the variance-scaling form with an untruncated normal.
 */
function initializers(config) {
  const g = config.gain;
  const g2 = num(g * g);
  const s = config.sigma;
  const a = slopeOf(config);
  const he = num((2 * g * g) / (1 + a * a));
  const bound = num(s * Math.sqrt(3));
  const w = {
    normal: [`nn.init.normal_(layer.weight, mean=0.0, std=${num(s)})`,
      `keras.initializers.RandomNormal(mean=0.0, stddev=${num(s)})`,
      `jax.nn.initializers.normal(stddev=${num(s)})`],
    uniform: [`nn.init.uniform_(layer.weight, -${bound}, ${bound})  # variance σ²`,
      `keras.initializers.RandomUniform(minval=-${bound}, maxval=${bound})`,
      `lambda key, shape, dtype=jnp.float32: jax.random.uniform(key, shape, dtype, -${bound}, ${bound})`],
    constant: [`nn.init.constant_(layer.weight, ${num(s)})`,
      `keras.initializers.Constant(${num(s)})`,
      `jax.nn.initializers.constant(${num(s)})`],
    zeros: ['nn.init.zeros_(layer.weight)', 'keras.initializers.Zeros()', 'jax.nn.initializers.zeros'],
    'xavier-normal': [`nn.init.xavier_normal_(layer.weight, gain=${num(g)})`,
      `keras.initializers.VarianceScaling(scale=${g2}, mode="fan_avg", distribution="untruncated_normal")`,
      `jax.nn.initializers.variance_scaling(${g2}, "fan_avg", "normal")`],
    'xavier-uniform': [`nn.init.xavier_uniform_(layer.weight, gain=${num(g)})`,
      `keras.initializers.VarianceScaling(scale=${g2}, mode="fan_avg", distribution="uniform")`,
      `jax.nn.initializers.variance_scaling(${g2}, "fan_avg", "uniform")`],
    'he-normal': [a > 0
      ? `nn.init.kaiming_normal_(layer.weight, a=${num(a)}, mode="fan_in", nonlinearity="leaky_relu")${g === 1 ? '' : `; layer.weight.data *= ${num(g)}`}`
      : `nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")${g === 1 ? '' : `; layer.weight.data *= ${num(g)}`}`,
    `keras.initializers.VarianceScaling(scale=${he}, mode="fan_in", distribution="untruncated_normal")`,
    `jax.nn.initializers.variance_scaling(${he}, "fan_in", "normal")`],
    'he-uniform': [a > 0
      ? `nn.init.kaiming_uniform_(layer.weight, a=${num(a)}, mode="fan_in", nonlinearity="leaky_relu")${g === 1 ? '' : `; layer.weight.data *= ${num(g)}`}`
      : `nn.init.kaiming_uniform_(layer.weight, mode="fan_in", nonlinearity="relu")${g === 1 ? '' : `; layer.weight.data *= ${num(g)}`}`,
    `keras.initializers.VarianceScaling(scale=${he}, mode="fan_in", distribution="uniform")`,
    `jax.nn.initializers.variance_scaling(${he}, "fan_in", "uniform")`],
    'lecun-normal': [`nn.init.normal_(layer.weight, mean=0.0, std=${num(g)} / math.sqrt(layer.in_features))`,
      `keras.initializers.VarianceScaling(scale=${g2}, mode="fan_in", distribution="untruncated_normal")`,
      `jax.nn.initializers.variance_scaling(${g2}, "fan_in", "normal")`],
    'pytorch-default': [`layer.reset_parameters()  # what nn.Linear does by itself${g === 1 ? '' : `; layer.weight.data *= ${num(g)}`}`,
      `keras.initializers.VarianceScaling(scale=${num((g * g) / 3)}, mode="fan_in", distribution="uniform")`,
      `jax.nn.initializers.variance_scaling(${num((g * g) / 3)}, "fan_in", "uniform")`],
    orthogonal: [`nn.init.orthogonal_(layer.weight, gain=${num(g)})`,
      `keras.initializers.Orthogonal(gain=${num(g)})`,
      `jax.nn.initializers.orthogonal(scale=${num(g)})`],
    // LSUV starts orthogonal; the rescaling on a batch follows the model (see `lsuvBlock`).
    lsuv: ['nn.init.orthogonal_(layer.weight)', 'keras.initializers.Orthogonal()', 'jax.nn.initializers.orthogonal()'],
  }[config.scheme];
  const b = config.bias;
  const sb = config.biasSigma;
  const torchDefaultBias = config.scheme === 'pytorch-default';
  // Random biases N(b, σ_b²), the mean-field theory's (with PyTorch's default, added to its own).
  const normalBias = [`nn.init.normal_(layer.bias, mean=${num(b)}, std=${num(sb)})`,
    `keras.initializers.RandomNormal(mean=${num(b)}, stddev=${num(sb)})`,
    `lambda key, shape, dtype=jnp.float32: ${num(b)} + ${num(sb)} * jax.random.normal(key, shape, dtype)`];
  const bias = torchDefaultBias && sb > 0
    ? [`layer.bias.data += ${num(b)} + ${num(sb)} * torch.randn_like(layer.bias)  # on top of reset_parameters()'s U(±1/√fan_in)`,
      `lambda shape, dtype=None: keras.random.uniform(shape, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in)) + keras.random.normal(shape, ${num(b)}, ${num(sb)})`,
      `lambda key, shape, dtype=jnp.float32: jax.random.uniform(key, shape, dtype, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in)) + ${num(b)} + ${num(sb)} * jax.random.normal(jax.random.fold_in(key, 1), shape, dtype)`]
    : torchDefaultBias
      ? ['# reset_parameters() draws the bias from U(±1/√fan_in) too',
        'keras.initializers.RandomUniform(minval=-1 / math.sqrt(fan_in), maxval=1 / math.sqrt(fan_in))',
        'lambda key, shape, dtype=jnp.float32: jax.random.uniform(key, shape, dtype, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))']
      : sb > 0 ? normalBias
        : [`nn.init.constant_(layer.bias, ${num(b)})`, `keras.initializers.Constant(${num(b)})`, `jax.nn.initializers.constant(${num(b)})`];
  return { weights: w, bias };
}

const ACTIVATION = {
  relu: ['nn.ReLU()', '"relu"', 'nn.relu'],
  'leaky-relu': null,
  tanh: ['nn.Tanh()', '"tanh"', 'jnp.tanh'],
  sigmoid: ['nn.Sigmoid()', '"sigmoid"', 'nn.sigmoid'],
  linear: ['nn.Identity()', '"linear"', 'lambda x: x'],
};

/**
 * The code for a `simulate` config: `{ pytorch, keras, flax, numpy }`, each a complete Python
 * program. The first three build the network as the figure does; the NumPy one also runs it
 * forward and backward and prints each layer's Var(Z), Var(H) and Var(∂L/∂Z), like the figure.
 */
export function frameworkCode(config, options = {}) {
  complete(config, SIMULATE_FIELDS, 'frameworkCode');
  const { layers, width } = config;
  const { features, samples } = inputShape(config.input);
  const slope = slopeOf(config);
  const act = ACTIVATION[config.activation]
    ?? [`nn.LeakyReLU(${num(slope)})`, `keras.layers.LeakyReLU(negative_slope=${num(slope)})`, `lambda x: nn.leaky_relu(x, ${num(slope)})`];
  const { weights, bias } = initializers(config);
  const pytorch = `import math
import torch
from torch import nn

layers, width, features = ${layers}, ${width}, ${features}
blocks = []
for i in range(layers):
    layer = nn.Linear(features if i == 0 else width, width)
    fan_in = layer.in_features
    with torch.no_grad():
        ${weights[0]}
        ${bias[0]}
    blocks += [layer, ${act[0]}]
model = nn.Sequential(*blocks)
`;
  const keras = `import math
import keras

layers, width, features = ${layers}, ${width}, ${features}
model = keras.Sequential([keras.Input((features,))])
for i in range(layers):
    fan_in = features if i == 0 else width
    model.add(keras.layers.Dense(
        width,
        activation=${act[1].startsWith('keras.') ? 'None' : act[1]},
        kernel_initializer=${weights[1]},
        bias_initializer=${bias[1]},
    ))${act[1].startsWith('keras.') ? `\n    model.add(${act[1]})` : ''}
`;
  const flax = `import math
import jax
import jax.numpy as jnp
from flax import linen as nn

layers, width, features = ${layers}, ${width}, ${features}


class Network(nn.Module):
    @nn.compact
    def __call__(self, x):
        for i in range(layers):
            fan_in = features if i == 0 else width
            x = nn.Dense(
                width,
                kernel_init=${weights[2]},
                bias_init=${bias[2]},
            )(x)
            x = (${act[2]})(x)
        return x


params = Network().init(jax.random.PRNGKey(0), jnp.ones((1, features)))
`;
  const lsuv = config.scheme === 'lsuv' ? lsuvBlock(samples, act[2]) : null;
  return {
    pytorch: lsuv ? pytorch + lsuv.pytorch : pytorch,
    keras: lsuv ? keras + lsuv.keras : keras,
    flax: lsuv ? flax + lsuv.flax : flax,
    numpy: numpyScript(config, { layers, width, features, samples, slope }, options),
  };
}

/**
 * The network `simulate(config)` runs, as the JSON file the NumPy script loads: `draws` is the
 * simulator's `draws(config)`.
 */
export function networkFile(config, draws) {
  return JSON.stringify({ config, ...draws });
}

/** The largest network offered as a file, in numbers (about 40 MB of JSON). */
export const NETWORK_FILE_LIMIT = 2_000_000;

/**
 * LSUV (Mishkin & Matas 2016) after the model is built: each layer in turn, on a batch, has its
 * weights divided by the standard deviation of its output before the bias (np.var's, over the
 * batch and the neurons), so that output has variance 1; the simulator does the same.
 */
function lsuvBlock(samples, act) {
  return {
    pytorch: `
# LSUV: each layer in turn rescaled so that its output (before the bias) has variance 1 on a batch.
x = torch.randn(${samples}, features)
with torch.no_grad():
    h = x
    for module in model:
        if isinstance(module, nn.Linear):
            module.weight /= (h @ module.weight.T).std(unbiased=False)
        h = module(h)
`,
    keras: `
# LSUV: each layer in turn rescaled so that its output (before the bias) has variance 1 on a batch.
x = keras.random.normal((${samples}, features))
h = x
for layer in model.layers:
    if isinstance(layer, keras.layers.Dense):
        kernel = layer.kernel
        kernel.assign(kernel / keras.ops.std(h @ kernel))
    h = layer(h)
`,
    flax: `
# LSUV: each layer in turn rescaled so that its output (before the bias) has variance 1 on a batch.
x = jax.random.normal(jax.random.PRNGKey(1), (${samples}, features))
h = x
for i in range(layers):
    dense = params["params"][f"Dense_{i}"]
    dense["kernel"] = dense["kernel"] / jnp.std(h @ dense["kernel"])
    h = (${act})(h @ dense["kernel"] + dense["bias"])
`,
  };
}

/**
 * The NumPy script of `frameworkCode`. Most of its lines are the Python program's own text, kept
 * in one template so that it reads as the program a reader gets.
 */
function numpyScript(config, { layers, width, features, samples, slope }, options = {}) {
  const s = config.sigma;
  const g = config.gain;
  const draw = {
    normal: `rng.normal(0.0, ${num(s)}, (fan_in, fan_out))`,
    uniform: `rng.uniform(-${num(s * Math.sqrt(3))}, ${num(s * Math.sqrt(3))}, (fan_in, fan_out))`,
    constant: `np.full((fan_in, fan_out), ${num(s)})`,
    zeros: 'np.zeros((fan_in, fan_out))',
    'xavier-normal': `rng.normal(0.0, ${num(g)} * math.sqrt(2 / (fan_in + fan_out)), (fan_in, fan_out))`,
    'xavier-uniform': `uniform(${num(g)} * math.sqrt(6 / (fan_in + fan_out)))`,
    'he-normal': `rng.normal(0.0, ${num(g)} * math.sqrt(2 / ((1 + ${num(slope)} ** 2) * fan_in)), (fan_in, fan_out))`,
    'he-uniform': `uniform(${num(g)} * math.sqrt(6 / ((1 + ${num(slope)} ** 2) * fan_in)))`,
    'lecun-normal': `rng.normal(0.0, ${num(g)} / math.sqrt(fan_in), (fan_in, fan_out))`,
    'pytorch-default': `uniform(${num(g)} / math.sqrt(fan_in))`,
    orthogonal: `orthogonal(${num(g)})`,
    lsuv: 'orthogonal(1.0)',
  }[config.scheme];
  const activation = {
    relu: ['np.maximum(z, 0.0)', '(z > 0).astype(float)'],
    'leaky-relu': [`np.where(z > 0, z, ${num(slope)} * z)`, `np.where(z > 0, 1.0, ${num(slope)})`],
    tanh: ['np.tanh(z)', '1 - np.tanh(z) ** 2'],
    sigmoid: ['1 / (1 + np.exp(-z))', '(1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z)))'],
    linear: ['z', 'np.ones_like(z)'],
  }[config.activation];
  const sb = config.biasSigma;
  const randomBias = sb > 0 ? ` + rng.normal(0.0, ${num(sb)}, fan_out)` : '';
  const biasLine = config.scheme === 'pytorch-default'
    ? `rng.uniform(-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in), fan_out) + ${num(config.bias)}${randomBias}`
    : `np.full(fan_out, ${num(config.bias)})${randomBias}`;
  const input = Array.isArray(config.input)
    ? `np.array(${JSON.stringify(config.input)}, dtype=float).reshape(-1, features)`
    : 'rng.normal(size=(samples, features))';
  const many = options.draws > 1;
  return `# The network of the figure, in NumPy: forward, then backward from unit noise at the output.
# Prints, for each layer, np.var of the pre-activations Z, of the outputs H, and of dL/dZ.
#
# NumPy's generator is not the simulator's: with network_file = None this draws another network
# of the same kind, whose numbers follow the same statistics over seeds, not the figure's own
# (NumPy's seed ${config.seed} is not the simulator's seed ${config.seed}, and one network can be far from typical).
# To print the figure's numbers, download its network (the code panel's "Download this network")
# and give its path: the script then uses that file's input, weights, biases and noise.
# With draws > 1 it prints, per layer, the median and the 10 % and 90 % points over the networks
# of seeds seed … seed + draws − 1${many ? ', as the figure shows them' : ''}.
import json
import math

import numpy as np

seed = ${config.seed}  # the figure's seed; another seed draws another network
draws = ${many ? options.draws : 1}  # networks to summarise: 1 prints this one network's numbers
network_file = None  # e.g. "network.json", downloaded from the figure
layers, width, features, samples = ${layers}, ${width}, ${features}, ${samples}
saved = json.load(open(network_file)) if network_file else None


def network(seed):
    """np.var of Z, of H and of dL/dZ at each layer of the network drawn from \`seed\`."""
    rng = np.random.default_rng(seed)

    def uniform(bound):
        return rng.uniform(-bound, bound, (fan_in, fan_out))

    def orthogonal(gain):
        q, r = np.linalg.qr(rng.normal(size=(max(fan_in, fan_out), min(fan_in, fan_out))))
        q = q * np.sign(np.diag(r))
        return gain * (q if fan_in >= fan_out else q.T)

    def act(z):
        return ${activation[0]}

    def slope(z):
        return ${activation[1]}

    x = np.array(saved["input"]).reshape(samples, features) if saved else ${input}
    h, zs, hs, ws = x, [], [x], []
    for l in range(layers):
        fan_in, fan_out = h.shape[1], width
        if saved:
            w = np.array(saved["weights"][l]).reshape(fan_in, fan_out)
            b = np.array(saved["biases"][l])
        else:
            w = ${draw}${config.scheme === 'lsuv' ? '\n            w = w / np.sqrt(np.var(h @ w))  # LSUV: this layer\'s output (before the bias) to variance 1' : ''}
            b = ${biasLine}
        z = h @ w + b
        h = act(z)
        ws.append(w)
        zs.append(z)
        hs.append(h)
    g = np.array(saved["noise"]).reshape(h.shape) if saved else rng.normal(size=h.shape)
    grads = [0.0] * layers
    for l in reversed(range(layers)):
        delta = g * slope(zs[l])
        grads[l] = float(np.var(delta))
        g = delta @ ws[l].T
    return [(float(np.var(zs[l])), float(np.var(hs[l + 1])), grads[l]) for l in range(layers)]


if draws == 1 or saved:
    print("layer,var_z,var_h,var_grad")
    for l, (var_z, var_h, var_grad) in enumerate(network(seed)):
        print(f"{l + 1},{var_z!r},{var_h!r},{var_grad!r}")
else:
    runs = np.array([network(s) for s in range(seed, seed + draws)])  # draws × layers × 3
    q10, q50, q90 = np.quantile(runs, [0.1, 0.5, 0.9], axis=0)
    print("layer,var_z_median,var_z_10,var_z_90,var_h_median,var_h_10,var_h_90")
    for l in range(layers):
        row = [q50[l, 0], q10[l, 0], q90[l, 0], q50[l, 1], q10[l, 1], q90[l, 1]]
        print(",".join([str(l + 1)] + [repr(float(v)) for v in row]))
`;
}


/**
 * Code for the residual figure's network (a `residual` config): blocks x + α F(x), or with
 * pre-LayerNorm x + α F(LN(x)), F(y) = W₂ relu(W₁ relu(y)) with He-initialized weights; α = 0 is
 * written as it is done in practice, a branch whose last layer starts at zero (Fixup, SkipInit).
 */
export function residualCode(config) {
  // Long: most of it is the four programs' text (PyTorch, Keras, Flax, NumPy), one template each.
  const { blocks, width, samples, alpha, norm, seed } = complete(config, ['blocks', 'width', 'samples', 'alpha', 'norm', 'seed'], 'residualCode');
  const pre = norm === 'pre';
  const zero = alpha === 0;
  const a = num(zero ? 1 : alpha);
  const last = zero ? 'zeros' : 'he';
  const pytorch = `import torch
from torch import nn

blocks, width, alpha = ${blocks}, ${width}, ${a}


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        ${pre ? 'self.norm = nn.LayerNorm(width, elementwise_affine=False)' : 'self.norm = nn.Identity()'}
        self.fc1 = nn.Linear(width, width, bias=False)
        self.fc2 = nn.Linear(width, width, bias=False)
        nn.init.kaiming_normal_(self.fc1.weight, mode="fan_in", nonlinearity="relu")
        ${zero ? 'nn.init.zeros_(self.fc2.weight)  # the branch starts at zero (Fixup, SkipInit)' : 'nn.init.kaiming_normal_(self.fc2.weight, mode="fan_in", nonlinearity="relu")'}

    def forward(self, x):
        branch = self.fc2(torch.relu(self.fc1(torch.relu(self.norm(x)))))
        return x + alpha * branch


model = nn.Sequential(*[Block() for _ in range(blocks)])
`;
  const he = 'keras.initializers.VarianceScaling(scale=2.0, mode="fan_in", distribution="untruncated_normal")';
  const keras = `import keras

blocks, width, alpha = ${blocks}, ${width}, ${a}

x = inputs = keras.Input((width,))
for _ in range(blocks):
    y = ${pre ? 'keras.layers.LayerNormalization(epsilon=1e-5, center=False, scale=False)(x)' : 'x'}
    y = keras.layers.ReLU()(y)
    y = keras.layers.Dense(width, use_bias=False, kernel_initializer=${he})(y)
    y = keras.layers.ReLU()(y)
    y = keras.layers.Dense(width, use_bias=False, kernel_initializer=${zero ? '"zeros"' : he})(y)
    x = keras.layers.Add()([x, keras.layers.Rescaling(alpha)(y)])
model = keras.Model(inputs, x)
`;
  const flax = `import jax
import jax.numpy as jnp
from flax import linen as nn

blocks, width, alpha = ${blocks}, ${width}, ${a}
he = jax.nn.initializers.variance_scaling(2.0, "fan_in", "normal")


class Network(nn.Module):
    @nn.compact
    def __call__(self, x):
        for _ in range(blocks):
            y = ${pre ? 'nn.LayerNorm(epsilon=1e-5, use_bias=False, use_scale=False)(x)' : 'x'}
            y = nn.Dense(width, use_bias=False, kernel_init=he)(nn.relu(y))
            y = nn.Dense(width, use_bias=False, kernel_init=${zero ? 'jax.nn.initializers.zeros' : 'he'})(nn.relu(y))
            x = x + alpha * y
        return x


params = Network().init(jax.random.PRNGKey(0), jnp.ones((1, width)))
`;
  const numpy = `# The residual network of the figure, in NumPy: ${blocks} blocks x + alpha * F(${pre ? 'LN(x)' : 'x'}),
# F(y) = W2 relu(W1 relu(y)) with He-initialized weights${zero ? ' (W2 = 0: the branch starts at zero)' : ''}.
# Prints, for each block l, the mean square of x_l and of the gradient dL/dx_l (unit noise at the end).
import numpy as np

seed = ${seed}  # another seed draws another network
blocks, width, samples, alpha = ${blocks}, ${width}, ${samples}, ${a}
rng = np.random.default_rng(seed)


def norm(x):
    ${pre ? 'mean = x.mean(axis=1, keepdims=True)\n    sd = np.sqrt(x.var(axis=1, keepdims=True) + 1e-5)\n    return (x - mean) / sd, sd' : 'return x, None'}


def norm_back(d, y, sd):
    ${pre ? 'return (d - d.mean(axis=1, keepdims=True) - y * (d * y).mean(axis=1, keepdims=True)) / sd' : 'return d'}


x = rng.normal(size=(samples, width))
xs, ws = [x], []
for l in range(blocks):
    w1 = rng.normal(0.0, np.sqrt(2 / width), (width, width))
    w2 = ${last === 'zeros' ? 'np.zeros((width, width))' : 'rng.normal(0.0, np.sqrt(2 / width), (width, width))'}
    y, _ = norm(x)
    x = x + alpha * (np.maximum(np.maximum(y, 0) @ w1, 0) @ w2)
    xs.append(x)
    ws.append((w1, w2))
g = rng.normal(size=x.shape)
grads = [0.0] * (blocks + 1)
grads[blocks] = float(np.mean(g * g))
for l in reversed(range(blocks)):
    w1, w2 = ws[l]
    y, sd = norm(xs[l])
    h = np.maximum(y, 0) @ w1
    d = ((g @ w2.T) * (h > 0)) @ w1.T * (y > 0)
    g = g + alpha * norm_back(d, y, sd)
    grads[l] = float(np.mean(g * g))
print("block,x2,grad2")
for l in range(blocks + 1):
    print(f"{l},{float(np.mean(xs[l] ** 2))!r},{grads[l]!r}")
`;
  return { pytorch, keras, flax, numpy };
}

/**
 * Code for the attention figure (an `attention` config): the scores of queries against keys with
 * d N(0, 1) entries, with and without the 1/√d scale, and what each framework does for you.
 */
export function attentionCode(config) {
  const { d, keys, sequences, queries, seed } = complete(config, ['d', 'keys', 'sequences', 'queries', 'seed'], 'attentionCode');
  const pytorch = `import math
import torch
import torch.nn.functional as F

d, keys, queries = ${d}, ${keys}, ${queries}
q = torch.randn(queries, d)
k = torch.randn(keys, d)
v = torch.randn(keys, d)

scores = q @ k.T / math.sqrt(d)  # without the division the scores spread as sqrt(d)
weights = scores.softmax(dim=-1)
out = weights @ v
# F.scaled_dot_product_attention divides by sqrt(d) itself (its scale defaults to 1/sqrt(d)):
assert torch.allclose(out, F.scaled_dot_product_attention(q, k, v), atol=1e-5)
entropy = -(weights * weights.clamp_min(1e-30).log()).sum(dim=-1)
print(entropy.mean().item(), weights.max(dim=-1).values.mean().item())
`;
  const keras = `import math
import keras
from keras import ops

d, keys, queries = ${d}, ${keys}, ${queries}
q = keras.random.normal((queries, d))
k = keras.random.normal((keys, d))

weights = ops.softmax(q @ ops.transpose(k) / math.sqrt(d), axis=-1)
# keras.layers.MultiHeadAttention(num_heads, key_dim) scales its queries by 1/sqrt(key_dim) itself.
print(float(ops.mean(ops.max(weights, axis=-1))))
`;
  const flax = `import jax
import jax.numpy as jnp
from flax import linen as nn

d, keys, queries = ${d}, ${keys}, ${queries}
kq, kk = jax.random.split(jax.random.PRNGKey(0))
q = jax.random.normal(kq, (queries, 1, d))  # (length, heads, d)
k = jax.random.normal(kk, (keys, 1, d))

# dot_product_attention_weights divides by sqrt(d) itself.
weights = nn.dot_product_attention_weights(q, k)
print(float(weights.max(axis=-1).mean()))
`;
  const numpy = `# The attention figure in NumPy: ${sequences} sequences of ${keys} keys and ${queries} queries with d = ${d}
# N(0, 1) entries. Prints the mean entropy and largest weight of the softmax of the scores,
# with the 1/sqrt(d) scale and without it.
import numpy as np

seed = ${seed}  # another seed draws other queries and keys
d, keys, sequences, queries = ${d}, ${keys}, ${sequences}, ${queries}
rng = np.random.default_rng(seed)
scores = []
for _ in range(sequences):
    k = rng.normal(size=(keys, d))
    q = rng.normal(size=(queries, d))
    scores.append(q @ k.T)
scores = np.concatenate(scores)


def softmax_stats(s):
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    entropy = -(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=1)
    return float(entropy.mean()), float(p.max(axis=1).mean())


print("scale,entropy,largest")
for name, scale in [("scaled", 1 / np.sqrt(d)), ("unscaled", 1.0)]:
    entropy, largest = softmax_stats(scores * scale)
    print(f"{name},{entropy!r},{largest!r}")
`;
  return { pytorch, keras, flax, numpy };
}

/**
 * Code for the dynamical isometry figure (an `isometry` config with the critical point `isometry`
 * returned for it, `sw2` and `sb2`): a square network there with orthogonal or Gaussian weights,
 * and the singular values of its input–output Jacobian.
 */
export function isometryCode(config) {
  // Long: most of it is the four programs' text (PyTorch, Keras, Flax, NumPy), one template each.
  const { activation, weights, layers, width, q, seed, sw2: w2, sb2: b2 } = complete(config, ['activation', 'weights', 'layers', 'width', 'q', 'seed'], 'isometryCode');
  const orth = weights === 'orthogonal';
  const act = { linear: ['nn.Identity()', 'lambda x: x', 'x'], tanh: ['nn.Tanh()', 'jnp.tanh', 'np.tanh(h)'], relu: ['nn.ReLU()', 'nn.relu', 'np.maximum(h, 0.0)'] }[activation];
  const slope = { linear: '1.0', tanh: '1 - np.tanh(h) ** 2', relu: '(h > 0).astype(float)' }[activation];
  const pytorch = `import math
import torch
from torch import nn

layers, width = ${layers}, ${width}
sw2, sb2 = ${num(w2)}, ${num(b2)}  # the critical point: chi_1 = 1${activation === 'tanh' ? `, fixed point q* = ${num(q)}` : ''}
blocks = []
for _ in range(layers):
    layer = nn.Linear(width, width)
    with torch.no_grad():
        ${orth ? 'nn.init.orthogonal_(layer.weight, gain=math.sqrt(sw2))' : 'nn.init.normal_(layer.weight, std=math.sqrt(sw2 / width))'}
        nn.init.normal_(layer.bias, std=math.sqrt(sb2))
    blocks += [layer, ${act[0]}]
model = nn.Sequential(*blocks)

x = torch.randn(width)
jacobian = torch.autograd.functional.jacobian(model, x)
s = torch.linalg.svdvals(jacobian)
print("largest / smallest singular value:", (s[0] / s[-1]).item())
`;
  const keras = `import math
import keras

layers, width = ${layers}, ${width}
sw2, sb2 = ${num(w2)}, ${num(b2)}
model = keras.Sequential([keras.Input((width,))])
for _ in range(layers):
    model.add(keras.layers.Dense(
        width,
        activation=${activation === 'relu' ? '"relu"' : activation === 'tanh' ? '"tanh"' : '"linear"'},
        kernel_initializer=${orth ? 'keras.initializers.Orthogonal(gain=math.sqrt(sw2))' : 'keras.initializers.RandomNormal(stddev=math.sqrt(sw2 / width))'},
        bias_initializer=keras.initializers.RandomNormal(stddev=math.sqrt(sb2)) if sb2 > 0 else "zeros",
    ))
`;
  const flax = `import math
import jax
import jax.numpy as jnp
from flax import linen as nn

layers, width = ${layers}, ${width}
sw2, sb2 = ${num(w2)}, ${num(b2)}


class Network(nn.Module):
    @nn.compact
    def __call__(self, x):
        for _ in range(layers):
            x = nn.Dense(
                width,
                kernel_init=${orth ? 'jax.nn.initializers.orthogonal(scale=math.sqrt(sw2))' : 'jax.nn.initializers.normal(stddev=math.sqrt(sw2 / width))'},
                bias_init=jax.nn.initializers.normal(stddev=math.sqrt(sb2)) if sb2 > 0 else jax.nn.initializers.zeros,
            )(x)
            x = (${act[1]})(x)
        return x


model = Network()
params = model.init(jax.random.PRNGKey(0), jnp.ones((width,)))
jacobian = jax.jacobian(lambda x: model.apply(params, x))(jnp.ones((width,)))
print(jnp.linalg.svd(jacobian, compute_uv=False))
`;
  const numpy = `# The dynamical isometry figure in NumPy: a network ${width} wide, ${layers} layers deep, at its critical
# point, ${orth ? 'orthogonal' : 'Gaussian'} weights. Prints, for each layer l, the mean of the squared singular
# values of the Jacobian d x_l / d x_0 and their spread (variance / mean squared), then the last
# layer's singular values.
import numpy as np

seed = ${seed}  # another seed draws another network
layers, width = ${layers}, ${width}
sw2, sb2, q = ${num(w2)}, ${num(b2)}, ${num(activation === 'tanh' ? q : 1)}
rng = np.random.default_rng(seed)


def orthogonal(n):
    a, r = np.linalg.qr(rng.normal(size=(n, n)))
    return a * np.sign(np.diag(r))


def act(h):
    return ${act[2]}


x = act(np.sqrt(q) * rng.normal(size=width))  # an input already at the fixed point
jacobian = np.eye(width)
print("layer,mean,spread")
for l in range(layers):
    w = ${orth ? 'np.sqrt(sw2) * orthogonal(width)' : 'rng.normal(0.0, np.sqrt(sw2 / width), (width, width))'}
    h = w @ x + np.sqrt(sb2) * rng.normal(size=width)
    d = ${slope === '1.0' ? 'np.ones(width)' : slope}
    jacobian = d[:, None] * (w @ jacobian)
    x = act(h)
    s2 = np.linalg.svd(jacobian, compute_uv=False) ** 2
    print(f"{l + 1},{float(s2.mean())!r},{float(s2.var() / s2.mean() ** 2)!r}")
print("singular values:", np.linalg.svd(jacobian, compute_uv=False))
`;
  return { pytorch, keras, flax, numpy };
}
