//! End to end through the `kgx` binary: outputs exist and agree, runs are deterministic, bad
//! files are reported and skipped.

mod common;
use common::*;

#[test]
fn every_mention_text_is_its_slice_of_the_decoded_document() {
    let out = extract_samples(&["--formats", "jsonl"]);
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    assert_eq!(docs.len(), 8);
    let mut checked = 0;
    for d in &docs {
        let rel = d["doc"].as_str().unwrap();
        let bytes = std::fs::read(samples().join(rel)).unwrap();
        let text = kgx::input::decode_document(rel, &bytes).unwrap().text;
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(d["chars"].as_u64().unwrap() as usize, chars.len(), "{rel}");
        for e in d["entities"].as_array().unwrap() {
            for m in e["mentions"].as_array().unwrap() {
                let (s, en) = (
                    m["start"].as_u64().unwrap() as usize,
                    m["end"].as_u64().unwrap() as usize,
                );
                let slice: String = chars[s..en].iter().collect();
                assert_eq!(m["text"].as_str().unwrap(), slice, "{rel} {s}-{en}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} mentions");
}

#[test]
fn outputs_are_identical_with_one_and_four_threads() {
    let a = extract_samples(&["--threads", "1", "--formats", "jsonl,ttl,nq,gexf"]);
    let b = extract_samples(&["--threads", "4", "--formats", "jsonl,ttl,nq,gexf"]);
    for f in ["extractions.jsonl", "graph.ttl", "graph.nq", "graph.gexf"] {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert!(!x.is_empty(), "{f} is empty");
        assert!(x == y, "{f} differs between 1 and 4 threads");
    }
}

#[test]
fn unreadable_files_are_reported_and_the_rest_completes() {
    let input = tempfile::tempdir().unwrap();
    std::fs::write(
        input.path().join("a-good.txt"),
        "国务院印发《关于加强数字政府建设的指导意见》。",
    )
    .unwrap();
    std::fs::write(
        input.path().join("b-image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    std::fs::write(
        input.path().join("c-bad.txt"),
        b"\x80\x80\x80 not text \xff\xff",
    )
    .unwrap();
    std::fs::write(input.path().join("d-empty.txt"), b"").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = kgx_extract(input.path(), out.path(), &["--formats", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "exit code 1 when some files fail");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("b-image.txt: not a text file (binary file signature)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("c-bad.txt: not valid UTF-8, UTF-16 or GB18030 text"),
        "{stderr}"
    );
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    let names: Vec<&str> = docs.iter().map(|d| d["doc"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["a-good.txt", "d-empty.txt"]);
    assert_eq!(
        relations(&docs[0]),
        vec!["issued(国务院 → 关于加强数字政府建设的指导意见)"]
    );
    assert_eq!(docs[1]["entities"].as_array().unwrap().len(), 0);
}

#[test]
fn fail_fast_stops_at_the_first_bad_file_and_keeps_the_last_outputs() {
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("good.txt"), "宁波市").unwrap();
    let out = tempfile::tempdir().unwrap();
    let args = ["--formats", "jsonl,nq,ttl,gexf", "--fail-fast"];
    let run = || kgx_extract(input.path(), out.path(), &args);
    assert_eq!(run().status.code(), Some(0));
    let files = ["extractions.jsonl", "graph.nq", "graph.ttl", "graph.gexf"];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(out.path().join(f)).unwrap())
        .collect();
    assert!(String::from_utf8_lossy(&before[0]).contains("宁波市"));

    std::fs::write(input.path().join("bad.txt"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(input.path().join("other.txt"), "杭州市").unwrap();
    // A runtime error (the batch stopped) is exit code 1; 2 is for usage and rule errors.
    assert_eq!(run().status.code(), Some(1));
    for (f, old) in files.iter().zip(&before) {
        assert!(
            &std::fs::read(out.path().join(f)).unwrap() == old,
            "{f} changed"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".kgx-rules",
            "extractions.jsonl",
            "graph.gexf",
            "graph.nq",
            "graph.ttl"
        ],
        "no temporary file is left behind"
    );
}

/// A report excerpt with no frame (no title line, no date line, no speaker): the user's table
/// gives its place, issuer, date and title; a second document keeps what its text says.
#[test]
fn metadata_table_overrides_the_frame() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("excerpt.txt"),
        "一、主要工作\n全省深入实施“千万工程”，省政府推进城市更新行动。\n",
    )
    .unwrap();
    std::fs::write(
        input.join("beijing.txt"),
        "2026年北京市政府工作报告\n——2026年1月12日在北京市第十六届人民代表大会第四次会议上\n北京市市长 李明\n各位代表：\n全市实施“疏解整治促提升”专项行动。\n",
    )
    .unwrap();
    let table = dir.path().join("meta.csv");
    std::fs::write(
        &table,
        "doc,place,issuer,date,title\nexcerpt.txt,浙江省,浙江省人民政府,2023-01-16,2023年浙江省政府工作报告\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = kgx_extract(
        &input,
        &out,
        &[
            "--quiet",
            "--formats",
            "jsonl",
            "--metadata",
            table.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs = read_jsonl(&out.join("extractions.jsonl"));
    let excerpt = doc(&docs, "excerpt.txt");
    assert_eq!(excerpt["date"], "2023-01-16");
    assert_eq!(
        relations(excerpt),
        [
            "implements(浙江省 → 千万工程)",
            "implements(浙江省人民政府 → 城市更新行动)",
            "issued(浙江省人民政府 → 2023年浙江省政府工作报告)",
        ]
    );
    let issued = excerpt["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "issued")
        .unwrap();
    assert_eq!(issued["rule"], "metadata");
    let province = entity(excerpt, "Place", "浙江省").expect("the province");
    assert_eq!(province["code"], "330000");
    let beijing = doc(&docs, "beijing.txt");
    assert_eq!(beijing["date"], "2026-01-12");
    assert!(relations(beijing)
        .contains(&"issued(北京市人民政府 → 2026年北京市政府工作报告)".to_string()));

    // A bad table stops the run before anything is written, naming line and column.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "doc,date\nexcerpt.txt,16.1.2023\n").unwrap();
    let out2 = dir.path().join("out2");
    let o = kgx_extract(
        &input,
        &out2,
        &["--quiet", "--metadata", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("bad.csv:2:2: date `16.1.2023` is not YYYY, YYYY-MM or YYYY-MM-DD"),
        "{stderr}"
    );
    assert!(!out2.join("extractions.jsonl").exists());
}

/// From a folder with no rules and no $KGX_RULES, kgx uses the pack built into it: written to
/// the cache folder byte for byte, and extracting exactly as the repository's rules do.
#[test]
fn the_built_in_rules_work_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notice.txt");
    std::fs::write(&text, "宁波市人民政府关于加快发展数字经济的意见\n").unwrap();
    let cache = dir.path().join("cache");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(["explain", text.to_str().unwrap()])
        .current_dir(dir.path())
        .env_remove("KGX_RULES")
        .env("XDG_CACHE_HOME", &cache)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let with_embedded = String::from_utf8(out.stdout).unwrap();
    let with_repo = kgx(&["explain", text.to_str().unwrap()]);
    assert_eq!(with_embedded, String::from_utf8(with_repo.stdout).unwrap());
    assert!(
        with_embedded.contains("issuer: 宁波市人民政府"),
        "{with_embedded}"
    );
    let written: Vec<_> = std::fs::read_dir(cache.join("kgx"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(written.len(), 1);
    let pack = std::fs::read(written[0].path().join("pack.toml")).unwrap();
    assert_eq!(pack, std::fs::read(root().join("rules/pack.toml")).unwrap());
}

#[test]
fn explain_reads_standard_input_and_completions_cover_the_subcommands() {
    let out = kgx_with_input(
        &["explain", "-"],
        "宁波市人民政府关于加快发展数字经济的意见\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# stdin: 21 chars"), "{text}");
    assert!(text.contains("issuer: 宁波市人民政府\n"), "{text}");

    let bash = kgx(&["completions", "bash"]);
    assert!(bash.status.success());
    let script = String::from_utf8(bash.stdout).unwrap();
    assert!(script.starts_with("_kgx() {"), "{script}");
    for sub in [
        "extract",
        "query",
        "export",
        "serve",
        "push",
        "explain",
        "completions",
    ] {
        assert!(
            script.contains(&format!("cmd=\"kgx__subcmd__{sub}\"")),
            "no {sub} in the bash script"
        );
    }
    assert_eq!(kgx(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn extract_reads_one_document_from_standard_input() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let args = [
        "extract",
        "-",
        "--quiet",
        "--formats",
        "jsonl",
        "--out",
        dir,
    ];
    let run = kgx_with_input(&args, "宁波市人民政府关于加快发展数字经济的意见\n");
    assert!(run.status.success());
    let docs = read_jsonl(&out.path().join("extractions.jsonl"));
    assert_eq!(docs.len(), 1);
    assert_eq!(
        relations(doc(&docs, "stdin.txt")),
        ["issued(宁波市人民政府 → 宁波市人民政府关于加快发展数字经济的意见)"]
    );
}

/// Runs kgx with `input` on its standard input.
fn kgx_with_input(args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(args)
        .env("KGX_RULES", root().join("rules"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kgx runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(input.as_bytes())
        .expect("kgx reads its input");
    child.wait_with_output().expect("kgx ends")
}
