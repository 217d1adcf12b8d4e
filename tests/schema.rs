//! The TypeScript declarations are generated from the schema: `www/simulator.d.ts` must be what
//! `schema::typescript()` writes (`UPDATE_TYPES=1 cargo test --test schema` rewrites it).
#![cfg(not(target_arch = "wasm32"))]

use weight_init::core::schema;

#[test]
fn typescript_declarations_match_the_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/simulator.d.ts");
    let want = schema::typescript();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(path, &want).expect("write simulator.d.ts");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "www/simulator.d.ts is out of date: run UPDATE_TYPES=1 cargo test --test schema"
    );
}

#[test]
fn the_schema_is_valid_json_with_every_config() {
    let json: serde_json::Value = serde_json::from_str(&schema::json()).expect("valid JSON");
    for key in ["simulate", "train", "lines", "theme"] {
        assert!(json["schemas"][key]["fields"].is_array(), "{key}");
    }
    assert_eq!(json["limits"]["maxSeed"], 9007199254740991u64);
    let sigma = &json["schemas"]["simulate"]["fields"][4];
    assert_eq!(sigma["name"], "sigma");
    assert_eq!(sigma["max"], 1e6);
    assert_eq!(json["names"]["schemes"].as_array().unwrap().len(), 12);
}

#[test]
fn scheme_and_activation_names_round_trip() {
    use weight_init::{Activation, Scheme};
    for (i, name) in schema::SCHEMES.iter().enumerate() {
        assert_eq!(Scheme::ALL[i].name(), *name);
        assert_eq!(Scheme::named(name), Scheme::ALL[i]);
    }
    for name in schema::ACTIVATIONS {
        assert_eq!(Activation::named(name, 0.1).name(), name);
    }
}

/// The README's field tables are the schema's: each sits between `<!-- schema:NAME -->` and
/// `<!-- /schema:NAME -->` and is rewritten by `UPDATE_TYPES=1 cargo test --test schema`.
#[test]
fn the_readme_tables_match_the_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let mut readme = std::fs::read_to_string(path).expect("README.md");
    let mut changed = false;
    for (name, s) in [
        ("simulate", &schema::simulate::SCHEMA),
        ("train", &schema::train::SCHEMA),
        ("isometry", &schema::isometry::SCHEMA),
        ("residual", &schema::residual::SCHEMA),
        ("attention", &schema::attention::SCHEMA),
    ] {
        let (open, close) = (
            format!("<!-- schema:{name} -->\n"),
            format!("<!-- /schema:{name} -->"),
        );
        let start = readme
            .find(&open)
            .unwrap_or_else(|| panic!("README has no {open}"))
            + open.len();
        let end = start
            + readme[start..]
                .find(&close)
                .unwrap_or_else(|| panic!("README has no {close}"));
        let want = schema::markdown(s);
        if readme[start..end] != want {
            assert!(
                std::env::var_os("UPDATE_TYPES").is_some(),
                "README's {name} table differs from the schema: run UPDATE_TYPES=1 cargo test --test schema"
            );
            readme.replace_range(start..end, &want);
            changed = true;
        }
    }
    if changed {
        std::fs::write(path, readme).expect("write README.md");
    }
}

/// A flat result read back by its layout's names, as `unpackFlat` in `simulator.js` reads it:
/// each number or array by its name (marks left off), counts left out.
fn read_flat(layout: &[&str], flat: &[f64]) -> Vec<(String, Vec<f64>)> {
    use weight_init::core::schema::flat::{entry, Entry};
    let (mut out, mut counts, mut i) = (Vec::new(), Vec::new(), 0);
    for s in layout {
        match entry(s) {
            Entry::Count(c) => {
                counts.push((c, flat[i] as usize));
                i += 1;
            }
            Entry::Number(name) => {
                out.push((name.to_string(), vec![flat[i]]));
                i += 1;
            }
            Entry::Numbers(name, count) => {
                let n = match count {
                    Some(c) => counts.iter().rev().find(|(k, _)| *k == c).unwrap().1,
                    None => flat.len() - i,
                };
                out.push((name.to_string(), flat[i..i + n].to_vec()));
                i += n;
            }
        }
    }
    assert_eq!(i, flat.len(), "every number read");
    out
}

#[test]
fn flat_results_are_read_back_by_the_names_they_were_packed_by() {
    use weight_init::core::schema::{self, result};
    use weight_init::core::validate::check;
    use weight_init::{map, Value};
    let record = |s: &'static schema::Schema, v: Value| check(s, &v, "config").unwrap();
    let get = |read: &[(String, Vec<f64>)], name: &str| -> Vec<f64> {
        read.iter().find(|(n, _)| n == name).unwrap().1.clone()
    };

    let r = weight_init::core::residual::residual(&record(
        &schema::residual::SCHEMA,
        map([("blocks", 7.0.into())]),
    ));
    let read = read_flat(&result::RESIDUAL, &r.flat());
    assert_eq!(get(&read, "forward"), r.forward);
    assert_eq!(get(&read, "backwardTheory"), r.backward_theory);
    assert_eq!(r.forward.len(), 8, "block 0 to 7");

    for skip in [false, true] {
        let a = weight_init::core::attention::attention(&record(
            &schema::attention::SCHEMA,
            map([("d", 16.0.into()), ("skipTheory", Value::Bool(skip))]),
        ));
        let read = read_flat(&result::ATTENTION, &a.flat());
        assert_eq!(get(&read, "unscaled.first"), a.unscaled.first);
        assert_eq!(get(&read, "scaled.jacobian"), vec![a.scaled.jacobian]);
        let h = get(&read, "unscaled.theory.entropy")[0];
        match a.unscaled_theory {
            Some(t) => assert_eq!(h, t.entropy),
            None => assert!(
                skip && h.is_nan(),
                "a skipped theory is NaN, left out by the reader"
            ),
        }
    }

    let i = weight_init::core::isometry::isometry(&record(
        &schema::isometry::SCHEMA,
        map([("layers", 8.0.into()), ("width", 16.0.into())]),
    ));
    let read = read_flat(&result::ISOMETRY, &i.flat());
    assert_eq!(get(&read, "singularValues"), i.singular_values);
    let depths: Vec<f64> = i.depths.iter().map(|&d| d as f64).collect();
    assert_eq!(get(&read, "depths"), depths);
    assert_eq!(get(&read, "spreadTheory"), i.spread_theory);

    let e = weight_init::core::meanfield::edge(&record(&schema::edge::SCHEMA, map([])));
    let read = read_flat(&result::EDGE, &e.flat());
    assert_eq!(get(&read, "qStar"), vec![e.phase.q_star]);
    assert_eq!(get(&read, "grid"), e.grid);
    let line: Vec<f64> = e.line.iter().flat_map(|&(w, b)| [w, b]).collect();
    assert_eq!(get(&read, "line"), line);

    // The JSON the JavaScript side reads the layouts from holds each of them.
    let json: serde_json::Value = serde_json::from_str(&schema::json()).unwrap();
    for (name, layout) in result::FLAT {
        let names: Vec<&str> = json["result"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(names, layout, "{name}");
    }
}
