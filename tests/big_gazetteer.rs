//! A gazetteer of 1,000,000 rows loads and matches: the rows named in a text are found,
//! exactly, through the daachorse automaton. Prints generation, load and match times and the
//! peak RSS (run with `--nocapture`); asserts nothing about time.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

const ROWS: usize = 1_000_000;
/// Every this many rows has an alias (its name without the suffix).
const ALIAS_EVERY: usize = 4;

/// Suffix, class and type by row: places and bodies, as in the real gazetteers.
const KINDS: [(&str, &str, &str); 8] = [
    ("市", "Place", "City"),
    ("县", "Place", "County"),
    ("区", "Place", "District"),
    ("镇", "Place", "Town"),
    ("集团", "Organization", "Company"),
    ("研究院", "Organization", "Institute"),
    ("委员会", "Organization", "Agency"),
    ("公司", "Organization", "Company"),
];

/// Row `i`'s stem: three Han chars, one per decimal pair of `i` (100³ = 10⁶ distinct stems),
/// from three disjoint blocks that hold none of the suffix or separator chars, so a stem never
/// starts inside another name.
fn stem(i: usize) -> String {
    let digit = |block: u32, d: usize| char::from_u32(block + d as u32).expect("a Han char");
    [
        digit(0x6C00, i / 10_000),
        digit(0x7900, i / 100 % 100),
        digit(0x8000, i % 100),
    ]
    .iter()
    .collect()
}

fn row(i: usize) -> (String, Option<String>, &'static str, &'static str) {
    let (suffix, class, kind) = KINDS[i % KINDS.len()];
    let stem = stem(i);
    let alias = i.is_multiple_of(ALIAS_EVERY).then(|| stem.clone());
    (format!("{stem}{suffix}"), alias, class, kind)
}

fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

#[test]
fn a_gazetteer_of_a_million_rows_loads_and_matches() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("pack.toml"),
        "[pack]\nname = \"big\"\nversion = \"1\"\nbase_iri = \"https://example.org/\"\n",
    )
    .expect("pack.toml");
    std::fs::write(
        dir.path().join("big.toml"),
        "[[gazetteer]]\nid = \"gaz.big\"\nfile = \"big.tsv\"\nmin_chars = 2\n",
    )
    .expect("big.toml");

    let started = Instant::now();
    let mut tsv = String::with_capacity(ROWS * 32);
    tsv.push_str("# synthetic: 1,000,000 rows\nname\taliases\tclass\ttype\tcode\tparent\tiri\n");
    for i in 0..ROWS {
        let (name, alias, class, kind) = row(i);
        let parent = if class == "Place" && i >= 8 {
            format!("{}", 100_000 + i / 8)
        } else {
            String::new()
        };
        writeln!(
            tsv,
            "{name}\t{}\t{class}\t{kind}\t{}\t{parent}\t",
            alias.unwrap_or_default(),
            100_000 + i
        )
        .expect("write to a String");
    }
    std::fs::write(dir.path().join("big.tsv"), &tsv).expect("big.tsv");
    let generated = started.elapsed();
    let tsv_bytes = tsv.len();
    drop(tsv);
    let rss_before = peak_rss_kib();

    let started = Instant::now();
    let pack = kgx::rules::load_pack(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let loaded = started.elapsed();
    let rss_loaded = peak_rss_kib();

    // A text naming rows from all over the file, by name and (every fourth row) by alias.
    let picked: Vec<usize> = (0..60).map(|k| (k * 16_661 + 7 * k * k) % ROWS).collect();
    let mut text = String::from("关于");
    let mut expected = BTreeSet::new();
    for (n, &i) in picked.iter().enumerate() {
        let (name, alias, class, _) = row(i);
        let surface = match &alias {
            Some(a) if n % 2 == 0 => a.clone(),
            _ => name.clone(),
        };
        text.push_str(&surface);
        text.push_str(["、", "和", "与", "。\n"][n % 4]);
        expected.insert((class.to_string(), name));
    }
    text.push_str("共同推进。");
    let doc = kgx::input::decode_document("big.txt", text.as_bytes()).expect("decodes");

    let started = Instant::now();
    let x = kgx::extract::extract(&pack, &doc);
    let matched = started.elapsed();

    let found: BTreeSet<(String, String)> = x
        .entities
        .iter()
        .map(|e| (e.class.as_str().to_string(), e.label.clone()))
        .collect();
    assert_eq!(found, expected, "exactly the rows the text names");
    let chars: Vec<char> = doc.text.chars().collect();
    for e in &x.entities {
        for m in &e.mentions {
            assert_eq!(m.text, chars[m.start..m.end].iter().collect::<String>());
        }
    }

    // Again (nothing is cached between calls), then over ordinary text: the sample corpus.
    let started = Instant::now();
    let again = kgx::extract::extract(&pack, &doc);
    let matched_again = started.elapsed();
    assert_eq!(again, x);
    let mut files = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/corpus")];
    let mut corpus = String::new();
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(
                std::fs::read_dir(&p)
                    .expect("samples")
                    .map(|e| e.expect("entry").path()),
            );
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            corpus.push_str(&t);
            corpus.push('\n');
        }
    }
    let big = kgx::input::decode_document("corpus.txt", corpus.as_bytes()).expect("decodes");
    let started = Instant::now();
    let _ = kgx::extract::extract(&pack, &big);
    let corpus_time = started.elapsed();

    let mib = |k: Option<u64>| k.map_or("?".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0));
    println!(
        "big gazetteer: {ROWS} rows ({} aliases, {:.1} MB TSV) generated in {:.2} s; \
         load_pack {:.2} s; peak RSS {} before loading, {} after; \
         {} entities found in a {}-char text in {:.2} ms (again: {:.2} ms); \
         {} chars of samples/corpus extracted in {:.1} ms",
        ROWS / ALIAS_EVERY,
        tsv_bytes as f64 / 1e6,
        generated.as_secs_f64(),
        loaded.as_secs_f64(),
        mib(rss_before),
        mib(rss_loaded),
        found.len(),
        chars.len(),
        matched.as_secs_f64() * 1000.0,
        matched_again.as_secs_f64() * 1000.0,
        big.text.chars().count(),
        corpus_time.as_secs_f64() * 1000.0,
    );
}
