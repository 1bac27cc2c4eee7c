//! Whole work reports as scraped from news sites: page furniture skipped, each report's own
//! place, title, date and issuer decided from its frame, and its implements relations credited
//! to its place. The texts are written for these tests (places real, people invented); every
//! expectation is what the text says.

use kgx_core::extract::extract;
use kgx_core::input::Document;
use kgx_core::model::{Class, Extraction, RelationType};
use kgx_core::rules::{load_pack, RulePack};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn pack() -> RulePack {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    load_pack(&dir).expect("the default pack loads")
}

fn run(pack: &RulePack, rel: &str, text: &str) -> Extraction {
    let doc = Document {
        rel: rel.to_string(),
        sha256: String::new(),
        text: text.to_string(),
    };
    extract(pack, &doc)
}

fn label(x: &Extraction, id: &str) -> String {
    x.entities
        .iter()
        .find(|e| e.id == id)
        .map_or_else(|| format!("?{id}"), |e| e.label.clone())
}

/// `subject>object` labels of the relations of one type.
fn relations(x: &Extraction, kind: RelationType) -> BTreeSet<String> {
    x.relations
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| format!("{}>{}", label(x, &r.subject), label(x, &r.object)))
        .collect()
}

fn labels(x: &Extraction) -> BTreeSet<String> {
    x.entities.iter().map(|e| e.label.clone()).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const PROVINCE_REPORT: &str = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n\
2026年浙江省政府工作报告\n\
——2026年1月20日在浙江省第十四届人民代表大会第四次会议上\n\
来源：浙江日报\n\
时间：2026-01-28\n\
省长 王浩\n\
王浩作政府工作报告。本报记者 张三 摄\n\
各位代表：\n\
现在，我代表省人民政府，向大会报告工作，请予审议。\n\
一、2025年工作回顾\n\
过去一年，全国经济稳中向好，全省上下团结奋进。我们深入实施“千万工程”，全省推进“地瓜经济”提能升级行动。\
杭州市、宁波市开展县域医共体建设试点。在全国率先推行林长制。\n\
相关报道：\n";

#[test]
fn a_scraped_provincial_report_is_read_from_its_frame() {
    let pack = pack();
    let x = run(&pack, "2026_浙江省_政府工作报告.txt", PROVINCE_REPORT);
    // Dated by its ——date line, not by the page's 时间 line.
    assert_eq!(x.date.as_deref(), Some("2026-01-20"));
    let title = x
        .entities
        .iter()
        .find(|e| e.class == Class::Document)
        .expect("a title");
    assert_eq!(title.label, "2026年浙江省政府工作报告");
    assert_eq!(
        relations(&x, RelationType::Issued),
        set(&["浙江省人民政府>2026年浙江省政府工作报告"])
    );
    // 我们, 全省 and the unstated subject are the province; 在全国率先 is where, not who.
    assert_eq!(
        relations(&x, RelationType::Implements),
        set(&[
            "浙江省>千万工程",
            "浙江省>地瓜经济",
            "浙江省>林长制",
            "杭州市>县域医共体建设试点",
            "宁波市>县域医共体建设试点",
        ])
    );
    // Toolbar words, the newspaper, the photographer and 相关报道 are no entities.
    let names = labels(&x);
    for furniture in ["下载", "全屏", "收藏", "浙江日报", "张三", "相关报道"] {
        assert!(!names.contains(furniture), "{furniture} in {names:?}");
    }
    assert!(!names.contains("中国"), "{names:?}");
    // The province is named only inside longer names; it is still one Place, by its code.
    let province = x
        .entities
        .iter()
        .find(|e| e.label == "浙江省")
        .expect("the province");
    assert_eq!(
        (province.class, province.code.as_deref()),
        (Class::Place, Some("330000"))
    );
}

#[test]
fn in_a_municipality_report_shi_zhengfu_is_the_municipality() {
    let pack = pack();
    let text = "2026年北京市政府工作报告\n\
——2026年1月12日在北京市第十六届人民代表大会第四次会议上\n\
北京市市长 李明\n\
各位代表：\n\
现在，我代表市人民政府，向大会报告工作。\n\
全市深入实施“疏解整治促提升”专项行动。市政府印发《北京市促进消费三年行动计划》。\
与南京市、杭州市开展合作，南京市代表团来访，南京市企业落户。\n";
    let x = run(&pack, "beijing.txt", text);
    assert_eq!(x.date.as_deref(), Some("2026-01-12"));
    // 北京市 is a province-level city: 市政府 and 全市 are Beijing's, though 南京市 is the
    // most-mentioned city.
    assert_eq!(
        relations(&x, RelationType::Issued),
        set(&[
            "北京市人民政府>2026年北京市政府工作报告",
            "北京市人民政府>北京市促进消费三年行动计划",
        ])
    );
    assert_eq!(
        relations(&x, RelationType::Implements),
        set(&["北京市>疏解整治促提升专项行动"])
    );
    let government = x
        .entities
        .iter()
        .find(|e| e.label == "北京市人民政府")
        .expect("the government");
    let forms: BTreeSet<&str> = government
        .mentions
        .iter()
        .map(|m| m.text.as_str())
        .collect();
    // The speaker line's 市人民政府 names it; the title's 北京市政府工作报告 does not (it is
    // 北京市 + 政府工作报告).
    assert_eq!(forms, BTreeSet::from(["市人民政府", "市政府"]));
}

#[test]
fn in_an_autonomous_region_report_quanqu_is_the_region() {
    let pack = pack();
    let text = "2026年广西壮族自治区政府工作报告\n\
——2026年1月22日在广西壮族自治区第十四届人民代表大会第五次会议上\n\
自治区主席 黄明\n\
各位代表：\n\
现在，我代表自治区人民政府，向大会报告工作。\n\
全区深入实施“强首府”战略。南宁市、柳州市推进“工业强市”战略。青秀区、兴宁区开展试点。\n";
    let x = run(&pack, "guangxi.txt", text);
    assert_eq!(x.date.as_deref(), Some("2026-01-22"));
    assert_eq!(
        relations(&x, RelationType::Issued),
        set(&["广西壮族自治区人民政府>2026年广西壮族自治区政府工作报告"])
    );
    // 全区 is the region, not one of its districts (青秀区, 兴宁区).
    assert_eq!(
        relations(&x, RelationType::Implements),
        set(&[
            "广西壮族自治区>强首府",
            "南宁市>工业强市",
            "柳州市>工业强市"
        ])
    );
}

/// The 27 provincial reports of 2026 in ../shared/corpus, as scraped: the figures of issue
/// #15's table. Needs the shared corpus next to the repository:
/// `cargo test --release -p kgx-core --test whole_reports -- --ignored`.
#[test]
#[ignore = "reads ../shared/corpus/provincial-reports-2026; run with --ignored"]
fn provincial_reports_2026() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/provincial-reports-2026");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; this test needs the shared corpus beside the repository",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 27);
    let pack = pack();
    let date_line = regex::Regex::new(
        r"(?m)^[—―\-(（\s]*((?:19|20)\d\d|二〇二六)年(\d{1,2}|[一二三四五六七八九十]+)月(\d{1,2}|[一二三四五六七八九十]+)日在",
    )
    .expect("regex");
    let (mut implements, mut to_province, mut to_china) = (0, 0, 0);
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let province = name.split('_').nth(1).expect("2026_PROVINCE_….txt");
        let bytes = std::fs::read(path).expect("readable");
        let text = String::from_utf8_lossy(&bytes);
        let x = run(&pack, name, &text);
        if let Some(caps) = date_line.captures(&text) {
            let number = |i: usize| kgx_core::extract::parse_number(&caps[i]).expect("a number");
            let expected = format!("{:04}-{:02}-{:02}", number(1), number(2), number(3));
            assert_eq!(x.date.as_deref(), Some(expected.as_str()), "{name}");
        }
        let title = x
            .entities
            .iter()
            .find(|e| {
                e.class == Class::Document && e.mentions.iter().any(|m| m.rule == "document.title")
            })
            .unwrap_or_else(|| panic!("{name}: no title"));
        assert!(
            title.label.ends_with("政府工作报告"),
            "{name}: {}",
            title.label
        );
        let government = format!("{province}人民政府>{}", title.label);
        assert!(
            relations(&x, RelationType::Issued).contains(&government),
            "{name}: {:?}",
            relations(&x, RelationType::Issued)
        );
        for e in &x.entities {
            assert!(
                !["下载", "打印", "全屏", "收藏", "加大", "还原", "减小"]
                    .contains(&e.label.as_str()),
                "{name}: toolbar word {} is a {}",
                e.label,
                e.class
            );
        }
        for r in x
            .relations
            .iter()
            .filter(|r| r.kind == RelationType::Implements)
        {
            implements += 1;
            let subject = label(&x, &r.subject);
            to_province += usize::from(subject == province);
            to_china += usize::from(subject == "中国");
        }
    }
    assert_eq!(to_china, 0);
    // ≥ 85% of implements credited to the report's province (96.9% when written).
    assert!(
        to_province * 100 >= implements * 85,
        "{to_province} of {implements} implements credited to the province"
    );
}

/// Reports titled only 政府工作报告, from two provinces and two years of one: three Documents.
#[test]
fn same_titled_reports_are_distinct_documents() {
    let pack = pack();
    let report = |province: &str, year: u32, governor: &str| {
        format!(
            "政府工作报告\n——{year}年1月27日在{province}第七届人民代表大会第五次会议上\n{province}省长 {governor}\n各位代表：\n全省推进改革。\n"
        )
    };
    let ids: Vec<String> = [
        ("2026_海南省.txt", report("海南省", 2026, "刘明")),
        ("2025_海南省.txt", report("海南省", 2025, "刘明")),
        ("2026_青海省.txt", report("青海省", 2026, "罗东")),
    ]
    .iter()
    .map(|(name, text)| {
        let x = run(&pack, name, text);
        let title = x
            .entities
            .iter()
            .find(|e| e.class == Class::Document)
            .expect("a title");
        assert_eq!(title.label, "政府工作报告");
        title.id.clone()
    })
    .collect();
    assert_eq!(
        ids,
        [
            "https://w3id.org/kgx/id/document/政府工作报告/海南省人民政府/2026-01-27",
            "https://w3id.org/kgx/id/document/政府工作报告/海南省人民政府/2025-01-27",
            "https://w3id.org/kgx/id/document/政府工作报告/青海省人民政府/2026-01-27",
        ]
    );
}
