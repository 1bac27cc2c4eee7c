//! Notices as government websites publish them: a header with page furniture and a document
//! number, a title that may open with two issuers or wrap over lines, cited titles that name
//! their own issuers. The texts are written for these tests in the form such pages take; the
//! expectations are what the texts say (GUIDELINES: issued, cites).

mod common;
use common::*;
use serde_json::Value;

/// Extracts one document from `text` (file `name`) and returns its JSON object.
fn extract_one(name: &str, text: &str) -> Value {
    let input = tempfile::tempdir().expect("temp dir");
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::write(input.path().join(name), text).expect("write input");
    let o = kgx_extract(input.path(), out.path(), &["--quiet", "--formats", "jsonl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    doc(&docs, name).clone()
}

/// The document's own title: the Document whose mention is the heading (rule document.title).
fn title(d: &Value) -> String {
    d["entities"]
        .as_array()
        .and_then(|es| {
            es.iter().find(|e| {
                e["mentions"]
                    .as_array()
                    .is_some_and(|ms| ms.iter().any(|m| m["rule"] == "document.title"))
            })
        })
        .and_then(|e| e["label"].as_str())
        .unwrap_or("(none)")
        .to_string()
}

#[test]
fn a_title_below_its_document_number_and_wrapped_over_lines() {
    let d = extract_one(
        "notice.txt",
        "江西省人民政府办公厅文件\n\n赣府厅发〔2011〕8号\n\n江西省人民政府办公厅关于加强农村饮水安全\n\n工程建设管理的通知\n\n各设区市人民政府,省政府各部门:\n\n根据《国务院办公厅关于加强农村饮水安全工程建设管理的通知》精神,结合我省实际,现就有关事项通知如下。\n",
    );
    assert_eq!(
        title(&d),
        "江西省人民政府办公厅关于加强农村饮水安全工程建设管理的通知"
    );
    let rels = relations(&d);
    for expected in [
        "issued(江西省人民政府办公厅 → 江西省人民政府办公厅关于加强农村饮水安全工程建设管理的通知)",
        "issued(国务院办公厅 → 国务院办公厅关于加强农村饮水安全工程建设管理的通知)",
        "cites(江西省人民政府办公厅关于加强农村饮水安全工程建设管理的通知 → 国务院办公厅关于加强农村饮水安全工程建设管理的通知)",
    ] {
        assert!(rels.contains(&expected.to_string()), "{expected} not in {rels:#?}");
    }
}

#[test]
fn a_joint_notice_that_issues_a_document_is_titled_without_its_number_and_issued_by_both() {
    let d = extract_one(
        "joint.txt",
        "来源:市政府门户网\n\n中共九江市委办公室九江市人民政府办公室印发《关于深化放管服改革的实施意见》的通知(九办发〔2017〕2号)\n\n各县(市、区)委、人民政府:\n\n《关于深化放管服改革的实施意见》已经市委、市人民政府同意,现印发给你们。\n",
    );
    let notice = "中共九江市委办公室九江市人民政府办公室印发关于深化放管服改革的实施意见的通知";
    assert_eq!(title(&d), notice);
    let rels = relations(&d);
    for issuer in ["中共九江市委办公室", "九江市人民政府办公室"] {
        let expected = format!("issued({issuer} → {notice})");
        assert!(rels.contains(&expected), "{expected} not in {rels:#?}");
    }
}

#[test]
fn cited_titles_name_their_issuers_and_a_revised_law_is_no_act_of_the_own_place() {
    let d = extract_one(
        "opinion.txt",
        "浙江省人民政府关于深化财政管理改革的实施意见\n\n各市、县(市、区)人民政府:\n\n根据新修订的《中华人民共和国预算法》、《国务院关于深化预算管理制度改革的决定》和《中共浙江省委浙江省人民政府关于深化财税体制改革的意见》要求,结合我省实际,提出以下意见。\n",
    );
    let rels = relations(&d);
    for expected in [
        "issued(国务院 → 国务院关于深化预算管理制度改革的决定)",
        "issued(中共浙江省委员会 → 中共浙江省委浙江省人民政府关于深化财税体制改革的意见)",
        "issued(浙江省人民政府 → 中共浙江省委浙江省人民政府关于深化财税体制改革的意见)",
        "issued(浙江省人民政府 → 浙江省人民政府关于深化财政管理改革的实施意见)",
    ] {
        assert!(
            rels.contains(&expected.to_string()),
            "{expected} not in {rels:#?}"
        );
    }
    for wrong in [
        "issued(浙江省 → 中华人民共和国预算法)",
        "issued(浙江省人民政府 → 中华人民共和国预算法)",
        "issued(浙江省 → 国务院关于深化预算管理制度改革的决定)",
    ] {
        assert!(!rels.contains(&wrong.to_string()), "{wrong} in {rels:#?}");
    }
    // 国务院 is named only inside a title: an entity of the text without a mention of its own.
    let state_council = entity(&d, "Organization", "国务院").expect("国务院 is an entity");
    assert_eq!(state_council["mentions"], serde_json::json!([]));
}

#[test]
fn work_rules_are_titles_and_a_trial_mark_stays_in_the_title() {
    let d = extract_one(
        "rules.txt",
        "返回顶部\n\n宁海县人民政府工作规则(试行)\n\n第一章 总则\n\n一、根据《中华人民共和国宪法》,结合本县实际,制定本规则。\n",
    );
    assert_eq!(title(&d), "宁海县人民政府工作规则(试行)");
    let rels = relations(&d);
    assert!(
        rels.contains(&"issued(宁海县人民政府 → 宁海县人民政府工作规则(试行))".to_string()),
        "{rels:#?}"
    );
    assert!(relations(&d)
        .contains(&"cites(宁海县人民政府工作规则(试行) → 中华人民共和国宪法)".to_string()));
}

#[test]
fn a_document_issued_inside_a_cited_title_and_a_cited_body_s_rules() {
    let d = extract_one(
        "points.txt",
        "宁波市人民政府办公厅关于印发宁波市政务公开工作要点的通知\n\n各区县(市)人民政府:\n\n深入贯彻《中共中央办公厅国务院办公厅印发〈关于全面推进政务公开工作的意见〉的通知》精神,参照《浙江省人民政府工作规则》,现将要点印发给你们。\n",
    );
    let inner = entity(&d, "Document", "关于全面推进政务公开工作的意见")
        .expect("the document issued inside the cited title");
    assert_eq!(inner["mentions"], serde_json::json!([]));
    let rels = relations(&d);
    for issuer in ["中共中央办公厅", "国务院办公厅"] {
        let expected = format!("issued({issuer} → 关于全面推进政务公开工作的意见)");
        assert!(rels.contains(&expected), "{expected} not in {rels:#?}");
    }
    assert!(
        !rels
            .iter()
            .any(|r| r.starts_with("issued(浙江省人民政府 →")),
        "a cited body's rules name whose they are, not who issued them: {rels:#?}"
    );
}

/// The labels of the document's organizations, sorted.
fn organizations(d: &Value) -> Vec<String> {
    let mut out: Vec<String> = d["entities"]
        .as_array()
        .map(|es| {
            es.iter()
                .filter(|e| e["class"] == "Organization")
                .filter_map(|e| e["label"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn a_notice_in_traditional_characters_is_read_with_the_same_rules() {
    let text = "遼寧省人民政府關於進一步做好就業創業工作的實施意見\n\n各市人民政府,省政府各廳委:\n\n為貫徹落實《國務院關於進一步做好新形勢下就業創業工作的意見》,現提出如下意見。(省發展改革委、省財政廳負責)\n";
    let d = extract_one("traditional.txt", text);
    let own = "辽宁省人民政府关于进一步做好就业创业工作的实施意见";
    assert_eq!(title(&d), own);
    let rels = relations(&d);
    for expected in [
        format!("issued(辽宁省人民政府 → {own})"),
        format!("cites({own} → 国务院关于进一步做好新形势下就业创业工作的意见)"),
        "issued(国务院 → 国务院关于进一步做好新形势下就业创业工作的意见)".to_string(),
    ] {
        assert!(rels.contains(&expected), "{expected} not in {rels:#?}");
    }
    // Labels are simplified; the mention quotes the page, at the page's offsets.
    let finance = entity(&d, "Organization", "辽宁省财政厅").expect("省財政廳");
    let chars: Vec<char> = text.chars().collect();
    let m = &finance["mentions"][0];
    let (start, end) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(m["text"], "省財政廳");
    assert_eq!(chars[start..end].iter().collect::<String>(), "省財政廳");
}

#[test]
fn a_joint_notice_s_letter_spaced_issuers_are_bodies() {
    let d = extract_one(
        "joint-signature.txt",
        "关于印发《加快培育新型消费实施方案》的通知\n\n各省、自治区、直辖市有关部门:\n\n现将《加快培育新型消费实施方案》印发给你们,请认真贯彻落实。\n\n国家发展改革委 中 央 网 信 办\n教 育 部 工业和信息化部\n自 然 资 源 部 交 通 运 输 部\n2021年3月19日\n",
    );
    for body in ["教育部", "自然资源部", "交通运输部", "国家互联网信息办公室"]
    {
        assert!(
            organizations(&d).contains(&body.to_string()),
            "{body} not in {:?}",
            organizations(&d)
        );
    }
    let education = entity(&d, "Organization", "教育部").expect("教 育 部");
    assert_eq!(education["mentions"][0]["text"], "教 育 部");
}

#[test]
fn the_bare_departments_of_a_task_list_are_the_document_s_own() {
    let d = extract_one(
        "tasks.txt",
        "包头市人民政府办公室关于印发数字政府建设工作要点的通知\n\n一、优化服务。(牵头单位:市审批服务局)\n二、完善平台。(牵头单位:市住建局、审批服务局)\n三、推进医保。(牵头单位:卫健委、医保局、人社局)\n四、整合网站。各旗县区政府(管委会)门户网站集中迁移。\n",
    );
    let orgs = organizations(&d);
    for body in ["包头市审批服务局", "包头市住建局", "医保局", "人社局"] {
        assert!(orgs.contains(&body.to_string()), "{body} not in {orgs:?}");
    }
    // 审批服务局 is the 市审批服务局 named before it, one entity; 管委会 is no one body.
    assert!(!orgs.contains(&"审批服务局".to_string()), "{orgs:?}");
    assert!(!orgs.iter().any(|o| o == "管委会"), "{orgs:?}");
}

#[test]
fn page_layout_residue_and_a_masthead_stay_out_of_the_title() {
    let d = extract_one(
        "county.txt",
        "中国政府网 湖北政府网 黄冈政府网 繁体中文\n首页 |\n||||\n总站 {{item.sitename}}\n浠水县人民政府\n\n县人民政府关于印发《浠水县人民政府工作规则》的通知\n\n各乡镇人民政府,县政府各部门:\n\n为贯彻落实国务院《关于进一步加强政府建设的意见》,现将《浠水县人民政府工作规则》印发给你们。\n",
    );
    let own = "县人民政府关于印发浠水县人民政府工作规则的通知";
    assert_eq!(title(&d), own);
    let rels = relations(&d);
    assert!(
        rels.contains(&"issued(国务院 → 关于进一步加强政府建设的意见)".to_string()),
        "the body right before a cited title issued it: {rels:#?}"
    );
    assert!(!organizations(&d).contains(&"中国政府".to_string()));
}
