//! `kgx::eval` must report what the reference scorer reports.
//!
//! expected.json and expected.txt were produced by running
//! `python3 ../shared/eval/score.py gold.jsonl system.jsonl [--json]` on the
//! fixtures in tests/fixtures/eval; regenerate them the same way if the
//! fixtures change. expected-by-doc.json holds, for each gold document D,
//! `score.py gold.jsonl system.jsonl --json --docs=D`.

use std::path::PathBuf;

use kgx::eval::{score_files, score_files_of, MissKind, Prf, Report};
use serde_json::Value;

/// Python prints at most 4 decimals; allow for that and for float parsing.
const TOLERANCE: f64 = 0.0005;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eval")
        .join(name)
}

fn fixture_report() -> Report {
    score_files(&fixture("gold.jsonl"), &fixture("system.jsonl")).expect("fixtures score")
}

fn assert_group(group: &str, rows: &[(String, Prf)], expected: &Value) {
    let expected = expected[group]
        .as_object()
        .unwrap_or_else(|| panic!("expected.json has no {group:?} object"));
    let names: Vec<&str> = rows.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        rows.len(),
        expected.len(),
        "{group}: rows {names:?} vs score.py keys {:?}",
        expected.keys().collect::<Vec<_>>()
    );
    assert_eq!(names.last(), Some(&"ALL"), "{group}: ALL must come last");
    for (name, prf) in rows {
        let want = expected
            .get(name)
            .unwrap_or_else(|| panic!("{group}: score.py has no row {name:?}"));
        let count = |key: &str| want[key].as_u64().map(|n| n as usize);
        assert_eq!(Some(prf.tp), count("tp"), "{group}/{name}: tp");
        assert_eq!(Some(prf.fp), count("fp"), "{group}/{name}: fp");
        assert_eq!(Some(prf.fn_), count("fn"), "{group}/{name}: fn");
        for (key, got) in [("p", prf.precision), ("r", prf.recall), ("f1", prf.f1)] {
            let want = want[key]
                .as_f64()
                .unwrap_or_else(|| panic!("{group}/{name}: {key} is not a number"));
            assert!(
                (got - want).abs() <= TOLERANCE,
                "{group}/{name}: {key} = {got}, score.py says {want}"
            );
        }
    }
}

#[test]
fn matches_score_py_output() {
    let report = fixture_report();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("expected.json")).expect("read expected.json"),
    )
    .expect("expected.json is JSON");

    assert_group("entities", &report.entities, &expected);
    assert_group("relations", &report.relations, &expected);
    // to_json must say the same as score.py --json, up to float parsing.
    let ours = report.to_json();
    assert_group("entities", &report.entities, &ours);
    assert_group("relations", &report.relations, &ours);

    let table = std::fs::read_to_string(fixture("expected.txt")).expect("read expected.txt");
    assert_eq!(report.render_table(), table);
}

#[test]
fn hand_computed_totals() {
    let report = fixture_report();

    // Entities, tp: a.txt 宁波 (Place), 宁波市人民政府, 《…规划》, “互联网＋” via a
    // mention, 张 三 via names; b.txt 国务院, 《指导意见》 via aliases, 李克强.
    // fp: a second 宁波市 (Place already taken), Event 世界数字经济大会,
    // Organization 宁波 (wrong class). fn: 市发改委, and 杭州市 and 浙江大学
    // because the system has no c.txt. Optional matches (全面深化改革, 人民日报
    // twice, 中国) count for nothing.
    let e = report.entity_all();
    assert_eq!((e.tp, e.fp, e.fn_), (8, 3, 3));
    assert!((e.f1 - 8.0 / 11.0).abs() < 1e-12);

    // Relations, tp: issued twice (a.txt states it twice, counted once),
    // implements, affiliated_with in b.txt. fp: located_in from the unmatched
    // Event, cites not in gold, part_of to an unknown id (stated twice, counted
    // once). fn: proposed (市发改委 never found), located_in in the missing c.txt.
    let r = report.relation_all();
    assert_eq!((r.tp, r.fp, r.fn_), (4, 3, 2));
    assert!((r.precision - 4.0 / 7.0).abs() < 1e-12);
    assert!((r.recall - 4.0 / 6.0).abs() < 1e-12);

    let part_of_fps = report
        .misses
        .iter()
        .filter(|m| m.kind == MissKind::FalsePositive && m.category == "part_of")
        .count();
    assert_eq!(part_of_fps, 1);
    assert_eq!(report.render_explain().lines().count(), 11);
}

#[test]
fn each_document_scores_as_score_py_scores_it_alone() {
    let report = fixture_report();
    let text =
        std::fs::read_to_string(fixture("expected-by-doc.json")).expect("expected-by-doc.json");
    let expected: Value = serde_json::from_str(&text).expect("expected-by-doc.json is JSON");
    let docs: Vec<&str> = report.documents.iter().map(|d| d.doc.as_str()).collect();
    assert_eq!(docs, ["a.txt", "b.txt", "c.txt"]);
    for d in &report.documents {
        assert_group("entities", &d.entities, &expected[&d.doc]);
        assert_group("relations", &d.relations, &expected[&d.doc]);
    }
    // --docs scores the subset only, as score.py --docs=b.txt does.
    let only = ["b.txt".to_string()];
    let subset = score_files_of(
        &fixture("gold.jsonl"),
        &fixture("system.jsonl"),
        Some(&only),
    )
    .expect("fixtures score");
    assert_group("entities", &subset.entities, &expected["b.txt"]);
    assert_group("relations", &subset.relations, &expected["b.txt"]);
    let by_doc = report.to_json_by_doc();
    assert_eq!(
        by_doc["documents"]["c.txt"]["relations"]["ALL"],
        expected["c.txt"]["relations"]["ALL"]
    );
}
