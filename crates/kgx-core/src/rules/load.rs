//! Reading, validating and compiling a rules folder. All errors are collected and reported
//! together with file:line:column, the rule id and what to change.

use super::gazetteer::{GazEntry, Gazetteer, SurfaceSpec};
use super::raw::*;
use super::*;
use crate::normalize::label_key;
use regex::RegexBuilder;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

/// Compiled regex programs above this size are refused: a rule must not exhaust memory.
pub(crate) const REGEX_SIZE_LIMIT: usize = 8 << 20;

/// Bumped whenever the same rules and input give other output (IRIs, fields, statements):
/// part of the pack hash, so a store or extractions.jsonl written before is re-extracted.
pub(crate) const OUTPUT_VERSION: &str = "kgx-output-2026-12-04b";
/// Default distance in chars between a relation trigger and its slots.
const DEFAULT_MAX_GAP: usize = 12;

/// One problem in the rule pack, located for the person editing it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// The file (the rules folder's name, then the path below it: `rules/entities/org.toml`),
    /// or the folder as given for a problem of the whole pack.
    pub file: String,
    /// 1-based line; 0 for a problem with the folder or pack as a whole.
    pub line: usize,
    /// 1-based column in chars; 0 as for `line`.
    pub column: usize,
    /// The id of the rule concerned, when there is one.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to change, when kgx can say.
    pub help: Option<String>,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in a rules folder; the pack is refused as a whole.
#[derive(Debug)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        write!(
            f,
            "\n{} error(s) in the rule pack; no rule was applied",
            self.0.len()
        )
    }
}

impl std::error::Error for RuleErrors {}

/// One rule file being compiled: knows how to turn byte spans into error positions.
struct Source<'a> {
    display: String,
    dir: PathBuf,
    text: &'a str,
}

impl Source<'_> {
    fn error(
        &self,
        span: std::ops::Range<usize>,
        rule: Option<&str>,
        message: impl Into<String>,
        help: Option<&str>,
    ) -> RuleError {
        let (line, column) = line_column(self.text, span.start);
        RuleError {
            file: self.display.clone(),
            line,
            column,
            rule: rule.map(str::to_string),
            message: message.into(),
            help: help.map(str::to_string),
        }
    }
}

pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

struct Builder {
    root: PathBuf,
    errors: Vec<RuleError>,
    pack: Option<(String, String, String)>,
    document: DocumentSettings,
    rules: Vec<RuleInfo>,
    gaz_entries: Vec<GazEntry>,
    gaz_surfaces: Vec<SurfaceSpec>,
    entity_rules: Vec<EntityRule>,
    relation_rules: Vec<RelationRule>,
    alias_rules: Vec<AliasRule>,
    deictics: Vec<Deictic>,
    boilerplate_rules: Vec<BoilerplateRule>,
    frame_rules: Vec<FrameRule>,
    gazetteer_contexts: Vec<(usize, Context)>,
    macros: std::collections::BTreeMap<String, String>,
}

/// Loads every rule file under `root`.
pub fn load_pack(root: &Path) -> Result<RulePack, RuleErrors> {
    let root_display = root.display().to_string();
    let root = root.canonicalize().map_err(|e| {
        RuleErrors(vec![pack_error(
            &root_display,
            format!("cannot open the rules folder: {e}"),
            Some("pass --rules DIR with a folder holding *.toml rule files"),
        )])
    })?;
    let (hash, tomls) = read_pack_files(&root, &root_display)?;
    let mut b = Builder::new(root);
    let parsed: Vec<_> = tomls
        .iter()
        .filter_map(|(path, bytes)| b.parse_file(path, bytes))
        .collect();
    // Macros first, from every file, so a rule may use one defined in another file.
    for (source, raw) in parsed {
        b.add_file(&source, raw);
    }
    if b.pack.is_none() && b.errors.is_empty() {
        b.errors.push(pack_error(
            &root_display,
            "no [pack] table".into(),
            Some("add a pack.toml with [pack] name, version and base_iri"),
        ));
    }
    if !b.errors.is_empty() {
        return Err(RuleErrors(b.errors));
    }
    b.into_pack(hash, &root_display)
}

/// An error of the pack as a whole (no file or line to point at): `file` is the folder as given.
fn pack_error(root_display: &str, message: String, help: Option<&str>) -> RuleError {
    RuleError {
        file: root_display.to_string(),
        line: 0,
        column: 0,
        rule: None,
        message,
        help: help.map(str::to_string),
    }
}

/// Every file under `root`, in path order.
fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The rule files (`*.toml`) of a pack with their bytes, in path order.
type RuleFiles = Vec<(PathBuf, Vec<u8>)>;

/// The pack hash (over every file's relative path and bytes, not only the rule files') and
/// the rule files.
fn read_pack_files(root: &Path, root_display: &str) -> Result<(String, RuleFiles), RuleErrors> {
    let fail = |message: String, help: &str| {
        RuleErrors(vec![pack_error(root_display, message, Some(help))])
    };
    let mut hasher = Sha256::new();
    // The pack hash keys incremental runs: outputs of an older kgx, made with the same rules
    // but other IRIs or fields, must not count as current.
    hasher.update(OUTPUT_VERSION.as_bytes());
    let mut tomls = Vec::new();
    for path in files_under(root) {
        let bytes = std::fs::read(&path).map_err(|e| {
            fail(
                format!("{}: cannot read: {e}", path.display()),
                "check permissions",
            )
        })?;
        hasher.update(
            path.strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .as_bytes(),
        );
        hasher.update(&bytes);
        if path.extension().is_some_and(|e| e == "toml") {
            tomls.push((path, bytes));
        }
    }
    if tomls.is_empty() {
        return Err(fail(
            "no *.toml rule files found".into(),
            "pass --rules DIR with the folder that holds pack.toml",
        ));
    }
    Ok((hex(&hasher.finalize()), tomls))
}

/// One regex matching wherever any of the rules' regexes matches.
fn any_of(rules: &[BoilerplateRule]) -> Result<Option<Regex>, String> {
    if rules.is_empty() {
        return Ok(None);
    }
    let alternation: Vec<String> = rules
        .iter()
        .map(|r| format!("(?:{})", r.regex.as_str()))
        .collect();
    RegexBuilder::new(&alternation.join("|"))
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map(Some)
        .map_err(|e| format!("the boilerplate rules together do not compile: {e}"))
}

fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}/{}", rel.display())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Builder {
    /// An empty pack under `root`, with the default header and signature sizes.
    fn new(root: PathBuf) -> Self {
        Builder {
            root,
            errors: Vec::new(),
            pack: None,
            document: DocumentSettings {
                header_lines: 6,
                signature_lines: 4,
                title: None,
                not_title: None,
                date: None,
                number: None,
            },
            rules: Vec::new(),
            gaz_entries: Vec::new(),
            gaz_surfaces: Vec::new(),
            entity_rules: Vec::new(),
            relation_rules: Vec::new(),
            alias_rules: Vec::new(),
            deictics: Vec::new(),
            boilerplate_rules: Vec::new(),
            frame_rules: Vec::new(),
            gazetteer_contexts: Vec::new(),
            macros: Default::default(),
        }
    }

    /// Decodes and parses one rule file and takes its macros; `None` (with the error noted)
    /// if it is not UTF-8 or not valid TOML for a rule file.
    fn parse_file<'a>(&mut self, path: &Path, bytes: &'a [u8]) -> Option<(Source<'a>, RawFile)> {
        let display = display_path(&self.root, path);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                self.errors.push(RuleError {
                    file: display,
                    line: 1,
                    column: 1,
                    rule: None,
                    message: format!("not UTF-8: {e}"),
                    help: Some("save the rule file as UTF-8".into()),
                });
                return None;
            }
        };
        let source = Source {
            display,
            dir: path.parent().unwrap_or(&self.root).to_path_buf(),
            text,
        };
        match toml::from_str::<RawFile>(text) {
            Ok(mut raw) => {
                self.macros.append(&mut raw.macros);
                Some((source, raw))
            }
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                self.errors.push(source.error(
                    span,
                    None,
                    e.message().to_string(),
                    Some("see rules/README.md for the rule file format"),
                ));
                None
            }
        }
    }

    /// The compiled pack, once every file was added without error: the gazetteer, deictic
    /// forms and rule anchors, and the one scanner that finds them all.
    fn into_pack(mut self, hash: String, root_display: &str) -> Result<RulePack, RuleErrors> {
        let whole_pack =
            |message: String| RuleErrors(vec![pack_error(root_display, message, None)]);
        let (gazetteer, surfaces) = Gazetteer::build(
            std::mem::take(&mut self.gaz_entries),
            std::mem::take(&mut self.gaz_surfaces),
        );
        let (deictic_forms, forms) = DeicticForms::build(&self.deictics);
        let (anchors, anchor_literals) =
            RuleAnchors::build(&self.entity_rules, &self.relation_rules);
        let scanner =
            TextScanner::build(&surfaces, &forms, &anchor_literals).map_err(whole_pack)?;
        let (name, version, base_iri) = self.pack.unwrap_or_default();
        Ok(RulePack {
            name,
            version,
            hash,
            base_iri,
            document: self.document,
            rules: self.rules,
            gazetteer: gazetteer.with_contexts(self.gazetteer_contexts),
            entity_rules: self.entity_rules,
            relation_rules: self.relation_rules,
            alias_rules: self.alias_rules,
            deictics: self.deictics,
            boilerplate_any: any_of(&self.boilerplate_rules).map_err(whole_pack)?,
            boilerplate_rules: self.boilerplate_rules,
            frame_rules: self.frame_rules,
            deictic_forms,
            anchors,
            scanner,
        })
    }

    fn add_file(&mut self, src: &Source, raw: RawFile) {
        if let Some(pack) = raw.pack {
            self.set_pack(src, pack);
        }
        if let Some(doc) = raw.document {
            self.set_document(src, doc);
        }
        for g in raw.gazetteer {
            let span = g.span();
            self.add_gazetteer(src, span, g.into_inner());
        }
        for e in raw.entity {
            let span = e.span();
            self.add_entity(src, span, e.into_inner());
        }
        for r in raw.relation {
            let span = r.span();
            self.add_relation(src, span, r.into_inner());
        }
        for a in raw.alias {
            let span = a.span();
            self.add_alias(src, span, a.into_inner());
        }
        for d in raw.deictic {
            let span = d.span();
            self.add_deictic(src, span, d.into_inner());
        }
        for b in raw.boilerplate {
            let span = b.span();
            self.add_boilerplate(src, span, b.into_inner());
        }
        for f in raw.frame {
            let span = f.span();
            self.add_frame(src, span, f.into_inner());
        }
    }

    fn set_pack(&mut self, src: &Source, pack: RawPack) {
        if self.pack.is_some() {
            self.errors.push(src.error(
                pack.base_iri.span(),
                None,
                "a second [pack] table",
                Some("keep exactly one [pack] table, in pack.toml"),
            ));
        }
        let base = pack.base_iri.get_ref().clone();
        if !is_base_iri(&base) {
            self.errors.push(src.error(
                pack.base_iri.span(),
                None,
                format!("base_iri `{base}` is not an absolute IRI ending in `/`"),
                Some("write it like https://example.org/kgx/"),
            ));
        }
        self.pack = Some((pack.name, pack.version, base));
    }

    fn set_document(&mut self, src: &Source, doc: RawDocument) {
        if let Some(n) = doc.header_lines {
            self.document.header_lines = n;
        }
        if let Some(n) = doc.signature_lines {
            self.document.signature_lines = n;
        }
        self.document.title = doc.title.and_then(|p| self.regex(src, None, &p, "{}"));
        self.document.not_title = doc.not_title.and_then(|p| self.regex(src, None, &p, "{}"));
        self.document.date = doc.date.and_then(|p| self.regex(src, None, &p, "{}"));
        self.document.number = doc.number.and_then(|p| self.regex(src, None, &p, "{}"));
    }

    fn add_alias(&mut self, src: &Source, span: std::ops::Range<usize>, a: RawPatternRule) {
        let rule = self.add_rule(src, span, &a.id, 0, a.examples);
        if let Some(regex) = self.regex(src, Some(&a.id), &a.pattern, "{}") {
            let names: Vec<_> = regex.capture_names().flatten().collect();
            if !(names.contains(&"full") && names.contains(&"short")) {
                self.errors.push(src.error(
                    a.pattern.span(),
                    Some(&a.id),
                    "an alias pattern needs named groups `full` and `short`",
                    Some("write (?P<full>...) and (?P<short>...)"),
                ));
            }
            self.alias_rules.push(AliasRule { rule, regex });
        }
    }

    fn add_deictic(&mut self, src: &Source, span: std::ops::Range<usize>, d: RawDeictic) {
        let refers_to = match (d.refers_to.get_ref().as_str(), d.name) {
            ("place", _) => DeicticTarget::Place { types: d.types },
            ("issuer", _) => DeicticTarget::Issuer,
            ("named", Some(name)) => DeicticTarget::Named(name),
            (other, _) => {
                self.errors.push(src.error(
                    span,
                    None,
                    format!("deictic refers_to `{other}` (or `named` without `name`)"),
                    Some("use refers_to = \"place\" (with types), \"issuer\", or \"named\" with name = \"中国\""),
                ));
                return;
            }
        };
        let forms: Vec<String> = d.forms.iter().map(|f| f.nfkc().collect()).collect();
        if forms.iter().any(String::is_empty) {
            self.errors.push(src.error(
                span,
                None,
                "an empty deictic form",
                Some("list words like \"我市\" in forms, or remove the empty string"),
            ));
            return;
        }
        self.deictics.push(Deictic {
            forms,
            refers_to,
            own_place_suffixes: d.own_place_suffixes,
        });
    }

    fn add_boilerplate(&mut self, src: &Source, span: std::ops::Range<usize>, b: RawPatternRule) {
        let rule = self.add_rule(src, span, &b.id, 0, b.examples);
        // Multi-line, so ^ and $ are line starts and ends.
        if let Some(regex) = self.regex(src, Some(&b.id), &b.pattern, "(?m){}") {
            self.boilerplate_rules.push(BoilerplateRule { rule, regex });
        }
    }

    fn add_frame(&mut self, src: &Source, span: std::ops::Range<usize>, f: RawFrame) {
        let rule = self.add_rule(src, span, &f.id, 0, f.examples);
        let window = match f.window.get_ref().as_str() {
            "header" => FrameWindow::Header,
            "signature" => FrameWindow::Signature,
            "file_name" => FrameWindow::FileName,
            other => {
                self.errors.push(src.error(
                    f.window.span(),
                    Some(&f.id),
                    format!("unknown frame window `{other}`"),
                    Some("use window = \"header\", \"signature\" or \"file_name\""),
                ));
                return;
            }
        };
        let Some(regex) = self.regex(src, Some(&f.id), &f.pattern, "(?m){}") else {
            return;
        };
        let names: Vec<_> = regex.capture_names().flatten().collect();
        if !(names.contains(&"place") || names.contains(&"y")) {
            self.errors.push(src.error(
                f.pattern.span(),
                Some(&f.id),
                "a frame pattern needs a group `place` or a date (groups `y`, `m`, `d`)",
                Some("write (?P<place>...) around the place name, or (?P<y>...)年(?P<m>...)月"),
            ));
            return;
        }
        self.frame_rules.push(FrameRule {
            rule,
            window,
            regex,
            weight: f.weight,
        });
    }

    fn add_rule(
        &mut self,
        src: &Source,
        span: std::ops::Range<usize>,
        id: &str,
        priority: i32,
        examples: Vec<RawExample>,
    ) -> usize {
        if let Some(previous) = self.rules.iter().find(|r| r.id == id) {
            let help = format!(
                "the id is already used at {}:{}",
                previous.file, previous.line
            );
            self.errors
                .push(src.error(span.clone(), Some(id), "duplicate rule id", Some(&help)));
        }
        self.rules.push(RuleInfo {
            id: id.to_string(),
            file: src.display.clone(),
            line: line_column(src.text, span.start).0,
            priority,
            examples: examples
                .into_iter()
                .map(|e| Example {
                    text: e.text,
                    expect: e.expect,
                    reject: e.reject,
                    source: e.source,
                    file: e.file,
                })
                .collect(),
        });
        self.rules.len() - 1
    }

    /// Compiles `template` with `{}` replaced by the pattern, under the size limit.
    fn regex(
        &mut self,
        src: &Source,
        rule: Option<&str>,
        pattern: &Spanned<String>,
        template: &str,
    ) -> Option<Regex> {
        let mut expanded = pattern.get_ref().clone();
        for (name, body) in &self.macros {
            let key = format!("{{{{{name}}}}}");
            if expanded.contains(&key) {
                expanded = expanded.replace(&key, &format!("(?:{body})"));
            }
        }
        let full = template.replace("{}", &expanded);
        match RegexBuilder::new(&full)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(r) => Some(r),
            Err(regex::Error::CompiledTooBig(limit)) => {
                self.errors.push(src.error(
                    pattern.span(),
                    rule,
                    format!("regex compiles to more than {limit} bytes"),
                    Some("split it into several rules or move long alternations into a gazetteer"),
                ));
                None
            }
            Err(e) => {
                self.errors.push(src.error(
                    pattern.span(),
                    rule,
                    format!("invalid regex: {e}"),
                    Some("regex syntax is Rust's `regex` crate (no look-around; use preceded_by/followed_by)"),
                ));
                None
            }
        }
    }

    fn context(&mut self, src: &Source, rule: &str, raw: RawContext) -> Context {
        let mut compile = |p: &Option<Spanned<String>>, template: &str| {
            p.as_ref()
                .and_then(|p| self.regex(src, Some(rule), p, template))
        };
        Context {
            preceded_by: compile(raw.preceded_by, "(?:{})$"),
            not_preceded_by: compile(raw.not_preceded_by, "(?:{})$"),
            followed_by: compile(raw.followed_by, "^(?:{})"),
            not_followed_by: compile(raw.not_followed_by, "^(?:{})"),
        }
    }

    fn class(
        &mut self,
        src: &Source,
        rule: &str,
        name: &str,
        span: std::ops::Range<usize>,
    ) -> Option<Class> {
        let class = Class::parse(name);
        if class.is_none() {
            self.errors.push(src.error(
                span,
                Some(rule),
                format!("unknown class `{name}`"),
                Some("use one of Place, Organization, Program, Document, Person"),
            ));
        }
        class
    }

    fn add_gazetteer(&mut self, src: &Source, span: std::ops::Range<usize>, g: RawGazetteer) {
        let rule = self.add_rule(src, span, &g.id, g.priority, g.examples.clone());
        let context = self.context(src, &g.id, g.context());
        if let Some(names) = &g.names {
            if !matches!(names.get_ref().as_str(), "all" | "canonical" | "aliases") {
                self.errors.push(src.error(
                    names.span(),
                    Some(&g.id),
                    format!("unknown names `{}`", names.get_ref()),
                    Some("use all, canonical or aliases"),
                ));
            }
        }
        if !context.is_empty() {
            self.gazetteer_contexts.push((rule, context));
        }
        let path = src.dir.join(g.file.get_ref());
        let resolved =
            match path.canonicalize() {
                Ok(p) if p.starts_with(&self.root) => p,
                Ok(_) => {
                    self.errors.push(src.error(
                    g.file.span(),
                    Some(&g.id),
                    format!("gazetteer `{}` is outside the rules folder", g.file.get_ref()),
                    Some("rules may only read files inside their own folder; copy the file there"),
                ));
                    return;
                }
                Err(e) => {
                    self.errors.push(src.error(
                        g.file.span(),
                        Some(&g.id),
                        format!("cannot open gazetteer `{}`: {e}", g.file.get_ref()),
                        Some("the path is relative to the rule file's folder"),
                    ));
                    return;
                }
            };
        let text = match std::fs::read_to_string(&resolved) {
            Ok(t) => t,
            Err(e) => {
                self.errors.push(src.error(
                    g.file.span(),
                    Some(&g.id),
                    format!("cannot read gazetteer `{}`: {e}", g.file.get_ref()),
                    Some("gazetteers are UTF-8 TSV files"),
                ));
                return;
            }
        };
        let display = display_path(&self.root, &resolved);
        let exclude = g
            .exclude
            .as_ref()
            .and_then(|p| self.regex(src, Some(&g.id), p, "{}"));
        self.parse_tsv(&display, &g, rule, &text, exclude.as_ref());
    }

    fn parse_tsv(
        &mut self,
        display: &str,
        g: &RawGazetteer,
        rule: usize,
        text: &str,
        exclude: Option<&Regex>,
    ) {
        let mut saw_header = false;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let at = TsvLine {
                file: display,
                line: n + 1,
                rule: &g.id,
            };
            if !saw_header {
                saw_header = true;
                if !is_tsv_header(&fields) {
                    self.errors.push(at.error(
                        1,
                        "the first line must be the header",
                        "name\taliases\tclass\ttype\tcode\tparent\tiri (tab-separated), \
                         optionally followed by valid_from\tvalid_to\treplaced_by",
                    ));
                    return;
                }
                continue;
            }
            match tsv_entry(&at, line, &fields, g, rule) {
                Ok(entry) if !g.types.is_empty() && !g.types.contains(&entry.kind) => {}
                Ok(entry) => self.add_gaz_entry(g, entry, exclude),
                Err(e) => self.errors.push(e),
            }
        }
    }

    /// Adds a gazetteer entry, and those of its names the rule `g` matches (canonical,
    /// aliases or both; within its length bounds; not excluded) as surfaces to find.
    fn add_gaz_entry(&mut self, g: &RawGazetteer, entry: GazEntry, exclude: Option<&Regex>) {
        let id = self.gaz_entries.len() as u32;
        let (canonical, aliases) = match g.names.as_ref().map(|n| n.get_ref().as_str()) {
            Some("canonical") => (true, false),
            Some("aliases") => (false, true),
            _ => (true, true),
        };
        let surfaces = std::iter::once(&entry.name)
            .filter(|_| canonical)
            .chain(entry.aliases.iter().filter(|_| aliases));
        for surface in surfaces {
            let normalised: String = surface.nfkc().collect();
            let chars = normalised.chars().count();
            if chars == 0
                || chars < g.min_chars
                || g.max_chars.is_some_and(|m| chars > m)
                || exclude.is_some_and(|r| r.is_match(&normalised))
            {
                continue;
            }
            self.gaz_surfaces.push(SurfaceSpec {
                text: normalised,
                entry: id,
            });
        }
        self.gaz_entries.push(entry);
    }

    fn add_entity(&mut self, src: &Source, span: std::ops::Range<usize>, e: RawEntity) {
        let rule = self.add_rule(src, span, &e.id, e.priority, e.examples.clone());
        let class = self.class(src, &e.id, e.class.get_ref(), e.class.span());
        let context = self.context(src, &e.id, e.context());
        let exclude = e
            .exclude
            .as_ref()
            .and_then(|p| self.regex(src, Some(&e.id), p, "{}"));
        let base = match (&e.after, &e.before) {
            (Some(after), None) => Some((after, &e.after_types, Side::After, "^(?:{})")),
            (None, Some(before)) => Some((before, &e.before_types, Side::Before, "(?:{})$")),
            (None, None) => None,
            (Some(_), Some(before)) => {
                self.errors.push(src.error(
                    before.span(),
                    Some(&e.id),
                    "a rule extends its base on one side only",
                    Some("keep `after` or `before`, and write a second rule for the other side"),
                ));
                None
            }
        };
        let matcher = match base {
            Some((classes, types, side, wrap)) => {
                let classes: Vec<Class> = classes
                    .get_ref()
                    .iter()
                    .filter_map(|c| self.class(src, &e.id, c, classes.span()))
                    .collect();
                self.regex(src, Some(&e.id), &e.pattern, wrap)
                    .map(|regex| EntityMatcher::Extends {
                        base: classes,
                        base_types: types.clone(),
                        side,
                        regex,
                    })
            }
            None => self
                .regex(src, Some(&e.id), &e.pattern, "{}")
                .map(EntityMatcher::Pattern),
        };
        let trim_start = e
            .trim_start
            .as_ref()
            .and_then(|p| self.regex(src, Some(&e.id), p, "^(?:{})"));
        if let (Some(class), Some(matcher)) = (class, matcher) {
            self.entity_rules.push(EntityRule {
                rule,
                class,
                kind: e.kind,
                matcher,
                label: e.label,
                context,
                stop: e.stop.iter().map(|s| label_key(s)).collect(),
                exclude,
                trim_start,
                header_only: e.header_only,
            });
        }
    }

    fn slot(
        &mut self,
        src: &Source,
        rule: &str,
        raw: &Spanned<RawSlot>,
        types: &[String],
    ) -> Option<Slot> {
        let names = match raw.get_ref() {
            RawSlot::One(s) => vec![s.clone()],
            RawSlot::Many(v) => v.clone(),
        };
        match names.as_slice() {
            [one] if one == "@title" => Some(Slot::Title),
            [one] if one == "@place" => Some(Slot::Place),
            [one] if one == "@issuer" => Some(Slot::Issuer),
            [one] if one == "@program" => Some(Slot::Program),
            [one] if one.starts_with('=') => Some(Slot::Named(label_key(&one[1..]))),
            _ => {
                let classes: Option<Vec<Class>> = names
                    .iter()
                    .map(|n| self.class(src, rule, n, raw.span()))
                    .collect();
                classes.map(|classes| Slot::Classes {
                    classes,
                    types: types.to_vec(),
                })
            }
        }
    }

    fn add_relation(&mut self, src: &Source, span: std::ops::Range<usize>, mut r: RawRelation) {
        let examples = std::mem::take(&mut r.examples);
        let rule = self.add_rule(src, span.clone(), &r.id, r.priority, examples);
        let kind = RelationType::parse(r.kind.get_ref());
        if kind.is_none() {
            self.errors.push(src.error(
                r.kind.span(),
                Some(&r.id),
                format!("unknown relation type `{}`", r.kind.get_ref()),
                Some("use issued, cites, proposed, implements, part_of, located_in or affiliated_with"),
            ));
        }
        let subject = self.slot(src, &r.id, &r.subject, &r.subject_types);
        let object = self.slot(src, &r.id, &r.object, &r.object_types);
        let default_subject = r.default_subject.as_ref().and_then(|d| {
            let slot = Spanned::new(d.span(), RawSlot::One(d.get_ref().clone()));
            self.slot(src, &r.id, &slot, &[])
        });
        let window = self.relation_window(src, &span, &r);
        let subject_first = self.relation_order(src, &span, &r);
        let matcher = self.relation_matcher(src, span, &r, [&subject, &object], subject_first);
        // Anchored at the end: it is matched against the text just before the mention.
        let subject_not_preceded_by = r
            .subject_not_preceded_by
            .as_ref()
            .and_then(|p| self.regex(src, Some(&r.id), p, "(?:{})$"));
        let subject_not_followed_by = r
            .subject_not_followed_by
            .as_ref()
            .and_then(|p| self.regex(src, Some(&r.id), p, "^(?:{})"));
        if let (Some(kind), Some(subject), Some(object), Some(window), Some(matcher)) =
            (kind, subject, object, window, matcher)
        {
            self.relation_rules.push(RelationRule {
                rule,
                kind,
                subject,
                object,
                default_subject,
                place_as_government: r.place_as_government,
                subject_not_preceded_by,
                subject_not_followed_by,
                window,
                matcher,
            });
        }
    }

    /// The relation's `window`: a sentence unless it says otherwise.
    fn relation_window(
        &mut self,
        src: &Source,
        span: &std::ops::Range<usize>,
        r: &RawRelation,
    ) -> Option<Window> {
        match r.window.as_ref().map(|w| w.get_ref().as_str()) {
            None | Some("sentence") => Some(Window::Sentence),
            Some("clause") => Some(Window::Clause),
            Some("header") => Some(Window::Header),
            Some("signature") => Some(Window::Signature),
            Some(other) => {
                let span = r.window.as_ref().map_or(span.clone(), |w| w.span());
                self.errors.push(src.error(
                    span,
                    Some(&r.id),
                    format!("unknown window `{other}`"),
                    Some("use clause, sentence, header or signature"),
                ));
                None
            }
        }
    }

    /// Whether the subject comes before the object around a trigger (`order`, by default yes).
    fn relation_order(
        &mut self,
        src: &Source,
        span: &std::ops::Range<usize>,
        r: &RawRelation,
    ) -> bool {
        match r.order.as_ref().map(|o| o.get_ref().as_str()) {
            None | Some("subject-object") => true,
            Some("object-subject") => false,
            Some(other) => {
                let span = r.order.as_ref().map_or(span.clone(), |o| o.span());
                self.errors.push(src.error(
                    span,
                    Some(&r.id),
                    format!("unknown order `{other}`"),
                    Some("use subject-object or object-subject"),
                ));
                true
            }
        }
    }

    /// What finds the relation: exactly one of a trigger, a pattern or an inference.
    fn relation_matcher(
        &mut self,
        src: &Source,
        span: std::ops::Range<usize>,
        r: &RawRelation,
        slots: [&Option<Slot>; 2],
        subject_first: bool,
    ) -> Option<RelationMatcher> {
        match (&r.trigger, &r.pattern, &r.infer) {
            (Some(t), None, None) => {
                self.regex(src, Some(&r.id), t, "{}")
                    .map(|trigger| RelationMatcher::Trigger {
                        trigger: WindowRegex::new(trigger),
                        subject_first,
                        max_gap: r.max_gap.unwrap_or(DEFAULT_MAX_GAP),
                    })
            }
            (None, Some(p), None) => self.relation_pattern(src, &r.id, p, slots),
            (None, None, Some(i)) => match i.get_ref().as_str() {
                "gazetteer-parent" => Some(RelationMatcher::GazetteerParent),
                "name-prefix" => Some(RelationMatcher::NamePrefix),
                "place-prefix" => Some(RelationMatcher::PlacePrefix),
                "title-issuer" => Some(RelationMatcher::TitleIssuer),
                "cooccur" => Some(RelationMatcher::Cooccur),
                other => {
                    self.errors.push(src.error(
                        i.span(),
                        Some(&r.id),
                        format!("unknown inference `{other}`"),
                        Some("use gazetteer-parent, name-prefix, place-prefix, title-issuer or cooccur"),
                    ));
                    None
                }
            },
            _ => {
                self.errors.push(src.error(
                    span,
                    Some(&r.id),
                    "a relation rule needs exactly one of trigger, pattern or infer",
                    Some("trigger = '印发|发布' matches between the slots; pattern = a regex with subject/object groups"),
                ));
                None
            }
        }
    }

    /// A relation pattern: a regex with a named group for each slot it must find by class
    /// (`subject`, `object`).
    fn relation_pattern(
        &mut self,
        src: &Source,
        id: &str,
        p: &Spanned<String>,
        [subject, object]: [&Option<Slot>; 2],
    ) -> Option<RelationMatcher> {
        let regex = self.regex(src, Some(id), p, "{}")?;
        let names: Vec<_> = regex.capture_names().flatten().collect();
        let needs = |slot: &Option<Slot>| matches!(slot, Some(Slot::Classes { .. }));
        for (group, slot) in [("subject", subject), ("object", object)] {
            if needs(slot) && !names.contains(&group) {
                self.errors.push(src.error(
                    p.span(),
                    Some(id),
                    format!("pattern has no named group `{group}`"),
                    Some("mark the slot's span with (?P<subject>...) / (?P<object>...)"),
                ));
            }
        }
        Some(RelationMatcher::Pattern(WindowRegex::new(regex)))
    }
}

/// One line of a gazetteer TSV file, which its errors point at.
struct TsvLine<'a> {
    file: &'a str,
    line: usize,
    rule: &'a str,
}

impl TsvLine<'_> {
    fn error(&self, column: usize, message: impl Into<String>, help: &str) -> RuleError {
        RuleError {
            file: self.file.to_string(),
            line: self.line,
            column,
            rule: Some(self.rule.to_string()),
            message: message.into(),
            help: Some(help.to_string()),
        }
    }
}

const TSV_HEADER: [&str; 7] = ["name", "aliases", "class", "type", "code", "parent", "iri"];
// Division tables add the years a row is valid in and its successors (GB/T 2260).
const TSV_VALIDITY: [&str; 3] = ["valid_from", "valid_to", "replaced_by"];

/// The header line of a gazetteer: the seven columns, optionally with the three of validity.
fn is_tsv_header(fields: &[&str]) -> bool {
    let with_validity = fields.len() == TSV_HEADER.len() + TSV_VALIDITY.len()
        && fields[TSV_HEADER.len()..] == TSV_VALIDITY;
    fields[..fields.len().min(TSV_HEADER.len())] == TSV_HEADER
        && (fields.len() == TSV_HEADER.len() || with_validity)
}

/// The 1-based column, in chars, where field `i` of a TSV line starts.
fn tsv_column(fields: &[&str], i: usize) -> usize {
    fields[..i]
        .iter()
        .map(|f| f.chars().count() + 1)
        .sum::<usize>()
        + 1
}

/// Field `i`, trimmed, unless it is missing or empty.
fn tsv_optional(fields: &[&str], i: usize) -> Option<String> {
    fields
        .get(i)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One row of a gazetteer TSV (`line`, split into `fields`) as an entry of rule `g`.
fn tsv_entry(
    at: &TsvLine,
    line: &str,
    fields: &[&str],
    g: &RawGazetteer,
    rule: usize,
) -> Result<GazEntry, RuleError> {
    if fields.len() < 4 {
        return Err(at.error(
            line.chars().count() + 1,
            format!("{} fields, at least 4 needed", fields.len()),
            "columns are name, aliases, class, type, [code, parent, iri], tab-separated",
        ));
    }
    let Some(class) = Class::parse(fields[2]) else {
        return Err(at.error(
            tsv_column(fields, 2),
            format!("unknown class `{}`", fields[2]),
            "use one of Place, Organization, Program, Document, Person",
        ));
    };
    let [valid_from, valid_to] = tsv_years(at, fields)?;
    let optional = |i: usize| tsv_optional(fields, i);
    let entry = GazEntry {
        name: fields[0].trim().to_string(),
        aliases: fields[1]
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        class,
        kind: fields[3].trim().to_string(),
        code: optional(4),
        parent: optional(5),
        iri: optional(6),
        scope: g.scope.clone(),
        rule,
        valid_from,
        valid_to,
        replaced_by: optional(9)
            .map(|codes| codes.split('|').map(|c| c.trim().to_string()).collect())
            .unwrap_or_default(),
    };
    if entry.name.is_empty() {
        return Err(at.error(1, "empty name", "every row needs a canonical name"));
    }
    Ok(entry)
}

/// valid_from and valid_to (fields 7 and 8): each a year, or empty.
fn tsv_years(at: &TsvLine, fields: &[&str]) -> Result<[Option<u16>; 2], RuleError> {
    let mut years = [7, 8].map(|i| (i, tsv_optional(fields, i).map(|y| y.parse::<u16>())));
    if let Some((i, _)) = years.iter().find(|(_, y)| matches!(y, Some(Err(_)))) {
        return Err(at.error(
            tsv_column(fields, *i),
            format!("`{}` is not a year", fields[*i].trim()),
            "valid_from and valid_to are four-digit years (or empty)",
        ));
    }
    Ok(years.each_mut().map(|(_, y)| y.take().and_then(Result::ok)))
}

/// An absolute http(s) or urn IRI ending in `/`, with nothing an IRI may not contain.
fn is_base_iri(base: &str) -> bool {
    let scheme_ok = ["http://", "https://", "urn:"]
        .iter()
        .any(|s| base.starts_with(s));
    let chars_ok = !base.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    });
    scheme_ok && chars_ok && base.ends_with('/')
}
