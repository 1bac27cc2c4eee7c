//! Deterministic IRIs: the same thing gets the same IRI in every document and every run.
//!
//! Entities: `{base}{class}/{code}` when a gazetteer gives a code (place/330200), else
//! `{base}{class}/{label}` with the label percent-encoded only where IRIs forbid a char (CJK
//! stays readable). Documents: `{base}doc/{path relative to the input root}`.

use crate::model::Class;

pub fn entity_iri(base: &str, class: Class, code: Option<&str>, label: &str) -> String {
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
/// Documents. A document only cited by title (《…》) keeps the label IRI of [`entity_iri`].
pub fn own_document_iri(
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

pub fn document_iri(base: &str, rel: &str) -> String {
    let path: Vec<String> = rel.split('/').map(escape_segment).collect();
    format!("{base}doc/{}", path.join("/"))
}

/// The named graph holding one document's facts is the document's IRI itself.
pub fn mention_iri(doc_iri: &str, start: usize, end: usize) -> String {
    // RFC 5147 fragment, as NIF uses for string offsets.
    format!("{doc_iri}#char={start},{end}")
}

/// Percent-encodes what may not appear in an IRI path segment (RFC 3987 ipchar).
pub fn escape_segment(s: &str) -> String {
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
            document_iri(base, "a b/c.txt"),
            "https://example.org/kgx/doc/a%20b/c.txt"
        );
    }
}
