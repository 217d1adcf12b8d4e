//! A plotters backend that draws nothing itself: it writes every drawing call as numbers (a
//! picture tape) for JavaScript to paint on a canvas (`paint` in `src/simulator.js`). So the
//! WebAssembly module never holds or calls a canvas: a canvas whose getters throw, or whose
//! context was tampered with, can only fail in JavaScript, where the error is caught and named.
//!
//! The tape is a flat list of operations, each an opcode followed by its operands. A colour is
//! four numbers, `r g b alpha` (0–255, 0–255, 0–255, 0–1); a string is its length in UTF-16 code
//! units followed by the code units. Coordinates are the canvas's pixels.
//!
//! | op | operands |
//! |---|---|
//! | [`op::PIXEL`] | `x y colour` — a 1 × 1 filled rectangle |
//! | [`op::LINE`] | `x0 y0 x1 y1 colour width` (already moved half a pixel when horizontal or vertical, so it is sharp) |
//! | [`op::RECT`] | `x y w h colour fill width` |
//! | [`op::PATH`] | `n x₁ y₁ … xₙ yₙ colour width` — a stroked polyline |
//! | [`op::POLYGON`] | `n x₁ y₁ … xₙ yₙ colour` — a filled, closed polygon |
//! | [`op::CIRCLE`] | `x y radius colour fill width` |
//! | [`op::TEXT`] | `x y degrees baseline align colour font text` — baseline 0 top, 1 middle, 2 bottom; align 0 start, 1 centre, 2 end |
//!
//! What a canvas does with each (stroke style, line width, text baseline and alignment) is what
//! plotters' own canvas backend does, so a picture comes out as it did when plotters drew it.

use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};
use std::cell::{RefCell, RefMut};
use std::rc::Rc;

/// The opcodes of a picture tape.
pub mod op {
    /// A single pixel.
    pub const PIXEL: f64 = 0.0;
    /// A stroked line segment.
    pub const LINE: f64 = 1.0;
    /// A rectangle, filled or stroked.
    pub const RECT: f64 = 2.0;
    /// A stroked polyline.
    pub const PATH: f64 = 3.0;
    /// A filled polygon.
    pub const POLYGON: f64 = 4.0;
    /// A circle, filled or stroked.
    pub const CIRCLE: f64 = 5.0;
    /// A line of text.
    pub const TEXT: f64 = 6.0;
}

/// The most numbers one picture may hold (64 MB): a chart stops drawing with an error past it,
/// instead of growing the module's memory without bound.
pub const MAX_TAPE: usize = 8 << 20;

/// Why a picture could not be recorded.
#[derive(Debug)]
pub struct PictureError(String);

impl std::fmt::Display for PictureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PictureError {}

/// A backend of `width × height` pixels that records what is drawn on it. A drawing area owns
/// its backend, so the tape is shared: [`Picture::tape`] is a handle to it that outlives the area.
pub struct Picture {
    width: u32,
    height: u32,
    tape: Rc<RefCell<Vec<f64>>>,
}

impl Picture {
    /// An empty picture of `width × height` pixels.
    pub fn new(width: u32, height: u32) -> Picture {
        Picture {
            width,
            height,
            tape: Rc::default(),
        }
    }

    /// A handle to the tape, to read once drawing is done.
    pub fn tape(&self) -> Rc<RefCell<Vec<f64>>> {
        Rc::clone(&self.tape)
    }

    /// The tape recorded so far.
    pub fn into_tape(self) -> Vec<f64> {
        self.tape.take()
    }

    fn t(&self) -> RefMut<'_, Vec<f64>> {
        self.tape.borrow_mut()
    }

    fn room(&self, more: usize) -> Result {
        if self.t().len() + more > MAX_TAPE {
            return Err(DrawingErrorKind::DrawingError(PictureError(format!(
                "the picture would hold more than {MAX_TAPE} numbers"
            ))));
        }
        Ok(())
    }

    fn colour(&mut self, c: BackendColor) {
        let (r, g, b) = c.rgb;
        self.t()
            .extend([f64::from(r), f64::from(g), f64::from(b), c.alpha]);
    }

    fn text(&mut self, s: &str) {
        let at = self.t().len();
        self.t().push(0.0);
        self.t().extend(s.encode_utf16().map(f64::from));
        let mut t = self.t();
        t[at] = (t.len() - at - 1) as f64;
    }

    /// A polyline (`PATH`, with its stroke width) or a filled polygon (`POLYGON`, without).
    fn shape<I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        code: f64,
        path: I,
        c: BackendColor,
        width: Option<u32>,
    ) -> Result {
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.room(8)?;
        self.t().push(code);
        self.points(path)?;
        self.room(5)?;
        self.colour(c);
        if let Some(w) = width {
            self.t().push(f64::from(w));
        }
        Ok(())
    }

    fn points<I: IntoIterator<Item = BackendCoord>>(&mut self, path: I) -> Result {
        let at = self.t().len();
        self.t().push(0.0);
        let mut n = 0;
        for (x, y) in path {
            if n % 1024 == 0 {
                self.room(2048)?;
            }
            self.t().extend([f64::from(x), f64::from(y)]);
            n += 1;
        }
        self.t()[at] = n as f64;
        Ok(())
    }
}

type Result<T = ()> = std::result::Result<T, DrawingErrorKind<PictureError>>;

/// Moves a horizontal or vertical line half a pixel, as plotters' canvas backend does, so that a
/// one-pixel line covers one row or column of pixels instead of two half-lit ones.
fn sharp(from: BackendCoord, to: BackendCoord) -> [f64; 4] {
    let mut a = [
        f64::from(from.0),
        f64::from(from.1),
        f64::from(to.0),
        f64::from(to.1),
    ];
    if from.0 == to.0 {
        a[0] -= 0.5;
        a[2] -= 0.5;
    }
    if from.1 == to.1 {
        a[1] -= 0.5;
        a[3] -= 0.5;
    }
    a
}

impl DrawingBackend for Picture {
    type ErrorType = PictureError;

    fn get_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result {
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.room(7)?;
        self.t().extend([op::PIXEL, f64::from(p.0), f64::from(p.1)]);
        self.colour(c);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Result {
        if s.color().alpha == 0.0 {
            return Ok(());
        }
        self.room(10)?;
        self.t().push(op::LINE);
        self.t().extend(sharp(a, b));
        self.colour(s.color());
        self.t().push(f64::from(s.stroke_width()));
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result {
        if s.color().alpha == 0.0 {
            return Ok(());
        }
        self.room(11)?;
        self.t().extend([
            op::RECT,
            f64::from(a.0),
            f64::from(a.1),
            f64::from(b.0 - a.0),
            f64::from(b.1 - a.1),
        ]);
        self.colour(s.color());
        self.t()
            .extend([f64::from(u8::from(fill)), f64::from(s.stroke_width())]);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result {
        self.shape(op::PATH, path, s.color(), Some(s.stroke_width()))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result {
        self.shape(op::POLYGON, path, s.color(), None)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result {
        if s.color().alpha == 0.0 {
            return Ok(());
        }
        self.room(10)?;
        self.t()
            .extend([op::CIRCLE, f64::from(c.0), f64::from(c.1), f64::from(r)]);
        self.colour(s.color());
        self.t()
            .extend([f64::from(u8::from(fill)), f64::from(s.stroke_width())]);
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, s: &S, p: BackendCoord) -> Result {
        let c = s.color();
        if c.alpha == 0.0 {
            return Ok(());
        }
        let font = format!(
            "{} {}px {}",
            s.style().as_str(),
            s.size(),
            s.family().as_str()
        );
        self.room(12 + font.len() + text.len() * 2)?;
        let degrees = match s.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        let baseline = match s.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => 1.0,
            VPos::Bottom => 2.0,
        };
        let align = match s.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => 1.0,
            HPos::Right => 2.0,
        };
        self.t().extend([
            op::TEXT,
            f64::from(p.0),
            f64::from(p.1),
            degrees,
            baseline,
            align,
        ]);
        self.colour(c);
        self.text(&font);
        self.text(text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_each_call_with_its_operands() {
        let mut p = Picture::new(100, 50);
        let red = RGBColor(200, 10, 20);
        p.draw_line((1, 5), (9, 5), &red).unwrap();
        p.draw_rect((2, 3), (12, 8), &red.filled(), true).unwrap();
        p.draw_text(
            "σ",
            &TextStyle::from(("sans-serif", 12.0)).color(&red),
            (4, 4),
        )
        .unwrap();
        let t = p.into_tape();
        // The horizontal line moved half a pixel up.
        assert_eq!(
            &t[..10],
            &[op::LINE, 1.0, 4.5, 9.0, 4.5, 200.0, 10.0, 20.0, 1.0, 1.0]
        );
        assert_eq!(
            &t[10..21],
            &[
                op::RECT,
                2.0,
                3.0,
                10.0,
                5.0,
                200.0,
                10.0,
                20.0,
                1.0,
                1.0,
                1.0
            ]
        );
        assert_eq!(t[21], op::TEXT);
        let font = "normal 12px sans-serif";
        let at = 21 + 10;
        assert_eq!(t[at] as usize, font.len());
        assert_eq!(t[at + 1 + font.len()], 1.0, "one UTF-16 unit for σ");
        assert_eq!(
            t[at + 2 + font.len()],
            f64::from(u16::try_from('σ' as u32).unwrap())
        );
        assert_eq!(t.len(), at + 3 + font.len());
    }

    #[test]
    fn a_transparent_call_records_nothing() {
        let mut p = Picture::new(10, 10);
        p.draw_line((0, 0), (5, 5), &RGBColor(0, 0, 0).mix(0.0))
            .unwrap();
        assert!(p.into_tape().is_empty());
    }

    #[test]
    fn stops_with_an_error_past_its_size() {
        let mut p = Picture::new(10, 10);
        let black = RGBColor(0, 0, 0);
        let mut failed = false;
        for _ in 0..MAX_TAPE / 10 + 2 {
            if p.draw_line((0, 0), (5, 5), &black).is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed);
        assert!(p.into_tape().len() <= MAX_TAPE);
    }
}
