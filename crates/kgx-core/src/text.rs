//! Clause, sentence and line structure of a normalised text, for relation windows and context
//! constraints. Positions are byte offsets into the normalised text.

/// Ends a sentence.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | '\n')
}

/// Ends a clause (and every sentence end does too). 、 separates list items, not clauses.
fn is_clause_end(c: char) -> bool {
    is_sentence_end(c) || matches!(c, ',' | ';' | ':' | '，' | '；' | '：')
}

/// The boundaries of one normalised text, found once per document: every range is a
/// half-open pair of byte offsets into [`crate::normalize::NormalizedText::text`].
#[derive(Debug, Clone)]
pub struct Segments {
    /// Sorted byte ranges of sentences (without the terminating char).
    pub sentences: Vec<(usize, usize)>,
    /// Sorted byte ranges of clauses.
    pub clauses: Vec<(usize, usize)>,
    /// Byte ranges of the non-empty lines.
    pub lines: Vec<(usize, usize)>,
    /// Sorted, disjoint byte ranges of page furniture (toolbars, 来源 lines): no line,
    /// sentence or clause above lies inside one.
    pub boilerplate: Vec<(usize, usize)>,
}

impl Segments {
    /// One pass over the chars: every sentence end and line end is also a clause end.
    pub fn new(text: &str) -> Segments {
        let mut segments = Segments {
            sentences: Vec::new(),
            clauses: Vec::new(),
            lines: Vec::new(),
            boilerplate: Vec::new(),
        };
        let (mut sentence_start, mut clause_start, mut line_start) = (0, 0, 0);
        for (i, c) in text.char_indices() {
            if !is_clause_end(c) {
                continue;
            }
            let next = i + c.len_utf8();
            push_trimmed(text, clause_start, i, &mut segments.clauses);
            clause_start = next;
            if is_sentence_end(c) {
                push_trimmed(text, sentence_start, i, &mut segments.sentences);
                sentence_start = next;
            }
            if c == '\n' {
                push_trimmed(text, line_start, i, &mut segments.lines);
                line_start = next;
            }
        }
        push_trimmed(text, sentence_start, text.len(), &mut segments.sentences);
        push_trimmed(text, clause_start, text.len(), &mut segments.clauses);
        push_trimmed(text, line_start, text.len(), &mut segments.lines);
        segments
    }

    /// Sets aside these spans of whole lines as page furniture: their lines, sentences and
    /// clauses are dropped, so headers, signatures and relation windows skip them.
    pub(crate) fn set_boilerplate(&mut self, mut spans: Vec<(usize, usize)>) {
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let inside = |&(s, e): &(usize, usize)| {
            let i = merged.partition_point(|b| b.1 < e);
            merged.get(i).is_some_and(|b| b.0 <= s && e <= b.1)
        };
        self.lines.retain(|r| !inside(r));
        self.sentences.retain(|r| !inside(r));
        self.clauses.retain(|r| !inside(r));
        self.boilerplate = merged;
    }

    /// Whether byte `pos` is in page furniture.
    pub(crate) fn in_boilerplate(&self, pos: usize) -> bool {
        let i = self.boilerplate.partition_point(|b| b.1 <= pos);
        self.boilerplate.get(i).is_some_and(|b| b.0 <= pos)
    }

    /// The clause containing byte `pos` (a span touching a clause end belongs to the clause
    /// before it).
    pub(crate) fn clause_at(&self, pos: usize) -> (usize, usize) {
        containing(&self.clauses, pos)
    }

    /// The sentence containing byte `pos`, as [`Segments::clause_at`] does for clauses;
    /// `(pos, pos)` when none does (page furniture).
    #[cfg(test)]
    pub(crate) fn sentence_at(&self, pos: usize) -> (usize, usize) {
        containing(&self.sentences, pos)
    }

    /// The header: the first `n` non-empty lines.
    pub fn header(&self, n: usize) -> Option<(usize, usize)> {
        let lines = &self.lines[..n.min(self.lines.len())];
        Some((lines.first()?.0, lines.last()?.1))
    }

    /// The signature block: the last `n` non-empty lines.
    pub fn signature(&self, n: usize) -> Option<(usize, usize)> {
        let lines = &self.lines[self.lines.len().saturating_sub(n)..];
        Some((lines.first()?.0, lines.last()?.1))
    }
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let trimmed = piece.trim_start();
    let s = start + (piece.len() - trimmed.len());
    let e = s + trimmed.trim_end().len();
    if e > s {
        out.push((s, e));
    }
}

fn containing(ranges: &[(usize, usize)], pos: usize) -> (usize, usize) {
    let i = ranges.partition_point(|&(_, end)| end < pos);
    match ranges.get(i) {
        Some(&(s, e)) if s <= pos => (s, e),
        _ => (pos, pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_and_sentences() {
        let text = "我市实施“电商换市”,推进三网融合工程。宁波、舟山\n第二行";
        let s = Segments::new(text);
        assert_eq!(s.sentences.len(), 3);
        let p = text.find("推进").unwrap();
        let (cs, ce) = s.clause_at(p);
        assert_eq!(&text[cs..ce], "推进三网融合工程");
        let (ss, se) = s.sentence_at(p);
        assert_eq!(&text[ss..se], "我市实施“电商换市”,推进三网融合工程");
        let (hs, he) = s.header(1).unwrap();
        assert_eq!(
            &text[hs..he],
            "我市实施“电商换市”,推进三网融合工程。宁波、舟山"
        );
    }
}
