//! A network's draws for another program to run ([`draws`]), and one layer's weights and weight
//! variance as the pass uses them ([`layer_weights`], [`layer_weight_variance`]).

use super::*;

/// Layer `l`'s biases, one a neuron: the config's constant plus what the scheme draws (PyTorch's),
/// plus N(0, σ_b²); `None` when they are all zero.
pub(super) fn biases(config: &Config, l: usize, sh: Shape) -> Option<Vec<f64>> {
    if config.bias == 0.0 && config.scheme.bias_variance(sh) == 0.0 && config.bias_sigma == 0.0 {
        return None;
    }
    let mut b = vec![config.bias; sh.fan_out];
    let mut rng = stream(config.seed, Stream::Biases(l));
    config.scheme.add_biases(sh, &mut rng, &mut b);
    if config.bias_sigma > 0.0 {
        for bj in &mut b {
            *bj += config.bias_sigma * Distribution::<f64>::sample(&StandardNormal, &mut rng);
        }
    }
    Some(b)
}

/// Everything random a simulation of `config` draws, so that another program can run the very
/// same network: the input batch (samples × features, row by row), each hidden layer's weights
/// (fan_in × width, row by row) and biases, and the unit noise the backward pass starts from
/// (samples × width).
#[derive(Clone, Debug)]
pub struct NetworkDraws {
    pub input: Vec<f64>,
    pub weights: Vec<Vec<f64>>,
    pub biases: Vec<Vec<f64>>,
    pub noise: Vec<f64>,
}

/// The draws of `config`'s network (see [`NetworkDraws`]).
pub fn draws(config: &Config) -> Result<NetworkDraws, ConfigError> {
    let mut weights = Vec::with_capacity(config.layers);
    let mut bs = Vec::with_capacity(config.layers);
    // LSUV runs the network up to each layer: one cache, so that each pass reuses the last's draws.
    let mut cache = Cache::default();
    for l in 1..=config.layers {
        weights.push(layer_weights_with(config, l, &mut cache)?);
        let (sh, _) = layer_scheme(config, l)?;
        bs.push(biases(config, l, sh).unwrap_or_else(|| vec![0.0; sh.fan_out]));
    }
    let mut rng = stream(config.seed, Stream::Noise);
    let noise = (0..config.input.samples() * config.width)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    Ok(NetworkDraws {
        input: input_values(config),
        weights,
        biases: bs,
        noise,
    })
}

/// The shape of hidden layer `layer` (1-based) and the parameters its scheme reads.
pub(super) fn layer_scheme(
    config: &Config,
    layer: usize,
) -> Result<(Shape, SchemeParams), ConfigError> {
    if layer < 1 || layer > config.layers {
        return Err(error(
            "layer",
            format!(
                "must be a whole number from 1 to {} (got {layer})",
                config.layers
            ),
        ));
    }
    Ok(crate::core::scheme::layer(config, layer))
}

/// The weights of hidden layer `layer` (1-based) under `config`, `fan_in × width` row-major: the
/// very matrix [`simulate`] uses for that layer with the same config and seed.
pub fn layer_weights(config: &Config, layer: usize) -> Result<Vec<f64>, ConfigError> {
    layer_weights_with(config, layer, &mut Cache::default())
}

/// [`layer_weights`] with a [`Cache`]: LSUV's pass up to the layer reuses the draws it kept.
pub fn layer_weights_with(
    config: &Config,
    layer: usize,
    cache: &mut Cache,
) -> Result<Vec<f64>, ConfigError> {
    let (shape, params) = layer_scheme(config, layer)?;
    let work = weights_work(config, layer, shape);
    let budget = crate::core::config::WORK_BUDGET;
    if work > budget {
        return Err(error(
            if layer == 1 && shape.fan_in > shape.fan_out {
                "config.input"
            } else {
                "config.width"
            },
            format!(
                "gives layer {layer} a {} × {} {} matrix, which takes about {work} operations to form, \
                 and one call may do at most {budget}: ask for a narrower layer",
                shape.fan_in,
                shape.fan_out,
                config.scheme.name()
            ),
        ));
    }
    let mut out = Vec::new();
    let mut rng = stream(config.seed, Stream::Weights(layer));
    config.scheme.sample_into(shape, params, &mut rng, &mut out);
    if config.scheme == Scheme::Lsuv {
        // The factor comes from the batch: run the network up to this layer.
        let s = lsuv_scale(config, layer, cache)?;
        out.iter_mut().for_each(|w| *w *= s);
    }
    Ok(out)
}

/// Operations `layer_weights` does, counted as [`Config::work`] counts them: the draws (8 per
/// weight); for orthogonal and LSUV, the matrix formed from its reflections (every reflection
/// applied to each of fan_in unit rows, 4 a multiply-add: as measured, slower per row than the pass); for LSUV, the network
/// up to the layer, whose pass sets its scale.
pub fn weights_work(config: &Config, layer: usize, shape: Shape) -> u64 {
    let draws = 8 * (shape.fan_in * shape.fan_out) as u64;
    match config.scheme {
        Scheme::Orthogonal | Scheme::Lsuv => {
            let formed = 4 * shape.fan_in as u64 * Householder::row_work(shape);
            let upto = if config.scheme == Scheme::Lsuv {
                Config {
                    layers: layer,
                    ..config.clone()
                }
                .work()
            } else {
                0
            };
            draws + formed + upto
        }
        _ => draws,
    }
}

/// The factor LSUV scales layer `layer`'s orthogonal matrix by, from a forward pass to it.
pub(super) fn lsuv_scale(
    config: &Config,
    layer: usize,
    cache: &mut Cache,
) -> Result<f64, ConfigError> {
    let upto = Config {
        layers: layer,
        trace: false,
        bins: 1,
        ..config.clone()
    };
    match run_with(&upto, cache) {
        Ok((_, scales)) => Ok(scales[layer - 1]),
        Err(e) => Err(error("config", e.to_string())),
    }
}

/// The variance the scheme gives one weight of hidden layer `layer` (see
/// [`crate::Scheme::weight_variance`]).
pub fn layer_weight_variance(config: &Config, layer: usize) -> Result<f64, ConfigError> {
    layer_weight_variance_with(config, layer, &mut Cache::default())
}

/// [`layer_weight_variance`] with a [`Cache`] (see [`layer_weights_with`]).
pub fn layer_weight_variance_with(
    config: &Config,
    layer: usize,
    cache: &mut Cache,
) -> Result<f64, ConfigError> {
    let (shape, params) = layer_scheme(config, layer)?;
    if config.scheme == Scheme::Lsuv {
        let s = lsuv_scale(config, layer, cache)?;
        return Ok(s * s * config.scheme.weight_variance(shape, params));
    }
    Ok(config.scheme.weight_variance(shape, params))
}
