//! Deictic words (我市, 本省 …) found in one pass over the text: the forms of every deictic go
//! into one double-array Aho-Corasick automaton, instead of one substring search per form.

use super::Deictic;
use daachorse::CharwiseDoubleArrayAhoCorasick;
use std::collections::HashMap;

/// A deictic form found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeicticHit {
    /// Byte offsets in the normalised text.
    pub start: usize,
    pub end: usize,
    /// Index into `RulePack::deictics`.
    pub deictic: usize,
}

#[derive(Default)]
pub struct DeicticForms {
    automaton: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// For each distinct form: every (deictic, index in its `forms`) that lists it.
    owners: Vec<Vec<(usize, usize)>>,
}

impl std::fmt::Debug for DeicticForms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeicticForms")
            .field("forms", &self.owners.len())
            .finish()
    }
}

impl DeicticForms {
    /// Forms must be non-empty (the loader checks it).
    pub fn build(deictics: &[Deictic]) -> Result<DeicticForms, String> {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut patterns: Vec<(&str, u32)> = Vec::new();
        for (d, deictic) in deictics.iter().enumerate() {
            for (f, form) in deictic.forms.iter().enumerate() {
                let id = *ids.entry(form.as_str()).or_insert_with(|| {
                    owners.push(Vec::new());
                    patterns.push((form.as_str(), (owners.len() - 1) as u32));
                    (owners.len() - 1) as u32
                });
                owners[id as usize].push((d, f));
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                CharwiseDoubleArrayAhoCorasick::with_values(patterns)
                    .map_err(|e| format!("cannot build the deictic automaton: {e}"))?,
            )
        };
        Ok(DeicticForms { automaton, owners })
    }

    /// Every occurrence of every form, exactly as `str::match_indices` per form finds them
    /// (occurrences of one form do not overlap; different forms may), ordered by deictic, form
    /// and position: the order one search per form would produce.
    pub fn find_all(&self, text: &str) -> Vec<DeicticHit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // End of the last accepted occurrence of each form, for the non-overlap rule.
        let mut last_end = vec![0usize; self.owners.len()];
        let mut found: Vec<(usize, usize, DeicticHit)> = Vec::new();
        for m in automaton.find_overlapping_iter(text) {
            let form = m.value() as usize;
            if m.start() < last_end[form] {
                continue;
            }
            last_end[form] = m.end();
            for &(deictic, index) in &self.owners[form] {
                let hit = DeicticHit {
                    start: m.start(),
                    end: m.end(),
                    deictic,
                };
                found.push((deictic, index, hit));
            }
        }
        found.sort_unstable_by_key(|&(deictic, index, hit)| (deictic, index, hit.start));
        found.into_iter().map(|(_, _, hit)| hit).collect()
    }
}
