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

pub(crate) use anchors::{PatternSearch, RuleAnchors};
pub(crate) use deictic::{DeicticForms, DeicticHit};
pub(crate) use gazetteer::GazHit;
pub use gazetteer::{GazEntry, Gazetteer};
pub use load::{load_pack, RuleError, RuleErrors};
pub use scan::TextScan;
pub(crate) use scan::TextScanner;

use crate::model::{Class, RelationType};
use regex::Regex;

/// Everything a run needs to know about the rules, compiled and validated.
#[derive(Debug)]
pub struct RulePack {
    /// `[pack] name` of pack.toml.
    pub name: String,
    /// `[pack] version` of pack.toml, as written.
    pub version: String,
    /// sha256 over every rule file's path and bytes: part of the incremental-run cache key.
    pub hash: String,
    /// The prefix of every IRI kgx mints; an absolute IRI ending in `/` (checked at load).
    pub base_iri: String,
    pub(crate) document: DocumentSettings,
    /// Every rule with an id, in load order; mentions and relations refer to rules by index.
    pub rules: Vec<RuleInfo>,
    /// Every gazetteer row of every `[[gazetteer]]` table, and the indexes over them.
    pub gazetteer: Gazetteer,
    /// `[[entity]]` pattern and extension rules, in load order.
    pub entity_rules: Vec<EntityRule>,
    /// `[[relation]]` rules, in load order.
    pub relation_rules: Vec<RelationRule>,
    pub(crate) alias_rules: Vec<AliasRule>,
    pub(crate) deictics: Vec<Deictic>,
    /// Page furniture lines, in load order.
    pub(crate) boilerplate_rules: Vec<BoilerplateRule>,
    /// All of `boilerplate_rules` as one alternation: one search finds every candidate line,
    /// the rules are then tried on it alone.
    pub(crate) boilerplate_any: Option<Regex>,
    /// Evidence of the document's own place and date, in load order.
    pub(crate) frame_rules: Vec<FrameRule>,
    /// Which deictic each of the forms of all `deictics` belongs to.
    pub(crate) deictic_forms: DeicticForms,
    /// The literals every match of an entity pattern or relation regex contains, for
    /// searching only near them.
    pub(crate) anchors: RuleAnchors,
    /// Gazetteer surfaces, deictic forms and anchors, found in one pass over a text.
    pub(crate) scanner: TextScanner,
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
    /// The rule's `id`, unique in the pack; the `rule` of mentions and relations.
    pub id: String,
    /// The rule file: the rules folder's name, then the path below it (`rules/entities/org.toml`).
    pub file: String,
    /// The 1-based line in `file` where the rule's table starts.
    pub line: usize,
    /// Higher wins overlaps between mentions (0 unless the rule sets it).
    pub priority: i32,
    /// The rule's inline `[[….example]]` tables, checked by `kgx rules test`.
    pub examples: Vec<Example>,
}

/// An inline example of a rule: a text and what the rule must and must not find in it.
#[derive(Debug, Clone)]
pub struct Example {
    /// The text the example is extracted from, as a whole document.
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
pub(crate) struct DocumentSettings {
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
    /// Must match somewhere in the clause text before the span.
    pub preceded_by: Option<Regex>,
    /// Must not match the clause text before the span.
    pub not_preceded_by: Option<Regex>,
    /// Must match somewhere in the clause text after the span.
    pub followed_by: Option<Regex>,
    /// Must not match the clause text after the span.
    pub not_followed_by: Option<Regex>,
}

impl Context {
    /// `before` is the clause text up to the span, `after` the clause text after it.
    pub(crate) fn allows(&self, before: &str, after: &str) -> bool {
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

    pub(crate) fn is_empty(&self) -> bool {
        self.preceded_by.is_none()
            && self.not_preceded_by.is_none()
            && self.followed_by.is_none()
            && self.not_followed_by.is_none()
    }
}

/// How an entity rule finds its spans.
#[derive(Debug)]
pub(crate) enum EntityMatcher {
    /// Anywhere in the text.
    Pattern(Regex),
    /// Anchored right after (or, with `side` Before, right before) a gazetteer candidate of
    /// one of these classes; the entity spans the candidate and the match (宁波市 +
    /// 发展和改革委员会, 平安 + 宁波).
    Extends {
        /// Classes a base candidate may have.
        base: Vec<Class>,
        /// Finer types a base candidate must have; empty: any.
        base_types: Vec<String>,
        /// Whether the regex matches after or before the base.
        side: Side,
        /// Anchored at the base's end (After) or required to end at its start (Before).
        regex: Regex,
    },
}

/// Which side of its base candidate an extension rule's pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The pattern continues the base (宁波市 + 发展和改革委员会).
    After,
    /// The pattern comes just before the base (平安 + 宁波).
    Before,
}

/// An `[[entity]]` rule, compiled.
#[derive(Debug)]
pub struct EntityRule {
    /// Its index into `RulePack::rules`.
    pub rule: usize,
    /// The class of what it finds.
    pub class: Class,
    /// The finer type of what it finds; `{group}` in it is filled from the match (the class
    /// name when that leaves nothing).
    pub kind: String,
    /// Where its spans come from.
    pub(crate) matcher: EntityMatcher,
    /// Label template over named groups, `{ent}` by default.
    pub label: Option<String>,
    /// Constraints on the clause text around each span.
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
pub(crate) enum Slot {
    /// The nearest mention of one of these classes (and, if given, finer types).
    Classes {
        /// The classes that may fill the slot.
        classes: Vec<Class>,
        /// The finer types that may; empty: any of those classes.
        types: Vec<String>,
    },
    /// The entity of the document with this label (国务院 for 总理), if the text names it.
    Named(String),
    /// The document's own title entity.
    Title,
    /// The document's own place (what 我市 and 全省 stand for).
    Place,
    /// The document's issuer (from its title or signature).
    Issuer,
    /// The program the document is about: the one its title names, else its most-mentioned
    /// program (a pilot scheme's 试点地区 implement it).
    Program,
}

/// The stretch of text a relation rule looks for its subject, trigger and object in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Each clause (up to a comma, semicolon, colon or sentence end).
    Clause,
    /// Each sentence (up to 。, !, ? or a line end).
    Sentence,
    /// The document's header lines (`[document] header_lines`), as one window.
    Header,
    /// The signature block (`[document] signature_lines`), as one window.
    Signature,
}

/// A relation rule's regex, searched in each window (clause, sentence …) of a text.
#[derive(Debug)]
pub(crate) struct WindowRegex {
    /// The compiled pattern, searched in the normalised text.
    pub regex: Regex,
    /// The pattern has no look-around (`^`, `$`, `\b` …): whether it matches a span does not
    /// depend on the text around the span.
    context_free: bool,
}

impl WindowRegex {
    pub(crate) fn new(regex: Regex) -> WindowRegex {
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
    pub(crate) fn windows_to_search<'a>(
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

/// How a relation rule pairs a subject with an object in a window.
#[derive(Debug)]
pub(crate) enum RelationMatcher {
    /// `subject … trigger … object` (or reversed), nearest candidates, lists distributed.
    Trigger {
        /// The trigger words (印发, 实施 …).
        trigger: WindowRegex,
        /// Whether the subject comes before the trigger (and the object after), or the reverse.
        subject_first: bool,
        /// The most chars between the trigger and each slot's mention.
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
    /// The bodies a document's title opens with, before 关于/印发/转发, issued it.
    TitleIssuer,
}

/// A `[[relation]]` rule, compiled.
#[derive(Debug)]
pub struct RelationRule {
    /// Its index into `RulePack::rules`.
    pub rule: usize,
    /// The type of the relations it finds.
    pub kind: RelationType,
    /// Who may be the subject.
    pub(crate) subject: Slot,
    /// Who may be the object.
    pub(crate) object: Slot,
    /// Used when no subject mention is found (the text's implicit 我市).
    pub(crate) default_subject: Option<Slot>,
    /// A Place subject is replaced by its people's government (X人民政府), named or implied.
    pub place_as_government: bool,
    /// Trigger rules: a subject mention whose clause text before it matches this is skipped.
    pub subject_not_preceded_by: Option<Regex>,
    /// … or whose text after it matches this.
    pub subject_not_followed_by: Option<Regex>,
    /// Where it looks.
    pub window: Window,
    /// How it pairs the slots.
    pub(crate) matcher: RelationMatcher,
}

/// `full（以下简称“short”）`: the short form becomes a name of the full form's entity.
#[derive(Debug)]
pub(crate) struct AliasRule {
    pub rule: usize,
    pub regex: Regex,
}

/// A word like 我市 that stands for the document's own place or issuer.
#[derive(Debug, Clone)]
pub(crate) struct Deictic {
    pub forms: Vec<String>,
    pub refers_to: DeicticTarget,
    /// It means the document's own place when that place's name ends with one of these,
    /// whatever its type (全市 in a report of 上海市, a province-level city).
    pub own_place_suffixes: Vec<String>,
}

/// Lines of page furniture: a match must start at a line start and end at a line end; the
/// lines it covers are no part of the header, the windows or the mentions.
#[derive(Debug)]
pub(crate) struct BoilerplateRule {
    /// Its index into `RulePack::rules`.
    pub rule: usize,
    /// The rule's pattern, compiled in multi-line mode (`^` and `$` match at every line).
    pub regex: Regex,
}

/// Where a frame rule looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameWindow {
    /// The header lines.
    Header,
    /// The signature block.
    Signature,
    /// The document's path as given (2026_湖北省_政府工作报告.txt).
    FileName,
}

/// Evidence for the document's own place (group `place`) and date (groups `y`, `m`, `d`):
/// each match adds `weight` to the place it names; the date of the heaviest match with one
/// is the document's date.
#[derive(Debug)]
pub(crate) struct FrameRule {
    /// Its index into `RulePack::rules`.
    pub rule: usize,
    /// Where it looks.
    pub window: FrameWindow,
    /// With groups `place` and/or `y`, `m`, `d`.
    pub regex: Regex,
    /// What each match adds to the place it names; a place's weights are summed.
    pub weight: u32,
}

/// What a deictic word stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DeicticTarget {
    /// The most-mentioned place of these types in the document.
    Place {
        types: Vec<String>,
    },
    /// A fixed gazetteer entry (我国 → 中国).
    Named(String),
    Issuer,
}
