//! Divisions as they were in the document's year (GB/T 2260 since 1981): the texts are written
//! for these tests; every expectation is the code table of the text's year
//! (../shared/data/gbt2260-history/data/YEAR.txt).

use kgx_core::extract::extract;
use kgx_core::input::Document;
use kgx_core::model::{Class, EntityOut, Extraction};
use kgx_core::rules::{load_pack, RulePack};
use std::collections::BTreeSet;
use std::path::PathBuf;

const BASE: &str = "https://w3id.org/kgx/id/";

fn pack() -> RulePack {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    load_pack(&dir).expect("the default pack loads")
}

fn run(pack: &RulePack, text: &str) -> Extraction {
    let doc = Document {
        rel: "report.txt".to_string(),
        sha256: String::new(),
        text: text.to_string(),
    };
    extract(pack, &doc)
}

fn place<'x>(x: &'x Extraction, label: &str) -> Option<&'x EntityOut> {
    x.entities
        .iter()
        .find(|e| e.class == Class::Place && e.label == label)
}

#[test]
fn a_name_takes_the_code_of_the_texts_year() {
    let pack = pack();
    let sentence = "重庆等地把二级批发站与专业批发公司合并。";
    let old = run(&pack, &format!("1984年5月15日\n{sentence}\n"));
    let chongqing = place(&old, "重庆市").expect("重庆 in 1984");
    assert_eq!(chongqing.code.as_deref(), Some("510200"));
    assert_eq!(chongqing.id, format!("{BASE}place/510200/1981"));
    assert_eq!(
        (chongqing.valid_from, chongqing.valid_to),
        (Some(1981), Some(1997))
    );

    let new = run(&pack, &format!("2026年1月20日\n{sentence}\n"));
    let chongqing = place(&new, "重庆市").expect("重庆 in 2026");
    assert_eq!(chongqing.code.as_deref(), Some("500000"));
    assert_eq!(chongqing.id, format!("{BASE}place/500000"));
    assert_eq!(
        (chongqing.valid_from, chongqing.valid_to),
        (Some(1997), None)
    );
}

#[test]
fn a_division_not_yet_created_has_no_code() {
    let x = run(&pack(), "1984年5月15日\n开发海南岛,建设香港附近的深圳。\n");
    let codes: BTreeSet<(&str, Option<&str>)> = x
        .entities
        .iter()
        .filter(|e| e.class == Class::Place)
        .map(|e| (e.label.as_str(), e.code.as_deref()))
        .collect();
    // 海南省 exists from 1988 and 香港 has a GB/T 2260 code from 1997; 深圳市 from 1979.
    assert!(codes.contains(&("深圳市", Some("440300"))), "{codes:?}");
    assert!(
        !codes
            .iter()
            .any(|(_, c)| matches!(c, Some("460000" | "810000"))),
        "{codes:?}"
    );
}

#[test]
fn a_retired_division_is_named_only_in_its_years() {
    let pack = pack();
    let sentence = "北京市崇文区和湖北省襄樊市推进旧城改造。";
    let old = run(&pack, &format!("1995年3月5日\n{sentence}\n"));
    let chongwen = place(&old, "崇文区").expect("崇文区 in 1995");
    assert_eq!(chongwen.id, format!("{BASE}place/110103/1981"));
    assert_eq!(chongwen.replaced_by, [format!("{BASE}place/110101")]);
    let xiangfan = place(&old, "襄樊市").expect("襄樊市 in 1995");
    // Renamed 襄阳市 in 2010 under the same code (the table also lists the districts that took
    // parts of it).
    assert_eq!(
        xiangfan.replaced_by.first(),
        Some(&format!("{BASE}place/420600"))
    );

    let new = run(&pack, &format!("2026年1月20日\n{sentence}\n"));
    assert!(place(&new, "崇文区").is_none());
    assert!(place(&new, "襄樊市").is_none());
    let undated = run(&pack, &format!("{sentence}\n"));
    assert!(place(&undated, "崇文区").is_none());
}

/// Every coded division in the national work reports of 1981–2017 is in the code table of the
/// report's year. `cargo test --release -p kgx-core --test division_history -- --ignored`.
#[test]
#[ignore = "reads ../shared/corpus and ../shared/data/gbt2260-history; run with --ignored"]
fn national_reports_use_the_codes_of_their_year() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let reports = shared.join("corpus/gov-work-reports");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&reports)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; this test needs ../shared beside the repository",
                reports.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let pack = pack();
    let (mut checked, mut wrong) = (0, Vec::new());
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let Some(year) = name
            .get(..4)
            .and_then(|y| y.parse::<u16>().ok())
            .filter(|&y| y >= 1981)
        else {
            continue;
        };
        let table = shared.join(format!("data/gbt2260-history/data/{year}.txt"));
        let table = std::fs::read_to_string(&table).expect("the code table of the year");
        let codes: BTreeSet<&str> = table
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("readable")).into_owned();
        let x = extract(
            &pack,
            &Document {
                rel: name.to_string(),
                sha256: String::new(),
                text,
            },
        );
        for e in x.entities.iter().filter(|e| e.class == Class::Place) {
            let Some(code) = e
                .code
                .as_deref()
                .filter(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            checked += 1;
            if !codes.contains(code) {
                wrong.push(format!("{year} {} {code}", e.label));
            }
        }
        if year == 1984 {
            let chongqing = place(&x, "重庆市").expect("the 1984 report names 重庆");
            assert_eq!(chongqing.code.as_deref(), Some("510200"));
        }
    }
    println!("{checked} coded divisions checked, {} wrong", wrong.len());
    assert!(checked > 300, "only {checked} coded divisions");
    assert!(
        wrong.is_empty(),
        "codes not valid in the report's year: {wrong:?}"
    );
}
