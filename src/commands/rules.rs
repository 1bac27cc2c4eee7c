//! `kgx rules check` and `kgx rules test`.

use super::load_pack;
use crate::cli::{RulesAction, RulesArg};
use anyhow::Result;
use std::process::ExitCode;

pub fn run(action: RulesAction) -> Result<ExitCode> {
    match action {
        RulesAction::Check { rules } => check(rules),
        RulesAction::Test { rules } => test(rules),
    }
}

fn check(rules: RulesArg) -> Result<ExitCode> {
    let pack = match load_pack(rules.rules) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    println!(
        "{} {}: {} rules, {} gazetteer entries, {} entity rules, {} relation rules; ok",
        pack.name,
        pack.version,
        pack.rules.len(),
        pack.gazetteer.entries.len(),
        pack.entity_rules.len(),
        pack.relation_rules.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn test(rules: RulesArg) -> Result<ExitCode> {
    let pack = match load_pack(rules.rules) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let (run, failures) = kgx::explain::test_rules(&pack);
    for f in &failures {
        eprintln!("{f}");
    }
    println!("{run} examples, {} failed", failures.len());
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
