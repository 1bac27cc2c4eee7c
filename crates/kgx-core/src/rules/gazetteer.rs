//! Dictionary entities: TSV files of names and aliases, whose surface forms go into the
//! [`TextScanner`](super::scan::TextScanner)'s double-array Aho-Corasick automaton (daachorse,
//! char-wise: 3-5x faster than aho-corasick on CJK here).

use crate::model::Class;
use crate::normalize::label_key;
use std::collections::HashMap;

/// One row of a gazetteer file.
#[derive(Debug, Clone, PartialEq)]
pub struct GazEntry {
    /// The canonical name: the label of the entity it names.
    pub name: String,
    /// Other surface forms that name it (宁波 for 宁波市).
    pub aliases: Vec<String>,
    /// The class of its gazetteer table.
    pub class: Class,
    /// The finer type (Province, City, Agency …), from the row or its table.
    pub kind: String,
    /// GB/T 2260 or ISO 3166 code, if the table has one.
    pub code: Option<String>,
    /// The parent's code (places) or canonical name.
    pub parent: Option<String>,
    /// An IRI the row gives for the entity, used instead of one built from code or name.
    pub iri: Option<String>,
    /// The scope its rule gives it (a national program).
    pub scope: Option<String>,
    /// The gazetteer rule (index into `RulePack::rules`) the row was loaded under.
    pub rule: usize,
    /// The years the row names a division in (GB/T 2260): from `valid_from`, up to but not
    /// including `valid_to`; `None` where the table gives no bound.
    pub valid_from: Option<u16>,
    /// See `valid_from`: the first year the row no longer names the division.
    pub valid_to: Option<u16>,
    /// The codes of the divisions that replaced this one (a retired code).
    pub replaced_by: Vec<String>,
}

impl GazEntry {
    /// Whether the row names a division that exists in `year` (true where the table is silent).
    pub(crate) fn valid_in(&self, year: u16) -> bool {
        self.valid_from.is_none_or(|from| from <= year) && self.valid_to.is_none_or(|to| year < to)
    }

    /// A row of a division that no longer exists under this name and code.
    pub(crate) fn is_retired(&self) -> bool {
        self.valid_to.is_some()
    }

    /// What the entity IRI is made from: the code, and for a retired row its first year as
    /// well, since GB/T 2260 gives a retired code to another division later (132201 was
    /// 邢台市 until 1983 and 南宫市 from 1986).
    pub(crate) fn iri_key(&self) -> Option<String> {
        let code = self.code.as_ref()?;
        Some(match (self.is_retired(), self.valid_from) {
            (true, Some(from)) => format!("{code}/{from}"),
            _ => code.clone(),
        })
    }
}

/// A gazetteer surface form found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GazHit {
    /// Byte offsets in the normalised text.
    pub start: usize,
    /// One past the last byte (half-open).
    pub end: usize,
    /// Index into `Gazetteer::surfaces`.
    pub surface: u32,
}

/// Every gazetteer row of a pack, with the indexes mentions and relation rules look rows up in.
#[derive(Default)]
pub struct Gazetteer {
    /// The rows, in load order; `u32` entry indices elsewhere point into it.
    pub entries: Vec<GazEntry>,
    /// For each distinct surface form: the entries it may name (several for 朝阳区).
    pub surfaces: Vec<Vec<u32>>,
    /// label key → entries, for canonicalising names found by patterns (宁波 → 宁波市).
    by_key: HashMap<String, Vec<u32>>,
    by_code: HashMap<String, u32>,
    /// Context constraints of gazetteer rules that have them (abbreviations), by rule index.
    contexts: HashMap<usize, super::Context>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("entries", &self.entries.len())
            .field("surfaces", &self.surfaces.len())
            .finish()
    }
}

/// A name that may be matched, with the minimum length its rule allows.
pub(crate) struct SurfaceSpec {
    pub text: String,
    pub entry: u32,
}

impl Gazetteer {
    /// The gazetteer, and its distinct surface forms (numbered as [`GazHit::surface`]) for the
    /// [`TextScanner`](super::scan::TextScanner); `specs` pair each normalised surface with its
    /// entry.
    pub(crate) fn build(
        entries: Vec<GazEntry>,
        specs: Vec<SurfaceSpec>,
    ) -> (Gazetteer, Vec<String>) {
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut surfaces: Vec<Vec<u32>> = Vec::new();
        let mut surface_texts: Vec<String> = Vec::new();
        for spec in specs {
            let id = *index.entry(spec.text.clone()).or_insert_with(|| {
                surfaces.push(Vec::new());
                surface_texts.push(spec.text.clone());
                (surfaces.len() - 1) as u32
            });
            let list = &mut surfaces[id as usize];
            if !list.contains(&spec.entry) {
                list.push(spec.entry);
            }
        }
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_code = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                let list = by_key.entry(label_key(name)).or_default();
                if !list.contains(&(i as u32)) {
                    list.push(i as u32);
                }
            }
            if let Some(code) = &e.code {
                by_code.entry(code.clone()).or_insert(i as u32);
            }
        }
        // A division's years are its table's: the rows of other tables under its code (琼 and
        // 海南 of cn_abbreviations.tsv, 龙江 of cn_province_names.tsv) exist when it does.
        let mut since: HashMap<String, u16> = HashMap::new();
        for e in entries.iter().filter(|e| !e.is_retired()) {
            if let (Some(code), Some(from)) = (&e.code, e.valid_from) {
                since.entry(code.clone()).or_insert(from);
            }
        }
        let mut entries = entries;
        for e in entries
            .iter_mut()
            .filter(|e| e.valid_from.is_none() && !e.is_retired())
        {
            e.valid_from = e.code.as_ref().and_then(|c| since.get(c)).copied();
        }
        let gazetteer = Gazetteer {
            entries,
            surfaces,
            by_key,
            by_code,
            contexts: HashMap::new(),
        };
        (gazetteer, surface_texts)
    }

    pub(crate) fn with_contexts(mut self, contexts: Vec<(usize, super::Context)>) -> Gazetteer {
        self.contexts = contexts.into_iter().collect();
        self
    }

    pub(crate) fn context_for(&self, rule: usize) -> Option<&super::Context> {
        self.contexts.get(&rule)
    }

    /// Entries one of whose names has this label key, optionally of one class.
    pub fn lookup(&self, key: &str, class: Option<Class>) -> impl Iterator<Item = u32> + '_ {
        self.by_key
            .get(key)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| class.is_none_or(|c| self.entries[i as usize].class == c))
    }

    pub(crate) fn by_code(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied()
    }

    /// The entry's parent entry, if its `parent` is a known code or canonical name.
    pub(crate) fn parent_of(&self, entry: u32) -> Option<u32> {
        let parent = self.entries[entry as usize].parent.as_deref()?;
        self.by_code(parent)
            .or_else(|| self.lookup(&label_key(parent), None).next())
    }
}
