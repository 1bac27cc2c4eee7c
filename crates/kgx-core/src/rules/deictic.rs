//! Deictic words (我市, 本省 …) found in one pass over the text: the forms of every deictic go
//! into the [`TextScanner`](super::scan::TextScanner)'s automaton, instead of one substring
//! search per form.

use super::Deictic;
use std::collections::HashMap;

/// A deictic form found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeicticHit {
    /// Byte offsets in the normalised text.
    pub start: usize,
    /// One past the last byte (half-open).
    pub end: usize,
    /// Index into `RulePack::deictics`.
    pub deictic: usize,
}

/// The distinct forms of every deictic of a pack and who lists each: found in a text by the
/// [`TextScanner`](super::scan::TextScanner), then turned into [`DeicticHit`]s.
#[derive(Default)]
pub(crate) struct DeicticForms {
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
    /// The forms' owners, and the distinct forms (numbered as in [`DeicticCollector::add`]) for
    /// the [`TextScanner`](super::scan::TextScanner). Forms are non-empty (the loader checks it).
    pub(crate) fn build(deictics: &[Deictic]) -> (DeicticForms, Vec<String>) {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut forms: Vec<String> = Vec::new();
        for (d, deictic) in deictics.iter().enumerate() {
            for (f, form) in deictic.forms.iter().enumerate() {
                let id = *ids.entry(form.as_str()).or_insert_with(|| {
                    owners.push(Vec::new());
                    forms.push(form.clone());
                    owners.len() - 1
                });
                owners[id].push((d, f));
            }
        }
        (DeicticForms { owners }, forms)
    }

    /// Collects the hits of one text's scan.
    pub(super) fn collector(&self) -> DeicticCollector<'_> {
        DeicticCollector {
            forms: self,
            last_end: vec![0; self.owners.len()],
            found: Vec::new(),
        }
    }
}

/// Turns the overlapping occurrences of the forms in one text, in order of their end, into
/// deictic hits.
pub(super) struct DeicticCollector<'a> {
    forms: &'a DeicticForms,
    /// End of the last accepted occurrence of each form, for the non-overlap rule.
    last_end: Vec<usize>,
    /// (deictic, index in its `forms`, hit), for the final order.
    found: Vec<(usize, usize, DeicticHit)>,
}

impl DeicticCollector<'_> {
    /// One occurrence of the distinct form `form`.
    pub(super) fn add(&mut self, form: u32, start: usize, end: usize) {
        let form = form as usize;
        if start < self.last_end[form] {
            return;
        }
        self.last_end[form] = end;
        for &(deictic, index) in &self.forms.owners[form] {
            let hit = DeicticHit {
                start,
                end,
                deictic,
            };
            self.found.push((deictic, index, hit));
        }
    }

    /// Every occurrence of every form, exactly as `str::match_indices` per form finds them
    /// (occurrences of one form do not overlap; different forms may), ordered by deictic, form
    /// and position: the order one search per form would produce.
    pub(super) fn finish(mut self) -> Vec<DeicticHit> {
        self.found
            .sort_unstable_by_key(|&(deictic, index, hit)| (deictic, index, hit.start));
        self.found.into_iter().map(|(_, _, hit)| hit).collect()
    }
}
