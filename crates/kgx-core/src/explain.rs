//! `kgx explain` and `kgx rules test`: what the rules did to a text, and whether each rule's
//! inline examples still hold.

use crate::extract::{analyse, DocAnalysis};
use crate::mentions::{Candidate, Referent};
use crate::normalize::label_key;
use crate::rules::RulePack;
use std::collections::BTreeSet;
use std::fmt::Write as _;

fn rule_id(pack: &RulePack, rule: usize) -> &str {
    pack.rules.get(rule).map_or("deictic", |r| r.id.as_str())
}

fn describe(pack: &RulePack, a: &DocAnalysis, c: &Candidate) -> String {
    let text = &a.norm.text[c.start..c.end];
    let what = match &c.referent {
        Referent::Named { class, kind, .. } => format!("{class}/{kind}"),
        Referent::Deictic(_) => "deictic".to_string(),
    };
    format!(
        "“{text}” {what} by {} (priority {})",
        rule_id(pack, c.rule),
        c.priority
    )
}

/// Up to `radius` chars of context either side of a byte span, the span in 【】.
fn in_context(text: &str, start: usize, end: usize, radius: usize) -> String {
    let before: String = text[..start]
        .chars()
        .rev()
        .take(radius)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[end..].chars().take(radius).collect();
    format!(
        "…{}【{}】{}…",
        before.replace('\n', "⏎"),
        &text[start..end],
        after.replace('\n', "⏎")
    )
}

/// A human-readable account of every entity, relation and overlap decision.
pub fn explain(pack: &RulePack, text: &str, name: &str) -> String {
    let a = analyse(pack, text, name);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {name}: {} chars, {} mentions, {} entities, {} relations",
        a.norm.original_chars(),
        a.mentions.len(),
        a.entities.iter().filter(|e| !e.mentions.is_empty()).count(),
        a.relations.len()
    );
    if let Some(t) = a.title {
        let _ = writeln!(out, "title: {}", a.entities[t].label);
    }
    if let Some(i) = a.issuer {
        let _ = writeln!(out, "issuer: {}", a.entities[i].label);
    }
    if let Some(d) = &a.date {
        let _ = writeln!(out, "date: {d}");
    }
    if let Some(p) = a.own_place {
        let (weight, references) = a.own_place_score;
        let _ = writeln!(
            out,
            "own place: {} (frame weight {weight}, {references} references)",
            a.entities[p].label
        );
    }
    if !a.frame.is_empty() {
        out.push_str("\n## Frame evidence\n");
        for f in &a.frame {
            let found: Vec<String> = f
                .place
                .map(|p| format!("place {}", a.entities[p].label))
                .into_iter()
                .chain(f.date.as_ref().map(|d| format!("date {d}")))
                .collect();
            let at = match f.span {
                Some((s, e)) => {
                    let (os, oe) = a.norm.original_span(s, e);
                    format!("{os}-{oe} “{}”", a.norm.text[s..e].replace('\n', "⏎"))
                }
                None => "file name".to_string(),
            };
            let _ = writeln!(
                out,
                "{} (weight {}) by {}: {at}",
                found.join(", "),
                f.weight,
                rule_id(pack, f.rule)
            );
        }
    }
    if !a.boilerplate.is_empty() {
        out.push_str("\n## Page furniture (skipped)\n");
        for &(s, e, rule) in &a.boilerplate {
            let (os, oe) = a.norm.original_span(s, e);
            let _ = writeln!(
                out,
                "{os}-{oe} {} “{}”",
                rule_id(pack, rule),
                a.norm.text[s..e].replace('\n', "⏎")
            );
        }
    }
    out.push_str("\n## Entities\n");
    for e in a.entities.iter().filter(|e| !e.mentions.is_empty()) {
        let _ = writeln!(out, "{} {} [{}]", e.class, e.label, e.kind);
        for &mi in &e.mentions {
            let m = &a.mentions[mi];
            let (s, en) = a.norm.original_span(m.start, m.end);
            let _ = writeln!(
                out,
                "  {s}-{en} {} {}",
                rule_id(pack, m.rule),
                in_context(&a.norm.text, m.start, m.end, 8)
            );
            for (lost, _) in a.beaten.iter().filter(|(_, w)| *w == mi) {
                let _ = writeln!(out, "    beat {}", describe(pack, &a, lost));
            }
        }
    }
    out.push_str("\n## Relations\n");
    for r in &a.relations {
        let _ = writeln!(
            out,
            "{}({} → {}) by {}",
            r.kind,
            a.entities[r.subject].label,
            a.entities[r.object].label,
            rule_id(pack, r.rule)
        );
        for &(s, e) in &r.evidence {
            let (os, oe) = a.norm.original_span(s, e);
            let _ = writeln!(out, "  {os}-{oe} {}", in_context(&a.norm.text, s, e, 4));
        }
    }
    out
}

/// Names an entity produced by `rule` is known by (label and mention texts), as label keys.
fn produced_entities(a: &DocAnalysis, rule: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in &a.entities {
        if e.mentions.iter().any(|&m| a.mentions[m].rule == rule) {
            out.insert(label_key(&e.label));
            for &m in &e.mentions {
                out.insert(label_key(
                    &a.norm.text[a.mentions[m].start..a.mentions[m].end],
                ));
            }
        }
    }
    out
}

fn produced_relations(a: &DocAnalysis, rule: usize) -> BTreeSet<String> {
    a.relations
        .iter()
        .filter(|r| r.rule == rule)
        .map(|r| {
            format!(
                "{}>{}",
                label_key(&a.entities[r.subject].label),
                label_key(&a.entities[r.object].label)
            )
        })
        .collect()
}

/// The page-furniture lines `rule` set aside, as label keys.
fn produced_boilerplate(a: &DocAnalysis, rule: usize) -> BTreeSet<String> {
    a.boilerplate
        .iter()
        .filter(|b| b.2 == rule)
        .map(|&(s, e, _)| label_key(&a.norm.text[s..e]))
        .collect()
}

/// What `rule` found of the frame: `place:LABEL` and `date:DATE`.
fn produced_frame(a: &DocAnalysis, rule: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in a.frame.iter().filter(|f| f.rule == rule) {
        if let Some(p) = f.place {
            out.insert(label_key(&format!("place:{}", a.entities[p].label)));
        }
        if let Some(d) = &f.date {
            out.insert(label_key(&format!("date:{d}")));
        }
    }
    out
}

/// Runs every rule's inline examples; returns (examples run, failure messages).
pub fn test_rules(pack: &RulePack) -> (usize, Vec<String>) {
    let relation_rules: BTreeSet<usize> = pack.relation_rules.iter().map(|r| r.rule).collect();
    let boilerplate_rules: BTreeSet<usize> =
        pack.boilerplate_rules.iter().map(|r| r.rule).collect();
    let frame_rules: BTreeSet<usize> = pack.frame_rules.iter().map(|r| r.rule).collect();
    let mut run = 0;
    let mut failures = Vec::new();
    for (ri, rule) in pack.rules.iter().enumerate() {
        if let Some(problem) = example_sources_problem(&rule.examples) {
            failures.push(format!(
                "{}:{}: rule `{}`: {problem}\n  help: add examples with `source = \"national-report YEAR\"`, \
                 `source = \"synthetic\"` …: a rule states a pattern seen in more than one text",
                rule.file, rule.line, rule.id
            ));
        }
        for (ei, ex) in rule.examples.iter().enumerate() {
            run += 1;
            let a = analyse(pack, &ex.text, ex.file.as_deref().unwrap_or("example.txt"));
            let produced = if relation_rules.contains(&ri) {
                produced_relations(&a, ri)
            } else if boilerplate_rules.contains(&ri) {
                produced_boilerplate(&a, ri)
            } else if frame_rules.contains(&ri) {
                produced_frame(&a, ri)
            } else {
                produced_entities(&a, ri)
            };
            let is_relation_rule = relation_rules.contains(&ri);
            let key = |s: &str| {
                if is_relation_rule {
                    s.split('>').map(label_key).collect::<Vec<_>>().join(">")
                } else {
                    label_key(s)
                }
            };
            for want in &ex.expect {
                if !produced.contains(&key(want)) {
                    failures.push(format!(
                        "{}:{}: rule `{}` example {}: expected {want}, got {:?}\n  text: {}",
                        rule.file,
                        rule.line,
                        rule.id,
                        ei + 1,
                        produced,
                        ex.text
                    ));
                }
            }
            for unwanted in &ex.reject {
                if produced.contains(&key(unwanted)) {
                    failures.push(format!(
                        "{}:{}: rule `{}` example {}: must not produce {unwanted}\n  text: {}",
                        rule.file,
                        rule.line,
                        rule.id,
                        ei + 1,
                        ex.text
                    ));
                }
            }
        }
    }
    (run, failures)
}

/// Examples are the evidence for a rule: from at least two different sources, and not only
/// from the development documents it was tuned on (sources `dev …`).
fn example_sources_problem(examples: &[crate::rules::Example]) -> Option<String> {
    let sources: BTreeSet<&str> = examples
        .iter()
        .map(|e| e.source.as_deref().unwrap_or("").trim())
        .collect();
    if examples.iter().any(|e| e.source.is_none()) {
        return Some("an example has no `source`".to_string());
    }
    if sources.len() < 2 {
        return Some(format!(
            "examples come from {} source(s), need 2",
            sources.len()
        ));
    }
    if sources.iter().all(|s| s.starts_with("dev")) {
        return Some("examples come only from development documents".to_string());
    }
    None
}
