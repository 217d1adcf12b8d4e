//! The 8 × 8 handwritten digits: 1,797 images of 10 classes, as scikit-learn ships them (its copy
//! of the test set of UCI's "Optical Recognition of Handwritten Digits"), in the compact form
//! `scripts/digits.py` writes. The page loads the file only when a reader picks the data set and
//! hands its bytes to [`parse`]; a training run on the digits is given the [`Digits`] it returned
//! (see [`crate::core::train::Trainer::with_digits`]).

use super::rng::{stream, Stream};
use rand::seq::SliceRandom;

/// Pixels per image, row by row.
pub const PIXELS: usize = 64;
/// Classes: the digits 0 to 9.
pub const CLASSES: usize = 10;
/// Images held out as the test set; the rest are the training set.
pub const TEST: usize = 297;
/// The seed of the one fixed split into training and test images.
const SPLIT_SEED: u64 = 20_161_797;

/// The images and their labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Digits {
    /// Each image's digit.
    pub labels: Vec<u8>,
    /// `PIXELS` values per image, 0 (white) to 16 (black).
    pub pixels: Vec<u8>,
}

/// The largest file [`parse`] reads: the header and 65,535 images (its count is a u16).
pub const MAX_BYTES: usize = 6 + u16::MAX as usize * (1 + PIXELS);

/// Reads the uncompressed file: `b"DG01"`, the count (u16, little-endian), the labels, the pixels.
pub fn parse(bytes: &[u8]) -> Result<Digits, String> {
    let bad = |why: &str| Err(format!("the digits data {why}"));
    if bytes.len() < 6 || &bytes[..4] != b"DG01" {
        return bad("do not start with DG01: give the file scripts/digits.py writes, uncompressed");
    }
    let n = usize::from(u16::from_le_bytes([bytes[4], bytes[5]]));
    if n <= TEST {
        return bad(&format!(
            "hold {n} images, fewer than the {TEST} held out for testing"
        ));
    }
    if bytes.len() != 6 + n * (1 + PIXELS) {
        return bad(&format!(
            "are {} bytes long, not the {} that {n} images take",
            bytes.len(),
            6 + n * (1 + PIXELS)
        ));
    }
    let labels = bytes[6..6 + n].to_vec();
    let pixels = bytes[6 + n..].to_vec();
    if labels.iter().any(|&c| usize::from(c) >= CLASSES) || pixels.iter().any(|&p| p > 16) {
        return bad("hold a label above 9 or a pixel above 16");
    }
    Ok(Digits { labels, pixels })
}

/// The fixed split: image indices of the training set and of the test set, the same for every
/// run (a seeded shuffle; the first [`TEST`] are the test set).
pub fn split(digits: &Digits) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..digits.labels.len()).collect();
    order.shuffle(&mut stream(SPLIT_SEED, Stream::Input));
    let train = order.split_off(TEST);
    (train, order)
}

/// Image `i`'s pixels scaled to 0…1.
pub fn features(digits: &Digits, i: usize) -> impl Iterator<Item = f64> + '_ {
    digits.pixels[i * PIXELS..(i + 1) * PIXELS]
        .iter()
        .map(|&p| f64::from(p) / 16.0)
}
