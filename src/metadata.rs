//! `kgx extract --metadata FILE.csv`: what a user knows about some documents — their own
//! place, issuer, date or title — given as a CSV table, overriding what kgx reads from each
//! document's frame. A row names its document by its path as kgx reports it (`doc` in
//! extractions.jsonl) or by its file name.

use crate::model::DocMetadata;
use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

const COLUMNS: [&str; 5] = ["doc", "place", "issuer", "date", "title"];

/// The table of `--metadata`, read by [`read`]: one [`DocMetadata`] per document named.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    by_doc: HashMap<String, DocMetadata>,
    /// sha256 of the file: a changed table re-extracts every document (see `pack_hash`).
    pub digest: String,
}

impl Metadata {
    /// The row for a document, by its path or else by its file name.
    pub fn get(&self, rel: &str) -> Option<&DocMetadata> {
        self.by_doc.get(rel).or_else(|| {
            let name = rel.rsplit(['/', '\\']).next()?;
            self.by_doc.get(name)
        })
    }

    /// The cache key of a run with this table: the rule pack's hash and the table's.
    pub fn pack_hash(&self, pack_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(pack_hash.as_bytes());
        h.update(self.digest.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Reads the table; errors name the file, line and column and say what to write instead.
pub fn read(path: &Path) -> Result<Metadata> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let at = |line: u64, column: usize| format!("{}:{line}:{column}", path.display());
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let header = reader
        .headers()
        .with_context(|| format!("{}: not a CSV table", at(1, 1)))?
        .clone();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let Some(&known) = COLUMNS.iter().find(|&&c| c == name) else {
            bail!(
                "{}: unknown column `{name}`; the columns are {} (doc and any of the others)",
                at(1, i + 1),
                COLUMNS.join(", ")
            );
        };
        index.insert(known, i);
    }
    let Some(&doc_column) = index.get("doc") else {
        bail!(
            "{}: no `doc` column; the first line is the header, e.g. doc,place,date",
            at(1, 1)
        );
    };
    let mut by_doc = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow::anyhow!(
                "{}: {e}; every row needs as many fields as the header",
                at(line, 1)
            )
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let field = |name: &str| {
            index
                .get(name)
                .and_then(|&i| row.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let doc = row.get(doc_column).unwrap_or_default().to_string();
        if doc.is_empty() {
            bail!(
                "{}: empty `doc`; name the document by its path or file name",
                at(line, doc_column + 1)
            );
        }
        let date = field("date");
        if let Some(d) = &date {
            if !is_date(d) {
                let column = index.get("date").map_or(1, |&i| i + 1);
                bail!(
                    "{}: date `{d}` is not YYYY, YYYY-MM or YYYY-MM-DD",
                    at(line, column)
                );
            }
        }
        let meta = DocMetadata {
            place: field("place"),
            issuer: field("issuer"),
            date,
            title: field("title"),
        };
        if by_doc.insert(doc.clone(), meta).is_some() {
            bail!(
                "{}: a second row for `{doc}`; keep one row per document",
                at(line, doc_column + 1)
            );
        }
    }
    Ok(Metadata {
        by_doc,
        digest: crate::input::sha256_hex(&bytes),
    })
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize, range: std::ops::RangeInclusive<u32>| {
        p.len() == len && p.parse::<u32>().is_ok_and(|n| range.contains(&n))
    };
    match parts.as_slice() {
        [y] => number(y, 4, 1000..=2999),
        [y, m] => number(y, 4, 1000..=2999) && number(m, 2, 1..=12),
        [y, m, d] => number(y, 4, 1000..=2999) && number(m, 2, 1..=12) && number(d, 2, 1..=31),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Result<Metadata> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("meta.csv");
        std::fs::write(&path, text)?;
        read(&path).map_err(|e| {
            anyhow::anyhow!(
                "{}",
                e.to_string()
                    .replace(&dir.path().display().to_string(), "DIR")
            )
        })
    }

    #[test]
    fn rows_by_path_or_file_name() {
        let m = table("doc,place,date\nreports/hb.txt,湖北省,2026-01-27\nsc.txt,,2026\n").unwrap();
        let hb = m.get("reports/hb.txt").unwrap();
        assert_eq!(
            (
                hb.place.as_deref(),
                hb.date.as_deref(),
                hb.issuer.as_deref()
            ),
            (Some("湖北省"), Some("2026-01-27"), None)
        );
        let sc = m.get("provinces/sc.txt").unwrap();
        assert_eq!(
            (sc.place.as_deref(), sc.date.as_deref()),
            (None, Some("2026"))
        );
        assert!(m.get("other.txt").is_none());
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = table("doc,date\na.txt,2026/1/2\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "DIR/meta.csv:2:2: date `2026/1/2` is not YYYY, YYYY-MM or YYYY-MM-DD"
        );
        let e = table("doc,province\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "DIR/meta.csv:1:2: unknown column `province`; the columns are doc, place, issuer, date, title (doc and any of the others)"
        );
        let e = table("doc,place\na.txt,x\na.txt,y\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "DIR/meta.csv:3:1: a second row for `a.txt`; keep one row per document"
        );
    }
}
