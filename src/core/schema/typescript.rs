//! The TypeScript declarations of the JavaScript API (`www/simulator.d.ts`): the template
//! `simulator.d.ts.in`, its placeholders filled from the tables.

use super::tables::*;
use std::fmt::Write;

fn ts_type(f: &Field) -> String {
    let union = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    match f.kind {
        Kind::Whole { .. } | Kind::Number { .. } => "number".into(),
        Kind::Name(names) if std::ptr::eq(names, &SCHEMES[..]) => "Scheme".into(),
        Kind::Name(names) if std::ptr::eq(names, &ACTIVATIONS[..]) => "ActivationName".into(),
        Kind::Name(names) => union(names),
        Kind::Flag => "boolean".into(),
        Kind::Text => "string".into(),
        Kind::Numbers { .. } => "ArrayLike<number>".into(),
        Kind::Rows { .. } => "ArrayLike<number>[]".into(),
        Kind::List { item, .. } => format!("{}[]", item.name),
        Kind::Input => {
            "ArrayLike<number> | ArrayLike<number>[] | { samples: number; features: number }".into()
        }
    }
}

/// A limit or default as the declarations and the README write it: whole numbers in full, very
/// large or small ones in exponent form.
pub(super) fn limit(x: f64) -> String {
    if x.abs() >= 1e6 && x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x}")
    } else if x != 0.0 && (x.abs() >= 1e6 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn ts_range(f: &Field) -> String {
    let n = limit;
    let default = match f.default {
        Default::Number(x) => format!(" Default {}.", n(x)),
        Default::Name(s) => format!(" Default \"{s}\"."),
        Default::Flag(b) => format!(" Default {b}."),
        Default::Empty | Default::ArticleInput => String::new(),
    };
    match f.kind {
        Kind::Whole { min, max } => format!(" Whole number {}–{}.{default}", n(min), n(max)),
        Kind::Number { min, max } => format!(" {}–{}.{default}", n(min), n(max)),
        Kind::Numbers { max } => format!(" At most {max} numbers."),
        _ => default,
    }
}

/// The declarations' template: the API's TypeScript as written, with `{{name}}` where
/// [`typescript`] puts what the tables give.
const TEMPLATE: &str = include_str!("simulator.d.ts.in");

/// TypeScript declarations of the JavaScript API (`simulator.d.ts`): [`TEMPLATE`] with
/// `{{schemes}}` and `{{activations}}` the name lists as unions, and `{{interfaces}}` every
/// schema of [`ALL`] as an interface.
pub fn typescript() -> String {
    let union = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let mut interfaces = String::new();
    let mut done: Vec<&str> = Vec::new();
    for (_, s) in ALL.iter() {
        interface(&mut interfaces, s, &mut done);
    }
    fill(
        TEMPLATE,
        &[
            ("schemes", union(&SCHEMES)),
            ("activations", union(&ACTIVATIONS)),
            ("interfaces", interfaces),
            (
                "flatLayouts",
                result::FLAT
                    .iter()
                    .map(|(name, _)| format!("{name}: string[]"))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ],
    )
}

/// `template` with each `{{name}}` replaced by its value, in one pass (a value is never read
/// for placeholders). A placeholder without a value is a bug in the template: it panics, so the
/// test that compares the declarations fails.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find("}}").unwrap_or_else(|| {
            panic!("an unclosed placeholder in the template: {:?}", &rest[at..])
        });
        let name = &after[..end];
        let value = values
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("the template's placeholder {{{{{name}}}}} has no value"));
        out.push_str(&value.1);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn interface(out: &mut String, s: &Schema, done: &mut Vec<&'static str>) {
    if done.contains(&s.name) {
        return;
    }
    for f in s.fields {
        if let Kind::List { item, .. } = f.kind {
            interface(out, item, done);
        }
    }
    done.push(s.name);
    let _ = writeln!(out, "/** {} */\nexport interface {} {{", s.doc, s.name);
    for f in s.fields {
        let _ = writeln!(
            out,
            "  /** {}{} */\n  {}?: {};",
            f.doc,
            ts_range(f),
            f.name,
            ts_type(f)
        );
    }
    out.push_str("}\n\n");
}
