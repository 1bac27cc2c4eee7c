//! The rule files as written, before validation. Fields that can be wrong in ways serde cannot
//! see (a regex, a class name) keep their position in the file for error messages.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub pack: Option<RawPack>,
    pub document: Option<RawDocument>,
    #[serde(default)]
    pub gazetteer: Vec<Spanned<RawGazetteer>>,
    #[serde(default)]
    pub entity: Vec<Spanned<RawEntity>>,
    #[serde(default)]
    pub relation: Vec<Spanned<RawRelation>>,
    #[serde(default)]
    pub alias: Vec<Spanned<RawPatternRule>>,
    #[serde(default)]
    pub deictic: Vec<Spanned<RawDeictic>>,
    #[serde(default)]
    pub boilerplate: Vec<Spanned<RawPatternRule>>,
    #[serde(default)]
    pub frame: Vec<Spanned<RawFrame>>,
    /// `{{NAME}}` in any regex of the pack expands to `(?:pattern)`.
    #[serde(default)]
    pub macros: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPack {
    pub name: String,
    pub version: String,
    pub base_iri: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocument {
    pub header_lines: Option<usize>,
    pub signature_lines: Option<usize>,
    pub title: Option<Spanned<String>>,
    /// A heading matching this is not the document's title (a news headline about one).
    pub not_title: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub number: Option<Spanned<String>>,
}

/// The four context constraints of a gazetteer or entity rule.
pub(crate) struct RawContext<'a> {
    pub preceded_by: &'a Option<Spanned<String>>,
    pub not_preceded_by: &'a Option<Spanned<String>>,
    pub followed_by: &'a Option<Spanned<String>>,
    pub not_followed_by: &'a Option<Spanned<String>>,
}

macro_rules! context_of {
    ($t:ty) => {
        impl $t {
            pub fn context(&self) -> RawContext<'_> {
                RawContext {
                    preceded_by: &self.preceded_by,
                    not_preceded_by: &self.not_preceded_by,
                    followed_by: &self.followed_by,
                    not_followed_by: &self.not_followed_by,
                }
            }
        }
    };
}
context_of!(RawGazetteer);
context_of!(RawEntity);

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExample {
    pub text: String,
    #[serde(default)]
    pub expect: Vec<String>,
    #[serde(default)]
    pub reject: Vec<String>,
    /// Where the text comes from (`national-report 1998`, `synthetic`, `dev d10` …).
    #[serde(default)]
    pub source: Option<String>,
    /// The file name the text is read as (for frame rules on file names).
    #[serde(default)]
    pub file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGazetteer {
    pub id: String,
    pub file: Spanned<String>,
    #[serde(default)]
    pub priority: i32,
    /// Names shorter than this many chars are not matched (one-char abbreviations need context).
    #[serde(default)]
    pub min_chars: usize,
    /// Names longer than this are not matched under this rule (a file of abbreviations).
    pub max_chars: Option<usize>,
    /// Only rows of these finer types (all rows when empty).
    #[serde(default)]
    pub types: Vec<String>,
    /// Which names of a row to match: "all" (default), "canonical" or "aliases".
    pub names: Option<Spanned<String>>,
    /// The `scope` of every row's entity (national programs: "national").
    pub scope: Option<String>,
    /// Names matching this regex are not matched under this rule.
    pub exclude: Option<Spanned<String>>,
    // Context constraints; inline, because serde's flatten loses the spans.
    pub preceded_by: Option<Spanned<String>>,
    pub not_preceded_by: Option<Spanned<String>>,
    pub followed_by: Option<Spanned<String>>,
    pub not_followed_by: Option<Spanned<String>>,
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntity {
    pub id: String,
    pub class: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub priority: i32,
    pub pattern: Spanned<String>,
    pub after: Option<Spanned<Vec<String>>>,
    /// With `after`: only after gazetteer entries of these finer types.
    #[serde(default)]
    pub after_types: Vec<String>,
    /// Like `after`, but the pattern ends right before the candidate (平安 + 宁波).
    pub before: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub before_types: Vec<String>,
    pub label: Option<String>,
    // Context constraints; inline, because serde's flatten loses the spans.
    pub preceded_by: Option<Spanned<String>>,
    pub not_preceded_by: Option<Spanned<String>>,
    pub followed_by: Option<Spanned<String>>,
    pub not_followed_by: Option<Spanned<String>>,
    #[serde(default)]
    pub stop: Vec<String>,
    pub exclude: Option<Spanned<String>>,
    /// Words at the start of a match that are not part of the name (实施 in 实施“人工智能+”行动).
    pub trim_start: Option<Spanned<String>>,
    #[serde(default)]
    pub header_only: bool,
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub(crate) enum RawSlot {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    pub subject: Spanned<RawSlot>,
    pub object: Spanned<RawSlot>,
    #[serde(default)]
    pub subject_types: Vec<String>,
    #[serde(default)]
    pub object_types: Vec<String>,
    pub default_subject: Option<Spanned<String>>,
    /// A place found as subject stands for its government (浙江省省长 → 浙江省人民政府).
    #[serde(default)]
    pub place_as_government: bool,
    /// A subject candidate right after text matching this is no subject (在全国率先推进: a
    /// locative phrase, not the actor).
    pub subject_not_preceded_by: Option<Spanned<String>>,
    /// A subject candidate right before text matching this is no subject (全国首批, 全国率先:
    /// the scope of a ranking, not the actor).
    pub subject_not_followed_by: Option<Spanned<String>>,
    pub window: Option<Spanned<String>>,
    pub trigger: Option<Spanned<String>>,
    pub order: Option<Spanned<String>>,
    pub max_gap: Option<usize>,
    pub pattern: Option<Spanned<String>>,
    pub infer: Option<Spanned<String>>,
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

/// A rule that is a pattern and nothing else: `[[alias]]`, and `[[boilerplate]]` (page
/// furniture: toolbars, 来源/编辑 lines, photo credits, whole lines that are not the text).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPatternRule {
    pub id: String,
    pub pattern: Spanned<String>,
    #[serde(default)]
    pub examples: Vec<RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeictic {
    pub forms: Vec<String>,
    pub refers_to: Spanned<String>,
    #[serde(default)]
    pub types: Vec<String>,
    pub name: Option<String>,
    /// The document's own place is meant when its name ends with one of these (全市 is
    /// 上海市, a province-level city; 全区 is 广西壮族自治区).
    #[serde(default)]
    pub own_place_suffixes: Vec<String>,
}

/// Evidence of a document's own place and date (its title line, its ——date-and-session
/// line, its speaker line, its file name), with a weight.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFrame {
    pub id: String,
    pub window: Spanned<String>,
    pub pattern: Spanned<String>,
    pub weight: u32,
    #[serde(default)]
    pub examples: Vec<RawExample>,
}
