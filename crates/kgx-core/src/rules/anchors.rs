//! Rule regexes searched only around their anchors: the literals one of which every match
//! must contain (行动计划|工程|… at the end of `…{2,10}(?:行动计划|工程|…)`).
//!
//! Most entity pattern rules open with a character class (`[\p{Han}…]{2,10}`) the regex engine
//! can find no literal for, so a plain search runs its automaton over every byte of the text,
//! once per rule; relation rules search window after window. Instead, the anchors of all rules
//! are found in one Aho-Corasick pass (the [`TextScanner`](super::scan::TextScanner)'s), and
//! each regex only runs around its anchors (entity rules, see [`PatternSearch::find_at`])
//! or in the windows holding one (relation rules), with results provably identical to
//! searching everywhere.

use super::{EntityMatcher, EntityRule, RelationMatcher, RelationRule};
use regex::{Match, Regex};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;
use std::collections::HashMap;

/// The anchors of every rule regex that has usable ones.
#[derive(Default)]
pub(crate) struct RuleAnchors {
    /// For each distinct literal: the anchored regexes it anchors, numbered as in `anchored`.
    owners: Vec<Vec<usize>>,
    /// Entity rules (as `RulePack::entity_rules`), then relation rules (as
    /// `RulePack::relation_rules`): for each one whose regex is anchored, the longest a match
    /// can be in bytes (`usize::MAX`: unbounded).
    anchored: Vec<Option<usize>>,
    entity_rules: usize,
}

impl std::fmt::Debug for RuleAnchors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleAnchors")
            .field("literals", &self.owners.len())
            .field("anchored_rules", &self.anchored.iter().flatten().count())
            .finish()
    }
}

/// Where to search each rule's regex in one text.
#[derive(Debug)]
pub(crate) struct AnchorPlan {
    /// By entity rule (as `RulePack::entity_rules`).
    pub entity: Vec<PatternSearch>,
    /// By relation rule (as `RulePack::relation_rules`): the sorted starts of its anchors, if
    /// its regex is anchored.
    pub relation: Vec<Option<Vec<usize>>>,
}

impl RuleAnchors {
    /// The rules' anchors, and the distinct literals (numbered as in [`AnchorCollector::add`])
    /// for the [`TextScanner`](super::scan::TextScanner). Regexes without usable anchors are
    /// searched everywhere: anchoring only ever saves time, it never changes a result.
    pub fn build(
        entity_rules: &[EntityRule],
        relation_rules: &[RelationRule],
    ) -> (RuleAnchors, Vec<String>) {
        let entity = entity_rules.iter().map(|rule| match &rule.matcher {
            EntityMatcher::Pattern(regex) => Some(regex),
            EntityMatcher::Extends { .. } => None,
        });
        let relation = relation_rules.iter().map(|rule| match &rule.matcher {
            RelationMatcher::Trigger { trigger: regex, .. } | RelationMatcher::Pattern(regex) => {
                Some(&regex.regex)
            }
            _ => None,
        });
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut anchored = Vec::new();
        for (r, regex) in entity.chain(relation).enumerate() {
            let Some((rule_literals, longest)) = regex.and_then(anchoring) else {
                anchored.push(None);
                continue;
            };
            for literal in rule_literals {
                let id = *ids.entry(literal).or_insert_with_key(|literal| {
                    owners.push(Vec::new());
                    literals.push(literal.clone());
                    owners.len() - 1
                });
                owners[id].push(r);
            }
            anchored.push(Some(longest));
        }
        let anchors = RuleAnchors {
            owners,
            anchored,
            entity_rules: entity_rules.len(),
        };
        (anchors, literals)
    }

    /// Collects the anchor hits of one text's scan.
    pub(super) fn collector(&self) -> AnchorCollector<'_> {
        AnchorCollector {
            anchors: self,
            starts: vec![Vec::new(); self.anchored.len()],
        }
    }
}

/// Turns the overlapping occurrences of the anchor literals in one text into an [`AnchorPlan`].
pub(super) struct AnchorCollector<'a> {
    anchors: &'a RuleAnchors,
    /// By rule (numbered as `RuleAnchors::anchored`): where its anchors start.
    starts: Vec<Vec<usize>>,
}

impl AnchorCollector<'_> {
    /// An occurrence of the distinct literal `literal` starting at `start`.
    pub(super) fn add(&mut self, literal: u32, start: usize) {
        for &r in &self.anchors.owners[literal as usize] {
            self.starts[r].push(start);
        }
    }

    /// Where to search each rule's regex in the text.
    pub(super) fn finish(self) -> AnchorPlan {
        let RuleAnchors {
            anchored,
            entity_rules,
            ..
        } = self.anchors;
        let mut anchors = self
            .starts
            .into_iter()
            .zip(anchored)
            .map(|(mut starts, anchored)| {
                anchored.map(|longest| {
                    // Overlapping hits come in order of their end; one regex's literals can end
                    // at one place and start at different ones (总厂, 钢铁总厂).
                    starts.sort_unstable();
                    starts.dedup();
                    (starts, longest)
                })
            });
        let entity = anchors
            .by_ref()
            .take(*entity_rules)
            .map(|a| match a {
                None => PatternSearch::Everywhere,
                Some((anchors, max_len)) => PatternSearch::Near { anchors, max_len },
            })
            .collect();
        let relation = anchors.map(|a| a.map(|(anchors, _)| anchors)).collect();
        AnchorPlan { entity, relation }
    }
}

/// Literals every match of the regex contains one of, and the longest a match can be in bytes
/// (`usize::MAX`: unbounded), if the regex has no look-around (`^`, `$`, `\b` …): then whether
/// it matches a span depends on nothing outside the span, which searching a cut-off text or a
/// window relies on.
fn anchoring(regex: &Regex) -> Option<(Vec<String>, usize)> {
    // A pattern that compiled parses; if it somehow does not, it is searched everywhere.
    let hir = regex_syntax::parse(regex.as_str()).ok()?;
    let props = hir.properties();
    if !props.look_set().is_empty() {
        return None;
    }
    let literals = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| required_literals(&hir, kind))
        // The fewest hits: longer literals first, then fewer of them.
        .max_by_key(|literals| {
            let shortest = literals.iter().map(String::len).min();
            (shortest, std::cmp::Reverse(literals.len()))
        })?;
    Some((literals, props.maximum_len().unwrap_or(usize::MAX)))
}

/// Literals every match starts (or ends) with; `None` when the extractor found no finite set
/// of non-empty ones, or one cut inside a character (the automaton matches whole chars).
fn required_literals(hir: &Hir, kind: ExtractKind) -> Option<Vec<String>> {
    let seq = Extractor::new().kind(kind).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() {
        return None;
    }
    literals
        .iter()
        .map(|l| {
            String::from_utf8(l.as_bytes().to_vec())
                .ok()
                .filter(|s| !s.is_empty())
        })
        .collect()
}

/// Where one rule's regex is searched in one text.
#[derive(Debug, PartialEq)]
pub(crate) enum PatternSearch {
    /// From the search position to the end of the text.
    Everywhere,
    /// Only around these anchor occurrences (sorted byte offsets of their starts); no match is
    /// longer than `max_len` bytes (`usize::MAX`: unbounded, searched from the first anchor on).
    Near {
        /// Byte offsets in the normalised text where anchors start, ascending.
        anchors: Vec<usize>,
        /// The longest match in bytes the regex can make, or `usize::MAX`.
        max_len: usize,
    },
}

impl PatternSearch {
    /// The leftmost-first match starting at or after `pos`: exactly `regex.find_at(text, pos)`,
    /// `regex` being the rule's regex this search was planned for. A span, not captures:
    /// captures cost a reverse search and a backtracking pass more, and matches refused on
    /// their span need none.
    ///
    /// Why searching near the anchors finds the same match: every match contains an anchor
    /// occurrence and is at most `max_len` bytes long, so with `a` the first anchor at or after
    /// `pos`, no match starts before `a - max_len`. Searching `text[..cut]` from there finds
    /// matches of `text` only (no look-around: a match of a span does not depend on the text
    /// around it), and any whose start is at most `cut - max_len` is the whole-text result:
    /// every match starting there ends before the cut, so leftmost-first chooses among the same
    /// ones. Otherwise no match starts up to `cut - max_len`, and the next anchor is tried.
    /// An unbounded regex is never cut: it is searched from `pos` once an anchor follows.
    pub(crate) fn find_at<'t>(
        &self,
        regex: &Regex,
        text: &'t str,
        mut pos: usize,
    ) -> Option<Match<'t>> {
        let PatternSearch::Near { anchors, max_len } = self else {
            return regex.find_at(text, pos);
        };
        loop {
            let first = anchors.partition_point(|&a| a < pos);
            // An anchor at or past the end of a cut-off text (a header-only rule's) is no
            // part of it.
            let anchor = *anchors.get(first).filter(|&&a| a < text.len())?;
            let from = text.floor_char_boundary(anchor.saturating_sub(*max_len).max(pos));
            let cut = text.ceil_char_boundary(anchor.saturating_add(max_len.saturating_mul(2)));
            let found = regex.find_at(&text[..cut], from);
            if cut == text.len() {
                return found;
            }
            let settled = cut - max_len;
            match found {
                Some(m) if m.start() <= settled => return Some(m),
                _ => pos = settled + 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where to search the rules' regexes in `text`, scanned for their anchors only.
    fn plan(
        entity_rules: &[EntityRule],
        relation_rules: &[RelationRule],
        text: &str,
    ) -> AnchorPlan {
        let (anchors, literals) = RuleAnchors::build(entity_rules, relation_rules);
        let scanner = crate::rules::TextScanner::build(&[], &[], &literals).unwrap();
        scanner.scan(text, &Default::default(), &anchors).anchors
    }

    fn plan_of(pattern: &str, text: &str) -> PatternSearch {
        let rule = EntityRule {
            rule: 0,
            class: crate::model::Class::Program,
            kind: String::new(),
            matcher: EntityMatcher::Pattern(Regex::new(pattern).unwrap()),
            label: None,
            context: Default::default(),
            stop: Vec::new(),
            exclude: None,
            trim_start: None,
            header_only: false,
        };
        plan(&[rule], &[], text).entity.remove(0)
    }

    /// Every leftmost-first match, from each possible start, as the whole-text search sees it.
    fn all_from_every_start(search: &PatternSearch, regex: &Regex, text: &str) {
        for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
            // Groups are filled from the found match's start, as `mentions` does.
            let groups = |c: regex::Captures| {
                let m = c.get(0).unwrap();
                (m.range(), c.name("ent").map(|e| e.range()))
            };
            let near = search
                .find_at(regex, text, pos)
                .and_then(|m| regex.captures_at(text, m.start()))
                .map(groups);
            let whole = regex.captures_at(text, pos).map(groups);
            assert_eq!(near, whole, "from {pos} in {text}");
        }
    }

    #[test]
    fn anchored_search_finds_what_the_whole_text_search_finds() {
        let pattern = r"(?P<ent>[\p{Han}&&[^的和]]{2,4}?(?:行动计划|计划|工程))";
        let regex = Regex::new(pattern).unwrap();
        let filler = "的".repeat(40);
        let text = format!(
            "推进三网融合工程和{filler}实施乡村振兴行动计划,{filler}计划工程和计划{filler}"
        );
        let search = plan_of(pattern, &text);
        assert!(matches!(&search, PatternSearch::Near { anchors, .. } if anchors.len() == 6));
        all_from_every_start(&search, &regex, &text);
    }

    #[test]
    fn unbounded_matches_are_searched_from_the_first_anchor() {
        let pattern = r"\p{Han}+工程";
        let regex = Regex::new(pattern).unwrap();
        let text = "推进三网融合工程和乡村振兴工程,完善机制";
        let search = plan_of(pattern, text);
        assert!(matches!(
            search,
            PatternSearch::Near {
                max_len: usize::MAX,
                ..
            }
        ));
        all_from_every_start(&search, &regex, text);
    }

    #[test]
    fn anchored_windows_are_those_a_search_keeps() {
        use crate::rules::{Slot, Window, WindowRegex};
        let trigger = WindowRegex::new(Regex::new("印发|出台").unwrap());
        let slot = Slot::Classes {
            classes: Vec::new(),
            types: Vec::new(),
        };
        let rule = RelationRule {
            rule: 0,
            kind: crate::model::RelationType::Issued,
            subject: slot.clone(),
            object: slot,
            default_subject: None,
            place_as_government: false,
            subject_not_preceded_by: None,
            subject_not_followed_by: None,
            window: Window::Clause,
            matcher: RelationMatcher::Trigger {
                trigger,
                subject_first: true,
                max_gap: 0,
            },
        };
        let text = "市政府印发方案,各区落实,出台细则,完善机制";
        let windows = crate::text::Segments::new(text).clauses;
        let anchors = plan(&[], std::slice::from_ref(&rule), text)
            .relation
            .remove(0);
        let RelationMatcher::Trigger { trigger, .. } = &rule.matcher else {
            unreachable!()
        };
        let searched = |anchors| {
            let kept = trigger.windows_to_search(text, &windows, anchors);
            kept.map(|(s, e)| &text[s..e]).collect::<Vec<_>>()
        };
        assert_eq!(searched(anchors.as_deref()), ["市政府印发方案", "出台细则"]);
        assert_eq!(searched(anchors.as_deref()), searched(None));
    }

    #[test]
    fn look_around_or_no_literal_means_searching_everywhere() {
        assert_eq!(
            plan_of(r"(?m)^\p{Han}{2}工程$", "工程"),
            PatternSearch::Everywhere
        );
        assert_eq!(
            plan_of(r"[\p{Han}]{1,3}", "工程"),
            PatternSearch::Everywhere
        );
    }
}
