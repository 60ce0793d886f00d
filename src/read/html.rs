//! HTML and XHTML: the visible text blocks of a page.
//!
//! The page is tokenized as browsers do (html5gum, WHATWG tokenizer), so tag soup,
//! unclosed paragraphs and raw `<` in scripts are read as a browser reads them and never
//! fail. Every block element (paragraphs, headings, list items, table cells, captions,
//! blockquotes, `div`, `section`, ...) starts and ends a paragraph; inline elements
//! (`a`, `em`, `span`, unknown ones) only contribute their text. Whitespace collapses as
//! a browser renders it, except in `pre`; `<br>` is a line break inside the block.
//! Character references are decoded. Left out: the `head` (with `title`), `script`,
//! `style`, `template`, `noscript`, `iframe`, `textarea`, `select`, `svg`, `math`,
//! elements with the `hidden` attribute, comments, and attribute values (`alt`, `title`).

use html5gum::{State, Token, Tokenizer};

use super::Paragraphs;

/// Elements that start and end a block of text.
const BLOCKS: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"caption",
    b"center",
    b"dd",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"html",
    b"legend",
    b"li",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"table",
    b"tbody",
    b"td",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
    b"ul",
];

/// Elements whose content is not shown as text.
const HIDDEN: &[&[u8]] = &[
    b"head",
    b"iframe",
    b"math",
    b"noscript",
    b"object",
    b"script",
    b"select",
    b"style",
    b"svg",
    b"template",
    b"textarea",
    b"title",
];

/// Elements that may stand in the `head`: any other start tag ends a `head` whose end
/// tag was left out, as HTML allows.
const IN_HEAD: &[&[u8]] = &[
    b"base",
    b"link",
    b"meta",
    b"noscript",
    b"script",
    b"style",
    b"template",
    b"title",
];

/// Elements whose end tag may be left out: the `hidden` attribute is not followed on
/// them, since without their end tag the rest of the page would look hidden.
const OPTIONAL_END: &[&[u8]] = &[
    b"caption",
    b"colgroup",
    b"dd",
    b"dt",
    b"li",
    b"optgroup",
    b"option",
    b"p",
    b"rb",
    b"rp",
    b"rt",
    b"tbody",
    b"td",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
];

/// Elements that never have content (`<br>`, not `<br></br>`).
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// The page's blocks being gathered.
#[derive(Default)]
struct Blocks {
    out: Paragraphs,
    block: String,
    /// The block ends with collapsed whitespace (or a line break): more is dropped.
    at_space: bool,
    /// Depth inside `pre`, where whitespace is kept.
    pre: usize,
}

impl Blocks {
    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.block.push_str(text);
            self.at_space = text.ends_with(char::is_whitespace);
            return;
        }
        for c in text.chars() {
            // ASCII whitespace collapses; a no-break space is content.
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                if !self.at_space && !self.block.is_empty() {
                    self.block.push(' ');
                }
                self.at_space = true;
            } else {
                self.block.push(c);
                self.at_space = false;
            }
        }
    }

    fn line_break(&mut self) {
        let kept = self.block.trim_end_matches(' ').len();
        self.block.truncate(kept);
        self.block.push('\n');
        self.at_space = true;
    }

    fn end_block(&mut self) {
        self.out.push(&self.block);
        self.block.clear();
        self.at_space = false;
    }
}

/// The text of an HTML page.
pub(super) fn extract(html: &str) -> String {
    let mut tokenizer = Tokenizer::new(html);
    let mut blocks = Blocks::default();
    // The element whose content is being left out, and how deep inside it.
    let mut skipping: Option<(Vec<u8>, usize)> = None;
    let mut in_head = false;
    // Not a `for` loop: after `<script>` or `<style>` the tokenizer is switched to the
    // state a browser's parser would switch it to, so that `if (a<b)` in a script is read
    // as script, not as a tag.
    while let Some(token) = tokenizer.next() {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                let name = name.as_slice();
                let void = VOID.contains(&name);
                let raw = raw_text_state(name);
                if tag.self_closing && raw.is_some() {
                    // `<script src="x"/>` in XHTML: no content follows.
                    continue;
                }
                if let Some(state) = raw {
                    tokenizer.set_state(state);
                }
                if let Some((skipped, depth)) = &mut skipping {
                    if skipped.as_slice() == name && !tag.self_closing {
                        *depth += 1;
                    }
                    continue;
                }
                if in_head {
                    if IN_HEAD.contains(&name) {
                        if !void && !tag.self_closing {
                            skipping = Some((name.to_vec(), 1));
                        }
                        continue;
                    }
                    in_head = false;
                }
                if name == b"head" {
                    in_head = !tag.self_closing;
                    continue;
                }
                let hidden = HIDDEN.contains(&name)
                    || (tag.attributes.contains_key(&b"hidden"[..])
                        && !OPTIONAL_END.contains(&name));
                if hidden && !void && !tag.self_closing {
                    skipping = Some((name.to_vec(), 1));
                    continue;
                }
                if name == b"br" {
                    blocks.line_break();
                } else if BLOCKS.contains(&name) {
                    blocks.end_block();
                    if name == b"pre" && !tag.self_closing {
                        blocks.pre += 1;
                    }
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                let name = name.as_slice();
                if let Some((skipped, depth)) = &mut skipping {
                    if skipped.as_slice() == name {
                        *depth -= 1;
                        if *depth == 0 {
                            skipping = None;
                        }
                    }
                    continue;
                }
                if name == b"head" {
                    in_head = false;
                } else if name == b"br" {
                    // `</br>` is read as `<br>` by browsers.
                    blocks.line_break();
                } else if BLOCKS.contains(&name) {
                    blocks.end_block();
                    if name == b"pre" {
                        blocks.pre = blocks.pre.saturating_sub(1);
                    }
                }
            }
            Token::String(text) if skipping.is_none() && !in_head => {
                blocks.text(&String::from_utf8_lossy(&text.value));
            }
            _ => {}
        }
    }
    blocks.end_block();
    blocks.out.finish()
}

/// The tokenizer state that the content of element `name` is read in, when it is not
/// markup: script data, raw text, escapable raw text.
fn raw_text_state(name: &[u8]) -> Option<State> {
    match name {
        b"script" => Some(State::ScriptData),
        b"style" | b"iframe" | b"xmp" | b"noembed" | b"noframes" | b"noscript" => {
            Some(State::RawText)
        }
        b"textarea" | b"title" => Some(State::RcData),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs() {
        let html = "<!DOCTYPE html><html><head><title>Tab title</title><meta charset=utf-8>\
            <style>p { color: red }</style></head><body>\
            <h1>A  <em>heading</em></h1><p>First\n   paragraph &amp; more.<p>Unclosed &eacute;t&#233;.\
            <ul><li>One</li><li>Two<br>lines</li></ul>\
            <table><tr><td>Cell one</td><td>Cell two</td></tr></table>\
            <blockquote>Quoted.</blockquote><div>Div <a href=x>text</a>.</div></body></html>";
        assert_eq!(
            extract(html),
            "A heading\n\nFirst paragraph & more.\n\nUnclosed été.\n\nOne\n\nTwo\nlines\n\n\
             Cell one\n\nCell two\n\nQuoted.\n\nDiv text.\n"
        );
    }

    #[test]
    fn scripts_styles_templates_and_hidden_content_are_left_out() {
        let html = "<p>Before.</p><script>if (a<b) { document.write('<p>nope</p>') }</script>\
            <template><p>template</p></template><noscript><p>enable js</p></noscript>\
            <div hidden><div>hidden</div>still hidden</div><svg><text>drawn</text></svg>\
            <style>.x{}</style><p>After.</p><script src=\"x.js\"/><p>Last.</p>";
        assert_eq!(extract(html), "Before.\n\nAfter.\n\nLast.\n");
    }

    #[test]
    fn head_without_end_tag_ends_at_the_first_body_element() {
        let html = "<html><head><title>T</title><meta charset=utf-8><p>Body text.</p>";
        assert_eq!(extract(html), "Body text.\n");
        assert_eq!(extract("Just text."), "Just text.\n");
        assert_eq!(extract(""), "");
    }

    #[test]
    fn pre_keeps_its_whitespace() {
        let html = "<p>a   b</p><pre>line  one\n  line two</pre>";
        assert_eq!(extract(html), "a b\n\nline  one\n  line two\n");
    }

    #[test]
    fn xhtml_self_closing_tags() {
        let html = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title><script src="a.js"/></head>
<body><p>One<br/>two</p><div/><p>Three.</p></body></html>"#;
        assert_eq!(extract(html), "One\ntwo\n\nThree.\n");
    }
}
