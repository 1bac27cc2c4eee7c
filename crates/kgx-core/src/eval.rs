//! Document-level scoring of extractions against a gold file.
//!
//! This module mirrors `../shared/eval/score.py`, the reference scorer that
//! ships with the annotation guidelines. Numbers reported by `kgx` must be the
//! numbers the reference prints, so the port follows the Python code rather
//! than what the guidelines might suggest, and deliberately keeps these
//! Python behaviours:
//!
//! * Names are compared after NFKC, dropping every character in the
//!   scorer's `STRIP` set and every character for which Python's
//!   `str.isspace` is true (that set includes U+001C..U+001F, which Rust's
//!   `char::is_whitespace` does not).
//! * Matching is greedy per document, in system-entity order; a system entity
//!   takes the *smallest* free gold index among its candidates, even if that
//!   candidate is optional and a required one is also free.
//! * A system entity whose candidates are all taken but all optional is
//!   neither rewarded nor punished, and its id still maps to the first
//!   candidate so relations through it can match.
//! * System relations are deduplicated on `(type, gold subject, gold
//!   object)`, *including* unmatched endpoints: two different relations of
//!   one type whose endpoints both fail to match count as a single FP.
//! * Entities or relations with a missing/null class or type are tallied but
//!   appear in no row and in no `ALL` total (score.py filters `None` keys).
//! * Classes and types outside the fixed lists are appended in sorted order;
//!   a category literally named `ALL` is replaced in place by the total, as
//!   assigning to an existing Python dict key does.
//! * Values used as names (`label`, `names`, mention `text`, gold
//!   `subject`/`object`) go through Python's `str()`, and `names`/`entities`
//!   may be any Python iterable (a string iterates its characters). Python
//!   truthiness decides `optional` and whether a key "is present".
//! * Entity ids are compared with Python's hash equality for JSON scalars
//!   (`1`, `1.0` and `true` are the same id; a missing id equals `null`).
//! * P/R/F1 are rounded to 4 decimals exactly like Python's `round` (see
//!   `py_round4`) before being printed or written as JSON; [`Prf`] itself
//!   keeps full precision.
//!
//! Deliberate deviations, all on input that score.py would not accept
//! sensibly: a class or relation type that is neither a string nor null is
//! an error (Python would use it as a dict key), and `str()` of non-string
//! names is approximated for floats and containers. Where score.py dies
//! with a traceback (wrong JSON shapes) this module returns an error naming
//! the file and line or the document. The `--docs` filter of score.py is not
//! part of this API.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

const CLASSES: [&str; 5] = ["Place", "Organization", "Program", "Document", "Person"];
const RELATIONS: [&str; 7] = [
    "issued",
    "cites",
    "proposed",
    "implements",
    "part_of",
    "located_in",
    "affiliated_with",
];
const STRIP: &[char] = &[
    ' ', '\t', '\r', '\n', '\u{3000}', '"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』', '《',
    '》', '〈', '〉', '<', '>',
];
const ENTITY: &str = "entity";
const RELATION: &str = "relation";
const ALL: &str = "ALL";

/// Counts and micro-averaged scores for one class, relation type or `ALL`.
///
/// `precision`, `recall` and `f1` are unrounded; score.py's output rounds
/// them to 4 decimals, which [`Report::render_table`] and [`Report::to_json`]
/// reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    /// True positives: items both the gold file and the system have.
    pub tp: usize,
    /// False positives: items only the system has.
    pub fp: usize,
    /// False negatives: gold items the system missed (`fn` is a keyword).
    pub fn_: usize,
    /// `tp / (tp + fp)`, 0 when the system found nothing.
    pub precision: f64,
    /// `tp / (tp + fn)`, 0 when the gold file has nothing.
    pub recall: f64,
    /// The harmonic mean of precision and recall, 0 when both are.
    pub f1: f64,
}

impl Prf {
    fn from_counts(c: Counts) -> Self {
        let ratio = |num: usize, den: usize| {
            if den == 0 {
                0.0
            } else {
                // Exact for counts below 2^53, so as correctly rounded as Python's int / int.
                num as f64 / den as f64
            }
        };
        let precision = ratio(c.tp, c.tp + c.fp);
        let recall = ratio(c.tp, c.tp + c.fn_);
        // Same association order as `2 * p * r / (p + r)` so the bits agree.
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            tp: c.tp,
            fp: c.fp,
            fn_: c.fn_,
            precision,
            recall,
            f1,
        }
    }

    /// The values score.py holds after `round(x, 4)`.
    fn rounded(&self) -> Prf {
        Prf {
            precision: py_round4(self.precision),
            recall: py_round4(self.recall),
            f1: py_round4(self.f1),
            ..*self
        }
    }
}

/// Whether a [`Miss`] is something the system found wrongly or failed to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MissKind {
    /// Found by the system, absent from the gold file (`FP`).
    FalsePositive,
    /// In the gold file, not found by the system (`FN`).
    FalseNegative,
}

impl fmt::Display for MissKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MissKind::FalsePositive => "FP",
            MissKind::FalseNegative => "FN",
        })
    }
}

/// One line of score.py's `--explain` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// The document (`doc`) the item is in.
    pub doc: String,
    /// Found wrongly or missed.
    pub kind: MissKind,
    /// `"entity"` or `"relation"`.
    pub what: &'static str,
    /// Class or relation type; `"None"` when the item had none, as Python prints it.
    pub category: String,
    /// FP entity: up to 3 of its normalised names, sorted. FN entity: up to 3
    /// gold names as written. FP relation: the system subject and object ids.
    /// FN relation: the first gold name of subject and object.
    pub names: Vec<String>,
}

/// Scores for every class and relation type, each list ending with `ALL`
/// (in score.py's order), plus the explanation lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// One row per entity class, then `ALL`.
    pub entities: Vec<(String, Prf)>,
    /// One row per relation type, then `ALL`.
    pub relations: Vec<(String, Prf)>,
    /// The `--explain` lines, in score.py's order.
    pub misses: Vec<Miss>,
    /// The same figures for each gold document alone, in gold order: what score.py prints
    /// with `--docs=<that document>`.
    pub documents: Vec<DocScore>,
}

/// One document's scores (`kgx eval --by-doc`).
#[derive(Debug, Clone, PartialEq)]
pub struct DocScore {
    /// The gold document's `doc`.
    pub doc: String,
    /// As [`Report::entities`], for this document alone.
    pub entities: Vec<(String, Prf)>,
    /// As [`Report::relations`], for this document alone.
    pub relations: Vec<(String, Prf)>,
}

/// Returned when a hand-built report lacks an `ALL` row: nothing scored.
static NOTHING: Prf = Prf {
    tp: 0,
    fp: 0,
    fn_: 0,
    precision: 0.0,
    recall: 0.0,
    f1: 0.0,
};

fn find_all(rows: &[(String, Prf)]) -> &Prf {
    rows.iter()
        .rev()
        .find(|(name, _)| name == ALL)
        .map_or(&NOTHING, |(_, prf)| prf)
}

impl Report {
    /// The micro-averaged entity scores (the `ALL` row); all zero if the report has none.
    pub fn entity_all(&self) -> &Prf {
        find_all(&self.entities)
    }

    /// The micro-averaged relation scores (the `ALL` row); all zero if the report has none.
    pub fn relation_all(&self) -> &Prf {
        find_all(&self.relations)
    }

    /// The same table score.py prints (header, rows, final summary line), byte-identical in layout.
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        self.write_table(&mut out)
            .expect("formatting into a String cannot fail");
        out
    }

    fn write_table(&self, out: &mut impl fmt::Write) -> fmt::Result {
        for (title, group) in [("entities", &self.entities), ("relations", &self.relations)] {
            writeln!(
                out,
                "{title:<16}{:>7}{:>7}{:>7}{:>6}{:>6}{:>6}",
                "P", "R", "F1", "tp", "fp", "fn"
            )?;
            for (name, prf) in group {
                // score.py formats the already rounded value with .3f; rounding
                // twice can differ from rounding once (0.00049996 -> 0.0005 -> 0.001).
                let v = prf.rounded();
                writeln!(
                    out,
                    "  {name:<14}{:>7.3}{:>7.3}{:>7.3}{:>6}{:>6}{:>6}",
                    v.precision, v.recall, v.f1, v.tp, v.fp, v.fn_
                )?;
            }
        }
        let e = self.entity_all().rounded();
        let r = self.relation_all().rounded();
        writeln!(
            out,
            "entity F1 {:.3} (P {:.3} R {:.3}); relation F1 {:.3} (P {:.3} R {:.3})",
            e.f1, e.precision, e.recall, r.f1, r.precision, r.recall
        )
    }

    /// One row per document (entity and relation P/R/F1 with counts), then the overall row.
    pub fn render_by_doc(&self) -> String {
        let width = self
            .documents
            .iter()
            .map(|d| d.doc.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        let mut out = format!(
            "{:<width$}  {:>6}{:>6}{:>6}{:>5}{:>5}{:>5}  {:>6}{:>6}{:>6}{:>5}{:>5}{:>5}\n",
            "document", "ent P", "R", "F1", "tp", "fp", "fn", "rel P", "R", "F1", "tp", "fp", "fn"
        );
        let row = |out: &mut String, name: &str, e: &Prf, r: &Prf| {
            let (e, r) = (e.rounded(), r.rounded());
            let pad = width + name.len() - name.chars().count();
            out.push_str(&format!(
                "{name:<pad$}  {:>6.3}{:>6.3}{:>6.3}{:>5}{:>5}{:>5}  {:>6.3}{:>6.3}{:>6.3}{:>5}{:>5}{:>5}\n",
                e.precision, e.recall, e.f1, e.tp, e.fp, e.fn_,
                r.precision, r.recall, r.f1, r.tp, r.fp, r.fn_
            ));
        };
        for d in &self.documents {
            row(
                &mut out,
                &d.doc,
                find_all(&d.entities),
                find_all(&d.relations),
            );
        }
        row(&mut out, ALL, self.entity_all(), self.relation_all());
        out
    }

    /// [`Report::to_json`] plus `"documents": {doc: {"entities": …, "relations": …}}`.
    pub fn to_json_by_doc(&self) -> Value {
        let mut all = self.to_json();
        let documents: Map<String, Value> = self
            .documents
            .iter()
            .map(|d| {
                let json = serde_json::json!({
                    "entities": group_json(&d.entities),
                    "relations": group_json(&d.relations),
                });
                (d.doc.clone(), json)
            })
            .collect();
        if let Value::Object(map) = &mut all {
            map.insert("documents".to_string(), Value::Object(documents));
        }
        all
    }

    /// score.py --explain lines: doc \t FP|FN \t entity|relation \t category \t names
    /// (names joined with ", " instead of Python's list repr).
    pub fn render_explain(&self) -> String {
        self.misses
            .iter()
            .map(|m| {
                format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    m.doc,
                    m.kind,
                    m.what,
                    m.category,
                    m.names.join(", ")
                )
            })
            .collect()
    }

    /// JSON like score.py --json: `{"entities": {class: {tp, fp, fn, p, r, f1}, ..., "ALL": ...},
    /// "relations": {...}}` with p/r/f1 rounded to 4 decimals. Key order follows
    /// serde_json's map (sorted unless its `preserve_order` feature is on).
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "entities": group_json(&self.entities),
            "relations": group_json(&self.relations),
        })
    }
}

fn group_json(rows: &[(String, Prf)]) -> Value {
    let map: Map<String, Value> = rows
        .iter()
        .map(|(name, prf)| {
            let v = prf.rounded();
            let row = serde_json::json!({
                "tp": v.tp, "fp": v.fp, "fn": v.fn_,
                "p": v.precision, "r": v.recall, "f1": v.f1,
            });
            (name.clone(), row)
        })
        .collect();
    Value::Object(map)
}

/// Scores a system JSONL file against a gold JSONL file, as `score.py GOLD SYSTEM` does.
///
/// # Errors
///
/// A file that cannot be read, a line that is not a JSON object with a
/// `doc` (reported as `file:line`), or a document whose shape score.py would
/// reject, such as a gold relation naming no gold entity (reported with the
/// document name).
pub fn score_files(gold: &Path, system: &Path) -> Result<Report> {
    score_files_of(gold, system, None)
}

/// As [`score_files`], scoring only the gold documents named in `only` (file names, as
/// score.py's `--docs=a.txt,b.txt`).
///
/// # Errors
///
/// As [`score_files`].
pub fn score_files_of(gold: &Path, system: &Path, only: Option<&[String]>) -> Result<Report> {
    let gold = Docs::read(gold)?;
    let system = Docs::read(system)?;
    score_docs(&gold, &system, only)
}

/// Scores already parsed JSONL rows (one value per line); errors name
/// `gold:N` / `system:N` with N the 1-based row.
///
/// # Errors
///
/// As [`score_files`].
pub fn score(gold: &[Value], system: &[Value]) -> Result<Report> {
    let gold = Docs::from_rows("gold", gold)?;
    let system = Docs::from_rows("system", system)?;
    score_docs(&gold, &system, None)
}

/// Python's `round(x, 4)` for the finite values a ratio can take.
///
/// Python rounds the exact binary value half-to-even (via dtoa) and reads the
/// decimal back; Rust's `{:.4}` also formats the exact binary value with
/// ties to even, so formatting and parsing back gives the same double.
/// Checked against Python for every p, r and f1 with counts below 40.
fn py_round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

/// Python's `str.isspace`.
fn py_isspace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{1f}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// score.py's `norm`: NFKC, then no whitespace, quotes or title marks.
fn norm(name: &str) -> String {
    name.nfkc()
        .filter(|c| !STRIP.contains(c) && !py_isspace(*c))
        .collect()
}

fn norm_value(v: &Value) -> String {
    norm(&py_str(v))
}

/// Python truthiness of a JSON value.
fn py_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn truthy(v: Option<&Value>) -> bool {
    v.is_some_and(py_truthy)
}

fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// The items Python's `for x in v` yields: list elements, a string's
/// characters or a dict's keys.
fn py_iter<'a>(v: &'a Value, what: &str) -> Result<Cow<'a, [Value]>> {
    Ok(match v {
        Value::Array(items) => Cow::Borrowed(items.as_slice()),
        Value::String(s) => Cow::Owned(s.chars().map(|c| Value::String(c.into())).collect()),
        Value::Object(o) => Cow::Owned(o.keys().map(|k| Value::String(k.clone())).collect()),
        other => bail!("{what}: '{}' object is not iterable", py_type(other)),
    })
}

/// `obj.get(key, [])` iterated: a missing key is empty, a null one is an error.
fn iter_key<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<Cow<'a, [Value]>> {
    match obj.get(key) {
        None => Ok(Cow::Borrowed(&[])),
        Some(v) => py_iter(v, key),
    }
}

/// Python's `str(v)` for a JSON value.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

fn py_str_opt(v: Option<&Value>) -> String {
    v.map_or_else(|| "None".to_owned(), py_str)
}

/// Python's `repr(v)`; string escaping covers ASCII controls only.
fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => py_float_repr(f),
            _ => n.to_string(),
        },
        Value::String(s) => {
            let quote = if s.contains('\'') && !s.contains('"') {
                '"'
            } else {
                '\''
            };
            let mut out = String::with_capacity(s.len() + 2);
            out.push(quote);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if (c as u32) < 0x20 || c == '\u{7f}' => {
                        let _ = write!(out, "\\x{:02x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push(quote);
            out
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(o) => {
            let inner: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(&Value::String(k.clone())), py_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// Python's float repr: Rust's `{:?}` picks the same digits and the same
/// switch to exponent notation (below 1e-4, from 1e16); only the exponent
/// is spelled differently (`1e20` vs `1e+20`, `1e-7` vs `1e-07`).
fn py_float_repr(f: f64) -> String {
    let s = format!("{f:?}");
    match s.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = exp.strip_prefix('-').map_or(('+', exp), |d| ('-', d));
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// A class or relation type: score.py uses the raw value as a dict key;
/// we accept the two shapes that make sense (a string, or missing/null = None).
fn category(v: Option<&Value>, what: &str) -> Result<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => bail!("{what} must be a string or null, got {other}"),
    }
}

fn category_name(c: &Option<String>) -> String {
    c.clone().unwrap_or_else(|| "None".to_owned())
}

fn as_object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| anyhow!("{what} is not a JSON object: {v}"))
}

/// A system entity id as a Python dict key: JSON scalars compare by value
/// across int/float/bool, and an absent id is the same key as `null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum IdKey {
    None,
    Str(String),
    Num(u64),
}

fn id_key(v: Option<&Value>) -> Result<IdKey> {
    let num = |f: f64| {
        // -0.0 == 0.0 in Python, so both must hash alike.
        IdKey::Num(if f == 0.0 { 0 } else { f.to_bits() })
    };
    Ok(match v {
        None | Some(Value::Null) => IdKey::None,
        Some(Value::String(s)) => IdKey::Str(s.clone()),
        Some(Value::Bool(b)) => num(if *b { 1.0 } else { 0.0 }),
        Some(Value::Number(n)) => num(n.as_f64().unwrap_or(f64::NAN)),
        Some(other) => bail!("unhashable entity id {other}"),
    })
}

/// Everything the input says about one document (repeated lines merged).
#[derive(Debug, Default)]
struct DocRows {
    entities: Vec<Value>,
    relations: Vec<Value>,
}

/// Documents in first-seen order, keyed by file name.
#[derive(Debug, Default)]
struct Docs {
    order: Vec<(String, DocRows)>,
    index: HashMap<String, usize>,
}

impl Docs {
    fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut docs = Docs::default();
        for (n, line) in universal_lines(&text).enumerate() {
            let at = || format!("{}:{}", path.display(), n + 1);
            let line = line.trim_matches(py_isspace);
            if line.is_empty() {
                continue;
            }
            let row: Value =
                serde_json::from_str(line).with_context(|| format!("{}: not JSON", at()))?;
            docs.add(&row).with_context(at)?;
        }
        Ok(docs)
    }

    fn from_rows(source: &str, rows: &[Value]) -> Result<Self> {
        let mut docs = Docs::default();
        for (n, row) in rows.iter().enumerate() {
            docs.add(row)
                .with_context(|| format!("{source}:{}", n + 1))?;
        }
        Ok(docs)
    }

    fn add(&mut self, row: &Value) -> Result<()> {
        let row = as_object(row, "line")?;
        if !truthy(row.get("doc")) {
            bail!("no 'doc'");
        }
        let Some(doc) = row.get("doc").and_then(Value::as_str) else {
            bail!("'doc' is not a string");
        };
        // Systems may write paths; gold uses bare file names.
        let doc = doc.rsplit_once('/').map_or(doc, |(_, name)| name);
        let entities = iter_key(row, "entities")?;
        let relations = iter_key(row, "relations")?;
        let i = match self.index.get(doc) {
            Some(&i) => i,
            None => {
                self.index.insert(doc.to_owned(), self.order.len());
                self.order.push((doc.to_owned(), DocRows::default()));
                self.order.len() - 1
            }
        };
        let slot = &mut self.order[i].1;
        slot.entities.extend(entities.iter().cloned());
        slot.relations.extend(relations.iter().cloned());
        Ok(())
    }

    fn get(&self, doc: &str) -> Option<&DocRows> {
        self.index.get(doc).map(|&i| &self.order[i].1)
    }
}

/// Lines as Python's text mode yields them: `\n`, `\r\n` and a lone `\r` all
/// end a line, which matters for the line numbers in error messages.
fn universal_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

/// Counts keyed by (entity|relation, class or type). A key exists only once
/// something was counted for it, as with score.py's defaultdicts, which is
/// what decides whether an unknown class gets a row.
#[derive(Debug, Default)]
struct Tally {
    counts: HashMap<(&'static str, Option<String>), Counts>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        for (key, c) in &other.counts {
            let mine = self.counts.entry(key.clone()).or_default();
            mine.tp += c.tp;
            mine.fp += c.fp;
            mine.fn_ += c.fn_;
        }
    }

    fn bump(&mut self, what: &'static str, cat: &Option<String>, f: impl FnOnce(&mut Counts)) {
        f(self.counts.entry((what, cat.clone())).or_default());
    }

    fn get(&self, what: &'static str, cat: &str) -> Counts {
        self.counts
            .get(&(what, Some(cat.to_owned())))
            .copied()
            .unwrap_or_default()
    }

    /// One output group: the fixed list, then unknown categories sorted, then ALL.
    fn group(&self, what: &'static str, fixed: &[&str]) -> Vec<(String, Prf)> {
        let extras: BTreeSet<&str> = self
            .counts
            .keys()
            .filter(|(w, _)| *w == what)
            .filter_map(|(_, cat)| cat.as_deref())
            .filter(|cat| !fixed.contains(cat))
            .collect();
        let mut total = Counts::default();
        let mut rows: Vec<(String, Prf)> = fixed
            .iter()
            .copied()
            .chain(extras)
            .map(|cat| {
                let c = self.get(what, cat);
                total.tp += c.tp;
                total.fp += c.fp;
                total.fn_ += c.fn_;
                (cat.to_owned(), Prf::from_counts(c))
            })
            .collect();
        let all = Prf::from_counts(total);
        match rows.iter_mut().find(|(name, _)| name == ALL) {
            Some(row) => row.1 = all,
            None => rows.push((ALL.to_owned(), all)),
        }
        rows
    }
}

fn score_docs(gold: &Docs, system: &Docs, only: Option<&[String]>) -> Result<Report> {
    let mut tally = Tally::default();
    let mut misses = Vec::new();
    let mut documents = Vec::new();
    let nothing = DocRows::default();
    for (doc, g) in &gold.order {
        if only.is_some_and(|names| !names.iter().any(|n| n == doc)) {
            continue;
        }
        let s = system.get(doc).unwrap_or(&nothing);
        let mut one = Tally::default();
        score_doc(doc, g, s, &mut one, &mut misses).with_context(|| format!("document {doc}"))?;
        documents.push(DocScore {
            doc: doc.to_string(),
            entities: one.group(ENTITY, &CLASSES),
            relations: one.group(RELATION, &RELATIONS),
        });
        tally.add(&one);
    }
    Ok(Report {
        entities: tally.group(ENTITY, &CLASSES),
        relations: tally.group(RELATION, &RELATIONS),
        misses,
        documents,
    })
}

struct GoldEntity<'a> {
    class: Option<String>,
    names: Cow<'a, [Value]>,
    normalized: HashSet<String>,
    optional: bool,
}

impl<'a> GoldEntity<'a> {
    fn parse(v: &'a Value) -> Result<Self> {
        let obj = as_object(v, "gold entity")?;
        let names = iter_key(obj, "names")?;
        // Unlike system names, an empty normalised gold name is kept, as in score.py.
        let normalized = names.iter().map(norm_value).collect();
        Ok(GoldEntity {
            class: category(obj.get("class"), "gold entity class")?,
            names,
            normalized,
            optional: truthy(obj.get("optional")),
        })
    }

    fn first_name(&self) -> String {
        self.names.first().map(py_str).unwrap_or_default()
    }
}

/// score.py's `system_names`: label, name, names (or aliases), mention texts.
fn system_names(ent: &Map<String, Value>) -> Result<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for key in ["label", "name"] {
        if let Some(v) = ent.get(key).filter(|v| py_truthy(v)) {
            names.insert(norm_value(v));
        }
    }
    // `ent.get("names", []) or ent.get("aliases", []) or []`
    let listed = ["names", "aliases"]
        .into_iter()
        .find_map(|key| ent.get(key).filter(|v| py_truthy(v)).map(|v| (key, v)));
    if let Some((key, v)) = listed {
        names.extend(py_iter(v, key)?.iter().map(norm_value));
    }
    if let Some(mentions) = ent.get("mentions").filter(|v| py_truthy(v)) {
        for m in py_iter(mentions, "mentions")?.iter() {
            if let Some(text) = m.get("text").filter(|t| py_truthy(t)) {
                names.insert(norm_value(text));
            }
        }
    }
    names.remove("");
    Ok(names)
}

type GoldRelKey = (Option<String>, usize, usize);
type SysRelKey = (Option<String>, Option<usize>, Option<usize>);

/// Where one document's counts and explanation lines go.
struct DocTally<'a> {
    doc: &'a str,
    tally: &'a mut Tally,
    misses: &'a mut Vec<Miss>,
}

impl DocTally<'_> {
    fn hit(&mut self, what: &'static str, category: &Option<String>) {
        self.tally.bump(what, category, |c| c.tp += 1);
    }

    /// Every FP and FN is both counted and explained.
    fn miss(
        &mut self,
        kind: MissKind,
        what: &'static str,
        category: &Option<String>,
        names: Vec<String>,
    ) {
        self.tally.bump(what, category, |c| match kind {
            MissKind::FalsePositive => c.fp += 1,
            MissKind::FalseNegative => c.fn_ += 1,
        });
        self.misses.push(Miss {
            doc: self.doc.to_owned(),
            kind,
            what,
            category: category_name(category),
            names,
        });
    }
}

/// score.py's `score_doc`.
fn score_doc(
    doc: &str,
    gold: &DocRows,
    system: &DocRows,
    tally: &mut Tally,
    misses: &mut Vec<Miss>,
) -> Result<()> {
    let gents: Vec<GoldEntity> = gold
        .entities
        .iter()
        .map(GoldEntity::parse)
        .collect::<Result<_>>()?;
    let mut out = DocTally { doc, tally, misses };
    let sys_to_gold = match_entities(&gents, &system.entities, &mut out)?;
    score_relations(
        &gents,
        &gold.relations,
        &system.relations,
        &sys_to_gold,
        &mut out,
    )
}

/// Greedy matching in system order; returns system id -> gold index.
fn match_entities(
    gents: &[GoldEntity],
    system: &[Value],
    out: &mut DocTally,
) -> Result<HashMap<IdKey, usize>> {
    // class -> normalised name -> gold indices, ascending.
    let mut by_name: HashMap<&Option<String>, HashMap<&str, Vec<usize>>> = HashMap::new();
    for (i, g) in gents.iter().enumerate() {
        let names = by_name.entry(&g.class).or_default();
        for n in &g.normalized {
            names.entry(n.as_str()).or_default().push(i);
        }
    }

    let mut taken = vec![false; gents.len()];
    let mut sys_to_gold = HashMap::new();
    for ent in system {
        let ent = as_object(ent, "system entity")?;
        let cls = category(ent.get("class"), "system entity class")?;
        let names = system_names(ent)?;
        let cands: BTreeSet<usize> = by_name
            .get(&cls)
            .map(|index| {
                names
                    .iter()
                    .filter_map(|n| index.get(n.as_str()))
                    .flatten()
                    .copied()
                    .collect()
            })
            .unwrap_or_default();
        // The smallest free index wins even when it is optional and a required
        // candidate is also free: that is what score.py does.
        if let Some(&i) = cands.iter().find(|&&i| !taken[i]) {
            taken[i] = true;
            sys_to_gold.insert(id_key(ent.get("id"))?, i);
            if !gents[i].optional {
                out.hit(ENTITY, &cls);
            }
        } else if let Some(&first) = cands
            .first()
            .filter(|_| cands.iter().all(|&i| gents[i].optional))
        {
            // Another node for an optional thing: neither rewarded nor punished,
            // and relations through it may still match.
            sys_to_gold.insert(id_key(ent.get("id"))?, first);
        } else {
            let shown = names.into_iter().take(3).collect();
            out.miss(MissKind::FalsePositive, ENTITY, &cls, shown);
        }
    }
    for (g, &was_taken) in gents.iter().zip(&taken) {
        if !was_taken && !g.optional {
            let shown = g.names.iter().take(3).map(py_str).collect();
            out.miss(MissKind::FalseNegative, ENTITY, &g.class, shown);
        }
    }
    Ok(sys_to_gold)
}

fn score_relations(
    gents: &[GoldEntity],
    gold: &[Value],
    system: &[Value],
    sys_to_gold: &HashMap<IdKey, usize>,
    out: &mut DocTally,
) -> Result<()> {
    // Relation endpoints resolve to the first gold entity of any class with that name.
    let gold_index = |name: &Value| {
        let n = norm_value(name);
        gents.iter().position(|g| g.normalized.contains(&n))
    };
    // Gold relations in first-seen order; a duplicate stays optional only if every copy is.
    let mut gset: Vec<(GoldRelKey, bool)> = Vec::new();
    let mut gpos: HashMap<GoldRelKey, usize> = HashMap::new();
    for r in gold {
        let obj = as_object(r, "gold relation")?;
        let field = |key: &str| {
            obj.get(key)
                .ok_or_else(|| anyhow!("gold relation has no '{key}': {r}"))
        };
        let (Some(s), Some(o)) = (gold_index(field("subject")?), gold_index(field("object")?))
        else {
            bail!("gold relation names an unknown entity: {r}");
        };
        let key = (category(Some(field("type")?), "gold relation type")?, s, o);
        let optional = truthy(obj.get("optional"));
        match gpos.get(&key) {
            Some(&p) => gset[p].1 &= optional,
            None => {
                gpos.insert(key.clone(), gset.len());
                gset.push((key, optional));
            }
        }
    }

    // Keys include unmatched endpoints (None), so repeated FPs count once too.
    let mut seen: HashSet<SysRelKey> = HashSet::new();
    for r in system {
        let obj = as_object(r, "system relation")?;
        let t = category(obj.get("type"), "system relation type")?;
        let endpoint = |key: &str| -> Result<Option<usize>> {
            Ok(sys_to_gold.get(&id_key(obj.get(key))?).copied())
        };
        let (s, o) = (endpoint("subject")?, endpoint("object")?);
        if !seen.insert((t.clone(), s, o)) {
            continue;
        }
        let gold_pos = match (s, o) {
            (Some(s), Some(o)) => gpos.get(&(t.clone(), s, o)).copied(),
            _ => None,
        };
        match gold_pos {
            Some(p) if gset[p].1 => {} // optional: neither rewarded nor punished
            Some(_) => out.hit(RELATION, &t),
            None => {
                let shown = vec![
                    py_str_opt(obj.get("subject")),
                    py_str_opt(obj.get("object")),
                ];
                out.miss(MissKind::FalsePositive, RELATION, &t, shown);
            }
        }
    }
    for ((t, s, o), optional) in &gset {
        if !optional && !seen.contains(&(t.clone(), Some(*s), Some(*o))) {
            let shown = vec![gents[*s].first_name(), gents[*o].first_name()];
            out.miss(MissKind::FalseNegative, RELATION, t, shown);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_matches_python() {
        assert_eq!(norm("《 宁波市 》"), "宁波市");
        assert_eq!(norm("“互联网＋”"), "互联网+");
        assert_eq!(norm("５Ｇ\u{1c}網"), "5G網");
        assert_eq!(norm("\u{3000}张\u{a0}三\t"), "张三");
    }

    #[test]
    fn py_str_of_non_strings() {
        assert_eq!(py_str(&serde_json::json!(null)), "None");
        assert_eq!(py_str(&serde_json::json!(1e20)), "1e+20");
        assert_eq!(py_str(&serde_json::json!(1.5e-7)), "1.5e-07");
        assert_eq!(py_str(&serde_json::json!(2.0)), "2.0");
        assert_eq!(py_str(&serde_json::json!(["a", 1, true])), "['a', 1, True]");
    }

    #[test]
    fn round_like_python() {
        assert_eq!(py_round4(0.03125), 0.0312);
        assert_eq!(py_round4(2.0 / 3.0), 0.6667);
    }

    #[test]
    fn score_values_and_error_location() {
        let gold = [serde_json::json!({"doc": "a.txt", "entities": [
            {"class": "Place", "names": ["中国"], "optional": true},
            {"class": "Place", "names": ["宁波"]}]})];
        let system = [serde_json::json!({"doc": "x/a.txt", "entities": [
            {"id": 1, "class": "Place", "label": "中国"},
            {"id": 2, "class": "Place", "label": "中国"}]})];
        let report = score(&gold, &system).expect("valid input");
        let all = report.entity_all();
        // Both 中国 nodes hit an optional entity: no tp, no fp; 宁波 is missed.
        assert_eq!((all.tp, all.fp, all.fn_), (0, 0, 1));

        let bad = [system[0].clone(), serde_json::json!({"entities": []})];
        let err = score(&gold, &bad).expect_err("second row has no doc");
        assert_eq!(format!("{err:#}"), "system:2: no 'doc'");
    }

    #[test]
    fn universal_newlines() {
        let lines: Vec<&str> = universal_lines("a\r\nb\rc\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
    }
}
