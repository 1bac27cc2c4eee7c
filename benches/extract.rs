//! Criterion benches of the extractor core, in MB/s of input text.
//!
//! `cargo bench --bench extract` (release profile). The rule pack (`rules/`) is loaded once;
//! then, per document:
//! - `extract/*`: `kgx::extract::extract`, the whole of stages 2–4 (what one worker thread of
//!   `kgx extract --formats jsonl` does per file, minus reading and JSON writing);
//! - `normalize/*`: `NormalizedText::new` alone (NFKC + line joining + offset map);
//! - `mentions/*`: `find_mentions` alone with the text scan it needs (gazetteers, pattern
//!   and extension rules, overlap resolution) on a text normalised and segmented beforehand.
//!
//! Documents: one national government work report and the Ningbo newspaper page from
//! `../shared/corpus`; when that folder is absent (a clone without shared/, CI) the same
//! kinds of document from `samples/corpus`, so the benches always compile and run.
//! Under `cargo test --all-targets` criterion runs each bench once, as a smoke test.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kgx::input::{decode_document, Document};
use kgx::normalize::NormalizedText;
use kgx::text::Segments;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// (bench name, path under ../shared/corpus, fallback path under samples/corpus)
const DOCUMENTS: [(&str, &str, &str); 2] = [
    (
        "national_report",
        "gov-work-reports/2017政府工作报告_李克强.txt",
        "reports/national-report-excerpt.md",
    ),
    (
        "ningbo_page",
        "000_9fa64ccd6be4fb5c.txt",
        "news/ningbo-daily-page.txt",
    ),
];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Loads the documents, from ../shared/corpus when present, else samples/corpus.
fn documents() -> Vec<(String, Document)> {
    let shared = repo().join("../shared/corpus");
    DOCUMENTS
        .iter()
        .map(|(name, in_shared, in_samples)| {
            let shared_path = shared.join(in_shared);
            let (path, label): (PathBuf, String) = if shared_path.is_file() {
                (shared_path, (*name).to_string())
            } else {
                (
                    repo().join("samples/corpus").join(in_samples),
                    format!("{name}_sample"),
                )
            };
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let rel = path.file_name().unwrap().to_string_lossy().into_owned();
            let doc = decode_document(&rel, &bytes)
                .unwrap_or_else(|e| panic!("cannot decode {}: {e:?}", path.display()));
            (label, doc)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let pack = kgx::rules::load_pack(&repo().join("rules"))
        .unwrap_or_else(|e| panic!("the default rule pack does not load:\n{e}"));
    let docs = documents();

    let mut group = c.benchmark_group("extract");
    // One national report takes tens of milliseconds: ten samples are plenty.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (label, doc) in &docs {
        group.throughput(Throughput::BytesDecimal(doc.text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), doc, |b, doc| {
            b.iter(|| kgx::extract::extract(&pack, black_box(doc)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("normalize");
    group.sample_size(20);
    for (label, doc) in &docs {
        group.throughput(Throughput::BytesDecimal(doc.text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), doc, |b, doc| {
            b.iter(|| NormalizedText::new(black_box(&doc.text)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("mentions");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (label, doc) in &docs {
        let norm = NormalizedText::new(&doc.text);
        let segments = Segments::new(&norm.text);
        group.throughput(Throughput::BytesDecimal(doc.text.len() as u64));
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter(|| {
                let scan = pack.scan(black_box(&norm.text));
                kgx::mentions::find_mentions(&pack, &norm, &segments, &scan)
            })
        });
    }
    group.finish();
}

criterion_group!(extract, benches);
criterion_main!(extract);
