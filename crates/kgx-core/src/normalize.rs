//! Stage 2: decoded text → NFKC-normalised text with an offset map back to the original.
//!
//! Rules (regexes and gazetteers) match the normalised text, so full-width letters, digits and
//! punctuation (（，：１２) look like their ASCII forms and `国務院`-style compatibility
//! characters fold. Every match is mapped back to char offsets in the original text, which is
//! what the JSONL contract reports.
//!
//! Each original char is normalised on its own (never composed with its neighbour), so every
//! normalised byte belongs to exactly one original char and the map is a plain lookup.
//!
//! A document written in traditional characters (遼寧省人民政府關於…, as Hong Kong, Taiwan and
//! some mirror sites publish mainland documents) is first mapped to simplified characters, one
//! char for one char, so the same rules and gazetteers read it and the offsets stay the
//! original's. Mentions still quote the original text.

use unicode_normalization::UnicodeNormalization;

/// A document's text as rules see it, with the way back to the original's char offsets.
/// Offsets into `text` are bytes; [`NormalizedText::original_span`] turns them into chars.
#[derive(Debug, Clone)]
pub struct NormalizedText {
    /// NFKC of each original char, concatenated.
    pub text: String,
    /// `origin[b]` = index (in chars) of the original char that produced normalised byte `b`.
    origin: Vec<u32>,
    /// Number of chars in the original text.
    original_chars: usize,
}

impl NormalizedText {
    /// Normalises `original` (a [`crate::input::Document::text`]): NFKC per char, full-width
    /// ASCII folded, the newlines of hard-wrapped lines dropped.
    pub fn new(original: &str) -> NormalizedText {
        let simplified;
        let original = if is_traditional(original) {
            simplified = fast2s::convert(original);
            debug_assert_eq!(simplified.chars().count(), original.chars().count());
            simplified.as_str()
        } else {
            original
        };
        let mut norm = NormalizedText {
            text: String::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len()),
            original_chars: 0,
        };
        let mut soft = dropped_chars(original).into_iter().peekable();
        // Stable chars are not pushed one by one: the run since the last char that needed work
        // is copied in one go.
        let mut run_start = (0, 0);
        for (index, (at, c)) in original.char_indices().enumerate() {
            let soft_break = soft.next_if_eq(&index).is_some();
            if !soft_break && is_nfkc_stable(c) {
                continue;
            }
            norm.copy_run(&original[run_start.0..at], run_start.1);
            run_start = (at + c.len_utf8(), index + 1);
            if soft_break {
                continue;
            }
            let before = norm.text.len();
            if let Some(folded) = fold_full_width(c) {
                norm.text.push(folded);
            } else {
                norm.text.extend(c.nfkc());
            }
            norm.origin.resize(norm.text.len(), index as u32);
            debug_assert!(norm.text.len() > before || c.nfkc().next().is_none());
        }
        norm.copy_run(&original[run_start.0..], run_start.1);
        norm.original_chars = run_start.1 + original[run_start.0..].chars().count();
        norm
    }

    /// Appends chars that NFKC leaves unchanged; `first` is the original index of the first.
    fn copy_run(&mut self, run: &str, first: usize) {
        self.text.push_str(run);
        // Every lead byte starts the next char; the run starts with one, so the index before
        // it is `first - 1` (wrapping for the text's first char, then back to 0).
        let mut index = (first as u32).wrapping_sub(1);
        self.origin.extend(run.bytes().map(|b| {
            index = index.wrapping_add(u32::from(!is_utf8_continuation(b)));
            index
        }));
    }

    /// Maps a byte range of the normalised text to a char range of the original text.
    /// The end maps through the last byte inside the range so that a match ending inside the
    /// expansion of one original char (① → 1) still covers that char.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let orig_start = self
            .origin
            .get(start)
            .map_or(self.original_chars, |&o| o as usize);
        let orig_end = if end > start {
            self.origin
                .get(end - 1)
                .map_or(self.original_chars, |&o| o as usize + 1)
        } else {
            orig_start
        };
        (orig_start, orig_end)
    }

    /// The length of the original text in chars (where a span at the end of `text` maps to).
    pub fn original_chars(&self) -> usize {
        self.original_chars
    }
}

/// The commonest chars that only traditional text uses, sorted (for `binary_search`).
const TRADITIONAL_ONLY: [char; 40] = [
    '來', '個', '們', '動', '務', '區', '問', '國', '實', '對', '從', '應', '時', '會', '條', '業',
    '機', '為', '現', '產', '當', '發', '經', '義', '與', '華', '號', '說', '質', '這', '進', '過',
    '還', '長', '門', '開', '關', '預', '體', '點',
];

/// How many chars from the start of a document decide its script.
const SCRIPT_SAMPLE_CHARS: usize = 2000;

/// Whether a document is written in traditional characters: at least one in twenty of the Han
/// chars of its opening is one of the commonest chars that only traditional text uses. Checked
/// on a sample against a short list, not the full table, because every document pays for it;
/// the 40 chars are each at least 1 in 2,000 of traditional Chinese prose, and a simplified
/// text holds none of them except in a quoted name.
fn is_traditional(text: &str) -> bool {
    let (mut han, mut traditional) = (0usize, 0usize);
    for c in text.chars().take(SCRIPT_SAMPLE_CHARS) {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            han += 1;
            traditional += usize::from(TRADITIONAL_ONLY.binary_search(&c).is_ok());
        }
    }
    han >= 20 && traditional * 20 >= han
}

/// A line wrapped at a fixed width (newspaper pages, PDF exports) reads on into the next line:
/// matching must see `《…征求意见稿⏎》` as one title. A newline is soft when its line has at
/// least this many chars, does not end a sentence or a notice's heading, and the next line is
/// not blank.
const WRAPPED_LINE_MIN_CHARS: usize = 40;

/// A long heading (中共岳阳市委办公室岳阳市人民政府办公室印发《…》的通知) ends its line even when
/// the addressees follow on the next: it ends in 的 + the kind of a notice, optionally with its
/// number in brackets, and the next line does not go on with the title's closing mark.
fn ends_heading(line: &str, next: &str) -> bool {
    const KINDS: [&str; 8] = ["通知", "意见", "决定", "批复", "函", "通报", "办法", "方案"];
    let line = line.trim_end();
    let line = match line
        .strip_suffix(')')
        .and_then(|l| l.rfind('(').map(|i| &l[..i]))
    {
        Some(before) => before,
        None => line,
    };
    let line = line
        .strip_suffix('）')
        .and_then(|l| l.rfind('（').map(|i| &l[..i]))
        .unwrap_or(line);
    let continues = next.trim_start().starts_with(['》', '〉', ')', '）', '”']);
    !continues
        && KINDS
            .iter()
            .any(|k| line.strip_suffix(k).is_some_and(|l| l.ends_with('的')))
}

/// Char indices the normalised text leaves out, ascending: soft newlines and the spaces of
/// letter-spaced names.
fn dropped_chars(original: &str) -> Vec<usize> {
    let soft = soft_line_breaks(original);
    let spaced = letter_spacing(original);
    if spaced.is_empty() {
        return soft;
    }
    let mut all = [soft, spaced].concat();
    all.sort_unstable();
    all
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{A0}')
}

/// Char indices of the spaces inside letter-spaced names. A joint notice's signature block
/// pads short names to the width of long ones (教 育 部 工业和信息化部, 自 然 资 源 部), and
/// pages space out a leader's two-char name (市长 龚 正): a space between two Han chars that
/// stand alone between spaces or line ends separates no words.
fn letter_spacing(original: &str) -> Vec<usize> {
    // The spaces are found with memchr/memmem (most texts have few, and indentation fails the
    // first test), not by decoding every char.
    let mut spaces: Vec<usize> = memchr::memchr_iter(b' ', original.as_bytes())
        .chain(memchr::memmem::find_iter(
            original.as_bytes(),
            "\u{3000}".as_bytes(),
        ))
        .chain(memchr::memmem::find_iter(
            original.as_bytes(),
            "\u{A0}".as_bytes(),
        ))
        .collect();
    spaces.sort_unstable();
    let boundary = |c: Option<char>| c.is_none_or(|c| c == '\n' || is_space(c));
    let mut out = Vec::new();
    // Char index of byte `counted_to`, advanced only to the spaces that are dropped.
    let (mut counted_to, mut chars_before) = (0usize, 0usize);
    for at in spaces {
        let space_len = original[at..].chars().next().map_or(1, char::len_utf8);
        let mut before = original[..at].chars().rev();
        let mut after = original[at + space_len..].chars();
        let (prev, prev2) = (before.next(), before.next());
        let (next, next2) = (after.next(), after.next());
        let alone = |c: Option<char>, outer: Option<char>| c.is_some_and(is_han) && boundary(outer);
        if alone(prev, prev2) && alone(next, next2) {
            chars_before += original[counted_to..at].chars().count();
            counted_to = at;
            out.push(chars_before);
        }
    }
    out
}

/// Char indices of soft newlines, ascending.
fn soft_line_breaks(original: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut index = 0usize;
    let mut lines = original.split('\n').peekable();
    while let Some(line) = lines.next() {
        let chars = line.chars().count();
        index += chars;
        if let Some(next) = lines.peek() {
            let ends_sentence = line.trim_end().chars().last().is_none_or(|c| {
                matches!(
                    c,
                    '。' | '！' | '？' | '!' | '?' | '：' | ':' | '；' | ';' | '”' | '」'
                )
            });
            if chars >= WRAPPED_LINE_MIN_CHARS
                && !ends_sentence
                && !ends_heading(line, next)
                && !next.trim().is_empty()
            {
                out.push(index);
            }
            index += 1;
        }
    }
    out
}

fn is_utf8_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Chars NFKC leaves unchanged on their own; the fast path for Han text and ASCII.
fn is_nfkc_stable(c: char) -> bool {
    let u = c as u32;
    u < 0x80 || (0x4E00..=0x9FFF).contains(&u) || matches!(c, '、' | '。' | '“' | '”' | '《' | '》')
}

/// NFKC of the full-width ASCII forms (（，：１Ａ) and the ideographic space, the
/// non-stable chars of nearly every Chinese text, without the general NFKC machinery.
fn fold_full_width(c: char) -> Option<char> {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0),
        0x3000 => Some(' '),
        _ => None,
    }
}

/// NFKC and the label clean-up of GUIDELINES.md: no whitespace, no quotation or book-title
/// marks. Used for labels, alias keys and gazetteer lookups.
pub fn label_key(s: &str) -> String {
    let keep = |c: &char| !c.is_whitespace() && !is_quote_mark(*c);
    if s.chars().all(|c| is_nfkc_stable(c) && keep(&c)) {
        // Already a key (most labels: Han and ASCII): a copy, not a char-by-char rebuild.
        return s.to_string();
    }
    if s.chars().all(is_nfkc_stable) {
        // Already NFKC, only the marks go.
        return s.chars().filter(keep).collect();
    }
    s.nfkc().filter(keep).collect()
}

/// Quotation and book-title marks stripped from labels.
pub(crate) fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '「'
            | '」'
            | '『'
            | '』'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '<'
            | '>'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `original` normalises to `normalised`, and `name` in it maps back to `as_written`.
    fn assert_normalises(original: &str, normalised: &str, name: &str, as_written: &str) {
        let n = NormalizedText::new(original);
        assert_eq!(n.text, normalised);
        let at = n.text.find(name).unwrap();
        let chars: Vec<char> = original.chars().collect();
        let (start, end) = n.original_span(at, at + name.len());
        assert_eq!(chars[start..end].iter().collect::<String>(), as_written);
    }

    #[test]
    fn traditional_text_is_read_as_simplified_with_original_offsets() {
        assert_normalises(
            "遼寧省人民政府關於進一步做好就業創業工作的實施意見。省發展改革委、省財政廳負責。",
            "辽宁省人民政府关于进一步做好就业创业工作的实施意见。省发展改革委、省财政厅负责。",
            "省财政厅",
            "省財政廳",
        );
    }

    #[test]
    fn letter_spaced_names_are_joined() {
        assert_normalises(
            "国家发展改革委 中 央 网 信 办\n教 育 部 工业和信息化部\n上海市市长 龚　正",
            "国家发展改革委 中央网信办\n教育部 工业和信息化部\n上海市市长 龚正",
            "教育部",
            "教 育 部",
        );
    }

    #[test]
    fn traditional_only_chars_are_sorted() {
        assert!(TRADITIONAL_ONLY.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn simplified_text_is_left_as_written() {
        // 於, 後, 乾 are traditional forms, and also what simplified text writes in some names
        // and in classical phrases: a simplified document keeps them.
        let original =
            "乾隆年间,位於城南,三年後建成。全国人民代表大会审议通过了国民经济和社会发展计划。";
        assert_eq!(NormalizedText::new(original).text, original);
    }

    #[test]
    fn full_width_folds_and_maps_back() {
        let original = "（ＦＣＡ）宁波２０１５";
        let n = NormalizedText::new(original);
        assert_eq!(n.text, "(FCA)宁波2015");
        let b = n.text.find("FCA").unwrap();
        assert_eq!(n.original_span(b, b + 3), (1, 4));
        let b = n.text.find("2015").unwrap();
        assert_eq!(n.original_span(b, b + 4), (7, 11));
    }

    #[test]
    fn expansion_maps_partial_match_to_whole_char() {
        // ㈱ expands to "(株)"; a match of just "株" covers the one original char.
        let n = NormalizedText::new("a㈱b");
        assert_eq!(n.text, "a(株)b");
        let b = n.text.find('株').unwrap();
        assert_eq!(n.original_span(b, b + '株'.len_utf8()), (1, 2));
        assert_eq!(n.original_span(n.text.len(), n.text.len()), (3, 3));
    }

    #[test]
    fn soft_line_breaks_are_joined() {
        let line = "一".repeat(40);
        let original = format!("{line}\n《标题》\n\n短行\n下一行");
        let n = NormalizedText::new(&original);
        assert_eq!(n.text, format!("{line}《标题》\n\n短行\n下一行"));
        let b = n.text.find('《').unwrap();
        assert_eq!(n.original_span(b, b + "《标题》".len()), (41, 45));
    }

    #[test]
    fn a_long_heading_keeps_its_line_break() {
        let heading = "中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知";
        assert!(heading.chars().count() >= WRAPPED_LINE_MIN_CHARS);
        let original =
            format!("{heading}\n各县市区委、人民政府:\n{heading}(岳办发〔2017〕2号)\n各单位:");
        assert_eq!(NormalizedText::new(&original).text, original);
        // A title wrapped right after its kind still reads on into its closing mark.
        let wrapped = format!("根据{}\n》精神", &heading[..heading.rfind('》').unwrap()]);
        assert!(!NormalizedText::new(&wrapped).text.contains('\n'));
    }

    #[test]
    fn full_width_fast_path_equals_nfkc() {
        for c in ('\u{FF01}'..='\u{FF5E}').chain(['\u{3000}']) {
            let nfkc: String = c.nfkc().collect();
            assert_eq!(fold_full_width(c).map(String::from), Some(nfkc), "{c}");
        }
    }

    #[test]
    fn label_key_strips_marks_and_space() {
        assert_eq!(label_key("《关于 “互联网＋”行动》"), "关于互联网+行动");
    }
}
