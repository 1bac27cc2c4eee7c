//! Arbitrary bytes → `decode_document` → `NormalizedText` and its offset map.
//!
//! The first byte picks the file name (HTML goes through the HTML-to-text path); the rest is
//! the file. Properties: decoding returns Ok or Err, never panics; every byte range of the
//! normalised text (on char boundaries) maps to a char range inside the original text, with
//! start ≤ end, and maps monotonically.
#![no_main]

use kgx_core::input::decode_document;
use kgx_core::normalize::NormalizedText;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = if selector & 1 == 0 { "f.txt" } else { "f.html" };
    let Ok(doc) = decode_document(name, bytes) else {
        return;
    };
    assert!(!doc.text.contains('\0'), "NUL survived decoding");
    let chars = doc.text.chars().count();
    let norm = NormalizedText::new(&doc.text);
    assert_eq!(norm.original_chars(), chars);
    let n = &norm.text;
    // Char boundaries of the normalised text, and the end.
    let mut bounds: Vec<usize> = n.char_indices().map(|(i, _)| i).collect();
    bounds.push(n.len());
    // Every single char, every prefix and every suffix, and the empty ranges.
    let mut prev = (0usize, 0usize);
    for w in bounds.windows(2) {
        let (s, e) = norm.original_span(w[0], w[1]);
        assert!(
            s < e && e <= chars,
            "char {}..{} → {s}..{e} of {chars}",
            w[0],
            w[1]
        );
        assert!(s >= prev.0 && e >= prev.1, "offset map not monotonic");
        prev = (s, e);
        let (s0, e0) = norm.original_span(w[0], w[0]);
        assert!(s0 == e0 && s0 <= chars);
    }
    for &b in bounds.iter().step_by(7) {
        let (s, e) = norm.original_span(0, b);
        assert!(s <= e && e <= chars);
        let (s, e) = norm.original_span(b, n.len());
        assert!(s <= e && e <= chars);
    }
    // Out-of-range requests clamp to the end instead of panicking.
    let (s, e) = norm.original_span(n.len(), n.len() + 3);
    assert!(s <= e && e <= chars);
});
