//! A loosely typed value, the shape a JavaScript config arrives in before it is validated.
//!
//! The JavaScript side turns its arguments into plain data — a flat array of numbers, the tape —
//! catching on its side anything that throws while being read; [`Value::from_tape`] reads the tape
//! into a [`Value`], and the schema's validation turns that into a checked config or an error that
//! names the field. Rust callers, JavaScript callers and the property tests meet the same
//! validation and the same messages.

use super::schema::{self, tape};

/// A JSON-like value that can also carry the numbers JSON cannot (NaN, ±Infinity).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// JavaScript `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// Any JavaScript number, including NaN and ±Infinity.
    Number(f64),
    /// A string.
    Text(String),
    /// An array.
    List(Vec<Value>),
    /// An array or typed array holding only numbers.
    Numbers(Vec<f64>),
    /// A plain object, its own keys in order. A missing or `undefined` field is simply absent.
    Map(Vec<(String, Value)>),
    /// Anything else, described for messages: `"a function"`, `"an array of 10000000 items"`.
    Other(String),
}

impl Value {
    /// A short description of the value for error messages: `"NaN"`, `"a string"`, `"an array"`.
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => format!("{b}"),
            Value::Number(x) => format_number(*x),
            Value::Text(s) => {
                let short: String = s.chars().take(24).collect();
                let dots = if short.len() < s.len() { "…" } else { "" };
                format!("the string {short:?}{dots}")
            }
            Value::Numbers(xs) if xs.is_empty() => "an empty array".into(),
            Value::List(items) => format!("an array of {} items", items.len()),
            Value::Numbers(xs) => format!("an array of {} numbers", xs.len()),
            Value::Map(_) => "an object".into(),
            Value::Other(what) => what.clone(),
        }
    }

    /// The value of `key` in a map, if this is a map that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Formats a number as JavaScript's `String(x)` does: `NaN`, `Infinity`, `1e+300`, `2.5`,
/// `1000000`, `1e-7`.
pub fn format_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if x != 0.0 && (x.abs() >= 1e21 || x.abs() < 1e-6) {
        // Rust's shortest round-trip digits, as JavaScript's, with its explicit `+` exponent sign.
        let s = format!("{x:e}");
        match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        }
    } else {
        format!("{x}")
    }
}

/// Reads values off a tape.
struct Reader<'a> {
    tape: &'a [f64],
    at: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> Result<f64, String> {
        let x = *self.tape.get(self.at).ok_or("the tape ends early")?;
        self.at += 1;
        Ok(x)
    }

    fn len(&mut self) -> Result<usize, String> {
        let n = self.next()?;
        if n.fract() == 0.0 && n >= 0.0 && n as usize <= self.tape.len() - self.at {
            Ok(n as usize)
        } else {
            Err(format!("a length of {n} does not fit the tape"))
        }
    }

    fn text(&mut self) -> Result<String, String> {
        let n = self.len()?;
        let units: Vec<u16> = self.tape[self.at..self.at + n]
            .iter()
            .map(|&c| c as u16)
            .collect();
        self.at += n;
        Ok(String::from_utf16_lossy(&units))
    }

    /// One value; `None` for `undefined`.
    fn value(&mut self, depth: usize) -> Result<Option<Value>, String> {
        if depth > schema::MAX_DEPTH + 1 {
            return Err("the tape nests too deeply".into());
        }
        let tag = self.next()?;
        Ok(Some(match tag {
            tape::UNDEFINED => return Ok(None),
            tape::NULL => Value::Null,
            tape::FALSE => Value::Bool(false),
            tape::TRUE => Value::Bool(true),
            tape::NUMBER => Value::Number(self.next()?),
            tape::TEXT => Value::Text(self.text()?),
            tape::NUMBERS => {
                let n = self.len()?;
                let xs = self.tape[self.at..self.at + n].to_vec();
                self.at += n;
                Value::Numbers(xs)
            }
            tape::LIST => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(
                        self.value(depth + 1)?
                            .unwrap_or(Value::Other("undefined".into())),
                    );
                }
                Value::List(items)
            }
            tape::MAP => {
                let n = self.len()?;
                let mut fields = Vec::with_capacity(n);
                for _ in 0..n {
                    if self.next()? != tape::TEXT {
                        return Err("a key is not a string".into());
                    }
                    let key = self.text()?;
                    if let Some(v) = self.value(depth + 1)? {
                        fields.push((key, v));
                    }
                }
                Value::Map(fields)
            }
            tape::OTHER => Value::Other(self.text()?),
            other => return Err(format!("unknown tag {other}")),
        }))
    }
}

impl Value {
    /// Reads a value from a tape (see [`schema::tape`]); `None` for `undefined`. A malformed tape is an
    /// error, never a panic.
    pub fn from_tape(t: &[f64]) -> Result<Option<Value>, String> {
        let mut r = Reader { tape: t, at: 0 };
        let v = r.value(0)?;
        if r.at != t.len() {
            return Err("the tape has values left over".into());
        }
        Ok(v)
    }

    /// Writes this value onto a tape, as the JavaScript side does (for tests and Rust callers).
    pub fn to_tape(&self, out: &mut Vec<f64>) {
        let text = |tag: f64, s: &str, out: &mut Vec<f64>| {
            let units: Vec<u16> = s.encode_utf16().collect();
            out.push(tag);
            out.push(units.len() as f64);
            out.extend(units.iter().map(|&u| f64::from(u)));
        };
        match self {
            Value::Null => out.push(tape::NULL),
            Value::Bool(b) => out.push(if *b { tape::TRUE } else { tape::FALSE }),
            Value::Number(x) => out.extend([tape::NUMBER, *x]),
            Value::Text(s) => text(tape::TEXT, s, out),
            Value::Numbers(xs) => {
                out.extend([tape::NUMBERS, xs.len() as f64]);
                out.extend_from_slice(xs);
            }
            Value::List(items) => {
                out.extend([tape::LIST, items.len() as f64]);
                items.iter().for_each(|v| v.to_tape(out));
            }
            Value::Map(fields) => {
                out.extend([tape::MAP, fields.len() as f64]);
                for (k, v) in fields {
                    text(tape::TEXT, k, out);
                    v.to_tape(out);
                }
            }
            Value::Other(what) => text(tape::OTHER, what, out),
        }
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Number(x)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<Vec<f64>> for Value {
    fn from(xs: Vec<f64>) -> Self {
        Value::List(xs.into_iter().map(Value::Number).collect())
    }
}

/// Builds a [`Value::Map`] from `(key, value)` pairs: `map([("sigma", 0.5.into())])`.
pub fn map<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Map(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}
