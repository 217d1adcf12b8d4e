//! The WebAssembly exports inside a real browser's dedicated Web Worker (no DOM), driven by
//! headless Chromium through `wasm-bindgen-test-runner` (see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use weight_init::bindings::simulate_tape;
use weight_init::core::schema::result;
use weight_init::{map, Value};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn tape(v: &Value) -> Vec<f64> {
    let mut t = Vec::new();
    v.to_tape(&mut t);
    t
}

#[wasm_bindgen_test]
fn runs_in_a_worker_without_a_document() {
    let global = js_sys::global();
    assert!(js_sys::Reflect::get(&global, &"document".into())
        .unwrap()
        .is_undefined());
    let config = map([
        ("sigma", 0.5.into()),
        ("seed", 3.0.into()),
        ("layers", 12.0.into()),
    ]);
    let r = simulate_tape(&tape(&config)).unwrap();
    let at = |name: &str| result::HEADER.iter().position(|h| *h == name).unwrap();
    assert_eq!(r[at("layerCount")], 12.0);
    assert_eq!(r[at("hasTheory")], 1.0);
    // σ = 0.5 grows Var(Z) ×1.25 per layer in theory: the theory block follows the layers.
    let bins = r[at("bins")] as usize;
    let theory = result::HEADER.len() + 12 * (result::LAYER.len() + bins);
    let pre = |l: usize| r[theory + l * result::THEORY.len() + 1];
    assert!((pre(1) / pre(0) - 1.25).abs() < 1e-12);
}

#[wasm_bindgen_test]
fn errors_are_thrown_as_errors_and_the_module_lives_on() {
    let err: JsValue = simulate_tape(&tape(&map([("width", (-4.0).into())])))
        .unwrap_err()
        .into();
    let err: js_sys::Error = wasm_bindgen::JsCast::dyn_into(err).expect("an Error");
    let message = String::from(err.message());
    assert!(
        message.starts_with("config.width must be a whole number from 1 to 4096"),
        "{message}"
    );
    assert!(
        simulate_tape(&[0.0]).is_ok(),
        "undefined is the default config"
    );
}
