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
