//! The second WebAssembly module: the computations of the article's later sections and the
//! training figure's networks, exported to `www/deeper.js`. Arguments arrive as tapes made by
//! `encode` in `www/simulator.js` and are checked against their schemas here, so a malformed config
//! is an `Error` naming the field, never a trap.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use weight_init::core::attention::Curves;
use weight_init::core::digits::Digits;
use weight_init::core::schema::Schema;
use weight_init::core::train::{TrainConfig, Trainer};
use weight_init::core::validate::{check, ConfigError, Record};
use weight_init::Value;

/// Shows a panic's Rust message in the console before the module stops.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn fail(e: impl ToString) -> JsError {
    JsError::new(&e.to_string())
}

fn checked<T>(r: Result<T, ConfigError>) -> Result<T, JsError> {
    r.map_err(fail)
}

/// The value on `tape`; `undefined` reads as `absent`.
fn read(tape: &[f64], absent: Value) -> Result<Value, JsError> {
    Value::from_tape(tape)
        .map(|v| v.unwrap_or(absent))
        .map_err(|e| fail(format!("the arguments could not be read: {e}")))
}

/// The config on `tape` checked against `schema`; `undefined` reads as `{}`.
fn record(tape: &[f64], schema: &'static Schema) -> Result<Record, JsError> {
    let value = Value::from_tape(tape)
        .map_err(|e| fail(format!("the arguments could not be read: {e}")))?
        .unwrap_or(Value::Map(Vec::new()));
    check(schema, &value, "config").map_err(fail)
}

thread_local! {
    /// The attention theory's grids (see [`Curves`]), kept by the module, the one owner that
    /// outlives a call, for the next `attentionTape`: it changes no result, only the time a call
    /// takes.
    static CURVES: std::cell::RefCell<Curves> = std::cell::RefCell::new(Curves::default());
}

/// Residual blocks, flat in the layout of `schema::result::RESIDUAL` (read by name by
/// `unpackFlat` in `simulator.js`).
#[wasm_bindgen(js_name = residualTape)]
pub fn residual_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let record = record(tape, &weight_init::core::schema::residual::SCHEMA)?;
    Ok(weight_init::core::residual::residual(&record).flat())
}

/// Attention at initialization, flat in the layout of `schema::result::ATTENTION`.
#[wasm_bindgen(js_name = attentionTape)]
pub fn attention_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let record = record(tape, &weight_init::core::schema::attention::SCHEMA)?;
    let a =
        CURVES.with(|c| weight_init::core::attention::attention_with(&record, &mut c.borrow_mut()));
    Ok(a.flat())
}

/// The input–output Jacobian at a critical point, flat in the layout of
/// `schema::result::ISOMETRY`.
#[wasm_bindgen(js_name = isometryTape)]
pub fn isometry_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let record = record(tape, &weight_init::core::schema::isometry::SCHEMA)?;
    Ok(weight_init::core::isometry::isometry(&record).flat())
}

/// The digits data, read (see `Digits` in `deeper.js`, which owns one of these): what a training
/// run on `dataset: "digits"` is given.
#[wasm_bindgen(js_name = DigitsCore)]
pub struct DigitsCore {
    inner: Digits,
}

/// Reads the digits data (the uncompressed bytes of `www/data/digits.bin.gz`) for the training
/// runs that ask for `dataset: "digits"`.
#[wasm_bindgen(js_name = loadDigits)]
pub fn load_digits(bytes: &[u8]) -> Result<DigitsCore, JsError> {
    Ok(DigitsCore {
        inner: weight_init::core::digits::parse(bytes).map_err(fail)?,
    })
}

/// A network being trained (see `Trainer` in `deeper.js`, which owns one of these).
#[wasm_bindgen(js_name = TrainerCore)]
pub struct TrainerCore {
    inner: Trainer,
}

impl TrainerCore {
    fn build(tape: &[f64], digits: Option<&Digits>) -> Result<TrainerCore, JsError> {
        let config = checked(TrainConfig::from_value(&read(
            tape,
            Value::Map(Vec::new()),
        )?))?;
        Ok(TrainerCore {
            inner: checked(Trainer::with_data(config, digits))?,
        })
    }
}

#[wasm_bindgen(js_class = TrainerCore)]
impl TrainerCore {
    /// Validates the config on `tape` and initializes the network, on one of the generated data
    /// sets (the digits need [`Self::with_digits`]).
    #[wasm_bindgen(constructor)]
    pub fn new(tape: &[f64]) -> Result<TrainerCore, JsError> {
        Self::build(tape, None)
    }

    /// [`Self::new`], learning `digits` when the config asks for the digits.
    #[wasm_bindgen(js_name = withDigits)]
    pub fn with_digits(tape: &[f64], digits: &DigitsCore) -> Result<TrainerCore, JsError> {
        Self::build(tape, Some(&digits.inner))
    }

    /// Takes the steps on `tape` (checked against the network's limit).
    pub fn train(&mut self, tape: &[f64]) -> Result<(), JsError> {
        let steps = checked(
            self.inner
                .config()
                .steps(&read(tape, Value::Other("undefined".into()))?),
        )?;
        self.inner.train(steps);
        Ok(())
    }

    /// `[step, loss, accuracy, diverged, testLoss, testAccuracy]`, in the order of
    /// [`schema::result::PROGRESS`].
    pub fn progress(&self) -> Vec<f64> {
        let p = self.inner.progress();
        vec![
            p.step as f64,
            p.loss,
            p.accuracy,
            f64::from(u8::from(p.diverged)),
            p.test_loss,
            p.test_accuracy,
        ]
    }

    /// The predicted class of each of the first `count` test points (NaN: no single answer).
    pub fn predictions(&self, count: usize) -> Vec<f64> {
        self.inner.predictions(count)
    }

    /// The classes of the first `count` test points.
    #[wasm_bindgen(js_name = testLabels)]
    pub fn test_labels(&self, count: usize) -> Vec<f64> {
        let d = self.inner.data();
        let count = count.min(d.test_y.len());
        d.test_y[..count].iter().map(|&y| y as f64).collect()
    }

    /// The inputs of the first `count` test points, one after the other ([`Self::features`] each).
    #[wasm_bindgen(js_name = testInputs)]
    pub fn test_inputs(&self, count: usize) -> Vec<f64> {
        let d = self.inner.data();
        let count = count.min(d.test_y.len());
        d.test_x[..count * d.features].to_vec()
    }

    /// Inputs per data point (2 for the plane's sets, 64 pixels for the digits).
    pub fn features(&self) -> usize {
        self.inner.data().features
    }

    /// The decision boundary at the resolution on `tape`.
    pub fn boundary(&self, tape: &[f64]) -> Result<Vec<f64>, JsError> {
        let res = checked(
            self.inner
                .config()
                .res(&read(tape, Value::Other("undefined".into()))?),
        )?;
        Ok(self.inner.boundary(res))
    }

    /// The data set as (x, y, class) triples; empty for the digits.
    pub fn points(&self) -> Vec<f64> {
        let d = self.inner.data();
        if d.features != 2 {
            return Vec::new();
        }
        d.y.iter()
            .enumerate()
            .flat_map(|(i, &c)| [d.x[2 * i], d.x[2 * i + 1], c as f64])
            .collect()
    }

    /// Largest difference between two neurons' outputs in any hidden layer.
    #[wasm_bindgen(js_name = neuronSpread)]
    pub fn neuron_spread(&self) -> f64 {
        self.inner.neuron_spread()
    }
}
