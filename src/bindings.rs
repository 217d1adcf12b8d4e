//! The WebAssembly side of the JavaScript API. `www/simulator.js` is the API callers use: it turns
//! every argument into plain data on the JavaScript side — a tape of numbers, see
//! [`crate::core::schema::tape`] — catching there anything that throws while being read, and calls
//! the exports below with it. Nothing here reads a JavaScript object, so no JavaScript exception
//! can unwind through WebAssembly frames, and every failure returns as an `Error` value.

use crate::core::config::Config;
use crate::core::network::{merge, merge_layers, Cache, Part, PartView, Simulator, SplitPlan};
use crate::core::schema;
use crate::core::validate::{check_field, Checked, ConfigError};
use crate::core::value::Value;
use crate::Simulation;
use wasm_bindgen::prelude::*;

/// Shows a panic's Rust message in the console before the module stops.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

thread_local! {
    /// What the module's last simulation kept for the next (see [`Cache`]): the module is the one
    /// owner that outlives a call, so `simulateTape`, `weightsTape` and every `SimulationCore`
    /// (which the page makes one a run) take the cache from here and give it back when done. It
    /// changes no result, only the time a call takes.
    static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::default());
}

/// The module's cache, taken (an empty one stands in until it is given back).
fn take_cache() -> Cache {
    CACHE.with(|c| std::mem::take(&mut *c.borrow_mut()))
}

/// Gives the module's cache back for the next call.
fn give_cache(cache: Cache) {
    CACHE.with(|c| *c.borrow_mut() = cache);
}

fn fail(e: impl ToString) -> JsError {
    JsError::new(&e.to_string())
}

/// The value on `tape`; `undefined` reads as `absent`.
pub(crate) fn read(tape: &[f64], absent: Value) -> Result<Value, JsError> {
    Value::from_tape(tape)
        .map(|v| v.unwrap_or(absent))
        .map_err(|e| fail(format!("the arguments could not be read: {e}")))
}

fn config_of(tape: &[f64]) -> Result<Config, JsError> {
    Config::from_value(&read(tape, Value::Map(Vec::new()))?).map_err(fail)
}

/// Grows the module's memory at once to what `config`'s pass holds at most, before the pass
/// allocates it layer by layer. Grown a few pages at a time, V8 collects garbage again and again
/// while the pass runs (about 200 full collections in a 100 MB pass), which made a fresh module's
/// first large call 2 to 4 times slower than the same call again. Only what the module lacks is
/// reserved; the block is freed at once and the allocator serves the pass from it. Called where a
/// pass starts (`simulateTape`, `SimulationCore`): a config only validated (`splitPlan` on the
/// page's thread) reserves nothing.
fn reserve(config: &Config) {
    #[cfg(target_arch = "wasm32")]
    {
        let have = core::arch::wasm32::memory_size::<0>() as u64 * 65536;
        let lack = config.cells().saturating_mul(8).saturating_sub(have);
        if lack > 0 {
            // black_box: an allocation nothing uses is otherwise removed by the optimiser.
            drop(std::hint::black_box(Vec::<u8>::with_capacity(
                lack as usize,
            )));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = config;
}

/// The contract as JSON: every schema, the name lists, the limits, the result layout and the tape.
#[wasm_bindgen(js_name = schemaJson)]
pub fn schema_json() -> String {
    schema::json()
}

/// Runs the simulator on the config on `tape`; the result flat, in the layout of
/// [`schema::result`].
#[wasm_bindgen(js_name = simulateTape)]
pub fn simulate_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let config = config_of(tape)?;
    reserve(&config);
    let mut cache = take_cache();
    let result = crate::core::network::simulate_with(&config, &mut cache);
    give_cache(cache);
    Ok(pack(&result.map_err(fail)?))
}

/// The config on `config` (absent: the defaults) and the hidden layer on `layer`, each its own tape
/// so that an error names the one that is wrong.
fn config_and_layer(config: &[f64], layer: &[f64]) -> Result<(Config, usize), JsError> {
    let config = config_of(config)?;
    let layer = read(layer, Value::Other("undefined".into()))?;
    match check_field(&schema::simulate::LAYER, &layer, "layer").map_err(fail)? {
        Checked::Number(x) => Ok((config, x as usize)),
        _ => Err(fail("layer must be a number")),
    }
}

/// The weights of a hidden layer.
#[wasm_bindgen(js_name = weightsTape)]
pub fn weights_tape(config: &[f64], layer: &[f64]) -> Result<Vec<f64>, JsError> {
    let (config, layer) = config_and_layer(config, layer)?;
    let mut cache = take_cache();
    let weights = crate::core::network::layer_weights_with(&config, layer, &mut cache);
    give_cache(cache);
    weights.map_err(fail)
}

/// The mean-field theory of signal propagation at a point (σ_w², σ_b²), flat in the layout of
/// [`schema::result::EDGE`] (read by name by `unpackFlat` in `simulator.js`).
#[wasm_bindgen(js_name = edgeOfChaosTape)]
pub fn edge_of_chaos_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    use crate::core::schema::edge::SCHEMA;
    let record =
        crate::core::validate::check(&SCHEMA, &read(tape, Value::Map(Vec::new()))?, "config")
            .map_err(fail)?;
    Ok(crate::core::meanfield::edge(&record).flat())
}

/// The variance the scheme gives one weight of a hidden layer.
#[wasm_bindgen(js_name = weightVarianceTape)]
pub fn weight_variance_tape(config: &[f64], layer: &[f64]) -> Result<f64, JsError> {
    let (config, layer) = config_and_layer(config, layer)?;
    let mut cache = take_cache();
    let variance = crate::core::network::layer_weight_variance_with(&config, layer, &mut cache);
    give_cache(cache);
    variance.map_err(fail)
}

/// Flattens a result into numbers, in the layout of [`schema::result`] (which the JavaScript
/// side reads by name), one boundary crossing instead of hundreds.
fn pack(r: &Simulation) -> Vec<f64> {
    let bins = r.layers.first().map_or(0, |l| l.histogram.counts.len());
    let width = r
        .trace
        .as_ref()
        .and_then(|t| t.first())
        .map_or(0, |row| row.len());
    let or_nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
    let layer_of = |x: Option<usize>| x.map_or(f64::NAN, |l| l as f64);
    let header: [f64; schema::result::HEADER.len()] = [
        r.samples as f64,
        r.features as f64,
        r.layers.len() as f64,
        bins as f64,
        f64::from(u8::from(r.theory.is_some())),
        layer_of(r.first_non_finite_layer),
        layer_of(r.first_non_finite_grad_layer),
        width as f64,
    ];
    let mut out = Vec::with_capacity(header.len() + r.layers.len() * (18 + bins));
    out.extend(header);
    for l in &r.layers {
        let values: [f64; schema::result::LAYER.len()] = [
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
        ];
        out.extend(values);
        out.extend(l.histogram.counts.iter().map(|&c| c as f64));
    }
    for t in r.theory.iter().flatten() {
        let values: [f64; schema::result::THEORY.len()] = [
            t.pre_mean,
            t.pre_variance,
            t.post_mean,
            t.post_variance,
            t.grad_variance,
            t.weight_grad_variance,
            t.pre_log_spread,
        ];
        out.extend(values);
    }
    for row in r.trace.iter().flatten() {
        out.extend_from_slice(row);
    }
    out
}

fn checked<T>(r: Result<T, ConfigError>) -> Result<T, JsError> {
    r.map_err(fail)
}

/// A simulation run a layer at a time, whole or as one part of its batch (see `SimulationRun` in
/// `www/simulator.js`, which owns one of these). It keeps its config, so the values it merges
/// with are read against the config it was validated with. It holds the module's cache while it
/// lives (see [`CACHE`]) and gives it back when freed.
#[wasm_bindgen(js_name = SimulationCore)]
pub struct SimulationCore {
    inner: Simulator,
    config: Config,
    plan: SplitPlan,
    part: usize,
    /// The result once taken, given again by a later `result()`.
    result: Option<Vec<f64>>,
}

/// A plan as numbers: its part count, each part's share of the layers (from, to), then the
/// layers each part sends the others (from, to).
fn plan_flat(plan: &SplitPlan) -> Vec<f64> {
    let mut out = vec![plan.parts as f64];
    for &(from, to) in &plan.shares {
        out.extend([from as f64, to as f64]);
    }
    for part in 0..plan.parts {
        let (from, to) = plan.sends(part);
        out.extend([from as f64, to as f64]);
    }
    out
}

impl SimulationCore {
    fn build(config: Config, plan: SplitPlan, part: usize) -> Result<SimulationCore, JsError> {
        reserve(&config);
        let inner = if plan.parts <= 1 {
            Simulator::with_cache(&config, take_cache()).map_err(fail)?
        } else {
            checked(Simulator::part_with_cache(
                &config,
                part,
                plan.parts,
                take_cache(),
            ))?
        };
        Ok(SimulationCore {
            inner,
            config,
            plan,
            part,
            result: None,
        })
    }

    fn whole(&self) -> bool {
        self.plan.parts <= 1
    }
}

impl Drop for SimulationCore {
    fn drop(&mut self) {
        give_cache(std::mem::replace(&mut self.inner, Simulator::empty()).into_cache());
    }
}

#[wasm_bindgen(js_class = SimulationCore)]
impl SimulationCore {
    /// Validates the config on `tape`; with `parts` > 1, part `part` of its batch (both checked
    /// by `simulator.js`, and again by [`Simulator::part`]), measuring its share of a
    /// [`SplitPlan`] of that many parts.
    #[wasm_bindgen(constructor)]
    pub fn new(tape: &[f64], part: usize, parts: usize) -> Result<SimulationCore, JsError> {
        let config = config_of(tape)?;
        let plan = SplitPlan::even(config.layers, parts);
        Self::build(config, plan, part)
    }

    /// Validates the config on `tape` and plans its run on `cores` cores ([`SplitPlan::new`]):
    /// the whole run, or part 0 of the plan's parts (the others run `new` with the plan's count).
    pub fn planned(tape: &[f64], cores: usize) -> Result<SimulationCore, JsError> {
        let config = config_of(tape)?;
        let plan = SplitPlan::new(&config, cores);
        Self::build(config, plan, 0)
    }

    /// The plan this run is part of, in the layout of `splitPlanTape`.
    pub fn plan(&self) -> Vec<f64> {
        plan_flat(&self.plan)
    }

    /// Which part of the plan this run is.
    pub fn part(&self) -> usize {
        self.part
    }

    /// Does the next layer's work; `true` once the simulation is done.
    pub fn step(&mut self) -> Result<bool, JsError> {
        self.inner.step().map_err(fail)
    }

    /// The share of the work done, from 0 to 1.
    pub fn progress(&self) -> f64 {
        self.inner.progress()
    }

    /// Finishes a whole simulation: the result in the layout of [`schema::result`].
    pub fn result(&mut self) -> Result<Vec<f64>, JsError> {
        if !self.whole() {
            return Err(fail(
                "this simulation is a part: take its values with partValues()",
            ));
        }
        if let Some(r) = &self.result {
            return Ok(r.clone());
        }
        let packed = pack(&self.inner.take_result().map_err(fail)?);
        self.result = Some(packed.clone());
        Ok(packed)
    }

    /// Finishes a part: its values for `mergeParts` or another part's `mergeWith` (it keeps them
    /// for its own `mergeWith`), those that measuring hidden layers `from + 1 ..= to` needs (`to`
    /// past the last layer means the last; `from` past it, the window the plan sends the others).
    #[wasm_bindgen(js_name = partValues)]
    pub fn part_values(&mut self, from: usize, to: usize) -> Result<Vec<f64>, JsError> {
        if self.whole() {
            return Err(fail(
                "this simulation is whole: take its result with result()",
            ));
        }
        while !self.inner.step().map_err(fail)? {}
        let Some(part) = self.inner.part_done() else {
            return Err(fail("this part's values are gone"));
        };
        let layers = part.layers();
        let to = to.min(layers);
        if from >= to {
            return Err(fail(format!(
                "layers must be a range of this network's layers, from 0 to {layers} (got {from} to {to})"
            )));
        }
        Ok(part.to_flat(Part::window(from, to)))
    }

    /// The values the plan sends the other parts: [`Self::part_values`] for their shares.
    #[wasm_bindgen(js_name = sendValues)]
    pub fn send_values(&mut self) -> Result<Vec<f64>, JsError> {
        let (from, to) = self.plan.sends(self.part);
        self.part_values(from, to)
    }

    /// Finishes this part and measures it with the other parts' values on `values` (one after
    /// the other, in order of part): hidden layers `from + 1 ..= to` of the whole batch's result
    /// (`to` past the last layer means the last), in the layout of [`schema::result`].
    #[wasm_bindgen(js_name = mergeWith)]
    pub fn merge_with(
        &mut self,
        values: &[f64],
        from: usize,
        to: usize,
    ) -> Result<Vec<f64>, JsError> {
        if self.whole() {
            return Err(fail(
                "this simulation is whole: take its result with result()",
            ));
        }
        while !self.inner.step().map_err(fail)? {}
        let Some(own) = self.inner.part_done() else {
            return Err(fail("this part's values are gone"));
        };
        let config = &self.config;
        let mut parts = checked(PartView::many_from_flat(config, values))?;
        let at = parts.iter().filter(|p| p.first < own.first).count();
        parts.insert(at, own.view());
        let to = to.min(config.layers);
        Ok(pack(&checked(merge_layers(config, &parts, from, to))?))
    }

    /// [`Self::merge_with`] for this part's share of the plan.
    #[wasm_bindgen(js_name = mergeShare)]
    pub fn merge_share(&mut self, values: &[f64]) -> Result<Vec<f64>, JsError> {
        let (from, to) = self.plan.shares[self.part];
        self.merge_with(values, from, to)
    }
}

/// How the config on `tape` would be split for workers on `cores` cores ([`SplitPlan::new`]):
/// its part count, each part's share of the layers (from, to), then what each part sends.
#[wasm_bindgen(js_name = splitPlanTape)]
pub fn split_plan_tape(tape: &[f64], cores: usize) -> Result<Vec<f64>, JsError> {
    Ok(plan_flat(&SplitPlan::new(&config_of(tape)?, cores)))
}

/// The result of the config on `tape` from its parts' values, one after the other in batch order.
#[wasm_bindgen(js_name = mergeTape)]
pub fn merge_tape(tape: &[f64], values: &[f64]) -> Result<Vec<f64>, JsError> {
    let config = config_of(tape)?;
    let parts = checked(PartView::many_from_flat(&config, values))?;
    Ok(pack(&checked(merge(&config, &parts))?))
}

/// The exact law of one He ReLU network's Var(Z_l) / E[Var(Z_l)] with one input (see
/// [`crate::core::spread`]): for layers 1 … `layers` of a network `width` wide, the atom at 0
/// (the chance that an earlier layer died), then the 10 %, 50 % and 90 % quantiles, each
/// `layers` numbers long.
#[wasm_bindgen(js_name = spreadLaw)]
pub fn spread_law(width: f64, layers: f64) -> Result<Vec<f64>, JsError> {
    let whole = |v: f64, lo: f64, hi: f64| v.fract() == 0.0 && (lo..=hi).contains(&v);
    if !whole(width, 2.0, 4096.0) || !whole(layers, 1.0, 1000.0) {
        return Err(fail(format!(
            "spreadLaw: width must be a whole number from 2 to 4096 and layers from 1 to 1000 (got {width}, {layers})"
        )));
    }
    let law = crate::core::spread::he_relu_law(width as usize, layers as usize, &[0.1, 0.5, 0.9]);
    let mut out = law.atom;
    for k in 0..3 {
        out.extend(law.quantiles.iter().map(|q| q[k]));
    }
    Ok(out)
}

/// Everything random a simulation of the config on `tape` draws (see
/// [`crate::core::network::draws`]), flat: samples, features, width and layers, the input, the
/// backward noise, then each hidden layer's weights followed by its biases.
#[wasm_bindgen(js_name = drawsTape)]
pub fn draws_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let config = config_of(tape)?;
    let d = crate::core::network::draws(&config).map_err(fail)?;
    let mut out = vec![
        config.input.samples() as f64,
        config.input.features() as f64,
        config.width as f64,
        config.layers as f64,
    ];
    out.extend(d.input);
    out.extend(d.noise);
    for (w, b) in d.weights.into_iter().zip(d.biases) {
        out.extend(w);
        out.extend(b);
    }
    Ok(out)
}
