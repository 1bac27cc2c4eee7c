//! Exact extraction results on the shipped sample corpus (samples/corpus): entities, relations,
//! offsets, triples, and the store answering a SPARQL question. A change in any rule that moves
//! these shows up here; update the expectations only after reading the new output.

mod common;
use common::*;
use serde_json::Value;

fn entity_list(d: &Value) -> Vec<String> {
    d["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["class"].as_str().unwrap(),
                e["label"].as_str().unwrap()
            )
        })
        .collect()
}

fn samples_once() -> (tempfile::TempDir, Vec<Value>) {
    let out = extract_samples(&[]);
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    (out, docs)
}

#[test]
fn newspaper_page_entities_and_relations() {
    let (_out, docs) = samples_once();
    let d = doc(&docs, "news/ningbo-daily-page.txt");
    assert_eq!(
        entity_list(d),
        [
            "Place:宁波市",
            "Person:周晓岚",
            "Person:陈立恒",
            "Organization:宁波大学商学院",
            "Person:吴卫平",
            "Organization:宁波市发展研究中心",
            "Organization:国务院",
            "Person:李克强",
            "Program:互联网+行动计划",
            "Document:关于积极推进互联网+行动的指导意见",
            "Program:互联网+制造行动",
            // 宁波可以结合“港口经济圈”建设: a quoted name before 建设 is a program.
            "Program:港口经济圈",
            "Program:互联网+物流",
            "Place:宁波保税区",
            "Organization:德国弗劳恩霍夫协会",
            "Place:德国",
            "Place:欧洲",
            "Program:工业4.0",
            "Organization:宁波大学",
            "Organization:中国科学院",
            "Program:智慧宁波",
            "Organization:宁波日报",
        ]
    );
    assert_eq!(
        relations(d),
        [
            "affiliated_with(吴卫平 → 宁波市发展研究中心)",
            "affiliated_with(周晓岚 → 宁波日报)",
            "affiliated_with(李克强 → 国务院)",
            "affiliated_with(陈立恒 → 宁波大学商学院)",
            "implements(宁波市 → 互联网+制造行动)",
            "implements(宁波市 → 互联网+物流)",
            "implements(宁波市 → 智慧宁波)",
            "issued(国务院 → 关于积极推进互联网+行动的指导意见)",
            "located_in(德国弗劳恩霍夫协会 → 德国)",
            "part_of(宁波保税区 → 宁波市)",
            "part_of(宁波大学商学院 → 宁波大学)",
            "proposed(李克强 → 互联网+行动计划)",
        ]
    );
    // 市发展研究中心 is the Ningbo body: its label takes the city's name, its mention keeps the text.
    let centre = entity(d, "Organization", "宁波市发展研究中心").unwrap();
    assert_eq!(centre["names"], serde_json::json!(["市发展研究中心"]));
    assert_eq!(
        centre["mentions"][0],
        serde_json::json!({"start": 62, "end": 69, "text": "市发展研究中心", "rule": "org.local-short-form"})
    );
    let guide = entity(d, "Document", "关于积极推进互联网+行动的指导意见").unwrap();
    assert_eq!(
        guide["id"],
        "https://w3id.org/kgx/id/document/关于积极推进互联网+行动的指导意见"
    );
    let spans: Vec<(u64, u64)> = guide["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, [(125, 144), (292, 311)]);
    let place = entity(d, "Place", "宁波市").unwrap();
    assert_eq!(
        (
            place["id"].as_str(),
            place["code"].as_str(),
            place["type"].as_str()
        ),
        (
            Some("https://w3id.org/kgx/id/place/330200"),
            Some("330200"),
            Some("City")
        )
    );
}

#[test]
fn county_notice_entities_relations_and_date() {
    let (_out, docs) = samples_once();
    let d = doc(&docs, "notices/sichuan-county-notice.txt");
    assert_eq!(d["date"], "2023-04-10");
    assert_eq!(
        relations(d),
        [
            "affiliated_with(杨文涛 → 汶川县农业农村局)",
            // 为贯彻落实《A》和《B》 in the notice: the notice (its heading) cites both.
            "cites(汶川县人民政府关于印发汶川县乡村振兴示范县创建工作方案的通知 → 中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见)",
            "cites(汶川县人民政府关于印发汶川县乡村振兴示范县创建工作方案的通知 → 阿坝藏族羌族自治州乡村振兴促进办法)",
            // 深入实施农村人居环境整治提升五年行动; 稳妥推进农村集体经营性建设用地入市试点;
            // 实施“汶川甜樱桃”品牌提升行动: the programs by their whole names, not a brand or
            // the tail of a name; 开展农产品冷链物流设施补短板工程, whose name holds 设施 (施 as
            // in 实施 is no boundary of a name).
            "implements(汶川县 → 农产品冷链物流设施补短板工程)",
            "implements(汶川县 → 农村人居环境整治提升五年行动)",
            "implements(汶川县 → 农村集体经营性建设用地入市试点)",
            "implements(汶川县 → 汶川甜樱桃品牌提升行动)",
            // 《中共中央 国务院关于做好…的意见》 names its two issuers.
            "issued(中国共产党中央委员会 → 中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见)",
            "issued(国务院 → 中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见)",
            "issued(汶川县人民政府 → 汶川县乡村振兴示范县创建工作方案)",
            "issued(汶川县人民政府 → 汶川县人民政府关于印发汶川县乡村振兴示范县创建工作方案的通知)",
            "part_of(汶川县 → 阿坝藏族羌族自治州)",
            "part_of(阿坝藏族羌族自治州 → 四川省)",
        ]
    );
    // 县政府 in the body is the issuer itself, one entity with two names.
    let government = entity(d, "Organization", "汶川县人民政府").unwrap();
    assert_eq!(
        government["names"],
        serde_json::json!(["汶川县人民政府", "县政府"])
    );
    for town in ["映秀镇", "水磨镇", "绵虒镇"] {
        assert!(entity(d, "Place", town).is_some(), "{town}");
    }
    assert!(
        entity(d, "Place", "范县").is_none(),
        "示范县 is not the county 范县"
    );
}

#[test]
fn aliases_gbk_and_html_documents() {
    let (_out, docs) = samples_once();
    let port = doc(&docs, "notices/ningbo-port-plan.txt");
    let ningbo = entity(port, "Place", "宁波市").unwrap();
    assert_eq!(ningbo["names"], serde_json::json!(["宁波市", "甬", "宁波"]));
    let ndrc = entity(port, "Organization", "宁波市发展和改革委员会").unwrap();
    assert_eq!(
        ndrc["names"],
        serde_json::json!(["宁波市发展和改革委员会", "市发改委"])
    );
    assert!(relations(port).contains(&"part_of(北仑区 → 宁波市)".to_string()));

    let gbk = doc(&docs, "notices/guangdong-gbk-notice.txt");
    assert!(relations(gbk).contains(&"issued(广东省人民政府 → 广东省人民政府关于进一步推进中国(广东)自由贸易试验区高质量发展的通知)".to_string()));
    assert!(relations(gbk).contains(&"part_of(深圳市 → 广东省)".to_string()));

    let html = doc(&docs, "news/beijing-smes.html");
    assert!(relations(html).contains(
        &"issued(北京市经济和信息化局 → 北京市促进中小企业发展条例实施细则)".to_string()
    ));
    let rules = entity(html, "Document", "北京市促进中小企业发展条例实施细则").unwrap();
    assert_eq!(
        rules["names"],
        serde_json::json!(["〈北京市促进中小企业发展条例〉实施细则", "实施细则"])
    );
    // No text of the <script> or <style> blocks reaches extraction.
    let text = kgx::input::decode_document(
        "beijing-smes.html",
        &std::fs::read(samples().join("news/beijing-smes.html")).unwrap(),
    )
    .unwrap()
    .text;
    assert!(
        !text.contains("function") && !text.contains('{') && !text.contains("<"),
        "{text}"
    );
}

#[test]
fn nquads_hold_each_fact_in_its_document_graph() {
    let (out, _docs) = samples_once();
    let nq = std::fs::read_to_string(out.path().join("graph.nq")).unwrap();
    let graph = "<https://w3id.org/kgx/id/graph/news/ningbo-daily-page.txt>";
    let issued = format!("<https://w3id.org/kgx/id/org/国务院> <https://w3id.org/kgx/ns#issued> <https://w3id.org/kgx/id/document/关于积极推进互联网+行动的指导意见> {graph} .");
    assert!(nq.lines().any(|l| l == issued), "missing: {issued}");
    let label = format!("<https://w3id.org/kgx/id/place/330200> <http://www.w3.org/2004/02/skos/core#prefLabel> \"宁波市\"@zh-hans {graph} .");
    assert!(nq.lines().any(|l| l == label), "missing: {label}");
    let anchor = format!("<https://w3id.org/kgx/id/source/news/ningbo-daily-page.txt#char=62,69> <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> \"市发展研究中心\" {graph} .");
    assert!(nq.lines().any(|l| l == anchor), "missing: {anchor}");
    let ttl = std::fs::read_to_string(out.path().join("graph.ttl")).unwrap();
    assert!(ttl.contains("@prefix kgx: <https://w3id.org/kgx/ns#> ."));
}

#[test]
fn the_store_answers_what_the_state_council_issued() {
    let (out, _docs) = samples_once();
    let store = out.path().join("store");
    let q = "SELECT DISTINCT ?title WHERE { ?o skos:prefLabel \"国务院\"@zh-Hans ; kgx:issued ?d . ?d skos:prefLabel ?title } ORDER BY ?title";
    let o = kgx(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "json",
        q,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    let titles: Vec<&str> = json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"]["value"].as_str().unwrap())
        .collect();
    // The excerpt's heading "# 政府工作报告（节选）" is the report 国务院总理 delivered.
    assert_eq!(
        titles,
        [
            // Cited titles that open with 国务院 (中共中央 国务院关于…, 国务院关于…).
            "中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见",
            "中国制造2025",
            "关于积极推进互联网+行动的指导意见",
            "国务院关于加强数字政府建设的指导意见",
            "政府工作报告(节选)"
        ]
    );
    let o = kgx(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
        q,
    ]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "title\r\n中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见\r\n中国制造2025\r\n关于积极推进互联网+行动的指导意见\r\n国务院关于加强数字政府建设的指导意见\r\n政府工作报告(节选)\r\n"
    );
    let o = kgx(&[
        "query",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "table",
        "ASK { ?s kgx:issued ?o }",
    ]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), "true\n");
}
