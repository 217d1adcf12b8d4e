//! The JavaScript face of the core: `simulate(config)`.
//!
//! JS values are read into a [`Value`] (bounded in size and depth, so a hostile object cannot make
//! the conversion itself run away), validated by the core, simulated, and the result returned as a
//! plain object. Every failure becomes a thrown `Error`; nothing here can trap the module.

use crate::core::config::{Activation, Scheme, FIELDS, MAX_FEATURES, MAX_SAMPLES};
use crate::core::value::Value;
use crate::Simulation;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The longest array or string read from JS; longer ones are described, not copied.
const MAX_ITEMS: usize = if MAX_SAMPLES > MAX_FEATURES {
    MAX_SAMPLES
} else {
    MAX_FEATURES
};
/// How deeply a config nests: config → input → sample → number.
const MAX_DEPTH: usize = 3;
/// The most keys read from one object.
const MAX_KEYS: usize = 64;

fn describe_js(v: &JsValue) -> String {
    let kind = v.js_typeof().as_string().unwrap_or_default();
    format!("a {kind}")
}

/// Reads a JS value into a [`Value`]. `None` means `undefined`: the field is absent.
fn read(v: &JsValue, depth: usize) -> Option<Value> {
    if v.is_undefined() {
        return None;
    }
    Some(if v.is_null() {
        Value::Null
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(x) = v.as_f64() {
        Value::Number(x)
    } else if let Some(s) = v.dyn_ref::<js_sys::JsString>() {
        if s.length() as usize > 256 {
            Value::Other(format!("a string of {} characters", s.length()))
        } else {
            Value::Text(String::from(s))
        }
    } else if depth >= MAX_DEPTH {
        Value::Other(format!("{} nested too deeply", describe_js(v)))
    } else if Array::is_array(v) {
        let items: &Array = v.unchecked_ref();
        let n = items.length() as usize;
        if n > MAX_ITEMS {
            Value::Other(format!(
                "an array of {n} items, more than the {MAX_ITEMS} allowed"
            ))
        } else {
            Value::List(
                items
                    .iter()
                    .map(|x| read(&x, depth + 1).unwrap_or(Value::Other("undefined".into())))
                    .collect(),
            )
        }
    } else if js_sys::ArrayBuffer::is_view(v) && !v.is_instance_of::<js_sys::DataView>() {
        let typed = js_sys::Float64Array::new(v);
        let n = typed.length() as usize;
        if n > MAX_ITEMS {
            Value::Other(format!(
                "a typed array of {n} items, more than the {MAX_ITEMS} allowed"
            ))
        } else {
            typed.to_vec().into()
        }
    } else if v.is_function() || !v.is_object() {
        Value::Other(describe_js(v))
    } else {
        let object: &Object = v.unchecked_ref();
        let keys = Object::keys(object);
        let n = keys.length() as usize;
        if n > MAX_KEYS {
            return Some(Value::Other(format!("an object with {n} keys")));
        }
        let mut fields = Vec::new();
        if depth == 0 {
            // The config itself: look its known fields up by cached names, so a call converts no
            // strings unless the object has a key that is not a field (then read every key, below).
            FIELD_NAMES.with(|names| {
                for (name, key) in FIELDS.iter().zip(names) {
                    if Object::has_own(object, key) {
                        if let Some(field) = read_field(v, key, depth) {
                            fields.push((name.to_string(), field));
                        }
                    }
                }
            });
            if fields.len() == n {
                return Some(Value::Map(fields));
            }
            fields.clear();
        }
        for key in keys.iter() {
            let name = key.as_string().unwrap_or_default();
            if let Some(field) = read_field(v, &key, depth) {
                fields.push((name, field));
            }
        }
        Value::Map(fields)
    })
}

/// Reads `object[key]`; a getter that throws is a value we cannot read, said so instead of failing.
fn read_field(object: &JsValue, key: &JsValue, depth: usize) -> Option<Value> {
    Reflect::get(object, key)
        .map(|x| read(&x, depth + 1))
        .unwrap_or_else(|_| Some(Value::Other("a property that throws when read".into())))
}

thread_local! {
    /// The config's field names as JS strings, made once.
    static FIELD_NAMES: Vec<JsValue> = FIELDS.iter().map(|f| JsValue::from_str(f)).collect();
}

/// Reads a config: the common shape (numbers, known names, `{ samples, features }`) through
/// `packConfig` in one call, anything else field by field through [`read`]. Both give the same
/// [`Value`], which the core then checks.
fn read_config(config: &JsValue) -> Value {
    let field_by_field = || read(config, 0).unwrap_or(Value::Map(Vec::new()));
    let mut packed = [0.0; 14];
    if !pack_config(config, &mut packed) {
        return field_by_field();
    }
    let present = packed[0] as u32;
    let mut fields = Vec::new();
    for (slot, name) in FIELDS.iter().enumerate().skip(1) {
        if present & (1 << slot) == 0 {
            continue;
        }
        let x = packed[slot];
        let value = match *name {
            "scheme" => Scheme::ALL
                .get(x as usize)
                .map(|s| Value::Text(s.name().into())),
            "activation" => Activation::NAMES
                .get(x as usize)
                .map(|&a| Value::Text(a.into())),
            "trace" => Some(Value::Bool(x != 0.0)),
            _ => Some(Value::Number(x)),
        };
        match value {
            Some(value) => fields.push((name.to_string(), value)),
            None => return field_by_field(),
        }
    }
    if present & (1 << 12) != 0 {
        fields.push((
            "input".into(),
            crate::core::value::map([
                ("samples", packed[12].into()),
                ("features", packed[13].into()),
            ]),
        ));
    }
    Value::Map(fields)
}

/// Runs the simulator. See `weight_init.d.ts` for the config and the result.
#[wasm_bindgen(
    js_name = simulate,
    unchecked_return_type = "Simulation"
)]
pub fn simulate_js(
    #[wasm_bindgen(unchecked_param_type = "SimulateConfig | undefined")] config: JsValue,
) -> Result<JsValue, JsError> {
    let value = read_config(&config);
    let result = crate::simulate_value(&value).map_err(|e| JsError::new(&e))?;
    Ok(unpack(&pack(&result)))
}

/// Flattens a result into numbers, in the layout `unpack` (in `src/glue.js`) reads. Building the
/// JS object on the JS side from one array costs one boundary crossing instead of hundreds.
fn pack(r: &Simulation) -> Vec<f64> {
    let bins = r.layers.first().map_or(0, |l| l.histogram.counts.len());
    let first = &r.layers[0];
    let flags = u8::from(first.dead_fraction.is_some())
        | u8::from(first.saturated_fraction.is_some()) << 1
        | u8::from(r.theory.is_some()) << 2
        | u8::from(r.trace.is_some()) << 3;
    let width = r
        .trace
        .as_ref()
        .and_then(|t| t.first())
        .map_or(0, |row| row.len());
    let or_nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
    let or_zero = |x: Option<usize>| x.map_or(0.0, |l| l as f64);
    let mut out = Vec::with_capacity(8 + r.layers.len() * (18 + bins));
    out.extend([
        r.samples as f64,
        r.features as f64,
        r.layers.len() as f64,
        bins as f64,
        flags as f64,
        or_zero(r.first_non_finite_layer),
        or_zero(r.first_non_finite_grad_layer),
        width as f64,
    ]);
    for l in &r.layers {
        out.extend([
            l.pre_mean,
            l.pre_variance,
            l.post_mean,
            l.post_variance,
            or_nan(l.dead_fraction),
            or_nan(l.saturated_fraction),
            l.neuron_spread,
            l.histogram.lo,
            l.histogram.hi,
            l.histogram.non_finite as f64,
            l.grad_variance,
            l.weight_grad_variance,
        ]);
        out.extend(l.histogram.counts.iter().map(|&c| c as f64));
    }
    for t in r.theory.iter().flatten() {
        out.extend([
            t.pre_mean,
            t.pre_variance,
            t.post_mean,
            t.post_variance,
            t.grad_variance,
            t.weight_grad_variance,
        ]);
    }
    for row in r.trace.iter().flatten() {
        out.extend_from_slice(row);
    }
    out
}

/// The weights of hidden layer `layer` (1-based) for `config`: the matrix `simulate` draws for that
/// layer with the same config and seed, `fan_in × width` values row by row.
#[wasm_bindgen(js_name = weights)]
pub fn weights_js(
    #[wasm_bindgen(unchecked_param_type = "SimulateConfig | undefined")] config: JsValue,
    layer: f64,
) -> Result<js_sys::Float64Array, JsError> {
    let value = read_config(&config);
    let config = crate::Config::from_value(&value).map_err(|e| JsError::new(&e.to_string()))?;
    if layer.fract() != 0.0 || !(1.0..=config.layers as f64).contains(&layer) {
        return Err(JsError::new(&format!(
            "layer must be a whole number from 1 to {} (got {})",
            config.layers,
            crate::core::value::format_number(layer)
        )));
    }
    let w = crate::core::network::layer_weights(&config, layer as usize)
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(js_sys::Float64Array::from(&w[..]))
}

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// Builds the documented result object from [`pack`]'s numbers.
    fn unpack(data: &[f64]) -> JsValue;
    /// Packs a config of the common shape into `out` (see `SLOTS` in glue.js); false for any other.
    #[wasm_bindgen(js_name = packConfig)]
    fn pack_config(config: &JsValue, out: &mut [f64]) -> bool;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Name of a weight initialization scheme. */
export type Scheme = "normal" | "uniform" | "constant" | "zeros" | "xavier-normal" | "xavier-uniform"
  | "he-normal" | "he-uniform" | "lecun-normal" | "pytorch-default" | "orthogonal";
/** Name of an activation function. */
export type ActivationName = "relu" | "leaky-relu" | "tanh" | "sigmoid" | "linear";

/** Every field is optional; the defaults reproduce the article's experiment with σ = 0.01. */
export interface SimulateConfig {
  /** One sample, a batch of equal-length samples, or a N(0,1) batch drawn from the seed. Default [1, 2, 3, 4, 5]. */
  input?: number[] | Float64Array | number[][] | { samples: number; features: number };
  /** Hidden layers, 1–1000. Default 8. */
  layers?: number;
  /** Neurons per hidden layer, 1–4096. Default 10. */
  width?: number;
  /** Default "normal". */
  scheme?: Scheme;
  /** Std of "normal"/"uniform", value of "constant"; 0–1e6. Default 0.01. */
  sigma?: number;
  /** Multiplier of the fan-based schemes and "orthogonal"; 0–1e6. Default 1. */
  gain?: number;
  /** Every bias; −1e6–1e6. Default 0. */
  bias?: number;
  /** Default "relu". */
  activation?: ActivationName;
  /** Negative slope of "leaky-relu", 0–1. Default 0.01. */
  slope?: number;
  /** Whole number 0–2^53−1. Same config and seed, same numbers, on every platform. Default 0. */
  seed?: number;
  /** Bins of each layer's histogram, 1–256. Default 30. */
  bins?: number;
  /** Record every neuron's output for the first sample (layers × width ≤ 65536). Default false. */
  trace?: boolean;
}

export interface Histogram { lo: number; hi: number; counts: number[]; nonFinite: number; }

export interface LayerStats {
  layer: number;
  preMean: number; preVariance: number; postMean: number; postVariance: number;
  /** ReLU/leaky ReLU: share of neurons ≤ 0 for every sample; otherwise null. */
  deadFraction: number | null;
  /** tanh: share of values with |a| > 0.97; sigmoid: outside (0.03, 0.97); otherwise null. */
  saturatedFraction: number | null;
  /** Largest gap between two neurons' outputs for one sample; 0 = all neurons identical. */
  neuronSpread: number;
  histogram: Histogram;
  gradVariance: number; weightGradVariance: number;
}

export interface TheoryLayer {
  layer: number;
  preMean: number; preVariance: number; postMean: number; postVariance: number;
  gradVariance: number; weightGradVariance: number;
}

export interface Simulation {
  samples: number;
  features: number;
  layers: LayerStats[];
  /** Mean-field prediction per layer; null for "zeros" and "constant". */
  theory: TheoryLayer[] | null;
  /** First layer (1-based) holding NaN or ±Infinity, or null. */
  firstNonFiniteLayer: number | null;
  firstNonFiniteGradLayer: number | null;
  /** With `trace`: trace[l][j] is neuron j's output at layer l + 1 for the first sample; else null. */
  trace: number[][] | null;
}
"#;

/// A network being trained on a 2-D data set (see `TrainConfig`): `new Trainer(config)`, then
/// `train(steps)` in slices, reading `progress()` and `boundary(res)` between them.
#[wasm_bindgen(js_name = Trainer)]
pub struct TrainerJs {
    inner: crate::core::train::Trainer,
}

#[wasm_bindgen(js_class = Trainer)]
impl TrainerJs {
    /// Validates `config` (every field optional) and initializes the network; throws an `Error`
    /// naming the bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrainConfig | undefined")] config: JsValue,
    ) -> Result<TrainerJs, JsError> {
        let value = read(&config, 0).unwrap_or(Value::Map(Vec::new()));
        let config = crate::core::train::TrainConfig::from_value(&value)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(TrainerJs {
            inner: crate::core::train::Trainer::new(config),
        })
    }

    /// Takes up to `steps` SGD steps (at most 100,000 per call; fewer once diverged).
    pub fn train(&mut self, steps: f64) -> Result<(), JsError> {
        if !(steps.fract() == 0.0 && (0.0..=100_000.0).contains(&steps)) {
            return Err(JsError::new(
                "steps must be a whole number from 0 to 100000",
            ));
        }
        self.inner.train(steps as usize);
        Ok(())
    }

    /// `{ step, loss, accuracy, diverged }` over the whole data set.
    #[wasm_bindgen(unchecked_return_type = "TrainProgress")]
    pub fn progress(&self) -> JsValue {
        let p = self.inner.progress();
        let o = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
        };
        set("step", (p.step as f64).into());
        set("loss", p.loss.into());
        set("accuracy", p.accuracy.into());
        set("diverged", p.diverged.into());
        o.into()
    }

    /// P(class 1) on a `res × res` grid over [−1.8, 1.8]², rows from the top; NaN where not finite.
    pub fn boundary(&self, res: u32) -> js_sys::Float64Array {
        js_sys::Float64Array::from(&self.inner.boundary(res as usize)[..])
    }

    /// The data set as (x, y, class) triples.
    pub fn points(&self) -> js_sys::Float64Array {
        let d = self.inner.data();
        let flat: Vec<f64> =
            d.y.iter()
                .enumerate()
                .flat_map(|(i, &c)| [d.x[2 * i], d.x[2 * i + 1], c as f64])
                .collect();
        js_sys::Float64Array::from(&flat[..])
    }

    /// Largest difference between two neurons' outputs in any hidden layer (0: all identical).
    #[wasm_bindgen(js_name = neuronSpread)]
    pub fn neuron_spread(&self) -> f64 {
        self.inner.neuron_spread()
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TRAIN_TYPES: &'static str = r#"
/** Every field optional; the defaults are the figure's: 20 ReLU layers of 16 on the spiral, He, SGD lr 0.01, momentum 0.9. */
export interface TrainConfig {
  dataset?: "spiral" | "moons" | "circles"; points?: number; layers?: number; width?: number;
  activation?: "relu" | "tanh"; scheme?: Scheme; sigma?: number; lr?: number; momentum?: number;
  batch?: number; seed?: number;
}
export interface TrainProgress { step: number; loss: number; accuracy: number; diverged: boolean; }
"#;
