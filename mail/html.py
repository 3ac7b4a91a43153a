"""HTML email bodies to readable plain text, with the stdlib ``html.parser``.

Block elements become line breaks, ``<br>`` a newline, list items a bullet, scripts,
styles and the ``<head>`` vanish. Quoted history is marked with ``> `` so that the
reply extractor treats it like plain-text quoting: ``<blockquote>``, Gmail's
``gmail_quote``, Outlook's ``divRplyFwdMsg`` / ``OLK_SRC_BODY_SECTION`` /
``border-top`` header box, Hotmail's ``<hr id="stopSpelling">``, Yahoo's
``yahoo_quoted``, Thunderbird's ``moz-cite-prefix`` and similar.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
}
PARAGRAPH = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "pre",
    "hr",
    "dl",
}
DROP = {"script", "style", "head", "title", "noscript", "template", "xml", "o:p"}
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr", "source"}
_QUOTE_CLASSES = re.compile(
    r"gmail_quote|yahoo_quoted|moz-cite-prefix|divRplyFwdMsg|OLK_SRC_BODY_SECTION|"
    r"messageReplySection|_persistentHeader|replyforward|protonmail_quote|zmail_extra|"
    r"WordSection_quote|x_divRplyFwdMsg|appendonsend",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"gmail_signature|moz-signature|\bsignature\b|x_signature|"
    r"ms-outlook-mobile-signature|yahoo_signature|AppleMailSignature",
    re.IGNORECASE,
)
_OUTLOOK_BOX = re.compile(r"border-top:\s*solid\s*#(?:B5C4DF|E1E1E1)", re.IGNORECASE)


class _TextBuilder(HTMLParser):
    """Collects text, tracking the quote depth and which elements are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.depth = 0  # quote depth of the current line
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a quote)
        self.dropping = 0
        self.pre = 0
        self.rest_quoted = False  # everything after an <hr id=stopSpelling> etc.

    # -- helpers -----------------------------------------------------------
    def _flush(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = re.sub(r"[ \t\r\n\f\u00a0]+", " ", text).strip()
        self.lines.append((self.depth + (1 if self.rest_quoted else 0), text))
        self.current = []

    def _newline(self) -> None:
        """End the current line (if it has text)."""
        if self.current and "".join(self.current).strip():
            self._flush()
        else:
            self.current = []

    def _gap(self) -> None:
        """End the current line and leave one blank line (paragraph spacing)."""
        self._newline()
        if self.lines and self.lines[-1][1] != "":
            self.lines.append((self.depth + (1 if self.rest_quoted else 0), ""))

    # -- parser callbacks --------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in DROP:
            if tag not in VOID:
                self.dropping += 1
                self.stack.append((tag, False))
            return
        if self.dropping:
            if tag not in VOID:
                self.stack.append((tag, False))
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "br":
            self._flush()
            return
        if tag == "hr":
            self._gap()
            marker = (a.get("id", "") + " " + a.get("class", "")).lower()
            if any(m in marker for m in ("stopspelling", "divrplyfwdmsg", "zwchr")):
                self.rest_quoted = True
            return
        if tag in VOID:
            if tag == "img" and a.get("alt"):
                self.current.append(a["alt"])
            return
        quoting = tag == "blockquote" or bool(
            _QUOTE_CLASSES.search(
                a.get("class", "") + " " + a.get("id", "") + " " + a.get("name", "")
            )
            or _OUTLOOK_BOX.search(a.get("style", ""))
        )
        if tag in PARAGRAPH or quoting:
            self._gap()
        elif tag in BLOCK:
            self._newline()
        if not quoting and _SIGNATURE.search(a.get("class", "") + " " + a.get("id", "")):
            self._newline()
            self.lines.append((self.depth, "-- "))  # the plain-text signature delimiter
        if quoting:
            self.depth += 1
        if tag == "pre":
            self.pre += 1
        if tag == "li":
            self.current.append("- ")
        self.stack.append((tag, quoting))

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in VOID:
            return
        # pop to the matching tag, tolerating unclosed elements
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                break
        else:
            return
        while len(self.stack) > i:
            name, quoting = self.stack.pop()
            if name in DROP:
                self.dropping = max(0, self.dropping - 1)
                continue
            if self.dropping:
                continue
            if name in PARAGRAPH or quoting:
                self._gap()
            elif name in BLOCK:
                self._newline()
            if quoting:
                self.depth = max(0, self.depth - 1)
            if name == "pre":
                self.pre = max(0, self.pre - 1)
            if name in ("td", "th"):
                self.current.append(" ")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if self.pre:
            parts = data.split("\n")
            for part in parts[:-1]:
                self.current.append(part)
                self._flush()
            self.current.append(parts[-1])
        else:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        if self.current:
            self._flush()


def html_to_text(html: str) -> str:
    """Render an HTML body as plain text; quoted parts get ``> `` prefixes."""
    builder = _TextBuilder()
    try:
        builder.feed(html)
        builder.close()
    except Exception:  # HTMLParser is lenient; this is a last resort
        return unescape(re.sub(r"<[^>]+>", " ", html))
    out: list[str] = []
    for depth, text in builder.lines:
        if not text and out and out[-1].rstrip("> ") == "":
            continue
        out.append((("> " * depth) + text).rstrip() if depth else text)
    return "\n".join(out).strip("\n") + ("\n" if out else "")
