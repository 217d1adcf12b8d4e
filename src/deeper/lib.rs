//! The second WebAssembly module: the computations of the article's later sections, exported to
//! `src/deeper.js`. Arguments arrive as tapes made by `encode` in `src/simulator.js` and are
//! checked against their schemas (`core::schema::residual`, `core::schema::attention`) here, so a
//! malformed config is an `Error` naming the field, never a trap.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use weight_init::core::schema::Schema;
use weight_init::core::validate::{check, Record};
use weight_init::Value;

/// Shows a panic's Rust message in the console before the module stops.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn fail(e: impl ToString) -> JsError {
    JsError::new(&e.to_string())
}

/// The config on `tape` checked against `schema`; `undefined` reads as `{}`.
fn record(tape: &[f64], schema: &'static Schema) -> Result<Record, JsError> {
    let value = Value::from_tape(tape)
        .map_err(|e| fail(format!("the arguments could not be read: {e}")))?
        .unwrap_or(Value::Map(Vec::new()));
    check(schema, &value, "config").map_err(fail)
}

/// Residual blocks: `[blocks, forward…, backward…, forwardTheory…, backwardTheory…]`, each
/// `blocks + 1` long.
#[wasm_bindgen(js_name = residualTape)]
pub fn residual_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let record = record(tape, &weight_init::core::schema::residual::SCHEMA)?;
    let r = weight_init::core::residual::residual(&record);
    let mut out = vec![(r.forward.len() - 1) as f64];
    for part in [
        &r.forward,
        &r.backward,
        &r.forward_theory,
        &r.backward_theory,
    ] {
        out.extend(part);
    }
    Ok(out)
}

/// Attention at initialization: for the scaled then the unscaled scores `[scoreSd, entropy,
/// largest, jacobian, theory entropy, theory largest (NaN when skipped), keys, first…]`.
#[wasm_bindgen(js_name = attentionTape)]
pub fn attention_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let record = record(tape, &weight_init::core::schema::attention::SCHEMA)?;
    let a = weight_init::core::attention::attention(&record);
    let mut out = Vec::new();
    for (m, t) in [
        (&a.scaled, a.scaled_theory),
        (&a.unscaled, a.unscaled_theory),
    ] {
        let (h, p) = t.map_or((f64::NAN, f64::NAN), |t| (t.entropy, t.largest));
        out.extend([
            m.score_sd,
            m.entropy,
            m.largest,
            m.jacobian,
            h,
            p,
            m.first.len() as f64,
        ]);
        out.extend(&m.first);
    }
    Ok(out)
}

/// The input–output Jacobian at a critical point: `[sw2, sb2, n, singular values…, k, depths…,
/// mean…, spread…, spreadTheory…]`.
#[wasm_bindgen(js_name = isometryTape)]
pub fn isometry_tape(tape: &[f64]) -> Result<Vec<f64>, JsError> {
    let record = record(tape, &weight_init::core::schema::isometry::SCHEMA)?;
    let r = weight_init::core::isometry::isometry(&record);
    let mut out = vec![r.sw2, r.sb2, r.singular_values.len() as f64];
    out.extend(&r.singular_values);
    out.push(r.depths.len() as f64);
    out.extend(r.depths.iter().map(|&d| d as f64));
    for part in [&r.mean, &r.spread, &r.spread_theory] {
        out.extend(part);
    }
    Ok(out)
}
