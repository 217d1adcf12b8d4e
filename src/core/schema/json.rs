//! The contract as JSON, for the `schemaJson` export (`schema()` in `simulator.js`).

use super::tables::*;
use std::fmt::Write;

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_names(out: &mut String, names: &[&str]) {
    out.push('[');
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, n);
    }
    out.push(']');
}

fn json_field(out: &mut String, f: &Field) {
    out.push_str("{\"name\":");
    json_str(out, f.name);
    let kind = match f.kind {
        Kind::Whole { min, max } => format!("\"whole\",\"min\":{min},\"max\":{max}"),
        Kind::Number { min, max } => format!("\"number\",\"min\":{min:e},\"max\":{max:e}"),
        Kind::Name(names) => {
            let mut s = String::from("\"name\",\"names\":");
            json_names(&mut s, names);
            s
        }
        Kind::Flag => "\"flag\"".into(),
        Kind::Text => format!("\"text\",\"max\":{MAX_TEXT}"),
        Kind::Numbers { max } => format!("\"numbers\",\"max\":{max}"),
        Kind::Rows { rows } => format!("\"rows\",\"max\":{rows}"),
        Kind::List { item, max } => format!("\"list\",\"item\":\"{}\",\"max\":{max}", item.name),
        Kind::Input => "\"input\"".into(),
    };
    let _ = write!(out, ",\"kind\":{kind},\"default\":");
    match f.default {
        Default::Number(x) => {
            let _ = write!(out, "{x}");
        }
        Default::Name(n) => json_str(out, n),
        Default::Flag(b) => {
            let _ = write!(out, "{b}");
        }
        Default::Empty => out.push_str("null"),
        Default::ArticleInput => out.push_str("[1,2,3,4,5]"),
    }
    out.push_str(",\"doc\":");
    json_str(out, f.doc);
    out.push('}');
}

/// The whole contract as JSON, for the `schema()` export: every schema's fields, the name lists,
/// the limits and the result layout.
pub fn json() -> String {
    let mut out = String::from("{\"schemas\":{");
    for (i, (key, s)) in ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(&mut out, key);
        out.push_str(":{\"name\":");
        json_str(&mut out, s.name);
        out.push_str(",\"root\":");
        json_str(&mut out, s.root);
        out.push_str(",\"fields\":[");
        for (j, f) in s.fields.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            json_field(&mut out, f);
        }
        out.push_str("]}");
    }
    out.push_str("},\"names\":{\"schemes\":");
    json_names(&mut out, &SCHEMES);
    out.push_str(",\"sigmaSchemes\":");
    json_names(&mut out, &SIGMA_SCHEMES);
    out.push_str(",\"activations\":");
    json_names(&mut out, &ACTIVATIONS);
    out.push_str(",\"trainActivations\":");
    json_names(&mut out, &TRAIN_ACTIVATIONS);
    out.push_str(",\"datasets\":");
    json_names(&mut out, &DATASETS);
    out.push_str(",\"optimizers\":");
    json_names(&mut out, &OPTIMIZERS);
    out.push_str("},\"labels\":{");
    for (i, (name, label)) in SCHEMES
        .iter()
        .zip(SCHEME_LABELS)
        .chain(ACTIVATIONS.iter().zip(ACTIVATION_LABELS))
        .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        json_str(&mut out, name);
        out.push(':');
        json_str(&mut out, label);
    }
    let _ = write!(
        out,
        "}},\"limits\":{{\"maxSeed\":{MAX_SEED},\"maxItems\":{MAX_ITEMS},\"maxText\":{MAX_TEXT},\
         \"maxKeys\":{MAX_KEYS},\"maxDepth\":{MAX_DEPTH},\"maxDigitsBytes\":{}}},\"result\":{{\"header\":",
        crate::core::digits::MAX_BYTES
    );
    json_names(&mut out, &result::HEADER);
    out.push_str(",\"layer\":");
    json_names(&mut out, &result::LAYER);
    out.push_str(",\"theory\":");
    json_names(&mut out, &result::THEORY);
    out.push_str(",\"progress\":");
    json_names(&mut out, &result::PROGRESS);
    for (name, layout) in result::FLAT {
        out.push(',');
        json_str(&mut out, name);
        out.push(':');
        json_names(&mut out, layout);
    }
    out.push_str("},\"tape\":{");
    for (i, (name, tag)) in tape::NAMES.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{name}\":{tag}");
    }
    out.push_str("}}");
    out
}
