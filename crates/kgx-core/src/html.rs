//! HTML → plain text for extraction: tags dropped, `<script>`, `<style>` and comments removed,
//! block elements become line breaks, character references decoded. Chinese text has no spaces
//! between words, so inline tags must vanish without inserting any (html2text wraps and pads;
//! we need neither).

/// Elements whose content is not text.
const SKIPPED_ELEMENTS: [&str; 5] = ["script", "style", "noscript", "template", "head"];

/// Elements that end a line of text.
const BLOCK_ELEMENTS: [&str; 22] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "title",
    "hr",
];

pub(crate) fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone '<' is text, as browsers treat it.
            push_text(&mut out, rest);
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && SKIPPED_ELEMENTS.contains(&name.as_str()) && !tag.ends_with('/') {
            let close = format!("</{name}");
            rest = match find_ascii_case_insensitive(rest, &close) {
                Some(i) => rest[i..].find('>').map_or("", |g| &rest[i + g + 1..]),
                None => "",
            };
            // <title> lives in <head>; keep it as the first line since it names the document.
            if name == "head" {
                if let Some(title) = extract_title(tag_body(html, &close)) {
                    push_text(&mut out, &title);
                    end_line(&mut out);
                }
            }
            continue;
        }
        if BLOCK_ELEMENTS.contains(&name.as_str()) {
            end_line(&mut out);
        }
    }
    push_text(&mut out, rest);
    out.trim_end().to_string() + "\n"
}

fn tag_body<'a>(html: &'a str, close: &str) -> &'a str {
    find_ascii_case_insensitive(html, close).map_or("", |i| &html[..i])
}

fn extract_title(head: &str) -> Option<String> {
    let start = find_ascii_case_insensitive(head, "<title")?;
    let open_end = head[start..].find('>')? + start + 1;
    let end = find_ascii_case_insensitive(&head[open_end..], "</title")? + open_end;
    let title = html_escape::decode_html_entities(head[open_end..end].trim()).into_owned();
    (!title.is_empty()).then_some(title)
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Appends text with entities decoded and runs of whitespace collapsed the way a browser
/// renders them (a newline inside a paragraph is not a paragraph break).
fn push_text(out: &mut String, raw: &str) {
    if raw.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(raw);
    for c in decoded.chars() {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if c.is_ascii_whitespace() {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn end_line(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_styles_comments_and_decodes_entities() {
        let html = "<html><head><title>通知 &amp; 公告</title><style>p{}</style></head>\
                    <body><!-- nav --><script>var a='<p>x</p>';</script>\
                    <p>北京市&nbsp;经济和<b>信息化</b>局</p><p>&ldquo;&#x4E2D;关村&rdquo;</p></body></html>";
        assert_eq!(
            to_text(html),
            "通知 & 公告\n\n北京市 经济和信息化局\n\n“中关村”\n"
        );
    }
}
