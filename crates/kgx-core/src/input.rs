//! Stage 1: paths → documents. Finds input files, reads them, detects the encoding and turns
//! HTML into text. The decoded `Document::text` is the reference for every offset kgx reports.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// File extensions kgx reads when walking folders.
pub(crate) const TEXT_EXTENSIONS: [&str; 5] = ["txt", "md", "html", "htm", "text"];

/// An input file found on disk, not read yet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputFile {
    /// Path relative to the input root it was found under (its file name for a file argument),
    /// with `/` separators: the `doc` field of the JSONL contract.
    pub rel: String,
    /// Where to read it: the root joined with the path below it, as given (not canonical).
    pub path: PathBuf,
}

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The [`InputFile::rel`] it was read from: the `doc` of its extraction.
    pub rel: String,
    /// SHA-256 of the raw bytes as read (before decoding), lower-case hex.
    pub sha256: String,
    /// The decoded text (HTML already turned into text): every char offset kgx reports
    /// counts into this string.
    pub text: String,
}

/// Why a file could not become a document. Reported, and the batch goes on.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be read.
    Io(std::io::Error),
    /// The bytes look binary; the string says what gave it away.
    Binary(&'static str),
    /// Neither UTF-8, UTF-16 (with a BOM) nor GB18030.
    Undecodable,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "cannot read: {e}"),
            InputError::Binary(what) => write!(f, "not a text file ({what})"),
            InputError::Undecodable => f.write_str(
                "not valid UTF-8, UTF-16 or GB18030 text; convert it to UTF-8 (e.g. iconv -f <encoding> -t UTF-8)",
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Expands files and folders (recursively, following no symlink loops) into input files,
/// sorted by relative path so every run sees the same order.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<InputFile>> {
    let mut files = Vec::new();
    for root in paths {
        let meta =
            std::fs::metadata(root).with_context(|| format!("{}: cannot read", root.display()))?;
        if meta.is_file() {
            let rel = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| root.display().to_string());
            files.push(InputFile {
                rel,
                path: root.clone(),
            });
            continue;
        }
        for entry in walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    // A symlink loop or an unreadable folder: report, keep walking.
                    eprintln!("kgx: warning: skipping {e}");
                    continue;
                }
            };
            if !entry.file_type().is_file() || !has_text_extension(entry.path()) {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(InputFile {
                rel,
                path: entry.into_path(),
            });
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.rel == b.rel);
    Ok(files)
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn is_html(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// The IANA media type of an input file, by the extension `discover` accepts it by.
pub fn media_type(rel: &str) -> &'static str {
    if is_html(rel) {
        "text/html"
    } else if rel.to_ascii_lowercase().ends_with(".md") {
        "text/markdown"
    } else {
        "text/plain"
    }
}

/// SHA-256 of `bytes` as 64 lower-case hex digits (the `sha256` of the JSONL contract).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Reads and decodes one file.
pub fn read_document(file: &InputFile) -> Result<Document, InputError> {
    let bytes = std::fs::read(&file.path).map_err(InputError::Io)?;
    decode_document(&file.rel, &bytes)
}

/// Decodes raw bytes into a document; HTML (by extension) is turned into text.
pub fn decode_document(rel: &str, bytes: &[u8]) -> Result<Document, InputError> {
    let (decoded, _encoding) = decode(bytes)?;
    let text = if is_html(rel) {
        crate::html::to_text(&decoded)
    } else {
        decoded
    };
    Ok(Document {
        rel: rel.to_string(),
        sha256: sha256_hex(bytes),
        text,
    })
}

/// A file with fewer than one broken UTF-8 sequence per this many chars is read as UTF-8.
const MIN_CHARS_PER_BROKEN_UTF8: usize = 100;

/// BOM first (UTF-8, UTF-16), then UTF-8 (tolerating rare broken sequences), then strict
/// GB18030 (a superset of GBK and GB2312, the legacy encodings of Chinese government sites).
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), InputError> {
    if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"%PDF")
        || bytes.starts_with(b"PK\x03\x04")
    {
        return Err(InputError::Binary("binary file signature"));
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(InputError::Undecodable);
        }
        return Ok((strip_nul(text.into_owned()), encoding.name()));
    }
    let nul_count = bytes.iter().filter(|&&b| b == 0).count();
    if nul_count * 10 > bytes.len().max(1) {
        return Err(InputError::Binary("more than 10% NUL bytes"));
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok((strip_nul(text.to_string()), "UTF-8"));
    }
    // UTF-8 with a few broken sequences (a truncated download, a bad copy) is still UTF-8:
    // replace them rather than misread the whole file as GB18030.
    let lossy = String::from_utf8_lossy(bytes);
    let replaced = lossy.matches(char::REPLACEMENT_CHARACTER).count();
    if replaced * MIN_CHARS_PER_BROKEN_UTF8 < lossy.chars().count() {
        return Ok((
            strip_nul(lossy.into_owned()),
            "UTF-8 (broken sequences replaced)",
        ));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(InputError::Undecodable);
    }
    Ok((strip_nul(text.into_owned()), encoding_rs::GB18030.name()))
}

/// NUL bytes carry no text; a stray one must not end a regex search or an XML writer.
fn strip_nul(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gbk() {
        let (t, e) = decode("\u{feff}宁波市".as_bytes()).unwrap();
        assert_eq!((t.as_str(), e), ("宁波市", "UTF-8"));
        let (gbk, _, _) = encoding_rs::GBK.encode("国务院关于印发");
        let (t, e) = decode(&gbk).unwrap();
        assert_eq!((t.as_str(), e), ("国务院关于印发", "gb18030"));
    }

    /// UTF-8 validation must reject exactly what std rejects (an encoded surrogate, an
    /// overlong form, a truncated sequence): those files take the lossy or GB18030 path.
    #[test]
    fn validation_rejects_what_std_rejects() {
        let text = "国务院关于印发".repeat(100);
        for broken in [&b"\xed\xa0\x80"[..], b"\xc0\xaf", b"\xe5\x9b"] {
            let bytes = [text.as_bytes(), broken].concat();
            assert!(std::str::from_utf8(&bytes).is_err());
            let (_, e) = decode(&bytes).unwrap();
            assert_eq!(e, "UTF-8 (broken sequences replaced)");
        }
    }

    #[test]
    fn rejects_png() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0"),
            Err(InputError::Binary(_))
        ));
    }
}
