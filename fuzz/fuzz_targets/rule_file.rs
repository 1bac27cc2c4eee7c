//! Arbitrary bytes as a rule file: `load_pack` must return Ok or Err, never panic.
//!
//! The input is split at its first NUL byte (TOML cannot hold one): the part before is
//! `rules.toml` of a temporary rules folder holding a minimal `pack.toml`; the part after, if
//! any, is `gaz.tsv`, which the rule file may name as a gazetteer (`file = "gaz.tsv"`). Without
//! a NUL a small valid gazetteer is written instead. If the pack loads, one short text is
//! extracted with it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const PACK: &str =
    "[pack]\nname = \"fuzz\"\nversion = \"1\"\nbase_iri = \"https://example.org/\"\n";
const GAZ: &str = "name\taliases\tclass\ttype\tcode\tparent\tiri\n\
宁波市\t宁波|甬\tPlace\tCity\t330200\t330000\t\n\
浙江省\t浙江\tPlace\tProvince\t330000\t\t\n";

/// One rules folder per fuzzing process, rewritten for every input.
fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kgx-fuzz-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp rules folder");
        std::fs::write(dir.join("pack.toml"), PACK).expect("pack.toml");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    let (toml, tsv) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, GAZ.as_bytes()),
    };
    std::fs::write(dir.join("rules.toml"), toml).expect("write rules.toml");
    std::fs::write(dir.join("gaz.tsv"), tsv).expect("write gaz.tsv");
    if let Ok(pack) = kgx_core::rules::load_pack(dir) {
        let doc = kgx_core::input::decode_document(
            "f.txt",
            "宁波市人民政府印发《宁波市数字经济发展规划》。浙江省 甬".as_bytes(),
        )
        .expect("decodes");
        let _ = kgx_core::extract::extract(&pack, &doc);
    }
});
