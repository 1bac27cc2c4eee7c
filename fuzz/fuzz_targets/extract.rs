//! Arbitrary bytes → decode → extraction with the default rule pack (rules/ of the repo).
//!
//! Properties: no panic; every mention's `text` is exactly its char slice of the decoded text;
//! relation evidence, sentence and paragraph spans lie inside the text; the result serialises.
#![no_main]

use kgx_core::rules::RulePack;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pack() -> &'static RulePack {
    static PACK: OnceLock<RulePack> = OnceLock::new();
    PACK.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        kgx_core::rules::load_pack(&root).unwrap_or_else(|e| panic!("default pack: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = if selector & 1 == 0 { "f.txt" } else { "f.html" };
    let Ok(doc) = kgx_core::input::decode_document(name, bytes) else {
        return;
    };
    let x = kgx_core::extract::extract(pack(), &doc);
    let chars: Vec<char> = doc.text.chars().collect();
    assert_eq!(x.chars, chars.len());
    for e in &x.entities {
        for m in &e.mentions {
            assert!(
                m.start < m.end && m.end <= chars.len(),
                "mention {}..{}",
                m.start,
                m.end
            );
            let slice: String = chars[m.start..m.end].iter().collect();
            assert_eq!(
                m.text, slice,
                "mention {}..{} of rule {}",
                m.start, m.end, m.rule
            );
        }
    }
    for r in &x.relations {
        assert!(x.entities.iter().any(|e| e.id == r.subject));
        assert!(x.entities.iter().any(|e| e.id == r.object));
        for s in &r.evidence {
            assert!(s.start <= s.end && s.end <= chars.len());
        }
    }
    for s in x.sentences.iter().chain(&x.paragraphs) {
        assert!(s.start <= s.end && s.end <= chars.len());
    }
    serde_json::to_string(&x).expect("serialises");
});
