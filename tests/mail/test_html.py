"""mail.html: HTML bodies to text with block structure and quote markers."""

from __future__ import annotations

from mail.html import html_to_text


def test_blocks_breaks_and_lists_become_lines() -> None:
    html = "<h1>Title</h1><p>One<br>Two</p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>"
    assert html_to_text(html).splitlines() == [
        "Title",
        "",
        "One",
        "Two",
        "",
        "- a",
        "- b",
        "",
        "x y",
    ]


def test_scripts_styles_and_head_are_dropped_and_entities_decoded() -> None:
    html = (
        "<head><title>t</title><style>p{}</style></head><script>x()</script><p>A &amp; B&nbsp;C</p>"
    )
    assert html_to_text(html).strip() == "A & B C"


def test_nested_blockquotes_get_one_marker_per_level() -> None:
    html = "<p>new</p><blockquote>one<blockquote>two</blockquote></blockquote><p>after</p>"
    lines = [line for line in html_to_text(html).splitlines() if line.strip(" >")]
    assert lines == ["new", "> one", "> > two", "after"]


def test_hotmail_stop_spelling_rule_quotes_everything_below() -> None:
    html = '<div>Reply</div><hr id="stopSpelling"><div>old message</div>'
    assert html_to_text(html).splitlines()[-1] == "> old message"


def test_unclosed_tags_and_garbage_do_not_crash() -> None:
    assert "text" in html_to_text("<div><p>text<span></div></i><<>>")
