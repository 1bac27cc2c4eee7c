//! Files nobody checked: each is extracted correctly or reported and skipped with a reason,
//! never a panic, and the other documents' results are complete. The corpus is generated here.

mod common;
use common::*;
use std::path::Path;

const GOOD: &str = "国务院印发《关于加强数字政府建设的指导意见》。";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_corpus_of_bad_inputs_is_extracted_or_reported() {
    let input = tempfile::tempdir().unwrap();
    let d = input.path();
    write(d, "empty.txt", b"");
    write(d, "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    let mut broken = GOOD.as_bytes().to_vec();
    broken.extend_from_slice(b"\xff\xfe\xfd");
    broken.extend_from_slice("宁波市推进“智慧宁波”建设。".repeat(200).as_bytes());
    write(d, "invalid-utf8-mid-file.txt", &broken);
    let (gbk, _, _) = encoding_rs::GBK.encode(GOOD);
    write(d, "gbk-no-bom.txt", &gbk);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in GOOD.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(d, "utf16-bom.txt", &utf16);
    let mut long = GOOD.to_string();
    long.push_str(&"x".repeat(50 << 20));
    long.push_str(GOOD);
    write(d, "one-50mb-line.txt", long.as_bytes());
    let mut nul = GOOD.as_bytes().to_vec();
    nul.push(0);
    nul.extend_from_slice("宁波市".as_bytes());
    write(d, "nul-bytes.txt", &nul);
    write(
        d,
        "crlf.txt",
        "第一行\r\n国务院印发《关于加强数字政府建设的指导意见》。\r\n".as_bytes(),
    );
    write(
        d,
        "lone-cr.txt",
        "第一行\r国务院印发《关于加强数字政府建设的指导意见》。\r".as_bytes(),
    );
    write(
        d,
        "page.html",
        "<html><head><style>p{color:red}</style><script>var s='国务院印发';</script></head>\
         <body><!-- 国务院 --><p>国务院印发&ldquo;&#x4E92;联网+&rdquo;《关于加强数字政府建设的指导意见》&amp;通知。</p></body></html>"
            .as_bytes(),
    );
    write(d, "带 空格/中文 路径.txt", GOOD.as_bytes());
    std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
    std::os::unix::fs::symlink(d.join("missing-target.txt"), d.join("dangling.txt")).unwrap();

    let out = tempfile::tempdir().unwrap();
    let o = kgx(&[
        "extract",
        d.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--formats",
        "jsonl",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("image.txt: not a text file (binary file signature)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("loop"),
        "the symlink loop is reported: {stderr}"
    );

    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    let names: Vec<&str> = docs.iter().map(|x| x["doc"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "crlf.txt",
            "empty.txt",
            "gbk-no-bom.txt",
            "invalid-utf8-mid-file.txt",
            "lone-cr.txt",
            "nul-bytes.txt",
            "one-50mb-line.txt",
            "page.html",
            "utf16-bom.txt",
            "带 空格/中文 路径.txt",
        ]
    );
    let issued = "issued(国务院 → 关于加强数字政府建设的指导意见)".to_string();
    // Every document but the empty one states the same fact.
    for name in names.iter().filter(|n| **n != "empty.txt") {
        assert!(
            relations(doc(&docs, name)).contains(&issued),
            "{name}: {:?}",
            relations(doc(&docs, name))
        );
    }
    // The script's 国务院印发 and the comment's 国务院 are not text: one mention only.
    let page = doc(&docs, "page.html");
    let council = entity(page, "Organization", "国务院").unwrap();
    assert_eq!(council["mentions"].as_array().unwrap().len(), 1);
    assert_eq!(
        doc(&docs, "one-50mb-line.txt")["chars"],
        2 * GOOD.chars().count() + (50 << 20)
    );
    let nul = doc(&docs, "nul-bytes.txt");
    assert!(entity(nul, "Place", "宁波市").is_some());
}
