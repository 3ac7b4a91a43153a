"""mail.autoreply: out-of-office, bounces and auto-acknowledgements from headers and text."""

from __future__ import annotations

import pytest

from mail.autoreply import detect_auto_reply
from mail.parse import parse_message


def _msg(
    body: str = "We will pay on Friday.",
    *,
    frm: str = "dana@globex.example",
    subject: str = "RE: Invoice INV-1042",
    headers: str = "",
):
    raw = f"From: {frm}\r\nTo: ar@acme.example\r\nSubject: {subject}\r\n{headers}\r\n{body}\r\n"
    return parse_message(raw.encode())


def test_a_normal_reply_is_not_automatic() -> None:
    assert detect_auto_reply(_msg()) is None


def test_a_human_mentioning_a_holiday_is_not_an_out_of_office() -> None:
    msg = _msg(
        "Sorry for the delay, I was on vacation. I'm out of the office until Monday but "
        "we will pay INV-1042 on Friday."
    )
    assert detect_auto_reply(msg) is None


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied\r\n",
        "X-Autoreply: yes\r\n",
        "X-Autorespond: on\r\n",
        "Precedence: auto_reply\r\n",
    ],
)
def test_auto_reply_headers_with_vacation_text_are_out_of_office(headers) -> None:
    msg = _msg(
        "I am out of the office until December 1st with limited access to email.", headers=headers
    )
    assert detect_auto_reply(msg).kind == "out_of_office"


def test_auto_submitted_no_is_a_human() -> None:
    assert detect_auto_reply(_msg(headers="Auto-Submitted: no\r\n")) is None


def test_auto_generated_without_vacation_text_is_an_acknowledgement() -> None:
    msg = _msg(
        "Your message has been received. Ticket 4411.", headers="Auto-Submitted: auto-generated\r\n"
    )
    assert detect_auto_reply(msg).kind == "auto_ack"


@pytest.mark.parametrize("precedence", ["bulk", "junk", "list"])
def test_bulk_precedence_is_automatic(precedence) -> None:
    assert detect_auto_reply(_msg(headers=f"Precedence: {precedence}\r\n")).kind == "auto_ack"


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Invoice INV-1042",
        "Out of Office: INV-1042",
        "Abwesenheitsnotiz: Rechnung",
        "Réponse automatique : Facture",
        "Respuesta automática: Factura",
        "Automatisch antwoord: Factuur",
    ],
)
def test_out_of_office_subjects_in_several_languages(subject) -> None:
    assert detect_auto_reply(_msg("Back soon.", subject=subject)).kind == "out_of_office"


@pytest.mark.parametrize(
    "body",
    [
        "Ich bin bis zum 30.11. nicht im Büro. In dringenden Fällen wenden Sie sich an Frau Meier. "
        "Nach meiner Rückkehr melde ich mich.",
        "Je suis absente du bureau jusqu'au 30 novembre. À mon retour je traiterai votre message.",
        "Estaré fuera de la oficina hasta el 30 de noviembre. A mi regreso responderé su correo.",
        "Ik ben niet op kantoor tot 30 november en ben weer terug op maandag.",
        "I am currently out of the office and will respond to your message when I return.",
    ],
)
def test_out_of_office_text_without_headers(body) -> None:
    assert detect_auto_reply(_msg(body, subject="Re: Rechnung")).kind == "out_of_office"


def test_exchange_suppress_header_with_vacation_text_is_out_of_office() -> None:
    msg = _msg(
        "I'm on annual leave until 1 December, upon my return I will reply.",
        subject="RE: INV-1042",
        headers="X-Auto-Response-Suppress: All\r\n",
    )
    assert detect_auto_reply(msg).kind == "out_of_office"


def test_mailer_daemon_bounce() -> None:
    msg = _msg(
        "This message was created automatically by mail delivery software.",
        frm="MAILER-DAEMON@mx.globex.example",
        subject="Undelivered Mail Returned to Sender",
        headers="Return-Path: <>\r\n",
    )
    assert detect_auto_reply(msg).kind == "bounce"


def test_delivery_status_report_is_a_bounce() -> None:
    raw = (
        b"From: postmaster@globex.example\r\nSubject: Undeliverable: Invoice\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery has failed.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; old@globex.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--r--\r\n"
    )
    assert detect_auto_reply(parse_message(raw)).kind == "bounce"


def test_null_return_path_alone_is_not_a_bounce() -> None:
    msg = _msg("Wir zahlen am Freitag.", headers="Return-Path: <>\r\n")
    assert detect_auto_reply(msg) is None


def test_noreply_sender_is_an_acknowledgement() -> None:
    assert detect_auto_reply(_msg(frm="no-reply@portal.globex.example")).kind == "auto_ack"


def test_read_receipt_is_an_acknowledgement() -> None:
    raw = (
        b"From: dana@globex.example\r\nSubject: Read: Invoice\r\n"
        b'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"\r\n'
        b"\r\n--r\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n--r--\r\n"
    )
    assert detect_auto_reply(parse_message(raw)).kind == "auto_ack"


def test_failed_recipients_header_is_a_bounce() -> None:
    msg = _msg(
        "Mail delivery failed.",
        frm="support@relay.example",
        headers="X-Failed-Recipients: old@globex.example\r\n",
    )
    assert detect_auto_reply(msg).kind == "bounce"


def test_bracketed_auto_reply_subject() -> None:
    assert detect_auto_reply(
        _msg("Back Monday.", subject="[Auto-Reply] Invoice INV-1042")
    ).kind == ("out_of_office")
