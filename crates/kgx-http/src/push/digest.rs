//! HTTP digest access authentication, client side (RFC 7616, compatible with RFC 2617).

use anyhow::Result;
use md5::{Digest as _, Md5};
use sha2::Digest as _;
use sha2::Sha256;

/// The hash a challenge asks for (`algorithm=`; MD5 when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    /// `MD5`.
    Md5,
    /// `MD5-sess`: H(A1) also covers the nonces.
    Md5Sess,
    /// `SHA-256`.
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
}

impl Algorithm {
    fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "MD5" => Some(Self::Md5),
            "MD5-SESS" => Some(Self::Md5Sess),
            "SHA-256" => Some(Self::Sha256),
            "SHA-256-SESS" => Some(Self::Sha256Sess),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Md5Sess => "MD5-sess",
            Self::Sha256 => "SHA-256",
            Self::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, data: &str) -> String {
        match self {
            Self::Md5 | Self::Md5Sess => hex(&Md5::digest(data.as_bytes())),
            Self::Sha256 | Self::Sha256Sess => hex(&Sha256::digest(data.as_bytes())),
        }
    }

    fn sess(self) -> bool {
        matches!(self, Self::Md5Sess | Self::Sha256Sess)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A `WWW-Authenticate: Digest …` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    /// The protection space (`realm=`), part of H(A1).
    pub realm: String,
    /// The server's nonce.
    pub nonce: String,
    /// Echoed back unchanged when present.
    pub opaque: Option<String>,
    /// The hash to use.
    pub algorithm: Algorithm,
    /// The server offers qop=auth; without it, the RFC 2069 form is used.
    pub qop_auth: bool,
    /// The previous nonce expired (the credentials were right): retry with this one.
    pub stale: bool,
}

impl Challenge {
    /// From a parsed challenge's parameters; `None` when it lacks a nonce or asks for an
    /// algorithm or protection we do not implement (auth-int only).
    pub(crate) fn from_params(params: &[(String, String)]) -> Option<Self> {
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
        };
        let algorithm = match get("algorithm") {
            Some(a) => Algorithm::parse(a)?,
            None => Algorithm::Md5,
        };
        let qop_auth = match get("qop") {
            Some(q) => {
                if !q.split(',').any(|t| t.trim().eq_ignore_ascii_case("auth")) {
                    return None;
                }
                true
            }
            None => false,
        };
        Some(Challenge {
            realm: get("realm").unwrap_or("").to_string(),
            nonce: get("nonce")?.to_string(),
            opaque: get("opaque").map(String::from),
            algorithm,
            qop_auth,
            stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
        })
    }

    /// The `response` value: KD(H(A1), nonce:nc:cnonce:qop:H(A2)).
    pub fn response(&self, r: &Request) -> String {
        let Request {
            user,
            password,
            method,
            uri,
            nc,
            cnonce,
        } = *r;
        let h = |s: &str| self.algorithm.hash(s);
        let mut ha1 = h(&format!("{user}:{}:{password}", self.realm));
        if self.algorithm.sess() {
            ha1 = h(&format!("{ha1}:{}:{cnonce}", self.nonce));
        }
        let ha2 = h(&format!("{method}:{uri}"));
        if self.qop_auth {
            h(&format!(
                "{ha1}:{}:{nc:08x}:{cnonce}:auth:{ha2}",
                self.nonce
            ))
        } else {
            h(&format!("{ha1}:{}:{ha2}", self.nonce))
        }
    }

    /// The full `Authorization` header value.
    pub(crate) fn authorization(&self, r: &Request) -> String {
        let response = self.response(r);
        let Request {
            user,
            uri,
            nc,
            cnonce,
            ..
        } = *r;
        let mut h = format!(
            "Digest username={}, realm={}, nonce={}, uri={}, algorithm={}, response=\"{response}\"",
            quote(user),
            quote(&self.realm),
            quote(&self.nonce),
            quote(uri),
            self.algorithm.name()
        );
        if self.qop_auth {
            h.push_str(&format!(
                ", qop=auth, nc={nc:08x}, cnonce={}",
                quote(cnonce)
            ));
        }
        if let Some(o) = &self.opaque {
            h.push_str(&format!(", opaque={}", quote(o)));
        }
        h
    }
}

/// One request's part of a digest computation.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    /// The user name.
    pub user: &'a str,
    /// The password.
    pub password: &'a str,
    /// The HTTP method, e.g. `PUT`.
    pub method: &'a str,
    /// The request target (path and query) as sent.
    pub uri: &'a str,
    /// How many requests used this nonce, this one included.
    pub nc: u32,
    /// The client nonce.
    pub cnonce: &'a str,
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A fresh client nonce: 128 random bits, hex.
pub(crate) fn cnonce() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness for a cnonce: {e}"))?;
    Ok(hex(&b))
}

/// Splits a `WWW-Authenticate` value into challenges: `(scheme, [(param, value)])`
/// (RFC 9110 §11.6.1). One header may hold several, e.g. `Digest realm="a", Basic realm="b"`.
pub(crate) fn parse_challenges(header: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    let is_token = |c: char| !c.is_whitespace() && !matches!(c, ',' | '=' | '"');
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        let start = i;
        while i < chars.len() && is_token(chars[i]) {
            i += 1;
        }
        if start == i {
            // Not a token (stray '=' or quote): skip it rather than loop forever.
            i += 1;
            continue;
        }
        let token: String = chars[start..i].iter().collect();
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j < chars.len() && chars[j] == '=' && !out.is_empty() {
            i = j + 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < chars.len() && chars[i] == '"' {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && chars[i] != ',' && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
            if let Some((_, params)) = out.last_mut() {
                params.push((token, value));
            }
        } else {
            out.push((token, Vec::new()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2617_worked_example() {
        // RFC 2617 §3.5.
        let header = r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#;
        let parsed = parse_challenges(header);
        assert_eq!(parsed.len(), 1);
        let c = Challenge::from_params(&parsed[0].1).expect("a usable challenge");
        assert_eq!(c.realm, "testrealm@host.com");
        assert!(c.qop_auth);
        let request = Request {
            user: "Mufasa",
            password: "Circle Of Life",
            method: "GET",
            uri: "/dir/index.html",
            nc: 1,
            cnonce: "0a4f113b",
        };
        assert_eq!(c.response(&request), "6629fae49393a05397450978507c4ef1");
        let h = c.authorization(&request);
        assert!(h.contains("nc=00000001"), "{h}");
        assert!(
            h.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""),
            "{h}"
        );
    }

    #[test]
    fn rfc7616_worked_examples() {
        // RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
        let base = r#"realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let expect = [
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
            (
                "SHA-256",
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ];
        for (alg, want) in expect {
            let parsed = parse_challenges(&format!("Digest algorithm={alg}, {base}"));
            let c = Challenge::from_params(&parsed[0].1).expect("a usable challenge");
            let r = c.response(&Request {
                user: "Mufasa",
                password: "Circle of Life",
                method: "GET",
                uri: "/dir/index.html",
                nc: 1,
                cnonce,
            });
            assert_eq!(r, want, "{alg}");
        }
    }

    #[test]
    fn several_challenges_in_one_header() {
        let parsed = parse_challenges(
            r#"Basic realm="x, y", Digest realm="virtuoso", nonce="n\"1", algorithm=MD5"#,
        );
        let schemes: Vec<&str> = parsed.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(schemes, ["Basic", "Digest"]);
        assert_eq!(parsed[0].1, [("realm".to_string(), "x, y".to_string())]);
        let c = Challenge::from_params(&parsed[1].1).expect("digest");
        assert_eq!(c.nonce, "n\"1");
        assert!(!c.qop_auth);
        // auth-int only is refused rather than answered wrongly.
        let p = parse_challenges(r#"Digest nonce="n", qop="auth-int""#);
        assert!(Challenge::from_params(&p[0].1).is_none());
    }
}
