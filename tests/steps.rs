//! A simulation run a layer at a time, split into parts across workers, or computed from the unit
//! draws a cache kept from the last call gives the same bits as one fresh call to `simulate`.
#![cfg(not(target_arch = "wasm32"))]

use weight_init::core::network::{
    merge, merge_layers, simulate_with, splits, Cache, Part, PartView, Simulator,
};
use weight_init::{map, simulate, Config, Simulation, Value};

fn config(pairs: &[(&str, Value)]) -> Config {
    let mut all = vec![
        ("layers", Value::from(9.0)),
        ("width", 40.0.into()),
        ("seed", 3.0.into()),
        ("bins", 12.0.into()),
        (
            "input",
            map([("samples", 7.0.into()), ("features", 25.0.into())]),
        ),
    ];
    all.extend(pairs.iter().cloned());
    // Later pairs replace earlier ones of the same name.
    let mut fields: Vec<(String, Value)> = Vec::new();
    for (k, v) in all {
        fields.retain(|(name, _)| name != k);
        fields.push((k.to_string(), v));
    }
    Config::from_value(&Value::Map(fields)).unwrap()
}

/// Configs that take every path of a pass: each activation, dense, uniform, constant and
/// orthogonal weights, biases of each kind, a trace, a given input, and overflow.
fn configs() -> Vec<Config> {
    vec![
        config(&[
            ("scheme", "normal".into()),
            ("activation", "tanh".into()),
            ("sigma", 0.3.into()),
        ]),
        config(&[
            ("scheme", "he-normal".into()),
            ("activation", "relu".into()),
            ("trace", Value::Bool(true)),
        ]),
        config(&[
            ("scheme", "xavier-uniform".into()),
            ("activation", "sigmoid".into()),
            ("bias", 0.2.into()),
        ]),
        config(&[
            ("scheme", "pytorch-default".into()),
            ("activation", "leaky-relu".into()),
        ]),
        config(&[
            ("scheme", "lecun-normal".into()),
            ("activation", "linear".into()),
            ("biasSigma", 0.5.into()),
        ]),
        config(&[
            ("scheme", "orthogonal".into()),
            ("activation", "tanh".into()),
            ("gain", 1.5.into()),
        ]),
        config(&[
            ("scheme", "constant".into()),
            ("activation", "tanh".into()),
            ("sigma", 0.01.into()),
        ]),
        config(&[
            ("scheme", "normal".into()),
            ("activation", "linear".into()),
            ("sigma", 1e3.into()),
            ("bias", 1.0.into()),
            ("layers", 200.0.into()),
        ]),
        config(&[
            ("scheme", "he-uniform".into()),
            ("activation", "relu".into()),
            ("gain", 10.0.into()),
            ("layers", 300.0.into()),
        ]),
        config(&[
            ("scheme", "xavier-normal".into()),
            ("activation", "tanh".into()),
            (
                "input",
                Value::List(
                    (0..5)
                        .map(|i| {
                            Value::List(
                                (0..6)
                                    .map(|j| Value::from((i * 6 + j) as f64 / 7.0 - 2.0))
                                    .collect(),
                            )
                        })
                        .collect(),
                ),
            ),
        ]),
    ]
}

/// The result's numbers as bits, so NaN equals NaN and −0 differs from +0.
fn bits(sim: &Simulation) -> String {
    format!("{sim:?}")
}

fn fresh(c: &Config) -> Simulation {
    // Nothing kept from earlier calls.
    simulate(c).unwrap()
}

#[test]
fn a_layer_at_a_time_is_the_same_simulation_and_reports_its_progress() {
    let overflowing = configs()
        .iter()
        .filter(|c| fresh(c).first_non_finite_layer.is_some())
        .count();
    assert!(overflowing >= 2, "the configs include overflow");
    for c in configs() {
        let mut sim = Simulator::new(&c).unwrap();
        let mut progress = vec![sim.progress()];
        while !sim.step().unwrap() {
            progress.push(sim.progress());
        }
        progress.push(sim.progress());
        assert_eq!(
            progress.len(),
            2 * c.layers + 1,
            "one step per layer and direction"
        );
        assert_eq!(progress[0], 0.0);
        assert_eq!(*progress.last().unwrap(), 1.0);
        assert!(
            progress.windows(2).all(|w| w[0] < w[1]),
            "progress only grows: {progress:?}"
        );
        assert_eq!(bits(&sim.finish().unwrap()), bits(&fresh(&c)));
    }
}

#[test]
fn parts_merged_are_the_whole_batch_bit_for_bit() {
    for c in configs() {
        for parts in [1, 2, 3] {
            assert!(splits(&c, parts));
            // Through the numbers a worker sends, one part after the other.
            let flat: Vec<f64> = (0..parts)
                .flat_map(|k| {
                    let mut sim = Simulator::part(&c, k, parts).unwrap();
                    while !sim.step().unwrap() {}
                    sim.take_part().unwrap().to_flat((0, c.layers))
                })
                .collect();
            let pieces = PartView::many_from_flat(&c, &flat).unwrap();
            assert_eq!(pieces.len(), parts);
            let merged = merge(&c, &pieces).unwrap();
            assert_eq!(bits(&merged), bits(&fresh(&c)), "{c:?} in {parts} parts");
        }
    }
}

/// The page's way: each worker keeps its own values and is sent only the other part's values of
/// the layers it measures (and of the layer before them); the shares' layers are the whole's.
#[test]
fn shares_of_the_layers_need_only_their_window_of_the_other_parts_values() {
    for c in configs() {
        let whole = fresh(&c);
        let mut sims: Vec<Simulator> = (0..2)
            .map(|k| {
                let mut sim = Simulator::part(&c, k, 2).unwrap();
                while !sim.step().unwrap() {}
                sim
            })
            .collect();
        let parts: Vec<_> = sims.iter_mut().map(|s| s.take_part().unwrap()).collect();
        let split = c.layers / 2;
        for (k, (from, to)) in [(0, split), (split, c.layers)].into_iter().enumerate() {
            let flat = parts[1 - k].to_flat(Part::window(from, to));
            let full = parts[1 - k].to_flat((0, c.layers));
            assert!(flat.len() < full.len() || c.layers == 1);
            let other = PartView::from_flat(&c, &flat).unwrap();
            let mut views = vec![parts[k].view(), other];
            if k == 1 {
                views.reverse();
            }
            let share = merge_layers(&c, &views, from, to).unwrap();
            assert_eq!(share.layers.len(), to - from);
            for (got, want) in share.layers.iter().zip(&whole.layers[from..to]) {
                let mut got = got.clone();
                got.layer = want.layer;
                assert_eq!(
                    format!("{got:?}"),
                    format!("{want:?}"),
                    "{c:?} layers {from} to {to}"
                );
            }
            // A window that misses a layer the share needs: refused by name.
            if from > 0 {
                let short = parts[1 - k].to_flat((from, to));
                let mut views = vec![PartView::from_flat(&c, &short).unwrap(), parts[k].view()];
                if k == 0 {
                    views.reverse();
                }
                let err = merge_layers(&c, &views, from, to)
                    .err()
                    .unwrap()
                    .to_string();
                assert!(
                    err.starts_with("parts must hold the values of layers"),
                    "{err}"
                );
            }
        }
    }
}

#[test]
fn what_cannot_split_or_merge_is_refused_by_name() {
    let lsuv = config(&[("scheme", "lsuv".into())]);
    assert!(!splits(&lsuv, 2));
    let err = Simulator::part(&lsuv, 0, 2).err().unwrap().to_string();
    assert!(err.starts_with("parts ") && err.contains("LSUV"), "{err}");
    // Scaled from a reference run: ReLU, σ alone, no biases.
    let scaled = config(&[("scheme", "normal".into()), ("sigma", 0.2.into())]);
    assert!(!splits(&scaled, 2));
    let c = config(&[("scheme", "he-normal".into())]);
    assert!(!splits(&c, 8), "7 samples do not make 8 parts");
    let err = Simulator::part(&c, 2, 2).err().unwrap().to_string();
    assert!(
        err.starts_with("part must be a whole number from 0 to 1"),
        "{err}"
    );
    let mut sim = Simulator::part(&c, 0, 2).unwrap();
    while !sim.step().unwrap() {}
    let first = sim.take_part().unwrap();
    let err = merge(&c, &[first.view()]).err().unwrap().to_string();
    assert!(err.starts_with("parts "), "{err}");
    let err = merge(&c, &[first.view(), first.view()])
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("parts "), "{err}");
    let mut flat = first.to_flat((0, c.layers));
    flat.pop();
    assert!(
        PartView::from_flat(&c, &flat).is_err(),
        "a part of the wrong length"
    );
    let other = config(&[("scheme", "he-normal".into()), ("width", 41.0.into())]);
    assert!(
        PartView::from_flat(&other, &first.to_flat((0, c.layers))).is_err(),
        "another config's part"
    );
}

#[test]
fn kept_unit_draws_give_the_numbers_of_a_fresh_call_whatever_came_before() {
    let at = |sigma: f64, layers: f64, seed: f64, scheme: &str| {
        config(&[
            ("scheme", scheme.into()),
            ("activation", "tanh".into()),
            ("sigma", sigma.into()),
            ("layers", layers.into()),
            ("seed", seed.into()),
        ])
    };
    let target = at(0.4, 9.0, 3.0, "normal");
    let expected = bits(&fresh(&target));
    // Each history leaves other draws kept: a smaller σ, a deeper and a shallower network, another
    // seed, uniform draws, and a run dropped halfway.
    let run = |c: Config| move |cache: &mut Cache| drop(simulate_with(&c, cache));
    type History<'a> = Box<dyn Fn(&mut Cache) + 'a>;
    let histories: Vec<History> = vec![
        Box::new(run(at(0.1, 9.0, 3.0, "normal"))),
        Box::new(run(at(0.4, 20.0, 3.0, "normal"))),
        Box::new(run(at(0.4, 4.0, 3.0, "normal"))),
        Box::new(run(at(0.4, 9.0, 4.0, "normal"))),
        Box::new(run(at(0.4, 9.0, 3.0, "uniform"))),
        Box::new(|cache: &mut Cache| {
            let c = at(0.2, 12.0, 3.0, "normal");
            let mut sim = Simulator::with_cache(&c, std::mem::take(cache)).unwrap();
            for _ in 0..5 {
                sim.step().unwrap();
            }
            *cache = sim.into_cache();
        }),
    ];
    let mut cache = Cache::default();
    for (k, history) in histories.iter().enumerate() {
        history(&mut cache);
        assert_eq!(
            bits(&simulate_with(&target, &mut cache).unwrap()),
            expected,
            "after history {k}"
        );
    }
}

#[test]
fn kept_reflections_give_the_numbers_of_a_fresh_call_whatever_came_before() {
    let at = |scheme: &str, gain: f64, layers: f64, activation: &str| {
        config(&[
            ("scheme", scheme.into()),
            ("gain", gain.into()),
            ("layers", layers.into()),
            ("activation", activation.into()),
        ])
    };
    for target in [
        at("orthogonal", 1.5, 9.0, "tanh"),
        at("lsuv", 1.0, 9.0, "tanh"),
    ] {
        let expected = bits(&fresh(&target));
        // Another gain, a deeper and a shallower network, another kind, and the target itself.
        let histories = [
            at("orthogonal", 0.5, 9.0, "tanh"),
            at("orthogonal", 1.5, 20.0, "relu"),
            at("lsuv", 1.0, 4.0, "sigmoid"),
            at("normal", 1.0, 9.0, "tanh"),
            at("orthogonal", 1.5, 9.0, "tanh"),
        ];
        let mut cache = Cache::default();
        for (k, h) in histories.iter().enumerate() {
            simulate_with(h, &mut cache).unwrap();
            let got = bits(&simulate_with(&target, &mut cache).unwrap());
            assert_eq!(got, expected, "{:?} after history {k}", target.scheme);
        }
    }
}
