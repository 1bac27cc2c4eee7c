//! The rule pack's own contract: it loads, every example holds, every pattern and relation rule
//! has a positive and a negative example, and errors point at file:line:column.

use std::path::{Path, PathBuf};

fn pack_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

#[test]
fn default_pack_examples_all_pass() {
    let pack = kgx::rules::load_pack(&pack_dir()).expect("the default pack loads");
    let (run, failures) = kgx::explain::test_rules(&pack);
    assert!(run >= 40, "only {run} examples");
    assert!(
        failures.is_empty(),
        "{} failing examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_regex_and_relation_rule_has_positive_and_negative_examples() {
    let pack = kgx::rules::load_pack(&pack_dir()).expect("the default pack loads");
    let mut checked: Vec<usize> = pack.entity_rules.iter().map(|r| r.rule).collect();
    checked.extend(pack.relation_rules.iter().map(|r| r.rule));
    for i in checked {
        let rule = &pack.rules[i];
        let positive = rule.examples.iter().any(|e| !e.expect.is_empty());
        let negative = rule.examples.iter().any(|e| !e.reject.is_empty());
        assert!(
            positive && negative,
            "{}:{}: rule `{}` needs an expect and a reject example",
            rule.file,
            rule.line,
            rule.id
        );
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const PACK: &str = "[pack]\nname = \"t\"\nversion = \"1\"\nbase_iri = \"https://example.org/\"\n";

#[test]
fn bad_regex_is_reported_with_file_line_column_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pack.toml", PACK);
    write(
        dir.path(),
        "bad.toml",
        "# a broken rule\n[[entity]]\nid = \"org.broken\"\nclass = \"Organization\"\ntype = \"Agency\"\npattern = '''(?P<ent>[局'''\n",
    );
    let err = kgx::rules::load_pack(dir.path()).unwrap_err();
    assert_eq!(err.0.len(), 1);
    let e = &err.0[0];
    assert!(e.file.ends_with("/bad.toml"), "{}", e.file);
    assert_eq!(
        (e.line, e.column, e.rule.as_deref()),
        (6, 11, Some("org.broken"))
    );
    let shown = err.to_string();
    assert!(
        shown.contains("bad.toml:6:11: rule `org.broken`: invalid regex"),
        "{shown}"
    );
    assert!(shown.contains("help:"), "{shown}");
    assert!(
        shown.ends_with("1 error(s) in the rule pack; no rule was applied"),
        "{shown}"
    );
}

#[test]
fn unknown_class_and_toml_syntax_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pack.toml", PACK);
    write(
        dir.path(),
        "a.toml",
        "[[entity]]\nid = \"x\"\nclass = \"Plase\"\ntype = \"T\"\npattern = 'x'\n",
    );
    write(dir.path(), "b.toml", "[[entity]\nid = 1\n");
    let err = kgx::rules::load_pack(dir.path()).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("a.toml:3:9: rule `x`: unknown class `Plase`"),
        "{shown}"
    );
    assert!(shown.contains("b.toml:1:"), "{shown}");
    assert_eq!(err.0.len(), 2);
}

#[test]
fn gazetteer_outside_the_rules_folder_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("rules");
    std::fs::create_dir(&dir).unwrap();
    write(
        outer.path(),
        "secret.tsv",
        "name\taliases\tclass\ttype\tcode\tparent\tiri\n",
    );
    write(&dir, "pack.toml", PACK);
    write(
        &dir,
        "g.toml",
        "[[gazetteer]]\nid = \"g\"\nfile = \"../secret.tsv\"\n",
    );
    let shown = kgx::rules::load_pack(&dir).unwrap_err().to_string();
    assert!(
        shown.contains(
            "g.toml:3:8: rule `g`: gazetteer `../secret.tsv` is outside the rules folder"
        ),
        "{shown}"
    );
}

#[test]
fn oversized_regex_is_refused_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pack.toml", PACK);
    write(dir.path(), "big.toml", "[[entity]]\nid = \"huge\"\nclass = \"Place\"\ntype = \"T\"\npattern = '''\\w{1000}\\w{1000}\\w{1000}'''\n");
    let shown = kgx::rules::load_pack(dir.path()).unwrap_err().to_string();
    assert!(
        shown.contains("rule `huge`: regex compiles to more than"),
        "{shown}"
    );
}

#[test]
fn explain_shows_the_rule_and_what_each_mention_beat() {
    let pack = kgx::rules::load_pack(&pack_dir()).expect("the default pack loads");
    let out = kgx::explain::explain(&pack, "嘉宾:孙建红(宁波大学商学院教授)\n", "x.txt");
    let expected = "\
# x.txt: 18 chars, 2 mentions, 2 entities, 1 relations

## Entities
Person 孙建红 [Person]
  3-6 person.parenthesised-post …嘉宾:【孙建红】(宁波大学商学院…
    beat “孙建红” Person/Person by person.byline (priority 0)
Organization 宁波大学商学院 [Institute]
  7-14 org.sub-body …嘉宾:孙建红(【宁波大学商学院】教授)⏎…
    beat “宁波大学” Organization/University by gaz.cn-organizations (priority 0)
    beat “宁波大学” Organization/Agency by org.place-body (priority 0)
    beat “宁波” Place/City by gaz.cn-divisions (priority 0)

## Relations
affiliated_with(孙建红 → 宁波大学商学院) by affiliated.parenthesised-post
  3-17 …嘉宾:【孙建红(宁波大学商学院教授)】⏎…
";
    assert_eq!(out, expected);
}
