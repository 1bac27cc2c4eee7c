//! Deterministic IRIs: the same thing gets the same IRI in every document and every run.
//!
//! Entities: `{base}{class}/{code}` when a gazetteer gives a code (place/330200), else
//! `{base}{class}/{label}` with the label percent-encoded only where IRIs forbid a char (CJK
//! stays readable). An input file is three resources: the file (`{base}source/{path}`), the
//! named graph of its extraction (`{base}graph/{path}`) and the policy document it holds
//! (`{base}document/{文号, or title/issuer/date}`).

use crate::model::Class;

/// The IRI of an entity: `{base}{class segment}/{code}` when it has a code (parts split at
/// `/` are escaped one by one), else `{base}{class segment}/{label}`. `base` must end in `/`.
pub(crate) fn entity_iri(base: &str, class: Class, code: Option<&str>, label: &str) -> String {
    let key = match code {
        // A code may have parts (place/510200/1981 for a retired GB/T 2260 code).
        Some(code) => code
            .split('/')
            .map(escape_segment)
            .collect::<Vec<_>>()
            .join("/"),
        None => escape_segment(label),
    };
    format!("{base}{}/{key}", class.iri_segment())
}

/// The IRI of a document's own title entity: by its 文号 when the text gives one, else by its
/// title, issuer and date, so two provinces' 政府工作报告 (or two years of one) are two
/// Documents. A document only cited by title (《…》) keeps the label IRI of `entity_iri`.
pub(crate) fn own_document_iri(
    base: &str,
    number: Option<&str>,
    title: &str,
    issuer: Option<&str>,
    date: Option<&str>,
) -> String {
    if let Some(number) = number {
        return format!("{base}document/{}", escape_segment(number));
    }
    let mut iri = format!("{base}document/{}", escape_segment(title));
    for part in [issuer, date].into_iter().flatten() {
        iri.push('/');
        iri.push_str(&escape_segment(part));
    }
    iri
}

/// A person no gazetteer identifies, by name within a scope: the document's own place, else
/// its issuer, else its source file (`person/330000/张伟`, `person/source/a.txt/张伟`). A name is
/// not an identity: 张伟 of a Zhejiang document and 张伟 of a Hubei one are two people, while one
/// province's documents (or the national reports, scope `CN`) share theirs.
pub(crate) fn person_iri(base: &str, scope: &str, name: &str) -> String {
    format!(
        "{base}person/{}/{}",
        escape_path(scope),
        escape_segment(name)
    )
}

/// The input file itself, `{base}source/<path relative to the input root>`: the sha256 of
/// its bytes, its format and its text (the nif:Context its spans point into).
pub fn source_iri(base: &str, rel: &str) -> String {
    format!("{base}source/{}", escape_path(rel))
}

/// The named graph of what kgx extracted from one input file: `{base}graph/<path>`. It is
/// not the file ([`source_iri`]) and not the policy document the file holds (its title entity,
/// `{base}document/…`): statements about the extraction, the bytes and the document stay apart.
pub fn graph_iri(base: &str, rel: &str) -> String {
    format!("{base}graph/{}", escape_path(rel))
}

/// The graph holding every document's facts once. Outside `graph/`, so no input file's graph
/// can take its IRI.
pub fn merged_graph_iri(base: &str) -> String {
    format!("{base}merged")
}

/// A span of a source's text (RFC 5147 fragment, as NIF uses for string offsets); the whole
/// text, `#char=0,{chars}`, is the source's nif:Context.
pub fn span_iri(source_iri: &str, start: usize, end: usize) -> String {
    format!("{source_iri}#char={start},{end}")
}

fn escape_path(rel: &str) -> String {
    rel.split('/')
        .map(escape_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes what may not appear in an IRI path segment (RFC 3987 ipchar).
pub(crate) fn escape_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let forbidden = c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '<' | '>'
                    | '"'
                    | '{'
                    | '}'
                    | '|'
                    | '\\'
                    | '^'
                    | '`'
                    | '#'
                    | '?'
                    | '%'
                    | '/'
                    | '['
                    | ']'
            );
        if forbidden {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_are_readable_and_valid() {
        let base = "https://example.org/kgx/";
        assert_eq!(
            entity_iri(base, Class::Place, Some("330200"), "宁波市"),
            "https://example.org/kgx/place/330200"
        );
        let iri = entity_iri(base, Class::Program, None, "互联网+ 行动/计划");
        assert_eq!(iri, "https://example.org/kgx/program/互联网+%20行动%2F计划");
        assert_eq!(
            own_document_iri(
                base,
                None,
                "政府工作报告",
                Some("海南省人民政府"),
                Some("2026-01-27")
            ),
            "https://example.org/kgx/document/政府工作报告/海南省人民政府/2026-01-27"
        );
        assert_eq!(
            own_document_iri(base, Some("杭政办函〔2024〕12号"), "通知", None, None),
            "https://example.org/kgx/document/杭政办函〔2024〕12号"
        );
        assert_eq!(
            source_iri(base, "a b/c.txt"),
            "https://example.org/kgx/source/a%20b/c.txt"
        );
        assert_eq!(
            graph_iri(base, "a b/c.txt"),
            "https://example.org/kgx/graph/a%20b/c.txt"
        );
        assert_eq!(
            person_iri(base, "source/a b.txt", "张 伟"),
            "https://example.org/kgx/person/source/a%20b.txt/张%20伟"
        );
        // A root file named `merged` does not take the merged graph's IRI.
        assert_ne!(graph_iri(base, "merged"), merged_graph_iri(base));
    }
}
