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

/// A whole number with its thousands grouped by commas, as the prose writes it: 10,000.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn theory(config: Value) -> Vec<weight_init::core::theory::TheoryLayer> {
    run(config).theory.expect("random scheme has theory")
}

/// Seeds behind every statistic the prose quotes over draws of the article's experiment.
const DRAWS: u64 = 20_000;

/// One draw of the article's experiment (8 layers of 10 ReLU units, x = [1, …, 5]): Var(Z) at
/// layers 1 and 8, and the expectation at layer 8.
struct Draw {
    l1: f64,
    l8: f64,
    e8: f64,
}

fn experiment_draw(sigma: f64, seed: u64) -> Draw {
    let r = run(map([
        ("sigma", sigma.into()),
        ("seed", (seed as f64).into()),
        ("bins", 1.0.into()),
    ]));
    Draw {
        l1: r.layers[0].pre_variance,
        l8: r.layers[7].pre_variance,
        e8: r.theory.as_ref().unwrap()[7].pre_variance,
    }
}

fn experiment_draws(sigma: f64) -> Vec<Draw> {
    (0..DRAWS)
        .map(|seed| experiment_draw(sigma, seed))
        .collect()
}

fn middle(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    0.5 * (xs[(n - 1) / 2] + xs[n / 2])
}

/// A share in per cent, to one decimal below 10 and whole above.
fn percent(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
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
    // One draw is not the average: at σ = 0.5 the expected variance grows ×1.25 per layer, yet
    // the typical network shrinks. Statistics over DRAWS seeds of the article's network.
    let e05 = experiment_draws(0.5);
    let share = |xs: &[Draw], keep: &dyn Fn(&Draw) -> bool| {
        100.0 * xs.iter().filter(|d| keep(d)).count() as f64 / xs.len() as f64
    };
    f.insert("exp-draws", grouped(DRAWS));
    let figure_draws: u64 = figure_constant("EXPERIMENT_DRAWS").parse().unwrap();
    f.insert("exp-figure-last-seed", grouped(figure_draws - 1));
    f.insert("exp-figure-draws", grouped(figure_draws));
    f.insert("exp-seed", figure_constant("EXPERIMENT_SEED"));
    f.insert("exp-he-sigma", prose(0.2f64.sqrt()));
    f.insert("exp-s05-shrinks", percent(share(&e05, &|d| d.l8 < d.l1)));
    f.insert(
        "exp-s05-median-growth",
        prose(middle(e05.iter().map(|d| d.l8 / d.l1).collect())),
    );
    f.insert("exp-s05-expected-growth", prose(1.25f64.powi(7)));
    f.insert(
        "exp-s05-median-l8",
        prose(middle(e05.iter().map(|d| d.l8 / d.e8).collect())),
    );
    let e1 = experiment_draws(1.0);
    f.insert(
        "exp-s1-below-110",
        percent(share(&e1, &|d| d.l8 < 110.0 * d.l1)),
    );
    f.insert("exp-s1-dead", percent(share(&e1, &|d| d.l8 == 0.0)));
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
    // Layer 1 to layer 20: 19 halvings.
    f.insert(
        "xavier-relu-20",
        prose(x[0].pre_variance / x[19].pre_variance),
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
    // The spread of single draws at depth 100, width 64, from the exact law (src/core/spread.rs,
    // checked against 2,000 simulated seeds by tests/spread.rs).
    let law = weight_init::core::spread::he_relu_law(64, 100, &[0.1, 0.5, 0.9]);
    f.insert("spread-median", prose(law.quantiles[99][1]));
    f.insert("spread-q10", prose(law.quantiles[99][0]));
    f.insert("spread-q90", prose(law.quantiles[99][2]));
    // The log-normal form, ln(Var / E) ~ N(−s²/2, s²), for comparison.
    let ln_law = |width: f64, z: f64| {
        let he = theory(map([
            ("scheme", "he-normal".into()),
            ("layers", 100.0.into()),
            ("width", width.into()),
            (
                "input",
                map([("samples", 1.0.into()), ("features", width.into())]),
            ),
        ]));
        let s = he[99].pre_log_spread;
        (-0.5 * s * s + z * s).exp()
    };
    f.insert("spread-ln-median", prose(ln_law(64.0, 0.0)));
    f.insert("spread-ln-q10", prose(ln_law(64.0, -1.2816)));
    f.insert("spread-ln-q90", prose(ln_law(64.0, 1.2816)));
    let w8 = weight_init::core::spread::he_relu_law(8, 100, &[0.5]);
    f.insert("spread-w8-median", prose(w8.quantiles[99][0]));
    f.insert("spread-w8-ln-median", prose(ln_law(8.0, 0.0)));
    f.insert("spread-w8-dead", percent(100.0 * w8.atom[99]));
    let (_, var_f) = weight_init::core::spread::log_factor_moments(64);
    f.insert("spread-var-log", prose(var_f));
    f.insert("spread-5n", prose(5.0 / 64.0));
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
    reader_facts(&mut f);
    f
}

/// The seeds the figures start from, read from their source: each must be a typical draw.
fn source_seed(file: &str, name: &str) -> u64 {
    let path = format!("{}/www/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("figure source");
    let at = text
        .find(&format!("const {name} = "))
        .unwrap_or_else(|| panic!("{file} defines {name}"));
    let rest = &text[at + name.len() + 9..];
    rest[..rest.find(';').expect("semicolon")]
        .trim()
        .parse()
        .expect("a whole number")
}

/// The share of `xs` below `x`.
fn rank(xs: &[f64], x: f64) -> f64 {
    xs.iter().filter(|&&v| v < x).count() as f64 / xs.len() as f64
}

fn median(xs: &[f64]) -> f64 {
    let mut s = xs.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

/// The edge-of-chaos figure's two inputs for a seed, as www/figures/edge.js draws them (xorshift32 and
/// Box–Muller; cosine about 0.6).
fn edge_inputs(seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut s = ((seed * 2_654_435_761 + 0x9e37_79b9) % (1 << 32)) as u32;
    if s == 0 {
        s = 1;
    }
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        (f64::from(s) + 0.5) / 4_294_967_296.0
    };
    let mut normal = move || {
        let (a, b) = (uniform(), uniform());
        (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
    };
    let x: Vec<f64> = (0..256).map(|_| normal()).collect();
    let y = x.iter().map(|v| 0.6 * v + 0.8 * normal()).collect();
    (x, y)
}

/// 1 − cos at layer 40 of the edge figure's network at its default point, measured and predicted.
fn edge_draw(seed: u64) -> (f64, f64) {
    use weight_init::core::config::Activation;
    use weight_init::core::meanfield::pair;
    let (sw2, sb2) = (1.5f64, 0.05f64);
    let (x, y) = edge_inputs(seed);
    let trace = |input: &[f64]| {
        run(map([
            ("activation", "tanh".into()),
            ("scheme", "normal".into()),
            ("sigma", (sw2 / 256.0f64).sqrt().into()),
            ("biasSigma", sb2.sqrt().into()),
            ("layers", 40.0.into()),
            ("width", 256.0.into()),
            ("seed", (seed as f64).into()),
            ("bins", 1.0.into()),
            ("trace", Value::Bool(true)),
            ("input", Value::Numbers(input.to_vec())),
        ]))
        .trace
        .expect("trace")
    };
    let (a, b) = (trace(&x), trace(&y));
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(p, q)| p * q).sum::<f64>() / 256.0;
    let cos = dot(&a[39], &b[39]) / (dot(&a[39], &a[39]) * dot(&b[39], &b[39])).sqrt();
    let (q1, q2) = (sw2 * dot(&x, &x) + sb2, sw2 * dot(&y, &y) + sb2);
    let c = (sw2 * dot(&x, &y) + sb2) / (q1 * q2).sqrt();
    let theory = pair(Activation::Tanh, sw2, sb2, (q1, q2, c), 40);
    (1.0 - cos, 1.0 - theory[39].cosine)
}

/// Facts for what a reader sees at the figures' defaults: the training figure on the spiral, the
/// chance level on the digits, the first screen's He σ, the explorer's, the edge figure's and the
/// isometry figure's default draws, and the smaller numbers of the He and tanh paragraphs.
fn reader_facts(f: &mut BTreeMap<&'static str, String>) {
    use weight_init::core::config::{Activation, Scheme};
    use weight_init::core::meanfield::{correlation, phase};
    use weight_init::core::train::{Dataset, Optimizer, TrainConfig, Trainer};
    // The spiral at the figure's defaults (3,000 steps): with Adam (which the figure gives
    // learning rate 0.001), and with tanh (SGD at 0.01).
    let spiral = |scheme: Scheme, sigma: f64, activation: Activation, optimizer: Optimizer| {
        let mut t = Trainer::new(TrainConfig {
            scheme,
            sigma,
            activation,
            optimizer,
            lr: if optimizer == Optimizer::Adam {
                0.001
            } else {
                0.01
            },
            ..TrainConfig::default()
        })
        .unwrap();
        t.train(3000);
        prose(100.0 * t.progress().accuracy)
    };
    let starts = [
        ("zeros", Scheme::Zeros, 0.0),
        ("small", Scheme::Normal, 0.01),
        ("he", Scheme::HeNormal, 0.0),
        ("xavier", Scheme::XavierNormal, 0.0),
        ("large", Scheme::Normal, 1.0),
    ];
    for (name, scheme, sigma) in starts {
        let key: &'static str = Box::leak(format!("spiral-tanh-{name}").into_boxed_str());
        f.insert(key, spiral(scheme, sigma, Activation::Tanh, Optimizer::Sgd));
    }
    for (name, scheme, sigma) in &starts[2..4] {
        let key: &'static str = Box::leak(format!("spiral-adam-{name}").into_boxed_str());
        f.insert(
            key,
            spiral(*scheme, *sigma, Activation::Relu, Optimizer::Adam),
        );
    }
    // Chance on the digits: a network that cannot tell the images apart answers the training
    // set's most common digit for every image, and scores that digit's share of the test set.
    {
        let data = weight_init::core::data::digits(&common::digits());
        let mut counts = [0usize; 10];
        for &y in &data.y {
            counts[y] += 1;
        }
        let common = (0..10)
            .max_by_key(|&c| (counts[c], usize::MAX - c))
            .unwrap();
        let share =
            data.test_y.iter().filter(|&&y| y == common).count() as f64 / data.test_y.len() as f64;
        f.insert("digits-chance", prose(100.0 * share));
        f.insert("digits-common", common.to_string());
    }
    // σ = 1: the first outputs are huge but finite (no divergence before the first step); with
    // momentum SGD they are NaN within a few updates. Adam's steps, each about the learning rate,
    // never overflow, and after 3,000 of them the network is still far from learning the digits.
    let mut diverge_steps = Vec::new();
    let digits = common::digits();
    for (name, dataset) in [("digits", Dataset::Digits), ("spiral", Dataset::Spiral)] {
        let mut t = Trainer::with_data(
            TrainConfig {
                dataset,
                scheme: Scheme::Normal,
                sigma: 1.0,
                lr: if dataset == Dataset::Digits {
                    0.001
                } else {
                    0.01
                },
                ..TrainConfig::default()
            },
            Some(&digits),
        )
        .unwrap();
        let x = t.data().x.clone();
        let largest = t.logits(&x).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(
            largest.is_finite() && !t.progress().diverged,
            "{name}: finite at first"
        );
        // Training stops at the step whose loss is no longer finite: the step the figure's
        // legend names ("diverged at step …").
        t.train(10);
        let p = t.progress();
        assert!(
            p.diverged && p.step < 10,
            "{name}: σ = 1 diverges within 10 steps of SGD"
        );
        diverge_steps.push(p.step);
        let key: &'static str = Box::leak(format!("large-logit-{name}").into_boxed_str());
        f.insert(key, format!("10<sup>{}</sup>", largest.log10().round()));
    }
    assert_eq!(diverge_steps[0], diverge_steps[1], "the same step on both");
    f.insert("large-diverge-step", diverge_steps[0].to_string());
    let mut adam = Trainer::with_digits(
        TrainConfig {
            dataset: Dataset::Digits,
            scheme: Scheme::Normal,
            sigma: 1.0,
            optimizer: Optimizer::Adam,
            lr: 0.001,
            ..TrainConfig::default()
        },
        &digits,
    )
    .unwrap();
    adam.train(3000);
    let p = adam.progress();
    assert!(!p.diverged, "Adam does not overflow from σ = 1");
    f.insert("digits-adam-large", prose(100.0 * p.test_accuracy));
    f.insert("digits-adam-large-loss", prose(p.loss));
    // tanh with the gain 5/3: χ₁ at its fixed point, and the gradient's growth over the 19 layers
    // from layer 20 back to layer 1 of the explorer's network.
    let gained = theory(map([
        ("scheme", "xavier-normal".into()),
        ("activation", "tanh".into()),
        ("gain", (5.0 / 3.0).into()),
        ("layers", 20.0.into()),
        ("width", 64.0.into()),
        (
            "input",
            map([("samples", 32.0.into()), ("features", 64.0.into())]),
        ),
    ]));
    let chi = phase(Activation::Tanh, 25.0 / 9.0, 0.0).chi1;
    f.insert("tanh-gain-chi", prose(chi));
    f.insert("tanh-gain-chi19", prose(chi.powi(19)));
    f.insert(
        "tanh-gain-grad",
        prose(gained[0].grad_variance / gained[19].grad_variance),
    );
    // PyTorch's default with ReLU at width 64: q* = 2/(5n), of which the biases' 1/(3n) is 5/6.
    let p = theory(map([
        ("scheme", "pytorch-default".into()),
        ("layers", 31.0.into()),
        ("width", 64.0.into()),
        (
            "input",
            map([("samples", 1.0.into()), ("features", 64.0.into())]),
        ),
    ]));
    let q_star = p[29].pre_variance * 64.0 / 63.0;
    f.insert("pytorch-q-star", prose(q_star));
    f.insert(
        "pytorch-bias-share",
        prose(100.0 * (1.0 / (3.0 * 64.0)) / q_star),
    );
    // He's σ for the 64-wide networks of the first screen and the He figure.
    let he64 = weight_init::Config::from_value(&map([
        ("scheme", "he-normal".into()),
        ("width", 64.0.into()),
        (
            "input",
            map([("samples", 1.0.into()), ("features", 64.0.into())]),
        ),
    ]))
    .unwrap();
    let var = weight_init::core::network::layer_weight_variance(&he64, 2).unwrap();
    f.insert("he-sigma-64", prose(var.sqrt()));
    // The edge of chaos in the chaotic phase: 1/ln χ₁ against the correlation depth scale.
    let c = correlation(Activation::Tanh, 2.5, 0.05);
    f.insert(
        "edge-chaos-xi1",
        prose(phase(Activation::Tanh, 2.5, 0.05).depth_scale),
    );
    f.insert("edge-chaos-xic", prose(c.depth_scale));
    f.insert("edge-chaos-cstar", prose(c.c_star));
    // The explorer's default draw with He weights (20 × 64, 32 samples): Var(Z) at layer 20 over
    // its expectation, beside the median of 10,000 draws.
    let he_ratio = |seed: u64| {
        let r = run(map([
            ("scheme", "he-normal".into()),
            ("layers", 20.0.into()),
            ("width", 64.0.into()),
            ("seed", (seed as f64).into()),
            ("bins", 1.0.into()),
            (
                "input",
                map([("samples", 32.0.into()), ("features", 64.0.into())]),
            ),
        ]));
        r.layers[19].pre_variance / r.theory.expect("theory")[19].pre_variance
    };
    let ratios: Vec<f64> = (0..10_000).map(he_ratio).collect();
    let seed = source_seed("figures/explorer.js", "EXPLORER_SEED");
    let own = he_ratio(seed);
    let at = rank(&ratios, own);
    assert!(
        (0.4..=0.6).contains(&at),
        "the explorer's seed {seed} is typical with He: at {at} of 10,000 draws"
    );
    f.insert("explorer-seed", seed.to_string());
    f.insert("explorer-he-ratio", prose(own));
    f.insert("explorer-he-median", prose(median(&ratios)));
    // The edge figure's default draw: 1 − cos at layer 40 over the theory's, within the middle
    // of 100 networks; their mean follows the theory.
    let draws: Vec<f64> = (0..100)
        .map(|s| {
            let (m, t) = edge_draw(s);
            m / t
        })
        .collect();
    let seed = source_seed("figures/edge.js", "SEED");
    let (measured, predicted) = edge_draw(seed);
    let at = rank(&draws, measured / predicted);
    assert!(
        (0.35..=0.65).contains(&at),
        "the edge figure's seed {seed} is typical: at {at} of 100 networks"
    );
    let mean = draws.iter().sum::<f64>() / draws.len() as f64;
    assert!(
        (mean - 1.0).abs() < 0.15,
        "the mean over networks follows the theory: {mean}"
    );
    f.insert("edge-seed", seed.to_string());
    f.insert("edge-measured-40", prose(measured));
    f.insert("edge-theory-40", prose(predicted));
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
    // The isometry figure at its defaults: tanh at q* = 0.01, 32 layers, 128 wide, its seed.
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
        let seed = source_seed("figures/isometry.js", "ISOMETRY_SEED");
        let cond = |orthogonal: bool| {
            let r = isometry::simulate(Activation::Tanh, 0.01, orthogonal, 32, 128, seed);
            r.singular_values[0] / r.singular_values[127]
        };
        f.insert("iso-seed", seed.to_string());
        f.insert("iso-cond-orth", prose(cond(true)));
        let g = isometry::simulate(Activation::Tanh, 0.01, false, 32, 128, seed);
        f.insert("iso-gauss-max", prose(g.singular_values[0]));
        // A typical draw: its largest singular value lies in the middle of 40 networks'.
        let largest: Vec<f64> = (0..40)
            .map(|s| {
                isometry::simulate(Activation::Tanh, 0.01, false, 32, 128, s).singular_values[0]
            })
            .collect();
        let at = rank(&largest, g.singular_values[0]);
        assert!(
            (0.3..=0.7).contains(&at),
            "the isometry figure's seed {seed} is typical: at {at} of 40 networks"
        );
        f.insert("iso-gauss-max-median", prose(median(&largest)));
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
    use weight_init::core::config::Scheme;
    use weight_init::core::train::{Dataset, Optimizer, TrainConfig, Trainer};
    let digits = common::digits();
    let starts = [
        ("zeros", Scheme::Zeros, 0.0),
        ("small", Scheme::Normal, 0.01),
        ("he", Scheme::HeNormal, 0.0),
        ("xavier", Scheme::XavierNormal, 0.0),
    ];
    for (optimizer, name) in [(Optimizer::Sgd, "sgd"), (Optimizer::Adam, "adam")] {
        for (start, scheme, sigma) in starts {
            let mut t = Trainer::with_digits(
                TrainConfig {
                    dataset: Dataset::Digits,
                    scheme,
                    sigma,
                    optimizer,
                    lr: 0.001,
                    ..TrainConfig::default()
                },
                &digits,
            )
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

/// A number the experiment figure (www/figures/experiment.js) exports as `export const NAME = …;`.
fn figure_constant(name: &str) -> String {
    let js = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/figures/experiment.js"
    ))
    .unwrap();
    js.split(&format!("export const {name} = "))
        .nth(1)
        .and_then(|t| t.split(';').next())
        .unwrap_or_else(|| panic!("{name} in www/figures/experiment.js"))
        .trim()
        .to_string()
}

/// The experiment figure's one network (EXPERIMENT_SEED in www/figures/experiment.js) is a typical draw: at
/// every σ its Var(Z) at layer 8 lies between the 35th and 65th percentiles of 20,000 draws, and so
/// does its growth from layer 1 to layer 8.
#[test]
fn the_experiment_figures_one_network_is_typical() {
    let seed: u64 = figure_constant("EXPERIMENT_SEED").parse().unwrap();
    for sigma in [1e-5, 1e-3, 1e-2, 0.1, 0.5, 1.0] {
        let draws = experiment_draws(sigma);
        let one = experiment_draw(sigma, seed);
        let rank = |f: &dyn Fn(&Draw) -> f64| {
            let v = f(&one);
            draws.iter().filter(|d| f(d) < v).count() as f64 / draws.len() as f64
        };
        let end = rank(&|d| d.l8 / d.e8);
        let growth = rank(&|d| d.l8 / d.l1);
        println!("σ = {sigma}: seed {seed} ranks {end:.3} at layer 8, {growth:.3} in growth");
        assert!(
            (0.35..=0.65).contains(&end),
            "σ = {sigma}: seed {seed}'s layer 8 ranks {end}"
        );
        assert!(
            (0.35..=0.65).contains(&growth),
            "σ = {sigma}: seed {seed}'s growth ranks {growth}"
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
    // 19 halvings from layer 1 to layer 20.
    assert_eq!(f["xavier-relu-20"], "524288");
    // The tanh network with gain 5/3 (Reference: χ₁ = 1.210, 37× over 19 layers).
    assert_eq!(f["tanh-gain-chi"], "1.21");
    assert_eq!(f["tanh-gain-chi19"], "37.3");
    assert_eq!(f["pytorch-q-star"], "0.00625");
    assert_eq!(f["pytorch-bias-share"], "83.3");
    assert_eq!(f["he-sigma-64"], "0.177");
    // The chaotic phase's correlation depth scale differs from 1/ln χ₁ (Reference: 11.8, 8.0).
    assert_eq!(f["edge-chaos-xic"], "11.8");
    assert_eq!(f["edge-chaos-xi1"], "7.98");
    // Stuck networks score chance: the test share of the training set's most common digit.
    assert_eq!(f["digits-chance"], f["digits-sgd-zeros"]);
    // Over 20,000 draws (independently recomputed in NumPy): 57 % of σ = 0.5 networks end below
    // their layer 1, 5.4 % of σ = 1 networks grow less than 110-fold and 0.7 % lose a layer.
    assert_eq!(f["exp-s05-shrinks"], "57");
    assert_eq!(f["exp-s1-below-110"], "5.4");
    assert_eq!(f["exp-s1-dead"], "0.7");
    // The exact spread at depth 100 × 64, and Var ln F there (not 5/n).
    // np.var(Z_100) includes layer 100's own χ²₆₃/63 (median 0.989): 0.0189; the squared norm
    // reaching layer 100 alone, F_1 ⋯ F_99, has median 0.0192, 10 % 4.7e-4 and 90 % 0.735 (2
    // million NumPy draws of the product: 0.0192, 4.7e-4 and 0.734; with layer 100's own factor
    // 0.0189, 4.6e-4 and 0.729).
    assert_eq!(f["spread-median"], "0.0189");
    let norm = weight_init::core::spread::he_relu_norm_law(64, 100, &[0.1, 0.5, 0.9]);
    assert_eq!(prose(norm.quantiles[99][1]), "0.0192");
    assert_eq!(prose(norm.quantiles[99][0]), "4.7 × 10<sup>−4</sup>");
    assert_eq!(prose(norm.quantiles[99][2]), "0.735");
    assert_eq!(f["spread-var-log"], "0.083");
}
