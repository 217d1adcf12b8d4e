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
    use plotters_backend::{
        text_anchor, BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
        FontFamily, FontStyle, FontTransform,
    };
    use std::io::Read;
    use weight_init::charts::lines::draw_lines;
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

    /// A text style as the canvas backend would draw it: plotters' SVG backend writes 1/1.24 of the
    /// size it is given, the canvas backend the size itself.
    struct AsCanvas<'a, S>(&'a S);

    impl<S: BackendTextStyle> BackendTextStyle for AsCanvas<'_, S> {
        type FontError = S::FontError;
        fn color(&self) -> BackendColor {
            self.0.color()
        }
        fn size(&self) -> f64 {
            self.0.size() * 1.24
        }
        fn transform(&self) -> FontTransform {
            self.0.transform()
        }
        fn style(&self) -> FontStyle {
            self.0.style()
        }
        fn anchor(&self) -> text_anchor::Pos {
            self.0.anchor()
        }
        fn family(&self) -> FontFamily<'_> {
            self.0.family()
        }
        fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
            self.0.layout_box(text)
        }
        fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
            &self,
            text: &str,
            pos: BackendCoord,
            draw: F,
        ) -> Result<Result<(), E>, Self::FontError> {
            self.0.draw(text, pos, draw)
        }
    }

    /// plotters' SVG backend with text sized and measured as on the page's canvas.
    struct Svg<'a>(SVGBackend<'a>);

    impl<'a> DrawingBackend for Svg<'a> {
        type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;

        fn get_size(&self) -> (u32, u32) {
            self.0.get_size()
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.ensure_prepared()
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.present()
        }
        fn draw_pixel(
            &mut self,
            p: BackendCoord,
            c: BackendColor,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_pixel(p, c)
        }
        fn draw_line<S: BackendStyle>(
            &mut self,
            a: BackendCoord,
            b: BackendCoord,
            s: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_line(a, b, s)
        }
        fn draw_rect<S: BackendStyle>(
            &mut self,
            a: BackendCoord,
            b: BackendCoord,
            s: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_rect(a, b, s, fill)
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            s: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_path(path, s)
        }
        fn draw_circle<S: BackendStyle>(
            &mut self,
            c: BackendCoord,
            r: u32,
            s: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_circle(c, r, s, fill)
        }
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            v: I,
            s: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.fill_polygon(v, s)
        }
        fn draw_text<S: BackendTextStyle>(
            &mut self,
            text: &str,
            s: &S,
            p: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.0.draw_text(text, &AsCanvas(s), p)
        }
        fn estimate_text_size<S: BackendTextStyle>(
            &self,
            text: &str,
            s: &S,
        ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
            let em: f64 = text.chars().map(advance).sum();
            Ok(((em * s.size()).ceil() as u32, s.size().ceil() as u32))
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
            let root = Svg(SVGBackend::with_string(&mut svg, (width, height))).into_drawing_area();
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
