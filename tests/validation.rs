//! Bad configs get an error naming the field and what is allowed; no config, however strange, panics.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use weight_init::core::schema::simulate::SCHEMA;

/// The config's field names.
fn fields() -> Vec<&'static str> {
    SCHEMA.fields.iter().map(|f| f.name).collect()
}
use weight_init::{map, simulate_value, Config, Value};

fn error_of(config: Value) -> String {
    match simulate_value(&config) {
        Ok(_) => panic!("accepted {config:?}"),
        Err(e) => e,
    }
}

#[test]
fn each_bad_field_is_named_with_its_allowed_range() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (Value::Null, "config must be an object", "null"),
        (Value::from("sigma"), "config must be an object", "string"),
        (
            map([("sigma", f64::NAN.into())]),
            "config.sigma",
            "from 0 to 1000000 (got NaN)",
        ),
        (
            map([("sigma", f64::INFINITY.into())]),
            "config.sigma",
            "got Infinity",
        ),
        (map([("sigma", (-0.1).into())]), "config.sigma", "from 0 to"),
        (map([("sigma", 1e300.into())]), "config.sigma", "got 1e+300"),
        (
            map([("sigma", "0.5".into())]),
            "config.sigma",
            "the string \"0.5\"",
        ),
        (map([("gain", Value::Null)]), "config.gain", "got null"),
        (
            map([("bias", Value::Bool(true))]),
            "config.bias",
            "got true",
        ),
        (
            map([("layers", 0.0.into())]),
            "config.layers",
            "whole number from 1 to 1000 (got 0)",
        ),
        (map([("layers", 2.5.into())]), "config.layers", "got 2.5"),
        (map([("layers", (-3.0).into())]), "config.layers", "got -3"),
        (
            map([("width", 1e9.into())]),
            "config.width",
            "from 1 to 4096",
        ),
        (
            map([("width", f64::NEG_INFINITY.into())]),
            "config.width",
            "-Infinity",
        ),
        (
            map([("scheme", "kaiming".into())]),
            "config.scheme",
            "\"he-normal\"",
        ),
        (map([("scheme", 3.0.into())]), "config.scheme", "got 3"),
        (
            map([("activation", "gelu".into())]),
            "config.activation",
            "\"leaky-relu\"",
        ),
        (map([("slope", 2.0.into())]), "config.slope", "from 0 to 1"),
        (
            map([("seed", (-1.0).into())]),
            "config.seed",
            "from 0 to 9007199254740991",
        ),
        (map([("seed", 0.5.into())]), "config.seed", "got 0.5"),
        (
            map([("seed", 1e16.into())]),
            "config.seed",
            "9007199254740991",
        ),
        (map([("bins", 0.0.into())]), "config.bins", "from 1 to 256"),
        (
            map([("sigmaa", 1.0.into())]),
            "config.sigmaa",
            "not a known field",
        ),
        (
            map([("input", Value::List(vec![]))]),
            "config.input",
            "1 to 4096 numbers",
        ),
        (
            map([("input", vec![1.0, f64::NAN].into())]),
            "config.input[1]",
            "got NaN",
        ),
        (
            map([(
                "input",
                Value::List(vec![vec![1.0, 2.0].into(), vec![3.0].into()]),
            )]),
            "config.input[1]",
            "ragged",
        ),
        (
            map([("input", Value::List(vec![vec![1.0].into(), 2.0.into()]))]),
            "config.input",
            "mixes numbers and arrays",
        ),
        (
            map([("input", Value::List(vec![Value::List(vec![])]))]),
            "config.input[0]",
            "1 to 4096 numbers",
        ),
        (
            map([("input", "1,2,3".into())]),
            "config.input",
            "array of numbers",
        ),
        (
            map([("input", map([("samples", 4.0.into())]))]),
            "config.input.features",
            "required",
        ),
        (
            map([(
                "input",
                map([("samples", 0.0.into()), ("features", 2.0.into())]),
            )]),
            "config.input.samples",
            "from 1 to 4096",
        ),
        (
            map([(
                "input",
                map([
                    ("samples", 2.0.into()),
                    ("features", 2.0.into()),
                    ("x", 1.0.into()),
                ]),
            )]),
            "config.input.x",
            "not a known field",
        ),
        (
            map([("layers", 1000.0.into()), ("width", 4096.0.into())]),
            "config.layers",
            "at most 33554432",
        ),
        (
            map([
                ("layers", 1000.0.into()),
                ("width", 200.0.into()),
                (
                    "input",
                    map([("samples", 4.0.into()), ("features", 8.0.into())]),
                ),
            ]),
            "config.layers",
            "at most",
        ),
        (
            map([
                ("layers", 30.0.into()),
                ("width", 512.0.into()),
                (
                    "input",
                    map([("samples", 512.0.into()), ("features", 512.0.into())]),
                ),
            ]),
            "config.layers",
            "too much work",
        ),
        (
            // Within the budget with dense weights, beyond it with orthogonal's reflections.
            map([
                ("layers", 30.0.into()),
                ("width", 256.0.into()),
                ("scheme", "orthogonal".into()),
                (
                    "input",
                    map([("samples", 512.0.into()), ("features", 256.0.into())]),
                ),
            ]),
            "config.scheme",
            "orthogonal weights",
        ),
        (
            Value::Other("a function".into()),
            "config must be an object",
            "a function",
        ),
    ];
    for (config, field, allowed) in cases {
        let e = error_of(config.clone());
        assert!(
            e.starts_with(field),
            "{config:?}: {e:?} should start with {field:?}"
        );
        assert!(
            e.contains(allowed),
            "{config:?}: {e:?} should mention {allowed:?}"
        );
    }
}

#[test]
fn the_defaults_are_the_articles_experiment() {
    let c = Config::from_value(&map([])).unwrap();
    assert_eq!(c, Config::default());
    assert_eq!((c.layers, c.width, c.sigma, c.bias), (8, 10, 0.01, 0.0));
    assert_eq!(c.input.samples(), 1);
    assert_eq!(c.input.features(), 5);
}

/// Values of every kind, deliberately heavy on the edges: NaN, infinities, negatives, fractions,
/// huge numbers, wrong types, and plausible-but-wrong names.
fn any_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (1u32..40).prop_map(|x| Value::Number(x as f64)),
        2 => prop::num::f64::ANY.prop_map(Value::Number),
        1 => Just(Value::Number(f64::NAN)),
        1 => Just(Value::Number(f64::INFINITY)),
        1 => Just(Value::Number(-1.0)),
        1 => Just(Value::Number(1e300)),
        1 => Just(Value::Number(0.5)),
        1 => Just(Value::Number(0.0)),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => prop::sample::select(vec![
            "relu", "tanh", "sigmoid", "linear", "leaky-relu", "he-normal", "xavier-uniform",
            "orthogonal", "zeros", "constant", "pytorch-default", "lecun-normal", "", "ReLU", "<script>",
        ])
        .prop_map(Value::from),
        1 => Just(Value::Other("a function".into())),
    ]
}

fn any_input() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::collection::vec(any_scalar(), 0..8).prop_map(Value::List),
        prop::collection::vec(
            prop::collection::vec(any_scalar(), 0..5).prop_map(Value::List),
            0..6
        )
        .prop_map(Value::List),
        (any_scalar(), any_scalar()).prop_map(|(s, f)| map([("samples", s), ("features", f)])),
        any_scalar(),
    ]
}

fn any_config() -> impl Strategy<Value = Value> {
    let field = prop::sample::select(fields()).prop_flat_map(|name| {
        let value = if name == "input" {
            any_input().boxed()
        } else {
            any_scalar().boxed()
        };
        value.prop_map(move |v| (name.to_string(), v))
    });
    prop_oneof![
        8 => prop::collection::vec(field, 0..8).prop_map(Value::Map),
        1 => any_scalar(),
        1 => prop::collection::vec(("[a-z]{1,6}", any_scalar()), 0..3).prop_map(Value::Map),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Thousands of random configs: each is either simulated (every layer measured over every
    /// value, the theory there exactly when the weights are random, the non-finite marker at the
    /// first layer that overflowed) or refused with a message that names a field. None panics.
    #[test]
    fn random_configs_never_panic(config in any_config()) {
        match simulate_value(&config) {
            Ok(sim) => {
                let c = Config::from_value(&config).unwrap();
                prop_assert_eq!(sim.layers.len(), c.layers);
                prop_assert_eq!(sim.samples, c.input.samples());
                let values = (c.input.samples() * c.width) as u32;
                for (i, l) in sim.layers.iter().enumerate() {
                    prop_assert_eq!(l.layer, i + 1);
                    prop_assert_eq!(l.histogram.counts.len(), c.bins);
                    let counted = l.histogram.counts.iter().sum::<u32>() + l.histogram.non_finite;
                    prop_assert_eq!(counted, values, "layer {}: every value in the histogram", i + 1);
                }
                let finite = |l: &weight_init::LayerStats| l.pre_variance.is_finite() && l.post_variance.is_finite();
                let first = sim.layers.iter().find(|l| !finite(l)).map(|l| l.layer);
                prop_assert_eq!(sim.first_non_finite_layer, first);
                match &sim.theory {
                    Some(t) => {
                        prop_assert!(!c.scheme.is_symmetric(), "no theory for {:?}", c.scheme);
                        prop_assert_eq!(t.len(), c.layers);
                    }
                    None => prop_assert!(c.scheme.is_symmetric(), "a theory for {:?}", c.scheme),
                }
                match &sim.trace {
                    Some(t) => {
                        prop_assert!(c.trace);
                        prop_assert!(t.len() == c.layers && t.iter().all(|row| row.len() == c.width));
                    }
                    None => prop_assert!(!c.trace),
                }
            }
            Err(e) => {
                prop_assert!(e.starts_with("config"), "{}", e);
                let named = e.starts_with("config must be an object")
                    || fields().iter().any(|f| e.starts_with(&format!("config.{f}")))
                    || matches!(&config, Value::Map(fs) if fs.iter().any(|(k, _)| e.starts_with(&format!("config.{k} "))));
                prop_assert!(named, "message names no field: {}", e);
            }
        }
    }
}
