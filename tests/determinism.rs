//! The same config and seed give the same numbers, bit for bit: run to run, and natively versus
//! WebAssembly. This test writes nothing unless asked; it checks the native results against
//! `tests/fixtures/determinism.json`, which the wasm test (`tests/wasm/determinism.test.mjs`)
//! checks the browser build against. Regenerate with `UPDATE_FIXTURES=1 cargo test --test determinism`.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use weight_init::core::network::layer_weights;
use weight_init::core::train::{TrainConfig, Trainer};
use weight_init::{simulate_value, Config, Value};

/// Configs covering every code path that draws or transforms numbers.
fn configs() -> Json {
    json!([
        {},
        { "sigma": 0.5, "seed": 7 },
        { "scheme": "xavier-uniform", "activation": "tanh", "layers": 5, "width": 16, "seed": 123456789 },
        { "scheme": "he-uniform", "activation": "leaky-relu", "slope": 0.2, "input": [[1, -2, 0.5], [3, 4, -5]] },
        { "scheme": "orthogonal", "gain": 1.5, "activation": "sigmoid", "width": 7, "layers": 4, "bias": 0.1 },
        { "scheme": "lecun-normal", "activation": "linear", "input": { "samples": 6, "features": 9 }, "seed": 9007199254740991u64 },
        { "scheme": "pytorch-default", "layers": 12, "width": 40, "input": { "samples": 3, "features": 40 }, "bins": 7 },
        { "scheme": "uniform", "sigma": 0.3, "seed": 42, "bins": 1 },
        { "scheme": "constant", "sigma": 0.2 },
        { "scheme": "zeros", "bias": -0.5, "activation": "tanh" },
        { "scheme": "he-normal", "layers": 3, "width": 600, "input": { "samples": 2, "features": 600 } },
        { "scheme": "he-normal", "layers": 4, "width": 61, "input": { "samples": 47, "features": 33 }, "seed": 5 },
        { "scheme": "xavier-normal", "activation": "tanh", "layers": 6, "width": 9, "trace": true, "seed": 3 }
    ])
}

fn to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(a) => Value::List(a.iter().map(to_value).collect()),
        Json::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

/// Every number in the result by its path, as the hex of its f64 bits; null as "null".
fn flatten(j: &Json, path: String, out: &mut BTreeMap<String, String>) {
    match j {
        Json::Object(o) => o
            .iter()
            .for_each(|(k, v)| flatten(v, format!("{path}.{k}"), out)),
        Json::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| flatten(v, format!("{path}[{i}]"), out)),
        Json::Number(n) => {
            out.insert(
                path,
                format!("{:016x}", n.as_f64().unwrap_or(f64::NAN).to_bits()),
            );
        }
        Json::Null => {
            out.insert(path, "null".into());
        }
        other => panic!("unexpected {other} at {path}"),
    }
}

fn results() -> Json {
    let cases: Vec<Json> = configs()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let sim = simulate_value(&to_value(c)).unwrap_or_else(|e| panic!("{c}: {e}"));
            let mut bits = BTreeMap::new();
            flatten(
                &serde_json::to_value(&sim).unwrap(),
                String::new(),
                &mut bits,
            );
            json!({ "config": c, "bits": bits })
        })
        .collect();
    Json::Array(cases)
}

#[test]
fn same_seed_same_bits_and_the_fixture_is_current() {
    let now = results();
    assert_eq!(now, results(), "two runs of the same configs differ");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/determinism.json"
    );
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let saved: Json = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture exists"))
        .expect("fixture is JSON");
    for (a, b) in saved
        .as_array()
        .unwrap()
        .iter()
        .zip(now.as_array().unwrap())
    {
        assert_eq!(a["config"], b["config"]);
        for (k, v) in b["bits"].as_object().unwrap() {
            assert_eq!(
                &a["bits"][k], v,
                "{}: {k} changed; if intended, regenerate the fixture",
                a["config"]
            );
        }
    }
    assert_eq!(
        saved.as_array().unwrap().len(),
        now.as_array().unwrap().len()
    );
}

#[test]
fn another_seed_gives_other_numbers() {
    let a = simulate_value(&weight_init::map([("seed", 1.0.into())])).unwrap();
    let b = simulate_value(&weight_init::map([("seed", 2.0.into())])).unwrap();
    assert_ne!(a.layers[0].pre_variance, b.layers[0].pre_variance);
}

fn hex(xs: &[f64]) -> Vec<String> {
    xs.iter().map(|x| format!("{:016x}", x.to_bits())).collect()
}

/// `weights()` and `Trainer` on a few configs: the weights of a layer; the progress after some
/// steps and a coarse decision boundary.
fn more_results() -> Json {
    let weights: Vec<Json> = [
        (
            json!({ "scheme": "orthogonal", "width": 6, "layers": 3, "seed": 4 }),
            2,
        ),
        (
            json!({ "scheme": "xavier-uniform", "width": 5, "input": [1, 2, 3] }),
            1,
        ),
        (
            json!({ "scheme": "he-normal", "width": 8, "layers": 2, "seed": 77 }),
            2,
        ),
    ]
    .into_iter()
    .map(|(c, layer)| {
        let config = Config::from_value(&to_value(&c)).unwrap();
        let w = layer_weights(&config, layer).unwrap();
        json!({ "config": c, "layer": layer, "bits": hex(&w) })
    })
    .collect();
    let trainers: Vec<Json> = [
        json!({ "dataset": "spiral", "layers": 4, "width": 8, "seed": 2 }),
        json!({ "dataset": "moons", "activation": "tanh", "scheme": "xavier-normal", "layers": 3, "lr": 0.05 }),
        json!({ "dataset": "circles", "scheme": "normal", "sigma": 0.5, "layers": 2, "batch": 16, "seed": 9 }),
    ]
    .into_iter()
    .map(|c| {
        let mut t = Trainer::new(TrainConfig::from_value(&to_value(&c)).unwrap()).unwrap();
        t.train(25);
        let p = t.progress();
        json!({
            "config": c, "steps": 25, "res": 5,
            "progress": hex(&[p.step as f64, p.loss, p.accuracy]),
            "boundary": hex(&t.boundary(5)),
        })
    })
    .collect();
    json!({ "weights": weights, "trainers": trainers })
}

#[test]
fn weights_and_training_have_the_same_bits_and_the_fixture_is_current() {
    let now = more_results();
    assert_eq!(now, more_results(), "two runs differ");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/determinism-more.json"
    );
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let saved: Json = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture exists"))
        .expect("fixture is JSON");
    assert_eq!(
        saved, now,
        "weights or training changed; if intended, regenerate the fixture"
    );
}
