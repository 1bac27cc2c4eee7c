//! Stage 4: mentions → one document's extraction. Groups mentions into entities (aliases,
//! short forms and gazetteer canonical names resolved), finds the document's own title, place
//! and issuer, and runs the relation rules.

use crate::input::Document;
use crate::iri;
use crate::mentions::{find_mentions, Candidate, Referent, Resolved};
use crate::model::{
    Class, DocMetadata, EntityOut, Extraction, MentionOut, RelationOut, RelationType, Span,
};
use crate::normalize::{label_key, NormalizedText};
use crate::rules::{
    DeicticTarget, FrameWindow, GazEntry, RelationMatcher, RelationRule, RulePack, Slot, Window,
};
use crate::text::Segments;
use std::collections::HashMap;

/// An entity of one document while it is being built.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub class: Class,
    pub kind: String,
    pub label: String,
    pub entry: Option<u32>,
    /// Indices into `DocAnalysis::mentions`.
    pub mentions: Vec<usize>,
    /// For an entity the text implies but never names (浙江省人民政府 behind 浙江省省长): the
    /// byte offset of the words that imply it, so it has a place in the output order.
    pub implied_at: Option<usize>,
}

impl Entity {
    /// An entity with no mention yet.
    fn unmentioned(
        class: Class,
        (kind, label): (String, String),
        entry: Option<u32>,
        implied_at: Option<usize>,
    ) -> Entity {
        Entity {
            class,
            kind,
            label,
            entry,
            mentions: Vec::new(),
            implied_at,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Relation {
    pub kind: RelationType,
    pub subject: usize,
    pub object: usize,
    pub rule: usize,
    /// Byte spans in the normalised text.
    pub evidence: Vec<(usize, usize)>,
}

/// One match of a frame rule: a place it names (an entity) or a date, with the rule's weight.
#[derive(Debug, Clone)]
pub(crate) struct FrameEvidence {
    pub rule: usize,
    /// Byte span in the normalised text; None for the file name.
    pub span: Option<(usize, usize)>,
    pub place: Option<usize>,
    pub date: Option<String>,
    pub weight: u32,
}

/// Everything known about one document: the extraction and how it came about.
pub(crate) struct DocAnalysis {
    pub norm: NormalizedText,
    pub segments: Segments,
    pub mentions: Vec<Candidate>,
    pub beaten: Vec<(Candidate, usize)>,
    /// For each mention: its entity, or None for a deictic word.
    pub mention_entity: Vec<Option<usize>>,
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    pub title: Option<usize>,
    /// The heading lines the title was read from (byte span of the normalised text): the
    /// title's own mention, kept out of `mentions` because the names inside it (its issuer,
    /// the 《document》 a notice issues) are mentions too.
    pub heading: Option<(usize, usize)>,
    pub issuer: Option<usize>,
    pub date: Option<String>,
    /// The document number (文号) and the entity it belongs to.
    pub number: Option<(usize, String)>,
    /// Label key → entity, for slots and deictic words that name an entity (国务院, 中国).
    by_name: HashMap<String, usize>,
    /// What each place deictic of the pack (我市, 全省) refers to, decided once the entities
    /// are final; relation rules ask for it thousands of times.
    deictic_places: Vec<Option<usize>>,
    /// The document's own place: the place its frame evidence names with the most weight,
    /// then the most referred to.
    pub own_place: Option<usize>,
    /// Why: its frame weight and its references (mentions and level words).
    pub own_place_score: (u32, usize),
    /// What the frame rules found: the evidence for the own place and the date.
    pub frame: Vec<FrameEvidence>,
    /// Page furniture lines: (start, end, rule).
    pub boilerplate: Vec<(usize, usize, usize)>,
    /// Rules (by rule index) whose Place subjects stand for their governments.
    rule_places_as_government: Vec<usize>,
}

/// Extracts one decoded document with `pack`: its entities, relations and frame. The same
/// pack and document always give the same extraction.
pub fn extract(pack: &RulePack, doc: &Document) -> Extraction {
    extract_with(pack, doc, None)
}

/// [`extract`], with what the user knows about the document overriding its frame.
pub fn extract_with(pack: &RulePack, doc: &Document, meta: Option<&DocMetadata>) -> Extraction {
    analyse_with(pack, &doc.text, &doc.rel, meta).to_extraction(pack, doc)
}

pub(crate) fn analyse(pack: &RulePack, text: &str, rel: &str) -> DocAnalysis {
    analyse_with(pack, text, rel, None)
}

/// The rule index of facts the user's metadata states (`rule: "metadata"` in the output).
pub const METADATA_RULE: usize = usize::MAX;

pub(crate) fn analyse_with(
    pack: &RulePack,
    text: &str,
    rel: &str,
    meta: Option<&DocMetadata>,
) -> DocAnalysis {
    let meta = meta.cloned().unwrap_or_default();
    let norm = NormalizedText::new(text);
    let mut segments = Segments::new(&norm.text);
    let boilerplate = find_boilerplate(pack, &norm.text, &segments);
    segments.set_boilerplate(boilerplate.iter().map(|&(s, e, _)| (s, e)).collect());
    let scan = pack.scan(&norm.text);
    let Resolved { mentions, beaten } = find_mentions(pack, &norm, &segments, &scan);
    let mut a = DocAnalysis {
        norm,
        segments,
        mention_entity: vec![None; mentions.len()],
        mentions,
        beaten,
        entities: Vec::new(),
        relations: Vec::new(),
        title: None,
        heading: None,
        issuer: None,
        number: None,
        by_name: HashMap::new(),
        deictic_places: Vec::new(),
        own_place: None,
        own_place_score: (0, 0),
        frame: Vec::new(),
        boilerplate,
        rule_places_as_government: pack
            .relation_rules
            .iter()
            .filter(|r| r.place_as_government)
            .map(|r| r.rule)
            .collect(),
        date: None,
    };
    a.build_entities(pack);
    a.merge_short_forms();
    a.frame = a.frame_evidence(pack, rel);
    (a.own_place, a.own_place_score) = a.own_place(pack);
    if let Some(place) = &meta.place {
        a.own_place = Some(a.entity_named(pack, Class::Place, place));
    }
    a.deictic_places = pack
        .deictics
        .iter()
        .map(|d| match &d.refers_to {
            DeicticTarget::Place { types } => a.place_at_level(&d.own_place_suffixes, types),
            _ => None,
        })
        .collect();
    a.resolve_local_bodies(pack);
    a.full_government_names(pack);
    a.index_names();
    a.find_title(pack);
    if let Some(title) = &meta.title {
        let title = a.entity_named(pack, Class::Document, title);
        if a.title != Some(title) {
            a.heading = None;
        }
        a.title = Some(title);
    }
    a.date = meta
        .date
        .clone()
        .or_else(|| a.frame_date())
        .or_else(|| a.find_date(pack, rel));
    a.date_divisions(pack);
    a.issuer = meta
        .issuer
        .as_ref()
        .map(|issuer| a.entity_named(pack, Class::Organization, issuer));
    for (rule, rule_anchors) in pack.relation_rules.iter().zip(&scan.anchors.relation) {
        a.run_relation_rule(pack, rule, rule_anchors.as_deref());
        // The issuer is whoever the header or the signature says issued the document; rules
        // run in load order, so later rules can use it for 我局/我委.
        let frames_issuer = rule.kind == RelationType::Issued
            && matches!(rule.window, Window::Header | Window::Signature);
        if a.issuer.is_none() && frames_issuer {
            a.issuer = a
                .relations
                .iter()
                .find(|r| r.rule == rule.rule)
                .map(|r| r.subject);
        }
    }
    if let (Some(issuer), Some(title), Some(_)) = (a.issuer, a.title, &meta.issuer) {
        // The user's issuer replaces the one the header or signature named.
        let framed: Vec<usize> = pack
            .relation_rules
            .iter()
            .filter(|r| matches!(r.window, Window::Header | Window::Signature))
            .map(|r| r.rule)
            .collect();
        a.relations.retain(|r| {
            !(r.kind == RelationType::Issued && r.object == title && framed.contains(&r.rule))
        });
        a.add_relation(RelationType::Issued, issuer, title, METADATA_RULE, (0, 0));
    }
    a.number = a.find_number(pack);
    a
}

impl DocAnalysis {
    fn text(&self) -> &str {
        &self.norm.text
    }

    /// Adds an entity with no mention yet and returns its index; `implied_at` as on [`Entity`].
    fn push_entity(
        &mut self,
        class: Class,
        (kind, label): (String, String),
        entry: Option<u32>,
        implied_at: Option<usize>,
    ) -> usize {
        self.entities
            .push(Entity::unmentioned(class, (kind, label), entry, implied_at));
        self.entities.len() - 1
    }

    fn build_entities(&mut self, pack: &RulePack) {
        let gaz = &pack.gazetteer;
        // Codes named unambiguously, to pick among homonyms (朝阳区 of Beijing or Changchun).
        let known_codes: Vec<&str> = self
            .mentions
            .iter()
            .filter_map(|m| match &m.referent {
                Referent::Named { entries, .. } if entries.len() == 1 => {
                    gaz.entries[entries[0] as usize].code.as_deref()
                }
                _ => None,
            })
            .collect();
        let mut by_key: HashMap<(Class, String), usize> = HashMap::new();
        for (mi, m) in self.mentions.iter().enumerate() {
            let Referent::Named {
                class,
                kind,
                label,
                entries,
            } = &m.referent
            else {
                continue;
            };
            let entry = if entries.is_empty() {
                gaz.lookup(label, Some(*class)).next()
            } else {
                entries
                    .iter()
                    .copied()
                    .find(|&e| {
                        gaz.entries[e as usize]
                            .parent
                            .as_deref()
                            .is_some_and(|p| known_codes.contains(&p))
                    })
                    .or(entries.first().copied())
            };
            let (label, kind) = match entry {
                Some(e) => {
                    let e = &gaz.entries[e as usize];
                    (e.name.clone(), e.kind.clone())
                }
                None => (label.clone(), kind.clone()),
            };
            let key_name = entry
                .and_then(|e| gaz.entries[e as usize].iri_key())
                .unwrap_or_else(|| label_key(&label));
            let idx = *by_key.entry((*class, key_name)).or_insert_with(|| {
                // Not push_entity: `self.mentions` is borrowed by the loop.
                self.entities
                    .push(Entity::unmentioned(*class, (kind, label), entry, None));
                self.entities.len() - 1
            });
            self.entities[idx].mentions.push(mi);
            self.mention_entity[mi] = Some(idx);
        }
    }

    /// Divisions as they were in the document's year (GB/T 2260 since 1981): a name takes the
    /// row valid in that year (重庆 in 1984 is 510200, a city of Sichuan, not 500000 of 1997);
    /// a division that did not exist yet keeps its name but no code (海南 in 1984); a retired
    /// division is no name at all in a text of another or an unknown year (海城市 of 1985–1986
    /// in a 2026 report's 沿海城市).
    fn date_divisions(&mut self, pack: &RulePack) {
        let gaz = &pack.gazetteer;
        let year = self
            .date
            .as_deref()
            .and_then(|d| d.get(..4)?.parse::<u16>().ok());
        for e in 0..self.entities.len() {
            let ent = &self.entities[e];
            let Some(current) = ent.entry.map(|en| &gaz.entries[en as usize]) else {
                continue;
            };
            let fits = |g: &GazEntry| match year {
                Some(y) => g.valid_in(y),
                None => !g.is_retired(),
            };
            if ent.class != Class::Place || ent.mentions.is_empty() || fits(current) {
                continue;
            }
            let namesakes = ent
                .mentions
                .iter()
                .flat_map(|&mi| match &self.mentions[mi].referent {
                    Referent::Named { entries, .. } => entries.clone(),
                    Referent::Deictic(_) => Vec::new(),
                });
            let replacement = namesakes
                .chain(gaz.lookup(&label_key(&current.name), Some(Class::Place)))
                .find(|&g| fits(&gaz.entries[g as usize]));
            let ent = &mut self.entities[e];
            match replacement {
                Some(g) => {
                    ent.entry = Some(g);
                    ent.label = gaz.entries[g as usize].name.clone();
                    ent.kind = gaz.entries[g as usize].kind.clone();
                }
                None if current.is_retired() => {
                    for mi in std::mem::take(&mut ent.mentions) {
                        self.mention_entity[mi] = None;
                    }
                }
                None => ent.entry = None,
            }
        }
    }

    fn merge(&mut self, from: usize, into: usize) {
        if from == into {
            return;
        }
        let moved = std::mem::take(&mut self.entities[from].mentions);
        for &m in &moved {
            self.mention_entity[m] = Some(into);
        }
        let target = &mut self.entities[into];
        target.mentions.extend(moved);
        target.mentions.sort_unstable();
        for r in &mut self.relations {
            if r.subject == from {
                r.subject = into;
            }
            if r.object == from {
                r.object = into;
            }
        }
    }

    /// Short forms: “互联网+” is the program “互联网+”行动计划 when both appear; 《指导意见》 is
    /// the document whose full title ends with it and was named before; a department named
    /// bare in a task list (审批服务局) is the one the text names with its level or place
    /// (市审批服务局, 包头市审批服务局).
    fn merge_short_forms(&mut self) {
        let keys: Vec<String> = self.entities.iter().map(|e| label_key(&e.label)).collect();
        // Counted once: the search below compares every pair of programs or documents.
        let key_chars: Vec<usize> = keys.iter().map(|k| k.chars().count()).collect();
        let place_keys: Vec<&str> = (0..self.entities.len())
            .filter(|&e| self.entities[e].class == Class::Place)
            .map(|e| keys[e].as_str())
            .collect();
        let names_a_place = |prefix: &str| {
            matches!(
                prefix,
                "省" | "市" | "县" | "区" | "州" | "旗" | "自治区" | "自治州"
            ) || place_keys.contains(&prefix)
        };
        for short in 0..self.entities.len() {
            let class = self.entities[short].class;
            if self.entities[short].mentions.is_empty()
                || !matches!(class, Class::Program | Class::Document | Class::Organization)
                // A body the gazetteer knows is that body, whatever other text names it.
                || (class == Class::Organization && self.entities[short].entry.is_some())
            {
                continue;
            }
            let first = self.entities[short].mentions[0];
            let key = &keys[short];
            let long = (0..self.entities.len())
                .filter(|&o| {
                    o != short
                        && self.entities[o].class == class
                        && !self.entities[o].mentions.is_empty()
                })
                .filter(|&o| key_chars[o] > key_chars[short])
                .filter(|&o| match class {
                    Class::Program => keys[o].starts_with(key.as_str()),
                    Class::Organization => keys[o]
                        .strip_suffix(key.as_str())
                        .is_some_and(names_a_place),
                    _ => keys[o].ends_with(key.as_str()) && self.entities[o].mentions[0] < first,
                })
                .max_by_key(|&o| (key_chars[o], std::cmp::Reverse(o)));
            if let Some(long) = long {
                self.merge(short, long);
            }
        }
    }

    /// 市委, 省政府, 县财政局: a body named by its level alone belongs to the document's place
    /// of that level. It takes that place's name, so it has one IRI across documents and is
    /// one entity with its full form (县政府 = 汶川县人民政府). Its mentions keep their text.
    fn resolve_local_bodies(&mut self, pack: &RulePack) {
        for e in 0..self.entities.len() {
            let ent = &self.entities[e];
            if ent.class != Class::Organization || ent.mentions.is_empty() || ent.entry.is_some() {
                continue;
            }
            // The level word, the place-name endings that mean the own place at that level,
            // and the place types of the level.
            const LEVELS: [(&str, &str, &[&str]); 6] = [
                ("自治区", "自治区", &["Province"]),
                ("省", "省", &["Province"]),
                ("市", "市", &["City", "Prefecture"]),
                ("县", "县", &["County"]),
                ("区", "区", &["District"]),
                ("州", "州", &["Prefecture"]),
            ];
            let Some(&(level, suffix, types)) = LEVELS
                .iter()
                .find(|(level, ..)| ent.label.starts_with(level))
            else {
                continue;
            };
            let rest = &ent.label[level.len()..];
            let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
            let Some(place) = self.place_at_level(&[suffix.to_string()], &types) else {
                continue;
            };
            let place_label = &self.entities[place].label;
            let rest = rest.to_string();
            // A place's 政府 is its 人民政府, its 委 the party's committee there (中共山东省委, as
            // titles and signatures write it).
            let full = if rest.starts_with("政府") {
                format!("{place_label}人民{rest}")
            } else if rest.starts_with('委') {
                format!("中共{place_label}{rest}")
            } else {
                format!("{place_label}{rest}")
            };
            // The gazetteer's name for it, if it has one (中共浙江省委员会 for 中共浙江省委).
            let full = pack
                .gazetteer
                .lookup(&label_key(&full), Some(Class::Organization))
                .next()
                .map_or(full, |g| pack.gazetteer.entries[g as usize].name.clone());
            self.rename_organization(e, full);
        }
    }

    /// Gives organization `e` its full name, merging it into the organization the text names
    /// by that name if there is one.
    fn rename_organization(&mut self, e: usize, full: String) {
        let key = label_key(&full);
        let same = (0..self.entities.len()).find(|&o| {
            o != e
                && self.entities[o].class == Class::Organization
                && !self.entities[o].mentions.is_empty()
                && label_key(&self.entities[o].label) == key
        });
        match same {
            Some(other) => self.merge(e, other),
            None => self.entities[e].label = full,
        }
    }

    /// 上海市政府 is 上海市人民政府, the body's full name: one entity and one IRI whichever
    /// form a text uses.
    fn full_government_names(&mut self, pack: &RulePack) {
        for e in 0..self.entities.len() {
            let ent = &self.entities[e];
            if ent.class != Class::Organization || ent.mentions.is_empty() || ent.entry.is_some() {
                continue;
            }
            let Some(place) = ent.label.strip_suffix("政府") else {
                continue;
            };
            // Chinese divisions only: 韩国政府 is not a people's government.
            const DIVISIONS: [&str; 5] = ["Province", "City", "Prefecture", "County", "District"];
            let Some(entry) = pack
                .gazetteer
                .lookup(&label_key(place), Some(Class::Place))
                .find(|&g| DIVISIONS.contains(&pack.gazetteer.entries[g as usize].kind.as_str()))
            else {
                continue;
            };
            let full = format!("{}人民政府", pack.gazetteer.entries[entry as usize].name);
            self.rename_organization(e, full);
        }
    }

    /// The 文号 in the header, for the document's own title entity or else the document a
    /// notice issues (关于印发《X》的通知: the number is X's).
    fn find_number(&self, pack: &RulePack) -> Option<(usize, String)> {
        let re = pack.document.number.as_ref()?;
        let (s, e) = self.segments.header(pack.document.header_lines)?;
        let number = re.find(&self.text()[s..e])?.as_str().to_string();
        let owner = self.title.or_else(|| {
            let header_issued = pack
                .relation_rules
                .iter()
                .filter(|r| r.kind == RelationType::Issued && r.window == Window::Header)
                .map(|r| r.rule)
                .collect::<Vec<_>>();
            self.relations
                .iter()
                .find(|r| header_issued.contains(&r.rule))
                .map(|r| r.object)
        })?;
        Some((owner, number))
    }

    /// The document's own title: the first header line, or up to three consecutive header
    /// lines joined (a heading wrapped in an HTML page), that the pack's title pattern matches
    /// whole. It is the Document entity of that label (the same as a 《》 mention of it), or a
    /// new one whose only mention is the heading.
    fn find_title(&mut self, pack: &RulePack) {
        const HEADING_LINES: usize = 3;
        let Some(re) = pack.document.title.as_ref() else {
            return;
        };
        let lines =
            &self.segments.lines[..pack.document.header_lines.min(self.segments.lines.len())];
        let found = (0..lines.len()).find_map(|first| {
            (first..lines.len().min(first + HEADING_LINES)).find_map(|last| {
                let joined: String = lines[first..=last]
                    .iter()
                    .map(|&(s, e)| &self.norm.text[s..e])
                    .collect();
                let caps = re.captures(&joined)?;
                let whole = caps.get(0)?;
                let title = caps.name("title").unwrap_or(whole);
                let kind = caps.name("kind").map_or("", |k| k.as_str()).to_string();
                // What precedes the group `title` (a heading mark) is on the first line.
                let first_line_len = lines[first].1 - lines[first].0;
                let start = lines[first].0 + title.start().min(first_line_len);
                let refused = pack
                    .document
                    .not_title
                    .as_ref()
                    .is_some_and(|r| r.is_match(title.as_str()))
                    || self.masthead_above_title(re, &lines[first..=last]);
                (whole.start() == 0 && whole.end() == joined.len() && !refused)
                    .then(|| ((start, lines[last].1), label_key(title.as_str()), kind))
            })
        });
        let Some((span, label, kind)) = found else {
            return;
        };
        let existing = (0..self.entities.len()).find(|&e| {
            self.entities[e].class == Class::Document && label_key(&self.entities[e].label) == label
        });
        let title = existing
            .unwrap_or_else(|| self.push_entity(Class::Document, (kind, label), None, None));
        self.title = Some(title);
        self.heading = Some(span);
    }

    /// Whether the first of these lines is a masthead (浠水县人民政府, 国务院办公厅文件) over a
    /// heading that is whole on the lines below it (县人民政府关于印发《…》的通知): the lines are
    /// then no heading wrapped over lines. A wrapped heading's tail (《…》的通知, 加强…的意见)
    /// never holds the 关于 of its start.
    fn masthead_above_title(&self, title: &regex::Regex, lines: &[(usize, usize)]) -> bool {
        let [head, tail @ ..] = lines else {
            return false;
        };
        if tail.is_empty() {
            return false;
        }
        let head = &self.norm.text[head.0..head.1];
        let tail: String = tail.iter().map(|&(s, e)| &self.norm.text[s..e]).collect();
        !head.contains("关于")
            && !head.contains('《')
            && tail.contains("关于")
            && title
                .find(&tail)
                .is_some_and(|m| m.start() == 0 && m.end() == tail.len())
    }

    /// The document's date: a full date in the signature (a notice's date of issue), else in
    /// the header (a report's delivery date), else a year and month, else a year in the file
    /// name (1985政府工作报告_赵紫阳.txt), else a bare year in the header. A bare year in a title
    /// (三年行动计划(2024—2026年)) is the weakest evidence.
    fn find_date(&self, pack: &RulePack, rel: &str) -> Option<String> {
        let re = pack.document.date.as_ref()?;
        let windows = [
            self.segments.signature(pack.document.signature_lines),
            self.segments.header(pack.document.header_lines),
        ];
        let mut found: Vec<(u32, Option<u32>, Option<u32>)> = Vec::new();
        for (s, e) in windows.into_iter().flatten() {
            let window = &self.text()[s..e];
            for caps in re.captures_iter(window) {
                let part = |n: &str| caps.name(n).and_then(|m| parse_number(m.as_str()));
                // The end of a range (2023—2027年) is not the document's year.
                let start = caps.get(0).map_or(0, |m| m.start());
                let after_range = window[..start].ends_with(['—', '-', '–', '~', '至', '到']);
                if after_range && caps.name("m").is_none() {
                    continue;
                }
                if let Some(y) = part("y").filter(|y| (1900..2100).contains(y)) {
                    let m = part("m").filter(|m| (1..=12).contains(m));
                    let d = part("d").filter(|d| (1..=31).contains(d));
                    found.push((y, m, d.filter(|_| m.is_some())));
                }
            }
        }
        if let Some(&(y, Some(m), Some(d))) = found.iter().find(|f| f.2.is_some()) {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
        if let Some(&(y, Some(m), _)) = found.iter().find(|f| f.1.is_some()) {
            return Some(format!("{y:04}-{m:02}"));
        }
        year_in_file_name(rel).or_else(|| found.first().map(|f| format!("{:04}", f.0)))
    }

    fn mention_text(&self, mi: usize) -> &str {
        let m = &self.mentions[mi];
        &self.norm.text[m.start..m.end]
    }

    /// The document's own place for a deictic word: its most-mentioned place of those types.
    fn place_of_types(&self, types: &[String]) -> Option<usize> {
        (0..self.entities.len())
            .filter(|&e| {
                let ent = &self.entities[e];
                ent.class == Class::Place
                    && !ent.mentions.is_empty()
                    && (types.is_empty() || types.contains(&ent.kind))
            })
            .max_by_key(|&e| {
                (
                    self.entities[e].mentions.len(),
                    std::cmp::Reverse(self.entities[e].mentions[0]),
                )
            })
    }

    fn resolve_deictic(&self, pack: &RulePack, d: usize) -> Option<usize> {
        match &pack.deictics[d].refers_to {
            DeicticTarget::Place { .. } => self.deictic_places.get(d).copied().flatten(),
            DeicticTarget::Issuer => self.issuer,
            DeicticTarget::Named(name) => self.entity_labelled(&label_key(name)),
        }
    }

    /// The place a level word (全市, 市政府) stands for: the document's own place when its
    /// name has one of the level's endings (上海市 for 全市, though a province), else the
    /// most-mentioned place of the level's types.
    fn place_at_level(&self, own_place_suffixes: &[String], types: &[String]) -> Option<usize> {
        let own = self.own_place.filter(|&p| {
            let place = &self.entities[p];
            types.contains(&place.kind)
                || own_place_suffixes
                    .iter()
                    .any(|s| place.label.ends_with(s.as_str()))
        });
        own.or_else(|| self.place_of_types(types))
    }

    /// Every match of the pack's frame rules: the places the title line, the date-and-session
    /// line, the speaker line and the file name name, and the dates they give.
    fn frame_evidence(&mut self, pack: &RulePack, rel: &str) -> Vec<FrameEvidence> {
        let file_name = rel.rsplit(['/', '\\']).next().unwrap_or(rel);
        let mut out = Vec::new();
        for rule in &pack.frame_rules {
            let (text, offset) = match rule.window {
                FrameWindow::FileName => (file_name.to_string(), None),
                FrameWindow::Header | FrameWindow::Signature => {
                    let window = if rule.window == FrameWindow::Header {
                        self.segments.header(pack.document.header_lines)
                    } else {
                        self.segments.signature(pack.document.signature_lines)
                    };
                    let Some((s, e)) = window else { continue };
                    (self.norm.text[s..e].to_string(), Some(s))
                }
            };
            // (whole match, place group, date) of each match, then the places they name.
            let found: Vec<_> = rule
                .regex
                .captures_iter(&text)
                .filter_map(|caps| {
                    let whole = caps.get(0)?;
                    let place = caps.name("place").map(|g| (g.start(), g.end()));
                    Some(((whole.start(), whole.end()), place, date_of(&caps)))
                })
                .collect();
            for (whole, place_group, date) in found {
                let place = place_group.and_then(|(s, e)| match offset {
                    Some(o) => self.place_within(pack, o + s, o + e),
                    None => self.place_named(&text[s..e]),
                });
                if place.is_none() && date.is_none() {
                    continue;
                }
                out.push(FrameEvidence {
                    rule: rule.rule,
                    span: offset.map(|o| (o + whole.0, o + whole.1)),
                    place,
                    date,
                    weight: rule.weight,
                });
            }
        }
        out
    }

    /// The administrative place with the longest mention inside a byte span, else one named
    /// there only inside a longer name (吉林省 in 吉林省第十四届人民代表大会): the entity of that
    /// name, or a new one the frame implies.
    fn place_within(&mut self, pack: &RulePack, start: usize, end: usize) -> Option<usize> {
        let named = self
            .mentions_in(start, end)
            .filter_map(|mi| {
                let e = self.mention_entity[mi]?;
                let m = &self.mentions[mi];
                (m.end <= end && self.is_administrative(e)).then_some((m.end - m.start, e))
            })
            .max_by_key(|&(len, _)| len)
            .map(|(_, e)| e);
        if named.is_some() {
            return named;
        }
        let (at, entry, label, kind) = self
            .beaten
            .iter()
            .filter(|(c, _)| start <= c.start && c.end <= end)
            .filter_map(|(c, _)| match &c.referent {
                Referent::Named {
                    class: Class::Place,
                    kind,
                    label,
                    entries,
                } => {
                    let entry = entries.first().copied();
                    let (label, kind) = entry
                        .map(|e| &pack.gazetteer.entries[e as usize])
                        .map_or((label, kind), |e| (&e.name, &e.kind));
                    Some((c.start, c.end - c.start, entry, label.clone(), kind.clone()))
                }
                _ => None,
            })
            .max_by_key(|c| c.1)
            .map(|(at, _, entry, label, kind)| (at, entry, label, kind))?;
        self.place_named(&label).or_else(|| {
            let e = self.push_entity(Class::Place, (kind, label), entry, Some(at));
            self.is_administrative(e).then_some(e).or_else(|| {
                self.entities.pop();
                None
            })
        })
    }

    /// The entity of this class the text names by `name`, else the gazetteer's entry of that
    /// name, else a new entity without a mention: what the user's metadata names.
    fn entity_named(&mut self, pack: &RulePack, class: Class, name: &str) -> usize {
        let key = label_key(name);
        let named = (0..self.entities.len())
            .find(|&e| self.entities[e].class == class && self.is_named(e, &key));
        if let Some(e) = named {
            return e;
        }
        let entry = pack.gazetteer.lookup(&key, Some(class)).next();
        let (label, kind) = match entry.map(|g| &pack.gazetteer.entries[g as usize]) {
            Some(g) => (g.name.clone(), g.kind.clone()),
            None => (name.trim().to_string(), class.as_str().to_string()),
        };
        if let Some(e) = (0..self.entities.len())
            .find(|&e| self.entities[e].class == class && self.entities[e].label == label)
        {
            return e;
        }
        self.push_entity(class, (kind, label), entry, Some(0))
    }

    /// The administrative place the text names by this name (the file name's 湖北省).
    fn place_named(&self, name: &str) -> Option<usize> {
        let key = label_key(name);
        (0..self.entities.len()).find(|&e| self.is_administrative(e) && self.is_named(e, &key))
    }

    /// Whether entity `e`'s label or one of its mention texts has this label key.
    fn is_named(&self, e: usize, key: &str) -> bool {
        // Mention texts are normalised already: their label key only drops spaces and quote
        // marks, so a shorter text cannot have it (and most texts are compared without one).
        let has_key =
            |text: &str| text == key || (text.len() > key.len() && label_key(text) == key);
        has_key(&self.entities[e].label)
            || self.entities[e]
                .mentions
                .iter()
                .any(|&m| has_key(self.mention_text(m)))
    }

    /// Places a document can be the document of: countries and divisions, not regions
    /// (长三角) or zones.
    fn is_administrative(&self, e: usize) -> bool {
        const ADMINISTRATIVE: [&str; 6] = [
            "Country",
            "Province",
            "City",
            "Prefecture",
            "County",
            "District",
        ];
        let ent = &self.entities[e];
        ent.class == Class::Place
            && (!ent.mentions.is_empty() || ent.implied_at.is_some())
            && ADMINISTRATIVE.contains(&ent.kind.as_str())
    }

    /// The date of the heaviest frame evidence with one (the ——date-and-session line).
    fn frame_date(&self) -> Option<String> {
        self.frame
            .iter()
            .filter(|f| f.date.is_some())
            .max_by_key(|f| f.weight)
            .and_then(|f| f.date.clone())
    }

    /// The document's own place: the administrative place with the most frame weight (title
    /// line, date-and-session line, speaker line, file name), then the most references — its
    /// mentions and the level words (我市, 全省) that may stand for it. 我国 and 全国 name 中国
    /// and are no evidence of what the document's own place is.
    fn own_place(&self, pack: &RulePack) -> (Option<usize>, (u32, usize)) {
        const OWN_PLACE_MIN_REFERENCES: usize = 3;
        let mut weight = vec![0u32; self.entities.len()];
        for f in &self.frame {
            if let Some(p) = f.place {
                weight[p] += f.weight;
            }
        }
        let mut references = vec![0usize; self.entities.len()];
        for (e, ent) in self.entities.iter().enumerate() {
            if self.is_administrative(e) {
                references[e] = ent.mentions.len();
            }
        }
        // Uses of each place deictic, then each counted once per place it may stand for.
        let mut uses = vec![0usize; pack.deictics.len()];
        for m in &self.mentions {
            if let Referent::Deictic(d) = m.referent {
                uses[d] += 1;
            }
        }
        for (deictic, &n) in pack.deictics.iter().zip(&uses) {
            let DeicticTarget::Place { types } = &deictic.refers_to else {
                continue;
            };
            if n == 0 {
                continue;
            }
            for (e, ent) in self.entities.iter().enumerate() {
                let answers = types.contains(&ent.kind)
                    || deictic
                        .own_place_suffixes
                        .iter()
                        .any(|s| ent.label.ends_with(s.as_str()));
                if answers && self.is_administrative(e) {
                    references[e] += n;
                }
            }
        }
        // A place named once or twice in passing (陆海口岸 holds 海口) is not what the text is
        // about, unless the frame says so.
        let own = (0..self.entities.len())
            .filter(|&e| weight[e] > 0 || references[e] >= OWN_PLACE_MIN_REFERENCES)
            .max_by_key(|&e| (weight[e], references[e], std::cmp::Reverse(e)));
        (own, own.map_or((0, 0), |e| (weight[e], references[e])))
    }

    /// The program the document is about: the longest program name inside its title
    /// (政府网站集约化试点工作方案 → 政府网站集约化试点), else its most-mentioned program.
    fn own_program(&self) -> Option<usize> {
        let programs = || {
            (0..self.entities.len()).filter(|&e| {
                self.entities[e].class == Class::Program && !self.entities[e].mentions.is_empty()
            })
        };
        let title_key = self.title.map(|t| label_key(&self.entities[t].label));
        let in_title = title_key.as_ref().and_then(|title| {
            programs()
                .filter(|&e| title.contains(&label_key(&self.entities[e].label)))
                .max_by_key(|&e| self.entities[e].label.chars().count())
        });
        in_title.or_else(|| {
            programs().max_by_key(|&e| {
                (
                    self.entities[e].mentions.len(),
                    std::cmp::Reverse(self.entities[e].mentions[0]),
                )
            })
        })
    }

    /// The entity a mention stands for, if it fits the slot's classes.
    fn slot_entity(
        &self,
        pack: &RulePack,
        mi: usize,
        classes: &[Class],
        types: &[String],
    ) -> Option<usize> {
        let entity = match self.mentions[mi].referent {
            Referent::Deictic(d) => self.resolve_deictic(pack, d)?,
            Referent::Named { .. } => self.mention_entity[mi]?,
        };
        let e = &self.entities[entity];
        (classes.contains(&e.class) && (types.is_empty() || types.contains(&e.kind)))
            .then_some(entity)
    }

    /// The entity the text names with this label key (国务院), by label or mention text.
    fn entity_labelled(&self, key: &str) -> Option<usize> {
        self.by_name.get(key).copied()
    }

    /// Indexes entities by the label keys of their label and mention texts (first entity in
    /// text order wins), once the entities are final and before relations are read.
    fn index_names(&mut self) {
        let mut by_name = HashMap::new();
        for (e, ent) in self.entities.iter().enumerate() {
            if ent.mentions.is_empty() {
                continue;
            }
            by_name.entry(label_key(&ent.label)).or_insert(e);
            for &m in &ent.mentions {
                by_name.entry(label_key(self.mention_text(m))).or_insert(e);
            }
        }
        self.by_name = by_name;
    }

    fn frame_entity(&self, slot: &Slot) -> Option<usize> {
        match slot {
            Slot::Title => self.title,
            Slot::Place => self.own_place,
            Slot::Issuer => self.issuer,
            Slot::Program => self.own_program(),
            Slot::Named(key) => self.entity_labelled(key),
            Slot::Classes { .. } => None,
        }
    }

    /// The people's government of a place: the Organization the text names 宁波市人民政府 (or
    /// 宁波市政府, one entity), else a new one it implies.
    fn government_of(&mut self, place: usize, at: usize) -> usize {
        if self.entities[place].class != Class::Place {
            return place;
        }
        let label = format!("{}人民政府", self.entities[place].label);
        let key = label_key(&label);
        if let Some(&named) = self.by_name.get(&key) {
            if self.entities[named].class == Class::Organization {
                return named;
            }
        }
        let implied = (0..self.entities.len()).find(|&e| {
            self.entities[e].class == Class::Organization
                && label_key(&self.entities[e].label) == key
        });
        implied.unwrap_or_else(|| {
            self.push_entity(
                Class::Organization,
                ("Government".to_string(), label),
                None,
                Some(at),
            )
        })
    }

    fn add_relation(
        &mut self,
        kind: RelationType,
        subject: usize,
        object: usize,
        rule: usize,
        evidence: (usize, usize),
    ) {
        let subject = if self.rule_places_as_government.contains(&rule) {
            self.government_of(subject, evidence.0)
        } else {
            subject
        };
        if subject == object {
            return;
        }
        if let Some(r) = self
            .relations
            .iter_mut()
            .find(|r| r.kind == kind && r.subject == subject && r.object == object)
        {
            if !r.evidence.contains(&evidence) {
                r.evidence.push(evidence);
            }
            return;
        }
        self.relations.push(Relation {
            kind,
            subject,
            object,
            rule,
            evidence: vec![evidence],
        });
    }

    fn windows(&self, pack: &RulePack, window: Window) -> Vec<(usize, usize)> {
        match window {
            Window::Sentence => self.segments.sentences.clone(),
            Window::Clause => self.segments.clauses.clone(),
            Window::Header => self
                .segments
                .header(pack.document.header_lines)
                .into_iter()
                .collect(),
            Window::Signature => self
                .segments
                .signature(pack.document.signature_lines)
                .into_iter()
                .collect(),
        }
    }

    fn overlaps_mention(&self, start: usize, end: usize) -> bool {
        let i = self.mentions.partition_point(|m| m.end <= start);
        self.mentions.get(i).is_some_and(|m| m.start < end)
    }

    /// Mentions inside a byte range, by index.
    fn mentions_in(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        let lo = self.mentions.partition_point(|m| m.start < start);
        let hi = self.mentions.partition_point(|m| m.start < end);
        lo..hi.max(lo)
    }

    /// `anchors`: the starts of the anchors of the rule's regex, if it has any.
    fn run_relation_rule(
        &mut self,
        pack: &RulePack,
        rule: &RelationRule,
        anchors: Option<&[usize]>,
    ) {
        match &rule.matcher {
            RelationMatcher::Trigger {
                trigger,
                subject_first,
                max_gap,
            } => {
                let windows: Vec<(usize, usize)> = trigger
                    .windows_to_search(self.text(), &self.windows(pack, rule.window), anchors)
                    .collect();
                for (ws, we) in windows {
                    // A trigger word inside a name (建设 in 长江经济带建设) is not a verb.
                    let triggers: Vec<(usize, usize)> = trigger
                        .regex
                        .find_iter(&self.norm.text[ws..we])
                        .map(|m| (ws + m.start(), ws + m.end()))
                        .filter(|&(ts, te)| !self.overlaps_mention(ts, te))
                        .collect();
                    for (ts, te) in triggers {
                        self.apply_trigger(
                            pack,
                            rule,
                            (ws, we),
                            (ts, te),
                            *subject_first,
                            *max_gap,
                        );
                    }
                }
            }
            RelationMatcher::Pattern(regex) => {
                let windows: Vec<(usize, usize)> = regex
                    .windows_to_search(self.text(), &self.windows(pack, rule.window), anchors)
                    .collect();
                for (ws, we) in windows {
                    let mut groups = Vec::new();
                    for caps in regex.regex.captures_iter(&self.norm.text[ws..we]) {
                        let span = |n: &str| caps.name(n).map(|m| (ws + m.start(), ws + m.end()));
                        if let Some(whole) = caps.get(0) {
                            groups.push((
                                span("subject"),
                                span("object"),
                                (ws + whole.start(), ws + whole.end()),
                            ));
                        }
                    }
                    for (subject_span, object_span, whole) in groups {
                        let subjects = self.fill_group(pack, &rule.subject, subject_span, true);
                        let subjects = if subjects.is_empty() {
                            rule.default_subject
                                .as_ref()
                                .and_then(|d| self.frame_entity(d))
                                .into_iter()
                                .collect()
                        } else {
                            subjects
                        };
                        let objects = self.fill_group(pack, &rule.object, object_span, false);
                        for &s in &subjects {
                            for &o in &objects {
                                self.add_relation(rule.kind, s, o, rule.rule, whole);
                            }
                        }
                    }
                }
            }
            RelationMatcher::Cooccur => {
                for (ws, we) in self.windows(pack, rule.window) {
                    let subjects = self.fill_group(pack, &rule.subject, Some((ws, we)), false);
                    let objects = self.fill_group(pack, &rule.object, Some((ws, we)), false);
                    if let (Some(&s), Some(&o)) = (subjects.first(), objects.first()) {
                        self.add_relation(rule.kind, s, o, rule.rule, (ws, we));
                    }
                }
            }
            RelationMatcher::GazetteerParent => self.infer_hierarchy(pack, rule),
            RelationMatcher::NamePrefix => self.infer_sub_bodies(rule),
            RelationMatcher::PlacePrefix => self.infer_location_from_name(pack, rule),
            RelationMatcher::TitleIssuer => self.infer_title_issuers(pack, rule),
        }
    }

    /// Entities for a slot from the mentions inside a pattern group; `last` keeps only the one
    /// nearest the group's end (the subject directly before the verb).
    fn fill_group(
        &self,
        pack: &RulePack,
        slot: &Slot,
        span: Option<(usize, usize)>,
        last: bool,
    ) -> Vec<usize> {
        let Slot::Classes { classes, types } = slot else {
            return self.frame_entity(slot).into_iter().collect();
        };
        let Some((s, e)) = span else {
            return Vec::new();
        };
        let mut found: Vec<usize> = self
            .mentions_in(s, e)
            .filter(|&mi| self.mentions[mi].end <= e)
            .filter_map(|mi| self.slot_entity(pack, mi, classes, types))
            .collect();
        found.dedup();
        if last {
            found.split_off(found.len().saturating_sub(1))
        } else {
            found
        }
    }

    fn apply_trigger(
        &mut self,
        pack: &RulePack,
        rule: &RelationRule,
        window: (usize, usize),
        trigger: (usize, usize),
        subject_first: bool,
        max_gap: usize,
    ) {
        let (before_slot, after_slot) = if subject_first {
            (&rule.subject, &rule.object)
        } else {
            (&rule.object, &rule.subject)
        };
        let skip = SubjectFilter {
            not_preceded_by: rule.subject_not_preceded_by.as_ref(),
            not_followed_by: rule.subject_not_followed_by.as_ref(),
        };
        let (skip_before, skip_after) = if subject_first {
            (skip, SubjectFilter::default())
        } else {
            (SubjectFilter::default(), skip)
        };
        let before = self.slot_fillers(
            pack,
            before_slot,
            window,
            trigger,
            max_gap,
            true,
            skip_before,
        );
        let after = self.slot_fillers(
            pack, after_slot, window, trigger, max_gap, false, skip_after,
        );
        let (mut subjects, objects) = if subject_first {
            (before, after)
        } else {
            (after, before)
        };
        // 新修订的《预算法》, 审议通过的《政府工作报告》: a verb before 的 describes the document;
        // who acted is not said, and is not the document's own place.
        let attributive = self.text()[trigger.1..].starts_with('的');
        if subjects.is_empty() && !objects.is_empty() && !attributive {
            if let Some(d) = &rule.default_subject {
                subjects.extend(self.frame_entity(d).map(|e| (e, trigger)));
            }
        }
        for &(s, s_span) in &subjects {
            for &(o, o_span) in &objects {
                let evidence = (
                    s_span.0.min(o_span.0).min(trigger.0),
                    s_span.1.max(o_span.1).max(trigger.1),
                );
                self.add_relation(rule.kind, s, o, rule.rule, evidence);
            }
        }
    }

    /// The slot's entities nearest the trigger on one side, with list members joined by 、和及;
    /// a mention `skip` refuses is passed over.
    #[allow(clippy::too_many_arguments)]
    fn slot_fillers(
        &self,
        pack: &RulePack,
        slot: &Slot,
        window: (usize, usize),
        trigger: (usize, usize),
        max_gap: usize,
        before: bool,
        skip: SubjectFilter,
    ) -> Vec<(usize, (usize, usize))> {
        let Slot::Classes { classes, types } = slot else {
            return self
                .frame_entity(slot)
                .map(|e| (e, trigger))
                .into_iter()
                .collect();
        };
        let text = self.text();
        let range = if before {
            self.mentions_in(window.0, trigger.0)
        } else {
            self.mentions_in(trigger.1, window.1)
        };
        let ordered: Vec<usize> = if before {
            range.rev().collect()
        } else {
            range.collect()
        };
        let mut out = Vec::new();
        let mut edge = if before { trigger.0 } else { trigger.1 };
        for mi in ordered {
            let m = &self.mentions[mi];
            if (before && m.end > trigger.0) || (!before && m.end > window.1) {
                continue;
            }
            if out.is_empty() && skip.refuses(&text[window.0..m.start], &text[m.end..window.1]) {
                continue;
            }
            let gap = if before {
                &text[m.end.min(edge)..edge]
            } else {
                &text[edge..m.start.max(edge)]
            };
            let Some(entity) = self.slot_entity(pack, mi, classes, types) else {
                if out.is_empty() {
                    continue;
                }
                break;
            };
            let ok = if out.is_empty() {
                gap.chars().count() <= max_gap
            } else {
                is_list_separator(gap)
            };
            if !ok {
                break;
            }
            if !out.iter().any(|&(e, _)| e == entity) {
                out.push((entity, (m.start, m.end)));
            }
            edge = if before { m.start } else { m.end };
        }
        out
    }

    fn infer_hierarchy(&mut self, pack: &RulePack, rule: &RelationRule) {
        let gaz = &pack.gazetteer;
        let by_entry: HashMap<u32, usize> = self
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.mentions.is_empty())
            .filter_map(|(i, e)| e.entry.map(|en| (en, i)))
            .collect();
        let by_code: HashMap<&str, usize> = self
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.mentions.is_empty())
            .filter_map(|(i, e)| {
                e.entry
                    .and_then(|en| gaz.entries[en as usize].code.as_deref())
                    .map(|c| (c, i))
            })
            .collect();
        let mut found = Vec::new();
        for (&entry, &child) in &by_entry {
            if self.entities[child].class != Class::Place {
                continue;
            }
            let mut cursor = gaz.parent_of(entry);
            let mut steps = 0;
            while let Some(p) = cursor {
                let code = gaz.entries[p as usize].code.as_deref();
                if let Some(&parent) = by_entry
                    .get(&p)
                    .or_else(|| code.and_then(|c| by_code.get(c)))
                {
                    if parent != child {
                        found.push((child, parent));
                        break;
                    }
                }
                steps += 1;
                if steps > 8 {
                    break;
                }
                cursor = gaz.parent_of(p);
            }
        }
        found.sort_unstable();
        for (child, parent) in found {
            let m = &self.mentions[self.entities[child].mentions[0]];
            let evidence = (m.start, m.end);
            self.add_relation(rule.kind, child, parent, rule.rule, evidence);
        }
    }

    fn infer_sub_bodies(&mut self, rule: &RelationRule) {
        // By every name the text gives them: 市委政法委 extends 市委 as written, whatever the
        // full names (中共宁波市委政法委, 中共宁波市委员会) are.
        let orgs: Vec<(usize, Vec<String>)> = (0..self.entities.len())
            .filter(|&e| {
                self.entities[e].class == Class::Organization
                    && !self.entities[e].mentions.is_empty()
            })
            .map(|e| (e, self.entity_name_keys(e)))
            .collect();
        let mut found = Vec::new();
        for (child, child_keys) in &orgs {
            // The longest organization name that the child's name extends is its direct parent.
            let parent = orgs
                .iter()
                .filter(|(p, _)| p != child)
                .filter_map(|(p, keys)| {
                    keys.iter()
                        .filter(|key| {
                            child_keys
                                .iter()
                                .any(|c| c.len() > key.len() && c.starts_with(key.as_str()))
                        })
                        .map(String::len)
                        .max()
                        .map(|len| (len, *p))
                })
                .max();
            if let Some((_, parent)) = parent {
                found.push((*child, parent));
            }
        }
        for (child, parent) in found {
            let m = &self.mentions[self.entities[child].mentions[0]];
            let evidence = (m.start, m.end);
            self.add_relation(rule.kind, child, parent, rule.rule, evidence);
        }
    }

    /// An entity of the subject's classes whose name, as the text writes it, starts with a
    /// place the text names is there: 美国皮尤研究中心 is located in 美国, 岳阳经济技术开发区 is
    /// part of 岳阳市 (the document's own place counts as named: a notice names it in its
    /// bodies' names). Full titles do not count: 全国政协 is not "中国…".
    fn infer_location_from_name(&mut self, pack: &RulePack, rule: &RelationRule) {
        let place_types: &[String] = match &rule.object {
            Slot::Classes { types, .. } => types,
            _ => &[],
        };
        let (subject_classes, subject_types): (&[Class], &[String]) = match &rule.subject {
            Slot::Classes { classes, types } => (classes, types),
            _ => (&[], &[]),
        };
        let places: Vec<(usize, Vec<String>)> = (0..self.entities.len())
            .filter(|&e| {
                let ent = &self.entities[e];
                ent.class == Class::Place
                    && (!ent.mentions.is_empty() || self.own_place == Some(e))
                    && (place_types.is_empty() || place_types.contains(&ent.kind))
            })
            .map(|e| {
                let mut keys = self.entity_name_keys(e);
                // Names of what lies in a division start with its short name (岳阳 of 岳阳市 in
                // 岳阳经济技术开发区), whether or not the text uses it on its own.
                let entry = self.entities[e]
                    .entry
                    .map(|g| &pack.gazetteer.entries[g as usize]);
                let aliases = entry.map_or(&[][..], |g| g.aliases.as_slice());
                keys.extend(
                    aliases
                        .iter()
                        .filter(|a| a.chars().count() >= 2)
                        .map(|a| label_key(a)),
                );
                (e, keys)
            })
            .collect();
        let mut found = Vec::new();
        for (org, ent) in self.entities.iter().enumerate() {
            let fits = subject_classes.contains(&ent.class)
                && (subject_types.is_empty() || subject_types.contains(&ent.kind));
            if !fits || ent.mentions.is_empty() {
                continue;
            }
            let written: Vec<String> = ent
                .mentions
                .iter()
                .map(|&m| label_key(self.mention_text(m)))
                .collect();
            let place = places
                .iter()
                .filter_map(|(p, names)| {
                    names
                        .iter()
                        .filter(|n| {
                            written
                                .iter()
                                .any(|w| w.len() > n.len() && w.starts_with(n.as_str()))
                        })
                        .map(|n| n.len())
                        .max()
                        .map(|len| (len, *p))
                })
                .max();
            if let Some((_, place)) = place {
                found.push((org, place));
            }
        }
        for (org, place) in found {
            let m = &self.mentions[self.entities[org].mentions[0]];
            let evidence = (m.start, m.end);
            self.add_relation(rule.kind, org, place, rule.rule, evidence);
        }
    }

    /// A title names its issuers before 关于, 印发 or 转发: 《国务院关于深化预算管理制度改革的
    /// 决定》, 《中共山东省委山东省人民政府关于深化财税体制改革的意见》, 中共中央办公厅国务院办公厅
    /// 印发〈…〉的通知. The bodies are the names found there, which the title's mention beat
    /// (they overlap it), or the mentions inside a heading; they must fill the opening from the
    /// title's first character to the verb, separated by nothing but 、和与及 or spaces, or the
    /// opening is something else (《2016年政务公开工作要点》, 《关于…的意见》). A title without
    /// such a verb that opens with a body's name is that body's (镇巴县人民政府工作规则, 国务院
    /// 工作规则), unless it is a law (全国人民代表大会组织法 is the legislature's act). A body
    /// named only there is an entity of the text all the same, with no mention of its own; so is
    /// the document a title issues in 〈〉 (…印发〈关于全面推进政务公开工作的意见〉的通知), which its
    /// issuers issued too.
    fn infer_title_issuers(&mut self, pack: &RulePack, rule: &RelationRule) {
        let Slot::Classes { classes, .. } = &rule.subject else {
            return;
        };
        let titles: Vec<(usize, usize, usize)> = (0..self.mentions.len())
            .filter_map(|mi| {
                let e = self.mention_entity[mi]?;
                let m = &self.mentions[mi];
                (self.entities[e].class == Class::Document).then_some((e, m.start, m.end))
            })
            .chain(self.title.zip(self.heading).map(|(t, (s, e))| (t, s, e)))
            .collect();
        let heading = self.title.zip(self.heading).map(|(_, (s, _))| s);
        for (document, start, end) in titles {
            let issuers = match self.title_opening(start, end) {
                Some(opening) => self.bodies_from(pack, classes, opening, true),
                // Only the document's own heading, which its header frames as issued: a cited
                // 《陕西省人民政府工作规则》 says whose rules they are, not who made them.
                None if heading == Some(start)
                    && !self.entities[document].label.ends_with('法') =>
                {
                    let from = start + self.title_lead(start, end);
                    self.bodies_from(pack, &[Class::Organization], (from, end), false)
                }
                None => self.body_before_title(start),
            };
            let issued_inside = self.document_issued_inside(pack, start, end);
            for issuer in issuers.unwrap_or_default() {
                self.add_relation(rule.kind, issuer, document, rule.rule, (start, end));
                if let Some(inner) = issued_inside {
                    self.add_relation(rule.kind, issuer, inner, rule.rule, (start, end));
                }
            }
        }
    }

    /// 国务院《关于进一步做好…的意见》, 省政府《…办法》: the body named right before a cited
    /// title's 《 is whose document it is.
    fn body_before_title(&self, start: usize) -> Option<Vec<usize>> {
        let before = self.text()[..start].strip_suffix('《')?;
        let at = before.trim_end_matches(' ').len();
        let body = self.mentions_in(0, at).rev().find_map(|mi| {
            let e = self.mention_entity[mi]?;
            (self.mentions[mi].end == at && self.entities[e].class == Class::Organization)
                .then_some(e)
        })?;
        Some(vec![body])
    }

    /// Bytes of book-title marks and spaces a title's span opens with.
    fn title_lead(&self, start: usize, end: usize) -> usize {
        let text = &self.text()[start..end];
        text.len() - text.trim_start_matches(['《', '〈', ' ', '\n']).len()
    }

    /// The span of a title from its first character to the 关于/印发/转发 that ends its issuers.
    fn title_opening(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let from = start + self.title_lead(start, end);
        let inner = &self.text()[from..end];
        let verb = [
            "关于", "关於", "關于", "關於", "印发", "转发", "印發", "轉發",
        ]
        .iter()
        .filter_map(|v| inner.find(v))
        .min()?;
        (verb > 0).then_some((from, from + verb))
    }

    /// The document a title issues in 〈〉 (印发〈Y〉的通知), a new entity without a mention; None
    /// if the text has a document of that title already: two bodies' opinions often share one
    /// (关于全面推进政务公开工作的实施意见 of a province and of its city), so the name alone does not
    /// say which.
    fn document_issued_inside(
        &mut self,
        pack: &RulePack,
        start: usize,
        end: usize,
    ) -> Option<usize> {
        let text = &self.text()[start..end];
        let at = ["印发〈", "转发〈", "印發〈", "轉發〈"]
            .iter()
            .filter_map(|v| text.find(v).map(|i| i + v.len()))
            .min()?;
        let len = text[at..].find('〉')?;
        let name = text[at..at + len].to_string();
        let known = self.entities.len();
        let inner = self.entity_named(pack, Class::Document, &name);
        if inner < known {
            return None;
        }
        // Its kind is the ending a title has (意见, 通知 …), as a heading's.
        let kind = pack
            .document
            .title
            .as_ref()
            .and_then(|re| re.captures(&name))
            .and_then(|c| c.name("kind").map(|k| k.as_str().to_string()));
        if let Some(kind) = kind {
            self.entities[inner].kind = kind;
        }
        self.entities[inner].implied_at = Some(start);
        Some(inner)
    }

    /// The entities of the names that tile `span` from its start (longest first at each step,
    /// lists allowed): all of it when `whole`, or None if some part of it is no name of these
    /// classes; else as far as names go, None if not even one does or they fill it all.
    fn bodies_from(
        &mut self,
        pack: &RulePack,
        classes: &[Class],
        (start, end): (usize, usize),
        whole: bool,
    ) -> Option<Vec<usize>> {
        let names: Vec<Candidate> = self
            .beaten
            .iter()
            .map(|(c, _)| c)
            .chain(self.mentions_in(start, end).map(|mi| &self.mentions[mi]))
            .filter(|c| start <= c.start && c.end <= end)
            .filter(
                |c| matches!(&c.referent, Referent::Named { class, .. } if classes.contains(class)),
            )
            .cloned()
            .collect();
        let mut cursor = start;
        let mut chosen = Vec::new();
        while cursor < end {
            let rest = &self.text()[cursor..end];
            let skipped = rest.trim_start_matches(['、', '和', '与', '及', ' ', '\n']);
            if skipped.len() < rest.len() {
                cursor += rest.len() - skipped.len();
                continue;
            }
            let Some(next) = names
                .iter()
                .filter(|c| c.start == cursor)
                .max_by_key(|c| c.end)
            else {
                break;
            };
            chosen.push(next.clone());
            cursor = next.end;
        }
        let filled = cursor >= end;
        if chosen.is_empty() || filled != whole {
            return None;
        }
        let bodies = chosen
            .iter()
            .filter_map(|c| self.entity_of_candidate(pack, c))
            .collect::<Vec<_>>();
        (bodies.len() == chosen.len()).then_some(bodies)
    }

    /// The entity a candidate names: the text's entity of that name, else a new one without a
    /// mention (a body named only inside a title).
    fn entity_of_candidate(&mut self, pack: &RulePack, c: &Candidate) -> Option<usize> {
        let Referent::Named {
            class,
            kind,
            label,
            entries,
        } = &c.referent
        else {
            return None;
        };
        let gaz = &pack.gazetteer;
        let entry = entries
            .first()
            .copied()
            .or_else(|| gaz.lookup(&label_key(label), Some(*class)).next());
        let (label, kind) = entry
            .map(|e| &gaz.entries[e as usize])
            .map_or((label.clone(), kind.clone()), |e| {
                (e.name.clone(), e.kind.clone())
            });
        let key = label_key(&label);
        let text_key = label_key(&self.text()[c.start..c.end]);
        let named = (0..self.entities.len()).find(|&e| {
            self.entities[e].class == *class
                && (self.is_named(e, &key) || self.is_named(e, &text_key))
        });
        if named.is_some() {
            return named;
        }
        Some(self.push_entity(*class, (kind, label), entry, Some(c.start)))
    }

    /// Label keys of an entity's label and every mention text.
    fn entity_name_keys(&self, e: usize) -> Vec<String> {
        let mut keys: Vec<String> = std::iter::once(label_key(&self.entities[e].label))
            .chain(
                self.entities[e]
                    .mentions
                    .iter()
                    .map(|&m| label_key(self.mention_text(m))),
            )
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Where a person's name identifies them ([`iri::person_iri`]): the document's own place
    /// (by code where it has one), else its issuer, else its source file.
    fn person_scope(&self, pack: &RulePack, doc: &Document) -> String {
        let Some(e) = self.own_place.or(self.issuer) else {
            return format!("source/{}", doc.rel);
        };
        let ent = &self.entities[e];
        ent.entry
            .and_then(|en| pack.gazetteer.entries[en as usize].iri_key())
            .unwrap_or_else(|| ent.label.clone())
    }

    /// The JSONL record, offsets mapped back to the original text.
    pub fn to_extraction(&self, pack: &RulePack, doc: &Document) -> Extraction {
        let original: Vec<char> = doc.text.chars().collect();
        let mut ids: Vec<Option<String>> = vec![None; self.entities.len()];
        let person_scope = self.person_scope(pack, doc);
        let heading = self.title.zip(self.heading);
        let first_offset = |e: usize| match heading {
            Some((title, (start, _))) if title == e => {
                let first = self.entities[e].mentions.first();
                first.map_or(start, |&m| self.mentions[m].start.min(start))
            }
            _ => match self.entities[e].mentions.first() {
                Some(&m) => self.mentions[m].start,
                None => self.entities[e].implied_at.unwrap_or(0),
            },
        };
        let mut order: Vec<usize> = (0..self.entities.len())
            .filter(|&e| {
                let ent = &self.entities[e];
                !ent.mentions.is_empty()
                    || ent.implied_at.is_some()
                    || heading.is_some_and(|h| h.0 == e)
            })
            .collect();
        // Entities the text never names come last, by label and class: the order a store
        // that keeps no offsets for them reads them back in.
        let implied =
            |e: usize| self.entities[e].mentions.is_empty() && heading.is_none_or(|h| h.0 != e);
        order.sort_by(|&a, &b| {
            let key = |e: usize| {
                let ent = &self.entities[e];
                if implied(e) {
                    (true, 0, ent.label.as_str(), ent.class, e)
                } else {
                    (false, first_offset(e), "", ent.class, e)
                }
            };
            key(a).cmp(&key(b))
        });
        // Places inside longer mentions, by start: what a program's name holds (美丽中国).
        let mut beaten_places: Vec<(usize, usize, &str)> = self
            .beaten
            .iter()
            .filter_map(|(c, _)| match &c.referent {
                Referent::Named {
                    class: Class::Place,
                    kind,
                    ..
                } => Some((c.start, c.end, kind.as_str())),
                _ => None,
            })
            .collect();
        beaten_places.sort_unstable();
        let mut entities = Vec::with_capacity(order.len());
        for &e in &order {
            let ent = &self.entities[e];
            let entry = ent.entry.map(|en| &pack.gazetteer.entries[en as usize]);
            let code = entry.and_then(|en| en.code.clone()).or_else(|| {
                self.number
                    .as_ref()
                    .filter(|(owner, _)| *owner == e)
                    .map(|(_, n)| n.clone())
            });
            let id = entry.and_then(|en| en.iri.clone()).unwrap_or_else(|| {
                if self.title == Some(e) {
                    let number = self.number.as_ref().filter(|(owner, _)| *owner == e);
                    return iri::own_document_iri(
                        &pack.base_iri,
                        number.map(|(_, n)| n.as_str()),
                        &ent.label,
                        self.issuer.map(|i| self.entities[i].label.as_str()),
                        self.date.as_deref(),
                    );
                }
                // Only a gazetteer code identifies a thing across documents; a 文号 is an attribute.
                // A person the gazetteer lists (a national leader) is one person everywhere; any
                // other name is only known to be the same person within the document's scope.
                let gazetteer_code = entry.and_then(GazEntry::iri_key);
                if ent.class == Class::Person && entry.is_none() {
                    return iri::person_iri(&pack.base_iri, &person_scope, &ent.label);
                }
                iri::entity_iri(
                    &pack.base_iri,
                    ent.class,
                    gazetteer_code.as_deref(),
                    &ent.label,
                )
            });
            ids[e] = Some(id.clone());
            let mut names: Vec<String> = Vec::new();
            let mut mentions = Vec::with_capacity(ent.mentions.len() + 1);
            if let Some((_, (hs, he))) = heading.filter(|h| h.0 == e) {
                let (start, end) = self.norm.original_span(hs, he);
                let text: String = original[start..end].iter().collect();
                names.push(text.clone());
                mentions.push(MentionOut {
                    start,
                    end,
                    text,
                    rule: HEADING_RULE.to_string(),
                });
            }
            for &mi in &ent.mentions {
                let m = &self.mentions[mi];
                let (start, end) = self.norm.original_span(m.start, m.end);
                let text: String = original[start..end].iter().collect();
                if !names.contains(&text) {
                    names.push(text.clone());
                }
                mentions.push(MentionOut {
                    start,
                    end,
                    text,
                    rule: pack
                        .rules
                        .get(m.rule)
                        .map_or_else(String::new, |r| r.id.clone()),
                });
            }
            entities.push(EntityOut {
                id,
                class: ent.class,
                kind: ent.kind.clone(),
                label: ent.label.clone(),
                names,
                code,
                scope: self.program_scope(pack, e, &beaten_places),
                valid_from: entry.and_then(|en| en.valid_from),
                valid_to: entry.and_then(|en| en.valid_to),
                replaced_by: entry.map_or_else(Vec::new, |en| successor_iris(pack, en)),
                mentions,
            });
        }
        let mut relations: Vec<RelationOut> = self
            .relations
            .iter()
            .filter_map(|r| {
                Some(RelationOut {
                    kind: r.kind,
                    subject: ids.get(r.subject)?.clone()?,
                    object: ids.get(r.object)?.clone()?,
                    rule: pack
                        .rules
                        .get(r.rule)
                        .map_or_else(|| "metadata".to_string(), |i| i.id.clone()),
                    evidence: r
                        .evidence
                        .iter()
                        .map(|&(s, e)| {
                            let (start, end) = self.norm.original_span(s, e);
                            Span { start, end }
                        })
                        .collect(),
                })
            })
            .collect();
        relations.sort_by(|a, b| {
            (a.evidence.first(), a.kind, &a.subject, &a.object).cmp(&(
                b.evidence.first(),
                b.kind,
                &b.subject,
                &b.object,
            ))
        });
        Extraction {
            doc: doc.rel.clone(),
            sha256: doc.sha256.clone(),
            chars: original.len(),
            date: self.date.clone(),
            entities,
            relations,
            sentences: self.original_spans(&self.segments.sentences),
            paragraphs: self.original_spans(&self.segments.lines),
        }
    }

    /// A program's scope: its gazetteer row's (a national program), else 国家/全国 at the start
    /// of its name (national), else the place its name holds (美丽中国 national, 平安浙江
    /// provincial, 美丽宁波 local); None when the name says nothing.
    /// `beaten_places`: (start, end, type) of the place candidates inside longer mentions,
    /// sorted.
    fn program_scope(
        &self,
        pack: &RulePack,
        e: usize,
        beaten_places: &[(usize, usize, &str)],
    ) -> Option<String> {
        let ent = &self.entities[e];
        if ent.class != Class::Program {
            return None;
        }
        if let Some(scope) = ent
            .entry
            .and_then(|g| pack.gazetteer.entries[g as usize].scope.clone())
        {
            return Some(scope);
        }
        if ent.label.starts_with("国家") || ent.label.starts_with("全国") {
            return Some("national".to_string());
        }
        let place_kind = ent.mentions.iter().find_map(|&mi| {
            let m = &self.mentions[mi];
            let first = beaten_places.partition_point(|p| p.0 < m.start);
            beaten_places[first..]
                .iter()
                .take_while(|p| p.0 < m.end)
                .find(|p| p.1 <= m.end)
                .map(|p| p.2)
        })?;
        let scope = match place_kind {
            "Country" => "national",
            "Province" => "provincial",
            "City" | "Prefecture" | "County" | "District" => "local",
            _ => return None,
        };
        Some(scope.to_string())
    }

    fn original_spans(&self, ranges: &[(usize, usize)]) -> Vec<Span> {
        ranges
            .iter()
            .map(|&(s, e)| {
                let (start, end) = self.norm.original_span(s, e);
                Span { start, end }
            })
            .collect()
    }
}

/// The `rule` of a title's heading mention: the pack's `[document] title` pattern.
pub const HEADING_RULE: &str = "document.title";

/// Between two members of a list: 、 和 及 与 以及 并 or, (quotes and brackets around names),
/// also after a count that closes a sublist (北京、贵州10个省(区、市)和拉萨市).
/// A trigger rule's constraints on the text around a subject mention.
#[derive(Clone, Copy, Default)]
struct SubjectFilter<'r> {
    not_preceded_by: Option<&'r regex::Regex>,
    not_followed_by: Option<&'r regex::Regex>,
}

impl SubjectFilter<'_> {
    fn refuses(&self, before: &str, after: &str) -> bool {
        self.not_preceded_by.is_some_and(|r| r.is_match(before))
            || self.not_followed_by.is_some_and(|r| r.is_match(after))
    }
}

/// Page furniture is short lines: a line longer than this (in bytes, 120 Han chars) is text.
const FURNITURE_LINE_MAX_BYTES: usize = 360;

/// Every match of the pack's boilerplate rules: (start, end, rule), whole lines only. Only runs
/// of short lines are searched: most of a report is long paragraphs, and searching them was a
/// fifth of the extraction time.
fn find_boilerplate(
    pack: &RulePack,
    text: &str,
    segments: &Segments,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    if pack.boilerplate_rules.is_empty() {
        return out;
    }
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in &segments.lines {
        if e - s > FURNITURE_LINE_MAX_BYTES {
            continue;
        }
        // A line start, not the trimmed start: patterns see whole lines.
        let s = text[..s].rfind('\n').map_or(0, |i| i + 1);
        let e = text[e..].find('\n').map_or(text.len(), |i| e + i);
        match blocks.last_mut() {
            Some(last) if text[last.1..s].trim().is_empty() => last.1 = e,
            _ => blocks.push((s, e)),
        }
    }
    let Some(any) = &pack.boilerplate_any else {
        return out;
    };
    for &(bs, be) in &blocks {
        let block = &text[bs..be];
        // Most blocks (headings, list items) hold no furniture: one search tells.
        let Some(first) = any.find(block) else {
            continue;
        };
        // From the start of the first candidate's line, each rule on its own.
        let from = block[..first.start()].rfind('\n').map_or(0, |i| i + 1);
        for rule in &pack.boilerplate_rules {
            for m in rule.regex.find_iter(&block[from..]) {
                let (s, e) = (bs + from + m.start(), bs + from + m.end());
                let starts_line = s == 0 || text[..s].ends_with('\n');
                let ends_line = e == text.len() || text[e..].starts_with('\n');
                if starts_line && ends_line && !m.is_empty() {
                    out.push((s, e, rule.rule));
                }
            }
        }
    }
    out
}

/// The date of a match's groups `y`, `m`, `d` (any Chinese or Arabic numerals), as
/// YYYY, YYYY-MM or YYYY-MM-DD.
fn date_of(caps: &regex::Captures) -> Option<String> {
    let part = |n: &str| caps.name(n).and_then(|m| parse_number(m.as_str()));
    let y = part("y").filter(|y| (1900..2100).contains(y))?;
    Some(match part("m").filter(|m| (1..=12).contains(m)) {
        None => format!("{y:04}"),
        Some(m) => match part("d").filter(|d| (1..=31).contains(d)) {
            None => format!("{y:04}-{m:02}"),
            Some(d) => format!("{y:04}-{m:02}-{d:02}"),
        },
    })
}

fn is_list_separator(gap: &str) -> bool {
    static COUNT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let count = COUNT.get_or_init(|| {
        regex::Regex::new(
            r"^等?[0-9一二三四五六七八九十两]+个(?:省|市|县|区|地区|城市|省份|国家)(?:\([^()]{1,8}\))?",
        )
        .expect("a valid built-in regex")
    });
    static BRACKETED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let bracketed = BRACKETED
        .get_or_init(|| regex::Regex::new(r"\([^()]{0,24}\)").expect("a valid built-in regex"));
    let gap = count.find(gap).map_or(gap, |m| &gap[m.end()..]);
    // 《A》(国发〔2014〕45号)和《B》: a cited document's number in brackets stands between list
    // members.
    let gap = bracketed.replace_all(gap, "");
    let core: String = gap
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !crate::normalize::is_quote_mark(*c) && !matches!(c, '(' | ')')
        })
        .collect();
    matches!(
        core.as_str(),
        "、" | "和" | "及" | "与" | "以及" | "," | "及其" | "同" | "and" | ""
    )
}

/// A year in a file name (1985政府工作报告_赵紫阳.txt), not part of a longer number.
fn year_in_file_name(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let bytes = name.as_bytes();
    let boundary = |j: Option<&u8>| j.is_none_or(|b| !b.is_ascii_digit());
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let four = name.get(i..i + 4)?;
        (four.bytes().all(|b| b.is_ascii_digit())
            && (four.starts_with("19") || four.starts_with("20"))
            && boundary(i.checked_sub(1).and_then(|j| bytes.get(j)))
            && boundary(bytes.get(i + 4)))
        .then(|| four.to_string())
    })
}

/// ASCII digits, or Chinese numerals as dates write them: 二〇二四 (digit by digit), 十二, 二十三.
pub fn parse_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or((c == '零' || c == 'O' || c == '○').then_some(0))
    };
    if !s.contains('十') {
        return s
            .chars()
            .try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)? as u32));
    }
    let (tens, units) = s.split_once('十')?;
    let tens = if tens.is_empty() {
        1
    } else {
        digit(tens.chars().next()?)? as u32
    };
    let units = match units.chars().next() {
        None => 0,
        Some(c) => digit(c)? as u32,
    };
    Some(tens * 10 + units)
}

/// The IRIs of the divisions that replaced a retired one: each code's row as the gazetteer
/// knows it (today's where the code is still in use), sorted.
fn successor_iris(pack: &RulePack, entry: &GazEntry) -> Vec<String> {
    let gaz = &pack.gazetteer;
    let mut iris: Vec<String> = entry
        .replaced_by
        .iter()
        .filter_map(|code| gaz.by_code(code))
        .filter_map(|g| {
            let successor = &gaz.entries[g as usize];
            let key = successor.iri_key()?;
            Some(iri::entity_iri(
                &pack.base_iri,
                successor.class,
                Some(&key),
                &successor.name,
            ))
        })
        .collect();
    iris.sort();
    iris
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_date_numbers() {
        assert_eq!(parse_number("2024"), Some(2024));
        assert_eq!(parse_number("二〇二四"), Some(2024));
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("二十三"), Some(23));
        assert_eq!(parse_number("三"), Some(3));
        assert_eq!(parse_number("年"), None);
    }

    #[test]
    fn year_from_file_name() {
        assert_eq!(
            year_in_file_name("gov/1985政府工作报告_赵紫阳.txt").as_deref(),
            Some("1985")
        );
        assert_eq!(year_in_file_name("a/12345.txt"), None);
    }
}
