"""The shared email corpus: every file survives ingestion; reply text asserted for many.

Expectations come from the upstream projects' ground-truth files where the corpus has
them (``*_reply_text``, ``*_signature``) and were otherwise written by reading each
message: the new words the sender typed, without quoted history or signature.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mail.autoreply import detect_auto_reply
from mail.parse import parse_message
from mail.reply_text import ReplyParts, extract_reply
from tests.conftest import CORPORA

EMAILS = CORPORA / "emails"
ALL_FILES = (
    sorted(
        str(p.relative_to(EMAILS))
        for p in EMAILS.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    )
    if EMAILS.is_dir()
    else ["<corpus absent>"]
)
BARE_BODY_DIRS = (
    "crisp_email_reply_parser/",
    "github_email_reply_parser/",
    "zapier_email_reply_parser/",
    "talon/signature/",
)

LOREM = (
    "Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales "
    "ante sem sit amet metus.\nNulla malesuada, orci non vulputate lobortis, massa felis "
    "pharetra ex, convallis consectetur ex libero eget ante.\nNam vel turpis posuere, rhoncus "
    "ligula in, venenatis orci. Duis interdum venenatis ex a rutrum.\nDuis ut libero eu lectus "
    "consequat consequat ut vel lorem. Vestibulum convallis lectus urna,\net mollis ligula "
    "rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh."
)
HTML_REPLY = "Hi. I am fine.\n\nThanks,"

# path -> exact reply text
EXACT = {
    **{
        f"crisp_email_reply_parser/{n}.txt": LOREM
        for n in (
            "email_danish_dash_separator",
            "email_finnish",
            "email_fr_multiline",
            "email_french_2",
            "email_french_dash_separator",
            "email_german",
            "email_german_2",
            "email_german_3",
            "email_german_outlook",
            "email_gmail_split_line_from",
            "email_ios_outlook",
            "email_italian",
            "email_norwegian_gmail",
            "email_original_message",
            "email_outlook_split_line_from",
            "email_portuguese",
            "email_russian",
            "email_tricky_5_mixed_languages",
        )
    },
    "crisp_email_reply_parser/email_custom_quote_header.txt": "Thank you!",
    "crisp_email_reply_parser/email_customer_quote_header_3.txt": "bonjour,\nje n'ai pas eu de retour sur ma précision..\nmerci d'avance",
    "crisp_email_reply_parser/email_sent_from.txt": "Hi it can happen to any texts you type, as "
    "long as you type in between words or paragraphs.",
    "crisp_email_reply_parser/email_thread.txt": "This is new email reply in thread from bellow.",
    "crisp_email_reply_parser/email_tricky_16_unicode_signatures.txt": "Thanks for the update!\n\nCheers 🎉",
    "crisp_email_reply_parser/email_unquoted_reply.txt": "This is my reply.",
    "crisp_email_reply_parser/email_zoho.txt": "What is the best way to clear a Riak bucket of all key, values after\nrunning a test?",
    "crisp_email_reply_parser/sig_no_empty_line.txt": "this is an email with a signature with no empty line above.",
    "github_email_reply_parser/correct_sig.txt": "this is an email with a correct -- signature.",
    "github_email_reply_parser/email_1_3.txt": "Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona",
    "github_email_reply_parser/email_1_6.txt": "I get proper rendering as well.",
    "github_email_reply_parser/email_1_7.txt": ":+1:",
    "github_email_reply_parser/email_1_8.txt": "I will reply under this one\n\nand under this.",
    "github_email_reply_parser/email_2_1.txt": "Outlook with a reply",
    "github_email_reply_parser/email_2_2.txt": "Outlook with a reply directly above line",
    "github_email_reply_parser/email_iPhone.txt": "Here is another email",
    "github_email_reply_parser/email_multi_word_sent_from_my_mobile_device.txt": "Here is another email",
    "github_email_reply_parser/email_sent_from_my_not_signature.txt": "Here is another email\n\nSent from my desk, is much easier then my mobile phone.",
    "github_email_reply_parser/pathological.txt": "I think you're onto something. I will try to "
    "fix the problem as soon as I\nget back to a computer.",
    "zapier_email_reply_parser/email_2_3.txt": "Outlook with a reply above headers using unusual format",
    "zapier_email_reply_parser/email_gmail.txt": "This is a test for inbox replying to a github message.",
    "zapier_email_reply_parser/email_headers_no_delimiter.txt": "And another reply!",
    **{
        f"talon/standard_replies/{n}.eml": "Hello"
        for n in (
            "android",
            "aol",
            "apple_mail",
            "apple_mail_2",
            "comcast",
            "gmail",
            "hotmail",
            "iphone",
            "outlook",
            "sparrow",
            "thunderbird",
            "yahoo",
        )
    },
    **{
        f"talon/html_replies/{n}.html": HTML_REPLY
        for n in (
            "gmail",
            "hotmail",
            "mail_ru",
            "ms_outlook_2003",
            "ms_outlook_2007",
            "ms_outlook_2010",
            "thunderbird",
            "windows_mail",
            "yandex_ru",
        )
    },
    "talon/OLK_SRC_BODY_SECTION.html": "Reply",
    "talon/reply-separated-by-hr.html": "Hi\nthere\n\nBob",
    "discourse/big5.eml": "媽！我上電視了！",
    "discourse/chinese_reply.eml": "您好！ 你今天好吗？",
    "discourse/hebrew_reply.eml": "שלום! מה שלומך היום?",
    "discourse/iphone_signature.eml": "This is not the signature you're looking for.",
    "discourse/gmail_html_reply.eml": "This is a GMAIL reply ;)",
    "discourse/exchange_html_reply.eml": "This is the body !! of the email.",
    "discourse/html_only.eml": "The EC2 instance - I've seen that there tends to be odd and "
    "unrecommended settings on the Bitnami installs that I've checked out.",
    "discourse/encoded_filename.eml": "We should not include these files or vcards as attachments.",
    "flanker/iphone.eml": "Hello\n\n~Danielle",
}

# path -> (phrases the reply must keep, phrases it must not contain)
PARTIAL = {
    "crisp_email_reply_parser/email_reply_header.txt": (
        ["This is the latest reply.", "On the other hand, it could happen TWICE!"],
        ["mrmister", "Hey, Stranger"],
    ),
    "crisp_email_reply_parser/email_tricky_18_inline_reply.txt": (
        [
            "I think option A is great.",
            "Option B has some drawbacks.",
            "Option C is not suitable for our use case.",
        ],
        ["What's your opinion", "wrote:"],
    ),
    "crisp_email_reply_parser/email_tricky_19_quote_without_header.txt": (
        [
            "I wanted to respond to your points:",
            "My response to the quoted text above.",
            "And my final thoughts.",
        ],
        ["This is a quoted section", "in the middle of the email"],
    ),
    "crisp_email_reply_parser/email_tricky_1_on_false_positive.txt": (
        [
            "On the surface, this looks like",
            "On the other hand, we should be careful",
            "On average, this parser works well.",
            "On a separate note",
        ],
        [],
    ),
    "crisp_email_reply_parser/email_tricky_6_regards_in_sentence.txt": (
        [
            "with regards to the payment processing system",
            "This is the actual content that should be visible.",
        ],
        [],
    ),
    "crisp_email_reply_parser/email_not_a_signature.txt": (
        ["Registration Jun 27, 2018 facebok.com", "If you have any questions"],
        [],
    ),
    "github_email_reply_parser/email_1_2.txt": (
        ["You can list the keys for the bucket", "delete them all individually."],
        ["Abhishek Kona wrote", "riak-users mailing list"],
    ),
    "github_email_reply_parser/email_bullets.txt": (
        ["test 2 this should list second", "- how about bullets", "- and another"],
        ["Joe Smith", "wrote:"],
    ),
    "github_email_reply_parser/email_one_is_not_on.txt": (
        ["One outstanding question I had:", "Locally (on development), when I run..."],
        ["Dave Tapley wrote"],
    ),
    "github_email_reply_parser/email_sig_delimiter_in_middle_of_line.txt": (
        ["And here is a fix -- this is not a signature.", "kthxbai"],
        [],
    ),
    "zapier_email_reply_parser/email_partial_quote_header.txt": (
        [
            "On your remote host you can run:",
            "telnet 127.0.0.1 52698",
            "the tunnel is not working.",
        ],
        ["George Plymale wrote"],
    ),
    "discourse/inline_reply.eml": (
        ["The quick brown fox jumps over the lazy dog."],
        ["techAPJ", "wrote:"],
    ),
}

# path -> phrase the signature must contain
SIGNATURE = {
    "crisp_email_reply_parser/email_custom_quote_header.txt": "scr34m@gmail.com",
    "crisp_email_reply_parser/email_ios_outlook.txt": "Get Outlook for iOS",
    "crisp_email_reply_parser/email_german_3.txt": "Gesendet von Outlook",
    "crisp_email_reply_parser/email_tricky_16_unicode_signatures.txt": "+1 555-0123",
    "crisp_email_reply_parser/sig_no_empty_line.txt": "rick",
    "github_email_reply_parser/email_1_6.txt": "Sent from a magnificent torch of pixels",
    "github_email_reply_parser/email_1_8.txt": "Hey there, this is my signature",
    "github_email_reply_parser/email_iPhone.txt": "Sent from my iPhone",
    "github_email_reply_parser/email_bullets.txt": "Joe Smith",
    "discourse/iphone_signature.eml": "Sent from my iMachine",
    "talon/html_replies/gmail.html": "Alex",
}

# message -> upstream ground truth of everything the sender wrote (reply + signature)
UPSTREAM_UNQUOTED = {
    "talon/standard_replies/iphone.eml": "talon/standard_replies/iphone_reply_text",
    "talon/standard_replies/sparrow.eml": "talon/standard_replies/sparrow_reply_text",
}
# body -> upstream ground truth of its signature
UPSTREAM_SIGNATURE = {
    f"talon/signature/emails/stripped/{n}_body": f"talon/signature/emails/stripped/{n}_signature"
    for n in ("jeff", "long", "sparse")
}


def _norm(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines() if line.strip())


def _extract(root: Path, rel: str) -> ReplyParts:
    data = (root / rel).read_bytes()
    if rel.endswith(".html"):
        return extract_reply("", html=data.decode("utf-8", "replace"))
    if rel.startswith(BARE_BODY_DIRS):
        return extract_reply(data.decode("utf-8", "replace"))
    msg = parse_message(data, source=rel)
    return extract_reply(msg.text, html=msg.html)


@pytest.mark.parametrize("rel", ALL_FILES)
def test_every_corpus_file_survives_parse_extract_and_auto_reply_detection(corpora, rel) -> None:
    data = (corpora / "emails" / rel).read_bytes()
    msg = parse_message(data, source=rel)
    parts = extract_reply(msg.text, html=msg.html)
    detect_auto_reply(msg, parts.reply)
    assert isinstance(parts.reply, str) and isinstance(msg.subject, str)


@pytest.mark.parametrize("rel", sorted(EXACT))
def test_reply_text_exact(corpora, rel) -> None:
    assert _norm(_extract(corpora / "emails", rel).reply) == _norm(EXACT[rel])


@pytest.mark.parametrize("rel", sorted(PARTIAL))
def test_reply_text_keeps_new_words_and_drops_history(corpora, rel) -> None:
    reply = _norm(_extract(corpora / "emails", rel).reply)
    keep, drop = PARTIAL[rel]
    for phrase in keep:
        assert phrase in reply
    for phrase in drop:
        assert phrase not in reply


@pytest.mark.parametrize("rel", sorted(SIGNATURE))
def test_signature_is_separated(corpora, rel) -> None:
    parts = _extract(corpora / "emails", rel)
    assert SIGNATURE[rel] in parts.signature
    assert SIGNATURE[rel] not in parts.reply


@pytest.mark.parametrize("rel", sorted(UPSTREAM_UNQUOTED))
def test_unquoted_text_matches_upstream_ground_truth(corpora, rel) -> None:
    expected = (corpora / "emails" / UPSTREAM_UNQUOTED[rel]).read_text("utf-8")
    assert _norm(_extract(corpora / "emails", rel).unquoted) == _norm(expected)


@pytest.mark.parametrize("rel", sorted(UPSTREAM_SIGNATURE))
def test_signature_matches_upstream_ground_truth(corpora, rel) -> None:
    root = corpora / "emails"
    expected = (root / UPSTREAM_SIGNATURE[rel]).read_text("utf-8")
    parts = _extract(root, rel)
    assert _norm(parts.signature) == _norm(expected)
    body = (root / rel).read_text("utf-8")
    assert _norm(parts.reply) == _norm(body.replace(expected.strip(), ""))


def test_at_least_thirty_corpus_messages_have_asserted_reply_text() -> None:
    asserted = set(EXACT) | set(PARTIAL) | set(UPSTREAM_UNQUOTED) | set(UPSTREAM_SIGNATURE)
    assert len(asserted) >= 30


def test_every_corpus_file_is_stored_and_linked_or_escalated(corpora, any_db, clock) -> None:
    from ledger.models import Communication
    from mail.inbound import ingest
    from tests.support import factories

    files = [
        p
        for p in sorted((corpora / "emails").rglob("*"))
        if p.is_file() and p.name != "SOURCES.md" and p.read_bytes().strip()
    ]
    with any_db.transaction() as s:
        factories.customer(s, "C-001", "Globex Corporation", email="dana@globex.example")
        for path in files:
            result = ingest(s, path.read_bytes(), clock=clock, source=path.name)
            row = result.communication
            assert row.id is not None and row.direction == "in"
            assert row.status in ("received", "escalated")
            assert result.duplicate or row.raw
        assert s.query(Communication).count() >= len(files) - 10  # a few exact duplicates


def test_truncated_and_corrupted_corpus_messages_never_raise(corpora) -> None:
    import random

    rng = random.Random(7)
    for path in sorted((corpora / "emails").rglob("*.eml")):
        data = path.read_bytes()
        for cut in (len(data) // 3, len(data) // 2, len(data) - 7):
            for variant in (
                data[:cut],
                bytes(b ^ 0x55 if rng.random() < 0.01 else b for b in data[:cut]),
            ):
                if variant.strip():
                    msg = parse_message(variant)
                    detect_auto_reply(msg, extract_reply(msg.text, html=msg.html).reply)
