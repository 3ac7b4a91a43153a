"""mail.parse: headers, bodies in any charset and encoding, attachments, malformed MIME."""

from __future__ import annotations

import base64

import pytest

from core.errors import UnsupportedFile
from mail.parse import parse_message


def _mime(body: bytes, headers: bytes = b"") -> bytes:
    return (
        b"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <Juergen@Firma.example>\r\n"
        b"To: AR <ar+t0k3n@acme.example>, Other <o@x.example>\r\nCc: c@x.example\r\n"
        b"Subject: =?iso-8859-1?q?R=E9ponse_=E0_la_facture?=\r\n"
        b"Message-ID: <abc@firma.example>\r\nIn-Reply-To: <out-1@acme.example>\r\n"
        b"References: <out-0@acme.example>\r\n <out-1@acme.example>\r\n"
        b"Date: Mon, 23 Nov 2026 09:12:00 +0100\r\nReply-To: AP <ap@Firma.example>\r\n"
        + headers
        + b"\r\n"
        + body
    )


def test_headers_addresses_and_threading_fields() -> None:
    msg = parse_message(_mime(b"Hallo\r\n", b"Content-Type: text/plain; charset=utf-8\r\n"))
    assert msg.sender == ("Jürgen Müller", "Juergen@firma.example")
    assert msg.to == ["ar+t0k3n@acme.example", "o@x.example"] and msg.cc == ["c@x.example"]
    assert msg.subject == "Réponse à la facture"
    assert msg.message_id == "<abc@firma.example>"
    assert msg.in_reply_to == "<out-1@acme.example>"
    assert msg.references == ["<out-0@acme.example>", "<out-1@acme.example>"]
    assert msg.date is not None and msg.date.utcoffset().total_seconds() == 3600
    assert msg.header("SUBJECT") == msg.subject and not msg.malformed
    assert msg.reply_to == ["ap@firma.example"]


@pytest.mark.parametrize(
    ("charset", "cte", "payload", "expected"),
    [
        ("iso-8859-1", "8bit", "Grüße".encode("latin-1"), "Grüße"),
        ("windows-1252", "8bit", "“paid” – €5".encode("cp1252"), "“paid” – €5"),
        ("iso-8859-1", "8bit", "“smart”".encode("cp1252"), "“smart”"),  # the label lies
        ("big5", "base64", base64.b64encode("您好".encode()), "您好"),  # UTF-8 labelled big5
        ("x-no-such-charset", "8bit", "Grüße".encode(), "Grüße"),
        (
            "utf-8",
            "quoted-printable",
            b"Gr=C3=BC=C3=9Fe, wir zahlen=\r\n am Freitag",
            "Grüße, wir zahlen am Freitag",
        ),
        ("koi8-r", "base64", base64.b64encode("Оплачено".encode("koi8-r")), "Оплачено"),
        ("gb2312", "base64", base64.b64encode("已付款".encode("gb2312")), "已付款"),
    ],
)
def test_bodies_decode_from_any_charset_and_transfer_encoding(charset, cte, payload, expected):
    headers = f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {cte}\r\n"
    assert parse_message(_mime(payload + b"\r\n", headers.encode())).text.strip() == expected


def test_html_only_body_becomes_readable_text_with_quotes_marked() -> None:
    html = (
        b"<html><head><style>.x{}</style></head><body><p>Paid <b>today</b>.</p>"
        b"<blockquote>Old text</blockquote><script>evil()</script></body></html>"
    )
    msg = parse_message(_mime(html, b"Content-Type: text/html; charset=utf-8\r\n"))
    assert msg.html is not None
    assert msg.text.splitlines()[0] == "Paid today."
    assert "> Old text" in msg.text and "evil" not in msg.text and ".x{}" not in msg.text


def test_multipart_alternative_prefers_plain_and_keeps_html() -> None:
    body = (
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML words</p>\r\n--b--\r\n"
    )
    msg = parse_message(_mime(body, b'Content-Type: multipart/alternative; boundary="b"\r\n'))
    assert msg.text == "Plain words" and "HTML words" in msg.html


def test_attachments_keep_bytes_and_text_of_csv_and_nested_messages() -> None:
    csv = b"invoice,amount\r\nINV-1042,12400.00\r\n"
    inner = b"From: a@b.example\r\nSubject: inner\r\n\r\nforwarded words\r\n"
    body = (
        b"--o\r\nContent-Type: text/plain\r\n\r\nRemittance attached.\r\n"
        b"--o\r\nContent-Type: text/csv; name=remit.csv\r\nContent-Disposition: attachment; "
        b"filename=remit.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(csv)
        + b"\r\n--o\r\nContent-Type: message/rfc822\r\n\r\n"
        + inner
        + b"--o--\r\n"
    )
    msg = parse_message(_mime(body, b'Content-Type: multipart/mixed; boundary="o"\r\n'))
    assert msg.text == "Remittance attached."
    remit = next(a for a in msg.attachments if a.filename == "remit.csv")
    assert remit.data == csv and "INV-1042,12400.00" in remit.text
    enclosed = next(a for a in msg.attachments if a.content_type == "message/rfc822")
    assert b"forwarded words" in enclosed.data


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF showing ``text`` in Helvetica."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        xref,
    )


def test_pdf_remittance_attachment_text_is_extracted() -> None:
    pytest.importorskip("pypdf")
    body = (
        b"--o\r\nContent-Type: text/plain\r\n\r\nsee pdf\r\n--o\r\nContent-Type: application/pdf"
        b"\r\nContent-Disposition: attachment; filename=advice.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(_pdf("Remittance INV-1042 12400.00"))
        + b"\r\n--o--\r\n"
    )
    msg = parse_message(_mime(body, b'Content-Type: multipart/mixed; boundary="o"\r\n'))
    pdf = msg.attachments[0]
    assert (pdf.filename, pdf.content_type) == ("advice.pdf", "application/pdf")
    assert pdf.text == "Remittance INV-1042 12400.00"


def test_damaged_pdf_gives_no_text_and_no_error() -> None:
    from mail.attachments import pdf_text

    assert pdf_text(b"%PDF-1.4 garbage") is None and pdf_text(b"not a pdf") is None


def test_broken_boundary_is_kept_and_flagged_malformed() -> None:
    body = b"--wrong\r\nContent-Type: text/plain\r\n\r\nstill readable\r\n--wrong--\r\n"
    msg = parse_message(_mime(body, b'Content-Type: multipart/mixed; boundary="declared"\r\n'))
    assert msg.malformed and "boundary" in msg.malformed_reason
    assert msg.defects


def test_raw_8bit_header_bytes_and_bad_dates_do_not_crash() -> None:
    raw = (
        b"From: G\xfcnther <g@x.example>\r\nSubject: Zahlung f\xfcr Rechnung\r\n"
        b"Date: Mon, 23 Nov 2026 27:99:00 +0000\r\n\r\nok\r\n"
    )
    msg = parse_message(raw)
    assert msg.subject == "Zahlung für Rechnung" and msg.from_name == "Günther"
    assert msg.date is None and any("Date" in d for d in msg.defects)


def test_cr_only_line_endings_and_mbox_from_line() -> None:
    raw = b"From MAILER-DAEMON Mon Nov 23 09:00:00 2026\rFrom: a@b.example\rSubject: x\r\rbody\r"
    msg = parse_message(raw)
    assert msg.from_addr == "a@b.example" and msg.text.strip() == "body"


def test_outlook_msg_binary_is_flagged_not_raised() -> None:
    msg = parse_message(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert msg.malformed and "OLE2" in msg.malformed_reason


def test_text_without_headers_is_flagged_malformed() -> None:
    msg = parse_message(b"just some pasted words\nwith no headers\n")
    assert msg.malformed and msg.malformed_reason == "no RFC 5322 header block"


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n"])
def test_empty_input_raises_unsupported_file(raw) -> None:
    with pytest.raises(UnsupportedFile, match="empty"):
        parse_message(raw, source="x.eml")


def test_format_flowed_soft_breaks_are_joined() -> None:
    body = (
        b"We will pay INV-1042 \r\non Friday.\r\n\r\nOn 23/11/2026 09:00, AR wrote:\r\n"
        b"> Invoice INV-1042 \r\n> is overdue.\r\n-- \r\nDana\r\n"
    )
    headers = b"Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
    text = parse_message(_mime(body, headers)).text
    assert text.splitlines()[:5] == [
        "We will pay INV-1042 on Friday.",
        "",
        "On 23/11/2026 09:00, AR wrote:",
        "> Invoice INV-1042 is overdue.",
        "--",
    ]


def test_format_flowed_delsp_removes_the_joining_space() -> None:
    headers = b"Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n"
    text = parse_message(_mime(b"Zah \r\nlung erhalten.\r\n", headers)).text
    assert text.strip() == "Zahlung erhalten."
