//! `simulate` inside a real browser's dedicated Web Worker (no DOM), driven by headless Chromium
//! through `wasm-bindgen-test-runner` (see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use weight_init::bindings::simulate_js;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |v, k| {
        Reflect::get(&v, &JsValue::from_str(k)).unwrap()
    })
}

#[wasm_bindgen_test]
fn runs_in_a_worker_without_a_document() {
    let global = js_sys::global();
    assert!(Reflect::get(&global, &"document".into())
        .unwrap()
        .is_undefined());
    let config = JSON::parse(r#"{"sigma": 0.5, "seed": 3, "layers": 12}"#).unwrap();
    let r = simulate_js(config).unwrap();
    let layers: js_sys::Array = get(&r, &["layers"]).dyn_into().unwrap();
    assert_eq!(layers.length(), 12);
    // σ = 0.5 grows Var(Z) ×1.25 per layer in theory.
    let theory: js_sys::Array = get(&r, &["theory"]).dyn_into().unwrap();
    let t = |l: u32| get(&theory.get(l), &["preVariance"]).as_f64().unwrap();
    assert!((t(1) / t(0) - 1.25).abs() < 1e-12);
}

#[wasm_bindgen_test]
fn errors_are_thrown_as_errors_and_the_module_lives_on() {
    let bad = JSON::parse(r#"{"width": -4}"#).unwrap();
    let err: JsValue = simulate_js(bad).unwrap_err().into();
    let err: js_sys::Error = err.dyn_into().expect("an Error");
    let message = String::from(err.message());
    assert!(
        message.starts_with("config.width must be a whole number from 1 to 4096"),
        "{message}"
    );
    assert!(simulate_js(JsValue::UNDEFINED).is_ok());
}
