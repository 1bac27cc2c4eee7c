//! Properties over generated inputs: every mention's offsets select exactly its text in the
//! original document, whatever the characters; the merged graph does not depend on the order
//! documents arrive in.

use proptest::prelude::*;
use std::sync::OnceLock;

fn pack() -> &'static kgx::rules::RulePack {
    static PACK: OnceLock<kgx::rules::RulePack> = OnceLock::new();
    PACK.get_or_init(|| {
        kgx::rules::load_pack(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .expect("the default pack loads")
    })
}

/// Text built from pieces that exercise the rules and the normaliser: names, full-width forms
/// (which NFKC folds), expanding compatibility chars (㈱ → (株)), line breaks, quotes.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("国务院".to_string()),
        Just("宁波市".to_string()),
        Just("宁波".to_string()),
        Just("印发".to_string()),
        Just("《关于加强数字政府建设的指导意见》".to_string()),
        Just("“电商换市”".to_string()),
        Just("实施".to_string()),
        Just("（ＦＣＡ）".to_string()),
        Just("㈱".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just("北仑区、".to_string()),
        Just("市委".to_string()),
        Just("总理李克强".to_string()),
        "[\\u{4e00}-\\u{4e2f}a-zＡ-Ｚ０-９ ]{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mention_offsets_select_their_text(t in text()) {
        let doc = kgx::input::decode_document("p.txt", t.as_bytes()).unwrap();
        let x = kgx::extract::extract(pack(), &doc);
        let chars: Vec<char> = doc.text.chars().collect();
        prop_assert_eq!(x.chars, chars.len());
        for e in &x.entities {
            for m in &e.mentions {
                prop_assert!(m.start < m.end && m.end <= chars.len());
                let slice: String = chars[m.start..m.end].iter().collect();
                prop_assert_eq!(&m.text, &slice);
            }
        }
        for r in &x.relations {
            for ev in &r.evidence {
                prop_assert!(ev.start <= ev.end && ev.end <= chars.len());
            }
        }
    }

    #[test]
    fn merged_graph_ignores_document_order(texts in prop::collection::vec(text(), 1..6), rotate in 0usize..6) {
        let extractions: Vec<kgx::model::Extraction> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let doc = kgx::input::decode_document(&format!("d{i}.txt"), t.as_bytes()).unwrap();
                kgx::extract::extract(pack(), &doc)
            })
            .collect();
        let mut rotated = extractions.clone();
        let k = rotate % rotated.len();
        rotated.rotate_left(k);
        let a = kgx::gexf::write_gexf(&kgx::graph::KnowledgeGraph::from_extractions(&extractions));
        let b = kgx::gexf::write_gexf(&kgx::graph::KnowledgeGraph::from_extractions(&rotated));
        prop_assert_eq!(a, b);
    }
}
