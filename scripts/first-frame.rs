//! Draws a line chart as SVG, with the same code that draws it on the page's canvas: the picture
//! of the article's first figure at its default settings, which `scripts/trunk-post-build.mjs`
//! puts into `index.html` so that it is on the screen before any script has run (and for readers
//! without JavaScript). The page replaces it with the live canvas once its WebAssembly is ready.
//!
//! Reads `{ "spec": <drawLines spec>, "width": <px>, "height": <px> }` as JSON on stdin; writes
//! the SVG, drawn in the light theme at scale 1, on stdout. The stylesheet maps its colours to the
//! dark theme's (`www/style.css`, checked by `tests/charts.rs`).
//!
//!     cargo run --release --example first-frame < spec.json > figure.svg

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use plotters::prelude::*;
    use plotters_backend::BackendTextStyle;
    use std::io::Read;
    use weight_init::charts::lines::draw_lines;
    use weight_init::charts::text::{TextRule, Texted};
    use weight_init::charts::{spec, Theme};
    use weight_init::Value;

    /// A JSON value as the page's tape would carry it: arrays of numbers only are `Numbers`.
    fn value(v: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            J::String(s) => Value::Text(s.clone()),
            J::Array(items) if items.iter().all(J::is_number) => {
                Value::Numbers(items.iter().filter_map(J::as_f64).collect())
            }
            J::Array(items) => Value::List(items.iter().map(value).collect()),
            J::Object(fields) => {
                Value::Map(fields.iter().map(|(k, v)| (k.clone(), value(v))).collect())
            }
        }
    }

    /// The advance of `c` in em of a common sans-serif (Helvetica/Arial metrics): the canvas measures
    /// its text, an SVG written ahead of time can only estimate it.
    fn advance(c: char) -> f64 {
        match c {
            ' ' | '.' | ',' | ':' | ';' | '!' | '|' | 'i' | 'j' | 'l' | 'I' | '\'' => 0.278,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.333,
            '0'..='9' | '+' | '=' | '−' | '<' | '>' | '~' => 0.556,
            'm' | 'M' | 'W' => 0.833,
            'w' => 0.722,
            'a'..='z' => 0.53,
            'A'..='Z' => 0.68,
            _ => 0.6,
        }
    }

    /// Text as the page's canvas sizes it, estimated: the canvas measures its text, an SVG written
    /// ahead of time cannot. plotters' SVG backend writes 1/1.24 of the size it is given, the
    /// canvas backend the size itself.
    struct AsOnCanvas;

    impl TextRule for AsOnCanvas {
        fn measure<S: BackendTextStyle>(&self, text: &str, s: &S) -> (u32, u32) {
            let em: f64 = text.chars().map(advance).sum();
            ((em * s.size()).ceil() as u32, s.size().ceil() as u32)
        }
        fn draw_scale(&self) -> f64 {
            1.24
        }
    }

    pub fn main() -> Result<(), String> {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| e.to_string())?;
        let json: serde_json::Value = serde_json::from_str(&input).map_err(|e| e.to_string())?;
        let size = |key: &str| {
            json[key]
                .as_u64()
                .filter(|&n| (16..=4096).contains(&n))
                .map(|n| n as u32)
                .ok_or(format!(
                    "{key} must be a whole number of pixels from 16 to 4096"
                ))
        };
        let (width, height) = (size("width")?, size("height")?);
        let chart = spec::lines(&value(&json["spec"])).map_err(|e| e.to_string())?;
        let mut svg = String::new();
        {
            let root = Texted {
                inner: SVGBackend::with_string(&mut svg, (width, height)),
                rule: AsOnCanvas,
            }
            .into_drawing_area();
            draw_lines(&root, &chart, &Theme::new(false, 1.0))?;
            root.present().map_err(|e| e.to_string())?;
        }
        print!("{svg}");
        Ok(())
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), String> {
    native::main()
}

// Nothing to draw on wasm32: the page draws this chart on its canvas.
#[cfg(target_arch = "wasm32")]
fn main() {}
