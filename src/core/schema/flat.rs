//! Results that cross to JavaScript as one flat array of numbers, packed and read by the names of
//! a layout in [`super::result`]: the core packs with [`pack`], `unpackFlat` in `simulator.js`
//! reads with the same layout (from `schema().result`). A layout is a list of entries, in order:
//!
//! - `name`: one number at `name`; a dotted name (`scaled.theory.entropy`) nests objects;
//! - `name?`: a number that reads as `null` when it is NaN;
//! - `name~`: a number that is left out when it is NaN (and an object holding only such numbers
//!   with it);
//! - `#count`: a count, read for the arrays that follow, not put in the result;
//! - `name[count]`: an array of as many numbers as the last `#count` said;
//! - `name[]`: an array of every number left.

/// One entry of a layout (see the module's documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry<'a> {
    /// `name`, `name?` or `name~`: one number.
    Number(&'a str),
    /// `#count`.
    Count(&'a str),
    /// `name[count]`, or `name[]` (`count` `None`): an array.
    Numbers(&'a str, Option<&'a str>),
}

/// The entry `s` of a layout.
pub fn entry(s: &str) -> Entry<'_> {
    if let Some(count) = s.strip_prefix('#') {
        return Entry::Count(count);
    }
    if let Some((name, rest)) = s.split_once('[') {
        let count = rest.trim_end_matches(']');
        return Entry::Numbers(name, (!count.is_empty()).then_some(count));
    }
    Entry::Number(s.trim_end_matches(['?', '~']))
}

/// What the packer gives for a name: a number or an array.
#[derive(Clone, Copy, Debug)]
pub enum Item<'a> {
    /// One number.
    Number(f64),
    /// An array of numbers.
    Numbers(&'a [f64]),
}

/// The numbers of `layout`, each entry's from `item(name)` (the name without its mark). A count
/// is the length of the first array after it that it counts, and every array it counts must be
/// that long.
///
/// # Panics
///
/// When `item` gives a number for an array or an array for a number, or arrays of one count differ
/// in length: a packer that does not follow its layout, which the native tests run.
pub fn pack<'a>(layout: &[&str], mut item: impl FnMut(&str) -> Item<'a>) -> Vec<f64> {
    let entries: Vec<Entry> = layout.iter().map(|s| entry(s)).collect();
    let mut out = Vec::new();
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (k, e) in entries.iter().enumerate() {
        match *e {
            Entry::Number(name) => match item(name) {
                Item::Number(x) => out.push(x),
                Item::Numbers(_) => panic!("{name} is one number in its layout"),
            },
            Entry::Count(count) => {
                let first = entries[k + 1..]
                    .iter()
                    .find_map(|e| match *e {
                        Entry::Numbers(name, Some(c)) if c == count => Some(name),
                        _ => None,
                    })
                    .unwrap_or_else(|| panic!("#{count} counts no array"));
                let n = match item(first) {
                    Item::Numbers(v) => v.len(),
                    Item::Number(_) => panic!("{first} is an array in its layout"),
                };
                counts.push((count, n));
                out.push(n as f64);
            }
            Entry::Numbers(name, count) => {
                let v = match item(name) {
                    Item::Numbers(v) => v,
                    Item::Number(_) => panic!("{name} is an array in its layout"),
                };
                if let Some(count) = count {
                    let n = counts.iter().rev().find(|(c, _)| *c == count).map(|c| c.1);
                    assert_eq!(n, Some(v.len()), "{name} must hold #{count} numbers");
                }
                out.extend_from_slice(v);
            }
        }
    }
    out
}
