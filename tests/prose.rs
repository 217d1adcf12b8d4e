//! Every number quoted in the article's prose comes from the simulator. Each is marked in
//! `index.html` as `<span data-fact="key">…</span>`; this test computes every key with the
//! simulator and compares. `UPDATE_PROSE=1 cargo test --test prose` rewrites the spans.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::run;
use std::collections::BTreeMap;
use weight_init::{map, Value};

/// Three significant digits; below 1e-3 as "m × 10<sup>e</sup>" with two.
fn prose(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() < 1e-3 {
        let e = v.abs().log10().floor() as i32;
        let mut m = v / 10f64.powi(e);
        let mut e = e;
        if format!("{m:.1}") == "10.0" {
            m /= 10.0;
            e += 1;
        }
        return format!("{m:.1} × 10<sup>−{}</sup>", -e);
    }
    if v.abs() >= 1e7 {
        let e = v.abs().log10().floor() as i32;
        let m = format!("{:.2}", v / 10f64.powi(e));
        return format!("{m} × 10<sup>{e}</sup>");
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn theory(config: Value) -> Vec<weight_init::core::theory::TheoryLayer> {
    run(config).theory.expect("random scheme has theory")
}

/// Every fact the prose quotes, computed once.
fn facts() -> BTreeMap<&'static str, String> {
    static FACTS: std::sync::OnceLock<BTreeMap<&'static str, String>> = std::sync::OnceLock::new();
    FACTS.get_or_init(compute_facts).clone()
}

fn compute_facts() -> BTreeMap<&'static str, String> {
    let mut f = BTreeMap::new();
    let t01 = theory(map([("sigma", 0.1.into())]));
    f.insert("exp-s01-l1", prose(t01[0].pre_variance));
    f.insert(
        "exp-s01-ratio",
        prose(t01[1].pre_variance / t01[0].pre_variance),
    );
    let t05 = theory(map([("sigma", 0.5.into())]));
    f.insert("exp-s05-l1", prose(t05[0].pre_variance));
    f.insert(
        "exp-s05-ratio",
        prose(t05[1].pre_variance / t05[0].pre_variance),
    );
    let t1 = theory(map([("sigma", 1.0.into())]));
    f.insert(
        "exp-s1-ratio",
        prose(t1[1].pre_variance / t1[0].pre_variance),
    );
    // One draw is not the average: at σ = 0.5 the expected variance grows ×1.25 per layer, yet in
    // many draws layer 8 ends below layer 1.
    // while at σ = 1 every draw grows.
    let growth = |sigma: f64| -> Vec<f64> {
        (0..100)
            .map(|seed| {
                let r = run(map([
                    ("sigma", sigma.into()),
                    ("seed", (seed as f64).into()),
                ]));
                r.layers[7].pre_variance / r.layers[0].pre_variance
            })
            .collect()
    };
    let shrinks = growth(0.5).iter().filter(|&&g| g < 1.0).count();
    f.insert("exp-s05-shrinks", shrinks.to_string());
    let least = growth(1.0).into_iter().fold(f64::INFINITY, f64::min);
    f.insert("exp-s1-min-growth", prose(least.floor()));
    let tiny = theory(map([("sigma", 1e-5.into())]));
    f.insert("exp-s1e5-l8", prose(tiny[7].pre_variance));
    // ReLU keeps (1/2 − 1/(2π)) of the variance: theory's post/pre ratio at one layer.
    f.insert(
        "relu-var-fraction",
        prose(t01[0].post_variance / t01[0].pre_variance),
    );
    let wide = |scheme: &str| {
        theory(map([
            ("scheme", scheme.into()),
            ("layers", 31.0.into()),
            ("width", 64.0.into()),
            (
                "input",
                map([("samples", 1.0.into()), ("features", 64.0.into())]),
            ),
        ]))
    };
    let x = wide("xavier-normal");
    f.insert(
        "xavier-relu-29",
        prose(x[29].pre_variance / x[0].pre_variance),
    );
    f.insert(
        "xavier-relu-20",
        prose(x[0].pre_variance / x[20].pre_variance),
    );
    let p = wide("pytorch-default");
    f.insert("pytorch-floor", prose(p[29].pre_variance));
    // Xavier with tanh and sigmoid: the explorer's 20 × 64 network on N(0, 1) inputs.
    let deep = |activation: &str, gain: f64| {
        theory(map([
            ("scheme", "xavier-normal".into()),
            ("activation", activation.into()),
            ("gain", gain.into()),
            ("layers", 20.0.into()),
            ("width", 64.0.into()),
            (
                "input",
                map([("samples", 32.0.into()), ("features", 64.0.into())]),
            ),
        ]))
    };
    let tanh = deep("tanh", 1.0);
    f.insert("tanh-xavier-1", prose(tanh[0].pre_variance));
    f.insert("tanh-xavier-20", prose(tanh[19].pre_variance));
    f.insert(
        "tanh-xavier-grad",
        prose(tanh[0].grad_variance / tanh[19].grad_variance),
    );
    let gained = deep("tanh", 5.0 / 3.0);
    f.insert("tanh-gain-20", prose(gained[19].pre_variance));
    let sig = deep("sigmoid", 1.0);
    f.insert("sigmoid-xavier-20", prose(sig[19].pre_variance));
    f.insert(
        "sigmoid-grad-factor",
        prose(sig[9].grad_variance / sig[10].grad_variance),
    );
    f.insert(
        "sigmoid-grad-20",
        prose(sig[0].grad_variance / sig[19].grad_variance),
    );
    // The spread of single draws at depth 100, width 64: ln(Var / E) ~ N(−s²/2, s²).
    let he = theory(map([
        ("scheme", "he-normal".into()),
        ("layers", 100.0.into()),
        ("width", 64.0.into()),
        (
            "input",
            map([("samples", 1.0.into()), ("features", 64.0.into())]),
        ),
    ]));
    let s = he[99].pre_log_spread;
    f.insert("spread-median", prose((-0.5 * s * s).exp()));
    f.insert("spread-q10", prose((-0.5 * s * s - 1.2816 * s).exp()));
    f.insert("spread-q90", prose((-0.5 * s * s + 1.2816 * s).exp()));
    let sym = run(map([("scheme", "constant".into()), ("sigma", 0.3.into())]));
    let spread = sym
        .layers
        .iter()
        .map(|l| l.neuron_spread)
        .fold(0.0, f64::max);
    f.insert("sym-spread", prose(spread));
    digit_facts(&mut f);
    // The edge of chaos for tanh: the critical line at σ_b² = 0.05, and the figure's start.
    {
        use weight_init::core::config::Activation;
        use weight_init::core::meanfield::{critical_sw2, phase};
        f.insert(
            "edge-critical-005",
            prose(critical_sw2(Activation::Tanh, 0.05)),
        );
        let p = phase(Activation::Tanh, 1.5, 0.05);
        f.insert("edge-q", prose(p.q_star));
        f.insert("edge-chi", prose(p.chi1));
        f.insert("edge-xi", prose(p.depth_scale));
    }
    deeper_facts(&mut f);
    f
}

/// The residual figure at its defaults (50 blocks, 128 wide, 32 samples, seed 0) and the attention
/// figure's (64 keys, 32 sequences of 8 queries, seed 0).
fn deeper_facts(f: &mut BTreeMap<&'static str, String>) {
    use weight_init::core::{attention, residual};
    let root = 1.0 / 50f64.sqrt();
    f.insert("res-2-50", prose(residual::theory(1.0, 50, false).0[50]));
    f.insert(
        "res-root-50",
        prose(residual::theory(root, 50, false).0[50]),
    );
    f.insert("res-pre-50", prose(residual::theory(1.0, 50, true).0[50]));
    let measured =
        |alpha: f64, pre: bool| residual::simulate(50, 128, 32, alpha, pre, 0).forward[50];
    f.insert("res-one-measured", prose(measured(1.0, false)));
    f.insert("res-root-measured", prose(measured(root, false)));
    f.insert("res-pre-measured", prose(measured(1.0, true)));
    let (scaled, unscaled) = attention::measure(64, 64, 32, 8, 0);
    f.insert("att-64-largest", prose(unscaled.largest));
    f.insert(
        "att-64-largest-theory",
        prose(attention::expected(64, 64, false).largest),
    );
    f.insert("att-64-largest-scaled", prose(scaled.largest));
    f.insert(
        "att-2048-largest",
        prose(attention::measure(2048, 64, 32, 8, 0).1.largest),
    );
    // The isometry figure at its defaults: tanh at q* = 0.01, 32 layers, 128 wide, seed 0.
    {
        use weight_init::core::config::Activation;
        use weight_init::core::isometry;
        let (sw2, _) = isometry::critical_point(Activation::Tanh, 0.01);
        f.insert("iso-sw2", prose(sw2));
        f.insert(
            "iso-tanh-orth",
            prose(isometry::variance_theory(Activation::Tanh, 0.01, true, 32)),
        );
        f.insert(
            "iso-tanh-gauss",
            prose(isometry::variance_theory(Activation::Tanh, 0.01, false, 32)),
        );
        let cond = |orthogonal: bool| {
            let r = isometry::simulate(Activation::Tanh, 0.01, orthogonal, 32, 128, 0);
            r.singular_values[0] / r.singular_values[127]
        };
        f.insert("iso-cond-orth", prose(cond(true)));
        let g = isometry::simulate(Activation::Tanh, 0.01, false, 32, 128, 0);
        f.insert("iso-gauss-max", prose(g.singular_values[0]));
        let crushed = g.singular_values.iter().filter(|&&s| s < 0.01).count();
        f.insert("iso-gauss-crushed", prose(crushed as f64));
    }
    // LSUV in the explorer's network with sigmoid: the gradient's variance per layer back.
    let lsuv = theory(map([
        ("scheme", "lsuv".into()),
        ("activation", "sigmoid".into()),
        ("layers", 20.0.into()),
        ("width", 64.0.into()),
        (
            "input",
            map([("samples", 32.0.into()), ("features", 64.0.into())]),
        ),
    ]));
    f.insert(
        "lsuv-sigmoid-factor",
        prose(lsuv[10].grad_variance / lsuv[9].grad_variance),
    );
    // He initialization of a 3 × 3 convolution over 64 channels: fan-in 576.
    let conv = weight_init::Config::from_value(&weight_init::map([
        ("scheme", "he-normal".into()),
        (
            "input",
            weight_init::map([("samples", 1.0.into()), ("features", 576.0.into())]),
        ),
    ]))
    .expect("valid");
    let v = weight_init::core::network::layer_weight_variance(&conv, 1).expect("variance");
    f.insert("conv-he-std", prose(v.sqrt()));
    let (scaled, unscaled) = attention::measure(1024, 64, 32, 8, 0);
    f.insert(
        "att-1024-jacobian-ratio",
        prose(scaled.jacobian / unscaled.jacobian),
    );
}

/// Test accuracy (per cent) of the training figure's network on the digits after its default
/// 3,000 steps at learning rate 0.001, for each start, with momentum SGD and with Adam.
fn digit_facts(f: &mut BTreeMap<&'static str, String>) {
    use std::io::Read;
    use weight_init::core::config::Scheme;
    use weight_init::core::train::{Dataset, Optimizer, TrainConfig, Trainer};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/digits.bin.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut bytes)
        .unwrap();
    weight_init::core::digits::load(&bytes).unwrap();
    let starts = [
        ("zeros", Scheme::Zeros, 0.0),
        ("small", Scheme::Normal, 0.01),
        ("he", Scheme::HeNormal, 0.0),
        ("xavier", Scheme::XavierNormal, 0.0),
    ];
    for (optimizer, name) in [(Optimizer::Sgd, "sgd"), (Optimizer::Adam, "adam")] {
        for (start, scheme, sigma) in starts {
            let mut t = Trainer::new(TrainConfig {
                dataset: Dataset::Digits,
                scheme,
                sigma,
                optimizer,
                lr: 0.001,
                ..TrainConfig::default()
            })
            .unwrap();
            t.train(3000);
            let key: &'static str = Box::leak(format!("digits-{name}-{start}").into_boxed_str());
            f.insert(key, prose(100.0 * t.progress().test_accuracy));
        }
    }
    // σ = 0.01 in layers of 16: the expected signal shrinks by 16 σ² / 2 per ReLU layer.
    let t = theory(map([
        ("sigma", 0.01.into()),
        ("layers", 20.0.into()),
        ("width", 16.0.into()),
        (
            "input",
            map([("samples", 1.0.into()), ("features", 16.0.into())]),
        ),
    ]));
    f.insert(
        "digits-small-factor",
        prose(t[1].pre_variance / t[0].pre_variance),
    );
    f.insert(
        "digits-small-20",
        prose(t[19].pre_variance / t[0].pre_variance),
    );
}

const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/index.html");

/// (key, start, end) of each span's inner HTML in the page.
fn spans(html: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find("data-fact=\"") {
        let key_start = at + i + "data-fact=\"".len();
        let key_end = key_start + html[key_start..].find('"').expect("closing quote");
        let inner_start = key_start + html[key_start..].find('>').expect("tag end") + 1;
        let inner_end = inner_start + html[inner_start..].find("</span>").expect("closing span");
        out.push((html[key_start..key_end].to_string(), inner_start, inner_end));
        at = inner_end;
    }
    out
}

#[test]
fn every_number_in_the_prose_is_computed_by_the_simulator() {
    let facts = facts();
    let mut html = std::fs::read_to_string(PAGE).expect("index.html");
    let found = spans(&html);
    if std::env::var_os("UPDATE_PROSE").is_some() {
        for (key, start, end) in found.iter().rev() {
            let value = facts
                .get(key.as_str())
                .unwrap_or_else(|| panic!("unknown fact {key}"));
            html.replace_range(start..end, value);
        }
        std::fs::write(PAGE, &html).unwrap();
    }
    let html = std::fs::read_to_string(PAGE).unwrap();
    let found = spans(&html);
    let keys: Vec<&str> = found.iter().map(|(k, _, _)| k.as_str()).collect();
    for key in facts.keys() {
        assert!(keys.contains(key), "the prose no longer quotes {key}");
    }
    for (key, start, end) in &found {
        let want = facts
            .get(key.as_str())
            .unwrap_or_else(|| panic!("index.html quotes unknown fact {key}"));
        assert_eq!(
            &html[*start..*end],
            want,
            "fact {key}: the prose says {:?}, the simulator {:?}",
            &html[*start..*end],
            want
        );
    }
}

#[test]
fn the_quoted_facts_are_the_known_results() {
    // The simulator's numbers agree with the closed forms in the literature, so the prose does too.
    let f = facts();
    assert_eq!(f["exp-s01-l1"], "0.495");
    assert_eq!(f["exp-s01-ratio"], "0.05");
    assert_eq!(f["exp-s05-ratio"], "1.25");
    assert_eq!(f["relu-var-fraction"], "0.341");
    // 29 halvings from layer 1 to layer 30, as the Xavier figure's table shows: 2^-29.
    assert_eq!(f["xavier-relu-29"], "1.9 × 10<sup>−9</sup>");
    // PyTorch's default settles at 2/(5n) = 0.00625 for n = 64, reported as np.var's 63/64 of it.
    assert_eq!(f["pytorch-floor"], "0.00615");
    assert_eq!(f["sym-spread"], "0");
    assert_eq!(f["xavier-relu-20"], "1048576");
}
