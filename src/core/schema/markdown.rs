//! The README's tables of a schema's fields.

use super::tables::*;
use super::typescript::limit;
use std::fmt::Write;

/// The README's table of a schema's fields: name, what it allows, default, meaning.
pub fn markdown(s: &Schema) -> String {
    let mut out = String::from("| field | allowed | default | meaning |\n|---|---|---|---|\n");
    for f in s.fields {
        let n = |x: f64| {
            if x == MAX_SEED {
                "2^53−1".to_string()
            } else {
                limit(x)
            }
        };
        let allowed = match f.kind {
            Kind::Whole { min, max } => format!("whole number {}–{}", n(min), n(max)),
            Kind::Number { min, max } => format!("{}–{}", n(min), n(max)),
            Kind::Name(names) => names
                .iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Kind::Flag => "`true`, `false`".into(),
            Kind::Text => format!("string of at most {MAX_TEXT} characters"),
            Kind::Numbers { max } => format!("at most {max} numbers"),
            Kind::Rows { rows } => format!("1 to {rows} arrays of numbers"),
            Kind::List { item, max } => format!("1 to {max} `{}`", item.name),
            Kind::Input => "see below".into(),
        };
        let default = match f.default {
            Default::Number(x) => n(x),
            Default::Name(x) => format!("`{x}`"),
            Default::Flag(b) => format!("`{b}`"),
            Default::Empty => "—".into(),
            Default::ArticleInput => "`[1, 2, 3, 4, 5]`".into(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.name,
            allowed,
            default,
            f.doc.replace('|', "\\|")
        );
    }
    out
}
