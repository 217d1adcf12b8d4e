//! A loosely typed value, the shape a JavaScript config arrives in before it is validated.
//!
//! The binding layer turns a JS object into a [`Value`]; [`crate::core::config::Config::from_value`]
//! turns a [`Value`] into a checked [`crate::core::config::Config`] or an error that names the field.
//! Keeping this step in the core means Rust callers, JS callers and the property tests all meet the
//! same validation and the same messages.

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
            Value::List(items) => format!("an array of {} items", items.len()),
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

/// Formats a number as JavaScript would show it in a message (`NaN`, `Infinity`, `1e+300`, `2.5`).
pub fn format_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if x != 0.0 && (x.abs() >= 1e9 || x.abs() < 1e-4) {
        format!("{x:e}")
    } else {
        format!("{x}")
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
