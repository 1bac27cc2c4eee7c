//! The rule language: TOML files and TSV gazetteers under `rules/`, loaded into a [`RulePack`].
//!
//! Every `*.toml` under the rules folder is read in path order; each may hold `[pack]`,
//! `[document]`, `[[gazetteer]]`, `[[entity]]`, `[[relation]]`, `[[alias]]` and `[[deictic]]`
//! tables. The whole pack is checked before anything runs: one error anywhere and the pack is
//! refused, never half applied. See `rules/README.md` for the language reference.

mod anchors;
mod deictic;
mod gazetteer;
mod load;
mod raw;
mod scan;

pub use anchors::{AnchorPlan, PatternSearch, RuleAnchors};
pub use deictic::{DeicticForms, DeicticHit};
pub use gazetteer::{GazEntry, GazHit, Gazetteer};
pub use load::{load_pack, RuleError, RuleErrors};
pub use scan::{TextScan, TextScanner};

use crate::model::{Class, RelationType};
use regex::Regex;

/// Everything a run needs to know about the rules, compiled and validated.
#[derive(Debug)]
pub struct RulePack {
    pub name: String,
    pub version: String,
    /// sha256 over every rule file's path and bytes: part of the incremental-run cache key.
    pub hash: String,
    pub base_iri: String,
    pub document: DocumentSettings,
    /// Every rule with an id, in load order; mentions and relations refer to rules by index.
    pub rules: Vec<RuleInfo>,
    pub gazetteer: Gazetteer,
    pub entity_rules: Vec<EntityRule>,
    pub relation_rules: Vec<RelationRule>,
    pub alias_rules: Vec<AliasRule>,
    pub deictics: Vec<Deictic>,
    /// Page furniture lines, in load order.
    pub boilerplate_rules: Vec<BoilerplateRule>,
    /// All of `boilerplate_rules` as one alternation: one search finds every candidate line,
    /// the rules are then tried on it alone.
    pub boilerplate_any: Option<Regex>,
    /// Evidence of the document's own place and date, in load order.
    pub frame_rules: Vec<FrameRule>,
    /// Which deictic each of the forms of all `deictics` belongs to.
    pub deictic_forms: DeicticForms,
    /// The literals every match of an entity pattern or relation regex contains, for
    /// searching only near them.
    pub anchors: RuleAnchors,
    /// Gazetteer surfaces, deictic forms and anchors, found in one pass over a text.
    pub scanner: TextScanner,
}

impl RulePack {
    /// Every gazetteer surface, deictic form and rule anchor in `text`, found in one pass.
    pub fn scan(&self, text: &str) -> TextScan {
        self.scanner.scan(text, &self.deictic_forms, &self.anchors)
    }
}

/// Where a rule was defined, for `kgx explain`, `kgx rules test` and error messages.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub file: String,
    pub line: usize,
    pub priority: i32,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    /// Labels (or `type:subject>object` for relation rules) that must be produced by this rule.
    pub expect: Vec<String>,
    /// Labels that must not be produced by this rule.
    pub reject: Vec<String>,
    /// Where the text comes from; `kgx rules test` wants two sources per rule.
    pub source: Option<String>,
    /// The file name the text is read as (example.txt when not given).
    pub file: Option<String>,
}

/// Settings for the parts of a document kgx treats specially: its heading and signature.
#[derive(Debug, Clone)]
pub struct DocumentSettings {
    /// Lines from the top that form the header (title, date line, author line).
    pub header_lines: usize,
    /// Non-empty lines from the bottom that form the signature block.
    pub signature_lines: usize,
    /// A header line matching this is the document's own title (a Document entity).
    pub title: Option<Regex>,
    /// A heading matching this is refused as the title.
    pub not_title: Option<Regex>,
    /// First capture group (or whole match) of this, searched in the header and the signature,
    /// is the document's date (normalised to YYYY-MM-DD).
    pub date: Option<Regex>,
    /// A document number (文号) in the header; it becomes the `code` of the document's own
    /// title entity, or of the document a notice issues.
    pub number: Option<Regex>,
}

/// Context constraints: regexes checked against the text of the same clause just before and
/// just after the candidate span.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub preceded_by: Option<Regex>,
    pub not_preceded_by: Option<Regex>,
    pub followed_by: Option<Regex>,
    pub not_followed_by: Option<Regex>,
}

impl Context {
    /// `before` is the clause text up to the span, `after` the clause text after it.
    pub fn allows(&self, before: &str, after: &str) -> bool {
        self.preceded_by.as_ref().is_none_or(|r| r.is_match(before))
            && self
                .not_preceded_by
                .as_ref()
                .is_none_or(|r| !r.is_match(before))
            && self.followed_by.as_ref().is_none_or(|r| r.is_match(after))
            && self
                .not_followed_by
                .as_ref()
                .is_none_or(|r| !r.is_match(after))
    }

    pub fn is_empty(&self) -> bool {
        self.preceded_by.is_none()
            && self.not_preceded_by.is_none()
            && self.followed_by.is_none()
            && self.not_followed_by.is_none()
    }
}

#[derive(Debug)]
pub enum EntityMatcher {
    /// Anywhere in the text.
    Pattern(Regex),
    /// Anchored right after (or, with `side` Before, right before) a gazetteer candidate of
    /// one of these classes; the entity spans the candidate and the match (宁波市 +
    /// 发展和改革委员会, 平安 + 宁波).
    Extends {
        base: Vec<Class>,
        base_types: Vec<String>,
        side: Side,
        regex: Regex,
    },
}

/// Which side of its base candidate an extension rule's pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    After,
    Before,
}

#[derive(Debug)]
pub struct EntityRule {
    pub rule: usize,
    pub class: Class,
    pub kind: String,
    pub matcher: EntityMatcher,
    /// Label template over named groups, `{ent}` by default.
    pub label: Option<String>,
    pub context: Context,
    /// Labels (after clean-up) this rule never produces: generic phrases.
    pub stop: Vec<String>,
    /// Labels matching this are dropped (generic openings like 重大…, 我们…).
    pub exclude: Option<Regex>,
    /// Anchored at the start: what it matches at the start of a pattern match is cut off the
    /// mention and its label (a verb of implementing the pattern had to include).
    pub trim_start: Option<Regex>,
    /// Only in the document's header (its title lines).
    pub header_only: bool,
}

/// Who fills a relation slot.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// The nearest mention of one of these classes (and, if given, finer types).
    Classes {
        classes: Vec<Class>,
        types: Vec<String>,
    },
    /// The entity of the document with this label (国务院 for 总理), if the text names it.
    Named(String),
    /// The document's own title entity.
    Title,
    /// The document's own place (see [`Deictic`]).
    Place,
    /// The document's issuer (from its title or signature).
    Issuer,
    /// The program the document is about: the one its title names, else its most-mentioned
    /// program (a pilot scheme's 试点地区 implement it).
    Program,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Clause,
    Sentence,
    Header,
    Signature,
}

/// A relation rule's regex, searched in each window (clause, sentence …) of a text.
#[derive(Debug)]
pub struct WindowRegex {
    pub regex: Regex,
    /// The pattern has no look-around (`^`, `$`, `\b` …): whether it matches a span does not
    /// depend on the text around the span.
    context_free: bool,
}

impl WindowRegex {
    pub fn new(regex: Regex) -> WindowRegex {
        // A pattern that compiled parses; if it somehow does not, assume the worst.
        let context_free = regex_syntax::parse(regex.as_str())
            .is_ok_and(|hir| hir.properties().look_set().is_empty());
        WindowRegex {
            regex,
            context_free,
        }
    }

    /// The windows (sorted, not overlapping) that may hold a match; searching only these
    /// finds exactly what searching all would. Most clauses hold no trigger word, and one
    /// search of the whole text is far cheaper than one search per clause: a context-free
    /// match inside a window is a match of the whole text, so no window that ends before the
    /// whole text's next match starts can hold one. With the starts of the regex's anchors
    /// (see [`AnchorPlan`]) there is no search at all: a match inside a window contains an
    /// anchor, so a window without one holds none.
    pub fn windows_to_search<'a>(
        &'a self,
        text: &'a str,
        windows: &'a [(usize, usize)],
        anchors: Option<&'a [usize]>,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        // Start of the leftmost match at or after the last position searched from.
        let mut next_match: Option<Option<usize>> = None;
        windows.iter().copied().filter(move |&(start, end)| {
            if let Some(anchors) = anchors {
                let next = anchors.partition_point(|&a| a < start);
                return anchors.get(next).is_some_and(|&a| a < end);
            }
            if !self.context_free {
                return true;
            }
            let stale = match next_match {
                None => true,
                Some(found) => found.is_some_and(|at| at < start),
            };
            if stale {
                next_match = Some(self.regex.find_at(text, start).map(|m| m.start()));
            }
            next_match.flatten().is_some_and(|at| at < end)
        })
    }
}

#[derive(Debug)]
pub enum RelationMatcher {
    /// `subject … trigger … object` (or reversed), nearest candidates, lists distributed.
    Trigger {
        trigger: WindowRegex,
        subject_first: bool,
        max_gap: usize,
    },
    /// A regex whose `subject` and `object` groups must cover mentions of the slot classes.
    Pattern(WindowRegex),
    /// Every mention pair in the window (header/signature rules).
    Cooccur,
    /// Administrative hierarchy from gazetteer parent codes, places both named in the text.
    GazetteerParent,
    /// An organization whose label starts with another organization's label is its sub-body.
    NamePrefix,
    /// An organization whose label starts with a name of a place named in the text is there.
    PlacePrefix,
}

#[derive(Debug)]
pub struct RelationRule {
    pub rule: usize,
    pub kind: RelationType,
    pub subject: Slot,
    pub object: Slot,
    /// Used when no subject mention is found (the text's implicit 我市).
    pub default_subject: Option<Slot>,
    /// A Place subject is replaced by its people's government (X人民政府), named or implied.
    pub place_as_government: bool,
    /// Trigger rules: a subject mention whose clause text before it matches this is skipped.
    pub subject_not_preceded_by: Option<Regex>,
    /// … or whose text after it matches this.
    pub subject_not_followed_by: Option<Regex>,
    pub window: Window,
    pub matcher: RelationMatcher,
}

/// `full（以下简称“short”）`: the short form becomes a name of the full form's entity.
#[derive(Debug)]
pub struct AliasRule {
    pub rule: usize,
    pub regex: Regex,
}

/// A word like 我市 that stands for the document's own place or issuer.
#[derive(Debug, Clone)]
pub struct Deictic {
    pub forms: Vec<String>,
    pub refers_to: DeicticTarget,
    /// It means the document's own place when that place's name ends with one of these,
    /// whatever its type (全市 in a report of 上海市, a province-level city).
    pub own_place_suffixes: Vec<String>,
}

/// Lines of page furniture: a match must start at a line start and end at a line end; the
/// lines it covers are no part of the header, the windows or the mentions.
#[derive(Debug)]
pub struct BoilerplateRule {
    pub rule: usize,
    pub regex: Regex,
}

/// Where a frame rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameWindow {
    Header,
    Signature,
    /// The document's path as given (2026_湖北省_政府工作报告.txt).
    FileName,
}

/// Evidence for the document's own place (group `place`) and date (groups `y`, `m`, `d`):
/// each match adds `weight` to the place it names; the date of the heaviest match with one
/// is the document's date.
#[derive(Debug)]
pub struct FrameRule {
    pub rule: usize,
    pub window: FrameWindow,
    pub regex: Regex,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeicticTarget {
    /// The most-mentioned place of these types in the document.
    Place {
        types: Vec<String>,
    },
    /// A fixed gazetteer entry (我国 → 中国).
    Named(String),
    Issuer,
}
