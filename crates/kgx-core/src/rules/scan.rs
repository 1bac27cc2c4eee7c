//! Every literal the rules look for in a text, found in one pass: gazetteer surfaces, deictic
//! forms and rule anchors share one double-array Aho-Corasick automaton (daachorse, char-wise),
//! instead of one automaton and one pass over the text each.
//!
//! All three consumers want every occurrence, overlapping ones included, so one overlapping
//! search serves them all: an overlapping search reports, at each end position, every literal
//! ending there (longest first), so the hits of the union automaton that belong to one
//! consumer are exactly, and in the same order, the hits its own automaton found.

use super::anchors::{AnchorPlan, RuleAnchors};
use super::deictic::{DeicticForms, DeicticHit};
use super::gazetteer::GazHit;
use daachorse::CharwiseDoubleArrayAhoCorasick;
use std::collections::HashMap;

/// The gazetteer surfaces, deictic forms and rule anchors, in one automaton.
pub(crate) struct TextScanner {
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// For each distinct literal (the automaton's value): what it is to each consumer.
    owners: Vec<LiteralOwners>,
}

/// The ids one literal has in the consumers that look for it.
#[derive(Debug, Default, Clone, Copy)]
struct LiteralOwners {
    /// Index into `Gazetteer::surfaces`.
    surface: Option<u32>,
    /// Index into the distinct forms of `DeicticForms`.
    deictic_form: Option<u32>,
    /// Index into the distinct literals of `RuleAnchors`.
    anchor: Option<u32>,
}

/// Records a literal's id in one consumer.
type RecordId = fn(&mut LiteralOwners, u32);

impl std::fmt::Debug for TextScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextScanner")
            .field("literals", &self.owners.len())
            .finish()
    }
}

/// What one pass over a text found.
#[derive(Debug)]
pub struct TextScan {
    /// Every gazetteer surface occurrence, overlapping ones included, in order of their end.
    pub(crate) gazetteer: Vec<GazHit>,
    /// See [`DeicticForms`] for which occurrences count and their order.
    pub(crate) deictics: Vec<DeicticHit>,
    /// Where to search each rule's regex.
    pub(crate) anchors: AnchorPlan,
}

impl TextScanner {
    /// Each list holds one consumer's distinct literals, numbered as that consumer's ids.
    pub fn build(
        surfaces: &[String],
        deictic_forms: &[String],
        anchors: &[String],
    ) -> Result<TextScanner, String> {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut owners: Vec<LiteralOwners> = Vec::new();
        let consumers: [(&[String], RecordId); 3] = [
            (surfaces, |owners, id| owners.surface = Some(id)),
            (deictic_forms, |owners, id| owners.deictic_form = Some(id)),
            (anchors, |owners, id| owners.anchor = Some(id)),
        ];
        for (literals, record_id) in consumers {
            for (own_id, literal) in literals.iter().enumerate() {
                let next_id = owners.len() as u32;
                let id = *ids.entry(literal).or_insert(next_id);
                if id == next_id {
                    owners.push(LiteralOwners::default());
                }
                record_id(&mut owners[id as usize], own_id as u32);
            }
        }
        let automaton = if ids.is_empty() {
            None
        } else {
            Some(
                CharwiseDoubleArrayAhoCorasick::with_values(ids)
                    .map_err(|e| format!("cannot build the literal automaton: {e}"))?,
            )
        };
        Ok(TextScanner { automaton, owners })
    }

    /// Finds every literal in `text` and hands each occurrence to the consumers that own it.
    pub fn scan(&self, text: &str, deictics: &DeicticForms, anchors: &RuleAnchors) -> TextScan {
        let mut gazetteer = Vec::new();
        let mut deictic_hits = deictics.collector();
        let mut anchor_starts = anchors.collector();
        let matches = self
            .automaton
            .as_ref()
            .map(|a| a.find_overlapping_iter(text));
        for m in matches.into_iter().flatten() {
            let owners = self.owners[m.value() as usize];
            if let Some(surface) = owners.surface {
                gazetteer.push(GazHit {
                    start: m.start(),
                    end: m.end(),
                    surface,
                });
            }
            if let Some(form) = owners.deictic_form {
                deictic_hits.add(form, m.start(), m.end());
            }
            if let Some(literal) = owners.anchor {
                anchor_starts.add(literal, m.start());
            }
        }
        TextScan {
            gazetteer,
            deictics: deictic_hits.finish(),
            anchors: anchor_starts.finish(),
        }
    }
}
