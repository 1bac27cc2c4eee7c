//! Stage 3: normalised text → mentions. Runs every entity rule (gazetteers, patterns, extension
//! rules, deictic words) to collect candidates, then resolves overlaps.
//!
//! Overlap resolution is deterministic and documented in rules/README.md: candidates are ranked
//! by priority (higher first), then length in chars (longer first), then start (earlier first),
//! then rule order; each candidate is accepted unless it overlaps one already accepted.

use crate::model::Class;
use crate::normalize::{label_key, NormalizedText};
use crate::rules::{
    Context, DeicticHit, EntityMatcher, EntityRule, GazHit, PatternSearch, RulePack, Side, TextScan,
};
use crate::text::Segments;
use regex::{Captures, Match, Regex};

/// What a candidate stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Referent {
    /// A named entity of a class, with its label and, for gazetteer hits, the candidate entries.
    Named {
        /// The class of the rule or gazetteer row that found it.
        class: Class,
        /// The finer type (City, Agency …).
        kind: String,
        /// The name: a gazetteer row's canonical name, or a pattern's label after clean-up.
        label: String,
        /// Indices into `Gazetteer::entries`; empty for pattern and extension rules.
        entries: Vec<u32>,
    },
    /// A deictic word (我市), index into `RulePack::deictics`.
    Deictic(usize),
}

/// A possible mention, before overlap resolution: a span of the normalised text and what a
/// rule says it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Byte offsets in the normalised text.
    pub start: usize,
    /// One past the last byte (half-open).
    pub end: usize,
    /// The span's length in chars: the second key of overlap resolution.
    pub chars: usize,
    /// The rule that found it, an index into `RulePack::rules` (`usize::MAX` for deictic
    /// words, which have no rule of their own).
    pub rule: usize,
    /// The rule's priority (a gazetteer hit: the highest of its rows' rules); the first key of
    /// overlap resolution, higher wins.
    pub priority: i32,
    /// What the span stands for.
    pub referent: Referent,
}

impl Candidate {
    fn overlaps(&self, other: &Candidate) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The accepted mentions, in text order, and what each rejected candidate lost to.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Accepted candidates: never overlapping, sorted by start.
    pub mentions: Vec<Candidate>,
    /// (rejected candidate, index into `mentions` of the winner).
    pub beaten: Vec<(Candidate, usize)>,
}

/// `scan` is what [`RulePack::scan`] found in `norm.text`.
pub fn find_mentions(
    pack: &RulePack,
    norm: &NormalizedText,
    segments: &Segments,
    scan: &TextScan,
) -> Resolved {
    let text = norm.text.as_str();
    let mut candidates = gazetteer_candidates(pack, text, segments, &scan.gazetteer);
    let extensions = extension_candidates(pack, text, segments, &candidates);
    candidates.extend(extensions);
    let searches = &scan.anchors.entity;
    candidates.extend(pattern_candidates(pack, text, segments, searches));
    candidates.extend(deictic_candidates(text, &scan.deictics));
    candidates.retain(|c| !segments.in_boilerplate(c.start));
    apply_aliases(pack, text, resolve(candidates))
}

/// Alias rules: `X(以下简称“Y”)` and `X(FCA)` make every occurrence of Y a mention of what
/// the mention ending right before the brackets names. An alias occurrence replaces the
/// mentions inside it (发改委 inside 市发改委) and yields to any mention it only partly overlaps.
fn apply_aliases(pack: &RulePack, text: &str, resolved: Resolved) -> Resolved {
    let mut aliases: Vec<(String, usize, Referent)> = Vec::new();
    for rule in &pack.alias_rules {
        for_each_match(
            text,
            |pos| rule.regex.find_at(text, pos),
            |whole| {
                let caps = captures_of(&rule.regex, text, whole)?;
                let full = caps.name("full")?;
                let short = caps.name("short")?;
                // The owner ends right before the brackets, or before the closing mark of a
                // title (《…建议》(以下简称《建议》)).
                let owner = resolved.mentions.iter().find(|m| {
                    m.end <= full.end()
                        && text[m.end..full.end()]
                            .chars()
                            .all(crate::normalize::is_quote_mark)
                        && full.end() - m.end <= '》'.len_utf8()
                })?;
                if matches!(owner.referent, Referent::Named { .. })
                    && !aliases.iter().any(|a| a.0 == short.as_str())
                {
                    aliases.push((
                        short.as_str().to_string(),
                        rule.rule,
                        owner.referent.clone(),
                    ));
                }
                Some(())
            },
        );
    }
    if aliases.is_empty() {
        return resolved;
    }
    let mut occurrences: Vec<Candidate> = Vec::new();
    for (short, rule, referent) in &aliases {
        for (start, m) in text.match_indices(short.as_str()) {
            let end = start + m.len();
            let partial = resolved
                .mentions
                .iter()
                .any(|x| x.start < end && start < x.end && !(start <= x.start && x.end <= end));
            if !partial && !occurrences.iter().any(|o| o.start < end && start < o.end) {
                occurrences.push(Candidate {
                    start,
                    end,
                    chars: chars(m),
                    rule: *rule,
                    priority: 0,
                    referent: referent.clone(),
                });
            }
        }
    }
    let inside = |m: &Candidate| {
        occurrences
            .iter()
            .any(|o| o.start <= m.start && m.end <= o.end)
    };
    let mut kept: Vec<(Option<usize>, Candidate)> = resolved
        .mentions
        .into_iter()
        .enumerate()
        .filter(|(_, m)| !inside(m))
        .map(|(i, m)| (Some(i), m))
        .collect();
    kept.extend(occurrences.into_iter().map(|o| (None, o)));
    kept.sort_by_key(|(_, m)| (m.start, m.end));
    let mut new_index = std::collections::HashMap::new();
    for (new, (old, _)) in kept.iter().enumerate() {
        if let Some(old) = old {
            new_index.insert(*old, new);
        }
    }
    let beaten = resolved
        .beaten
        .into_iter()
        .filter_map(|(c, w)| new_index.get(&w).map(|&n| (c, n)))
        .collect();
    Resolved {
        mentions: kept.into_iter().map(|(_, m)| m).collect(),
        beaten,
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Text of the clause before and after a span, for context constraints.
fn clause_context<'t>(
    text: &'t str,
    segments: &Segments,
    start: usize,
    end: usize,
) -> (&'t str, &'t str) {
    let (cs, ce) = segments.clause_at(start);
    let before = &text[cs.min(start)..start];
    let after = &text[end..ce.max(end)];
    (
        last_chars(before, CONTEXT_CHARS),
        first_chars(after, CONTEXT_CHARS),
    )
}

/// How far context constraints look either side of a candidate. Context is local (a verb, a
/// list mark, a suffix); bounding it keeps an end-anchored `preceded_by` from rescanning a
/// whole clause for every candidate.
pub const CONTEXT_CHARS: usize = 24;

fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

fn first_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn context_allows(
    ctx: &Context,
    text: &str,
    segments: &Segments,
    start: usize,
    end: usize,
) -> bool {
    if ctx.is_empty() {
        return true;
    }
    let (before, after) = clause_context(text, segments, start, end);
    ctx.allows(before, after)
}

fn gazetteer_candidates(
    pack: &RulePack,
    text: &str,
    segments: &Segments,
    hits: &[GazHit],
) -> Vec<Candidate> {
    let gaz = &pack.gazetteer;
    let mut out: Vec<Candidate> = Vec::new();
    for hit in hits {
        // Entries the context allows, then one candidate per class among them: a surface can
        // name entries of several classes (中国 the country, a company called 中国 …).
        let allowed: Vec<u32> = gaz.surfaces[hit.surface as usize]
            .iter()
            .copied()
            .filter(|&e| {
                gaz.context_for(gaz.entries[e as usize].rule)
                    .is_none_or(|ctx| context_allows(ctx, text, segments, hit.start, hit.end))
            })
            .collect();
        let mut classes: Vec<Class> = allowed
            .iter()
            .map(|&e| gaz.entries[e as usize].class)
            .collect();
        classes.sort_unstable();
        classes.dedup();
        for class in classes {
            let entries: Vec<u32> = allowed
                .iter()
                .copied()
                .filter(|&e| gaz.entries[e as usize].class == class)
                .collect();
            let entry = &gaz.entries[entries[0] as usize];
            let priority = entries
                .iter()
                .map(|&e| pack.rules[gaz.entries[e as usize].rule].priority)
                .max()
                .unwrap_or(0);
            out.push(Candidate {
                start: hit.start,
                end: hit.end,
                chars: chars(&text[hit.start..hit.end]),
                rule: entry.rule,
                priority,
                referent: Referent::Named {
                    class,
                    kind: entry.kind.clone(),
                    label: entry.name.clone(),
                    entries,
                },
            });
        }
    }
    out
}

/// Expands a label template: `{group}` is replaced by that group's text.
fn expand_label(template: Option<&str>, caps: &Captures, span_text: &str) -> String {
    let Some(template) = template else {
        return label_key(span_text);
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &rest[open + 1..open + close];
        out.push_str(caps.name(name).map_or("", |m| m.as_str()));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    label_key(&out)
}

/// A candidate of an entity rule over `text[span]`.
fn named(
    rule: &EntityRule,
    priority: i32,
    kind: String,
    label: String,
    span: (usize, usize),
    text: &str,
) -> Candidate {
    Candidate {
        start: span.0,
        end: span.1,
        chars: chars(&text[span.0..span.1]),
        rule: rule.rule,
        priority,
        referent: Referent::Named {
            class: rule.class,
            kind,
            label,
            entries: Vec::new(),
        },
    }
}

/// A rule's finer type may name groups (`type = "{kind}"`: 意见, 通知 …); when they matched
/// nothing the class name stands in.
fn expand_type(rule: &EntityRule, caps: &Captures) -> String {
    if !rule.kind.contains('{') {
        return rule.kind.clone();
    }
    let kind = expand_label(Some(&rule.kind), caps, "");
    if kind.is_empty() {
        rule.class.as_str().to_string()
    } else {
        kind
    }
}

fn extension_candidates(
    pack: &RulePack,
    text: &str,
    segments: &Segments,
    base: &[Candidate],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for rule in &pack.entity_rules {
        let EntityMatcher::Extends {
            base: base_classes,
            base_types,
            side,
            regex,
        } = &rule.matcher
        else {
            continue;
        };
        let priority = pack.rules[rule.rule].priority;
        let mut seen = std::collections::HashSet::new();
        for cand in base {
            let fits = match &cand.referent {
                Referent::Named { class, kind, .. } => {
                    base_classes.contains(class)
                        && (base_types.is_empty() || base_types.contains(kind))
                }
                Referent::Deictic(_) => false,
            };
            if !fits || !seen.insert((cand.start, cand.end)) {
                continue;
            }
            let searched = match side {
                Side::After => &text[cand.end..],
                Side::Before => last_chars(&text[..cand.start], CONTEXT_CHARS),
            };
            let Some(caps) = regex.captures(searched) else {
                continue;
            };
            let Some(m) = caps.get(0).filter(|m| !m.is_empty()) else {
                continue;
            };
            let (start, end) = match side {
                Side::After => (cand.start, cand.end + m.end()),
                Side::Before => (cand.start - m.len(), cand.end),
            };
            if !context_allows(&rule.context, text, segments, start, end) {
                continue;
            }
            let span_text = &text[start..end];
            // `{base}` in a label template is the canonical name of the candidate extended.
            let base_label = match &cand.referent {
                Referent::Named { label, .. } => label.as_str(),
                Referent::Deictic(_) => "",
            };
            let template = rule.label.as_ref().map(|t| t.replace("{base}", base_label));
            let label = expand_label(template.as_deref(), &caps, span_text);
            if rule.stop.contains(&label)
                || rule.exclude.as_ref().is_some_and(|r| r.is_match(&label))
            {
                continue;
            }
            out.push(named(
                rule,
                priority,
                expand_type(rule, &caps),
                label,
                (start, end),
                text,
            ));
        }
    }
    out
}

fn pattern_candidates(
    pack: &RulePack,
    text: &str,
    segments: &Segments,
    searches: &[PatternSearch],
) -> Vec<Candidate> {
    let header_end = segments
        .header(pack.document.header_lines)
        .map_or(0, |(_, end)| end);
    let mut out = Vec::new();
    for (rule, search_plan) in pack.entity_rules.iter().zip(searches) {
        let EntityMatcher::Pattern(regex) = &rule.matcher else {
            continue;
        };
        let limit = if rule.header_only {
            header_end
        } else {
            text.len()
        };
        let priority = pack.rules[rule.rule].priority;
        let searched = &text[..limit];
        let search = |pos| search_plan.find_at(regex, searched, pos);
        for_each_match(searched, search, |whole| {
            // Context is judged around the whole match: the regex may consume context itself.
            if !context_allows(&rule.context, text, segments, whole.start(), whole.end()) {
                return None;
            }
            let caps = captures_of(regex, searched, whole)?;
            let span = caps.name("ent").unwrap_or(whole);
            let cut = rule
                .trim_start
                .as_ref()
                .and_then(|r| r.find(span.as_str()))
                .map_or(0, |m| m.end());
            let (start, end) = (span.start() + cut, span.end());
            if start >= end {
                return None;
            }
            let label = expand_label(rule.label.as_deref(), &caps, &text[start..end]);
            if label.is_empty()
                || rule.stop.contains(&label)
                || rule.exclude.as_ref().is_some_and(|r| r.is_match(&label))
            {
                return None;
            }
            out.push(named(
                rule,
                priority,
                expand_type(rule, &caps),
                label,
                (start, end),
                text,
            ));
            Some(())
        });
    }
    out
}

/// Calls `accept` on every leftmost match; when it refuses one (a context constraint failed),
/// the search restarts one char after that match's start instead of after its end, so a
/// shorter match starting later is still found.
///
/// `search(pos)` is the leftmost match in `text` starting at or after `pos`: a span only;
/// [`captures_of`] fills the groups of one that `accept` needs them for.
pub fn for_each_match<'t>(
    text: &'t str,
    search: impl Fn(usize) -> Option<Match<'t>>,
    mut accept: impl FnMut(Match<'t>) -> Option<()>,
) {
    let mut pos = 0;
    while pos <= text.len() {
        let Some(whole) = search(pos) else {
            break;
        };
        let next_char = text[whole.start()..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        pos = match accept(whole) {
            Some(()) if !whole.is_empty() => whole.end(),
            _ => whole.start() + next_char,
        };
    }
}

/// The groups of `found`, a match of `regex` in `text`. The leftmost-first match from
/// `found`'s own start is `found` itself (the search that found it saw no match starting
/// earlier, and look-around still sees the whole `text`), so this only fills its groups.
fn captures_of<'t>(regex: &Regex, text: &'t str, found: Match<'t>) -> Option<Captures<'t>> {
    regex.captures_at(text, found.start())
}

fn deictic_candidates(text: &str, hits: &[DeicticHit]) -> Vec<Candidate> {
    hits.iter()
        .map(|hit| Candidate {
            start: hit.start,
            end: hit.end,
            chars: chars(&text[hit.start..hit.end]),
            rule: usize::MAX,
            priority: 0,
            referent: Referent::Deictic(hit.deictic),
        })
        .collect()
}

pub(crate) fn resolve(mut candidates: Vec<Candidate>) -> Resolved {
    candidates.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(b.chars.cmp(&a.chars))
            .then(a.start.cmp(&b.start))
            .then(a.rule.cmp(&b.rule))
    });
    let mut accepted: Vec<Candidate> = Vec::new();
    let mut rejected: Vec<(Candidate, usize)> = Vec::new();
    // Accepted spans sorted by start, for an O(log n) overlap test.
    let mut spans: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
    for cand in candidates {
        let blocker = spans
            .range(..cand.end)
            .next_back()
            .filter(|(_, &(end, _))| end > cand.start)
            .map(|(_, &(_, idx))| idx);
        match blocker {
            Some(idx) => {
                if accepted[idx] != cand {
                    rejected.push((cand, idx));
                }
            }
            None => {
                spans.insert(cand.start, (cand.end, accepted.len()));
                accepted.push(cand);
            }
        }
    }
    // Renumber winners into text order.
    let mut order: Vec<usize> = (0..accepted.len()).collect();
    order.sort_by_key(|&i| (accepted[i].start, accepted[i].end));
    let mut new_index = vec![0; accepted.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Candidate>> = accepted.into_iter().map(Some).collect();
    let mentions: Vec<Candidate> = order.iter().filter_map(|&old| slots[old].take()).collect();
    let beaten = rejected
        .into_iter()
        .map(|(c, w)| (c, new_index[w]))
        .collect();
    debug_assert!(is_non_overlapping(&mentions));
    Resolved { mentions, beaten }
}

fn is_non_overlapping(mentions: &[Candidate]) -> bool {
    mentions.windows(2).all(|w| !w[0].overlaps(&w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn cand(start: usize, end: usize, priority: i32, rule: usize) -> Candidate {
        Candidate {
            start,
            end,
            chars: end - start,
            rule,
            priority,
            referent: Referent::Deictic(0),
        }
    }

    #[test]
    fn priority_then_longest_then_leftmost() {
        let r = resolve(vec![cand(0, 3, 0, 1), cand(2, 6, 0, 2), cand(5, 7, 5, 3)]);
        let spans: Vec<_> = r.mentions.iter().map(|m| (m.start, m.end)).collect();
        // (5,7) wins on priority; (2,6) overlaps it; (0,3) is then free.
        assert_eq!(spans, vec![(0, 3), (5, 7)]);
        assert_eq!(r.beaten.len(), 1);
        assert_eq!((r.beaten[0].0.start, r.beaten[0].1), (2, 1));
    }

    #[test]
    fn context_is_bounded_in_chars() {
        assert_eq!(last_chars("一二三四", 2), "三四");
        assert_eq!(last_chars("一二", 5), "一二");
        assert_eq!(first_chars("一二三四", 3), "一二三");
        assert_eq!(first_chars("", 3), "");
    }

    #[test]
    fn retries_after_refused_match() {
        let re = Regex::new(r"\p{Han}{2,6}工程").unwrap();
        let text = "推进三网融合工程";
        let mut found = Vec::new();
        for_each_match(
            text,
            |pos| re.find_at(text, pos),
            |m| (!m.as_str().starts_with('推')).then(|| found.push(m.as_str().to_string())),
        );
        assert_eq!(found, vec!["进三网融合工程"]);
    }
}
