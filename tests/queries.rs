//! Every example query in queries/ answers its question on the sample corpus.

mod common;
use common::*;

fn answer(store: &std::path::Path, file: &str) -> Vec<String> {
    let path = root().join("queries").join(file);
    query_lines(store, "csv", &["--file", path.to_str().unwrap()])
}

#[test]
fn example_queries_answer_their_questions() {
    let out = extract_samples(&[]);
    let store = out.path().join("store");
    assert_eq!(
        answer(&store, "who-issued-what.rq"),
        [
            "issuer,document,documents",
            // 《中共中央 国务院关于…的意见》, cited by the county notice: its title opens with
            // its two issuers.
            "中国共产党中央委员会,中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见,1",
            "北京市经济和信息化局,北京市促进中小企业发展条例,1",
            "北京市经济和信息化局,北京市促进中小企业发展条例实施细则,1",
            "国务院,中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见,1",
            "国务院,中国制造2025,1",
            "国务院,关于积极推进互联网+行动的指导意见,1",
            // Cited by the Hangzhou notice: 《国务院关于加强数字政府建设的指导意见》.
            "国务院,国务院关于加强数字政府建设的指导意见,1",
            // The excerpt's own heading, delivered by 国务院总理.
            "国务院,政府工作报告(节选),1",
            "广东省人民政府,广东省人民政府关于进一步推进中国(广东)自由贸易试验区高质量发展的通知,1",
            // A notice X关于印发《Y》的通知 is itself a document X issued, besides Y.
            "杭州市人民政府办公厅,杭州市人民政府办公厅关于印发杭州市数字经济发展三年行动计划(2024—2026年)的通知,1",
            "杭州市人民政府办公厅,杭州市数字经济发展三年行动计划(2024—2026年),1",
            "汶川县人民政府,汶川县乡村振兴示范县创建工作方案,1",
            "汶川县人民政府,汶川县人民政府关于印发汶川县乡村振兴示范县创建工作方案的通知,1",
            // 浙江省省长 speaks for the provincial government, which issues the report.
            "浙江省人民政府,2023年浙江省政府工作报告,1",
        ]
    );
    assert_eq!(
        answer(&store, "programs-of-a-city.rq"),
        [
            "program,documents",
            "互联网+制造行动,1",
            "互联网+物流,1",
            "国际航运服务中心培育行动,1",
            "智慧宁波,1",
            "江海联运服务中心,1",
            "港口经济圈,1",
            "港口能级提升工程,1",
        ]
    );
    assert_eq!(
        answer(&store, "documents-citing-a-plan.rq"),
        [
            "citing,cited",
            "广东省人民政府关于进一步推进中国(广东)自由贸易试验区高质量发展的通知,中国(广东)自由贸易试验区总体方案",
            "广东省人民政府关于进一步推进中国(广东)自由贸易试验区高质量发展的通知,粤港澳大湾区发展规划纲要",
            // Each notice's heading is a Document: what it 根据/贯彻落实 it cites.
            "杭州市人民政府办公厅关于印发杭州市数字经济发展三年行动计划(2024—2026年)的通知,国务院关于加强数字政府建设的指导意见",
            "杭州市人民政府办公厅关于印发杭州市数字经济发展三年行动计划(2024—2026年)的通知,浙江省数字经济促进条例",
            "汶川县人民政府关于印发汶川县乡村振兴示范县创建工作方案的通知,中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见",
            "汶川县人民政府关于印发汶川县乡村振兴示范县创建工作方案的通知,阿坝藏族羌族自治州乡村振兴促进办法",
        ]
    );
    let agencies = answer(&store, "agencies-of-a-province.rq");
    assert_eq!(agencies[0], "agency,place");
    // The Hangzhou notice's 市政府, 市财政局, 市发展和改革委员会 … are Hangzhou's: the
    // notice's own place is the 杭州市 of its heading (杭州市人民政府办公厅关于…).
    for row in [
        "浙江省人民政府,浙江省",
        // The report's 省委: the party's committee of its own place, by the gazetteer's name.
        "中共浙江省委员会,浙江省",
        "杭州市人民政府办公厅,杭州市",
        "宁波市发展和改革委员会,宁波市",
        "杭州市人民政府,杭州市",
        "杭州市财政局,杭州市",
        "杭州市发展和改革委员会,杭州市",
        "杭州市经济和信息化局,杭州市",
    ] {
        assert!(
            agencies.iter().any(|a| a == row),
            "{row} missing from {agencies:?}"
        );
    }
    assert_eq!(agencies.len(), 18);
    assert_eq!(
        answer(&store, "programs-by-year.rq"),
        // 2023: the county notice's programs by their full names (“汶川甜樱桃”品牌提升行动,
        // 农村集体经营性建设用地入市试点, 农村人居环境整治提升五年行动, 农产品冷链物流设施补短板
        // 工程 after 开展); 2024: 杭州's 数字经济发展三年行动 after 实施.
        ["year,programs", "2022,3", "2023,19", "2024,3"]
    );
    assert_eq!(
        answer(&store, "trace-a-relation.rq"),
        [
            "issuer,document,source,begin,end,rule",
            // 国务院印发《…》, and later 国务院《…》明确了: the page states it twice; the statement
            // keeps the rule that found it first and every span that says it.
            "国务院,关于积极推进互联网+行动的指导意见,news/ningbo-daily-page.txt,119,144,issued.verb",
            "国务院,关于积极推进互联网+行动的指导意见,news/ningbo-daily-page.txt,292,311,issued.verb",
        ]
    );
}

#[test]
fn the_merged_graph_counts_a_fact_stated_by_two_documents_once() {
    // The Ningbo page twice under two names: every fact in two document graphs, once merged.
    let input = tempfile::tempdir().unwrap();
    let page = samples().join("news/ningbo-daily-page.txt");
    for name in ["a.txt", "b.txt"] {
        std::fs::copy(&page, input.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = kgx_extract(input.path(), out.path(), &["--formats", "store"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = out.path().join("store");
    assert_eq!(
        answer(&store, "who-issued-what.rq"),
        [
            "issuer,document,documents",
            "国务院,关于积极推进互联网+行动的指导意见,2",
        ]
    );
    let labels = query_lines(
        &store,
        "csv",
        &["SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kgx/id/merged> { <https://w3id.org/kgx/id/org/国务院> skos:prefLabel ?l } }"],
    );
    assert_eq!(labels, ["n", "1"]);
}
