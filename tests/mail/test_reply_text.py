"""mail.reply_text: quote styles of each client and language, signatures, disclaimers, HTML."""

from __future__ import annotations

import pytest

from mail.reply_text import extract_reply

NEW = "We paid INV-1042 on Friday, ACH ref 88213."
HISTORY = "> Dear customer, invoice INV-1042 for $12,400.00 is 30 days overdue."

QUOTE_STYLES = {
    # English: Gmail, Apple Mail, Thunderbird, Yahoo, Outlook
    "gmail": "On Mon, Nov 23, 2026 at 9:00 AM Accounts Receivable <ar@acme.example> wrote:\n\n"
    + HISTORY,
    "gmail_wrapped_before_address": "On Mon, Nov 23, 2026 at 9:00 AM Accounts Receivable <\n"
    "ar@acme.example> wrote:\n" + HISTORY,
    "gmail_wrapped_before_wrote": "On Mon, Nov 23, 2026 at 9:00 AM Accounts Receivable\n"
    "<ar@acme.example> wrote:\n" + HISTORY,
    "apple_mail": "On Nov 23, 2026, at 09:00, AR Team <ar@acme.example> wrote:\n\n" + HISTORY,
    "apple_mail_quoted_header": "> On Nov 23, 2026, at 09:00, AR Team <ar@acme.example> wrote:\n"
    + HISTORY,
    "thunderbird": "On 23/11/2026 09:00, AR Team wrote:\n" + HISTORY,
    "yahoo": "On Monday, November 23, 2026, 09:00:00 AM CST, AR Team <ar@acme.example> wrote:\n\n"
    "Dear customer, invoice INV-1042 is overdue.",
    "outlook_original_message": "-----Original Message-----\nFrom: AR Team [mailto:ar@acme.example]\n"
    "Sent: Monday, November 23, 2026 9:00 AM\nTo: Dana Ruiz\n"
    "Subject: Invoice INV-1042 is overdue\n\nDear customer,",
    "outlook_underscores": "________________________________\nFrom: AR Team <ar@acme.example>\n"
    "Sent: Monday, November 23, 2026 9:00 AM\nTo: Dana Ruiz <dana@globex.example>\n"
    "Subject: Invoice INV-1042 is overdue\n\nDear customer,",
    "outlook_header_block_only": "From: AR Team <ar@acme.example>\nSent: Monday, November 23, 2026 "
    "9:00 AM\nTo: Dana Ruiz\nSubject: RE: Invoice\n\nDear customer,",
    "outlook_bold_markdown": "*From:* AR Team [mailto:ar@acme.example]\n*Sent:* Monday, November 23,"
    " 2026 9:00 AM\n*To:* dana@globex.example\n*Subject:* Invoice\n\nDear",
    "lotus_notes_wrote_on": "Dana Ruiz/Globex wrote on 23.11.2026 09:00:\n\nDear customer,",
    "lotus_notes_header_tabs": "From:\tAR Team <ar@acme.example>\nTo:\tDana Ruiz/Globex@Globex\n"
    "Date:\t23.11.2026 09:00\nSubject:\tInvoice INV-1042\n\nDear customer,",
    "plain_angle_quotes": HISTORY + "\n> Please pay by Friday.",
    "forwarded_gmail": "---------- Forwarded message ---------\nFrom: AR Team <ar@acme.example>\n"
    "Date: Mon, Nov 23, 2026 at 9:00 AM\nSubject: Invoice\n\nDear customer,",
    "forwarded_apple": "Begin forwarded message:\n\nFrom: AR Team <ar@acme.example>\n"
    "Subject: Invoice\nDate: November 23, 2026\n\nDear customer,",
    "zoho": "---- On Mon, 23 Nov 2026 09:00:00 -0600 AR Team <ar@acme.example> wrote ----\n\nDear",
    # German
    "de_gmail": "Am Mo., 23. Nov. 2026 um 09:00 Uhr schrieb Buchhaltung <ar@acme.example>:\n"
    + HISTORY,
    "de_apple": "Am 23.11.2026 um 09:00 schrieb AR Team <ar@acme.example>:\n\n" + HISTORY,
    "de_outlook_separator": "-----Ursprüngliche Nachricht-----\nVon: AR Team <ar@acme.example>\n"
    "Gesendet: Montag, 23. November 2026 09:00\nAn: Max Muster\n"
    "Betreff: Rechnung INV-1042\n\nSehr geehrte Damen und Herren,",
    "de_outlook_block": "Von: AR Team <ar@acme.example>\nGesendet: Montag, 23. November 2026 09:00\n"
    "An: Max Muster <max@muster.example>\nBetreff: AW: Rechnung INV-1042\n\nHallo",
    # French
    "fr_gmail": "Le lun. 23 nov. 2026 à 09:00, Service Comptabilité <ar@acme.example> a écrit :\n"
    + HISTORY,
    "fr_gmail_wrapped": "Le lun. 23 nov. 2026 à 09:00, Service Comptabilité <ar@acme.example>\n"
    "a écrit :\n" + HISTORY,
    "fr_apple": "Le 23 nov. 2026 à 09:00, AR Team <ar@acme.example> a écrit :\n\n" + HISTORY,
    "fr_outlook_block": "De : AR Team <ar@acme.example>\nEnvoyé : lundi 23 novembre 2026 09:00\n"
    "À : Marie Dupont\nObjet : Facture INV-1042\n\nBonjour,",
    "fr_android_separator": "-------- Message d'origine --------\nDe : AR Team <ar@acme.example>\n"
    "Date : 23/11/2026 09:00 (GMT+01:00)\nÀ : marie@dupont.example\n"
    "Objet : Facture\n\nBonjour,",
    # Spanish
    "es_gmail": "El lun, 23 nov 2026 a las 9:00, Cobros (<ar@acme.example>) escribió:\n" + HISTORY,
    "es_outlook_block": "De: AR Team <ar@acme.example>\nEnviado: lunes, 23 de noviembre de 2026 9:00\n"
    "Para: Juan Pérez\nAsunto: Factura INV-1042\n\nEstimado cliente,",
    "es_mensaje_original": "-----Mensaje original-----\nDe: AR Team\nEnviado el: lunes, 23 de "
    "noviembre de 2026 9:00\nPara: Juan\nAsunto: Factura\n\nEstimado",
    # Dutch, Italian, Portuguese
    "nl_gmail": "Op ma 23 nov. 2026 om 09:00 schreef AR Team <ar@acme.example>:\n" + HISTORY,
    "nl_outlook_block": "Van: AR Team <ar@acme.example>\nVerzonden: maandag 23 november 2026 09:00\n"
    "Aan: Jan de Vries\nOnderwerp: Factuur INV-1042\n\nBeste klant,",
    "it_gmail": "Il giorno lun 23 nov 2026 alle ore 09:00 AR Team <ar@acme.example> ha scritto:\n"
    + HISTORY,
    "it_outlook_block": "Da: AR Team <ar@acme.example>\nInviato: lunedì 23 novembre 2026 09:00\n"
    "A: Mario Rossi\nOggetto: Fattura INV-1042\n\nGentile cliente,",
    "pt_gmail": "Em seg., 23 de nov. de 2026 às 09:00, AR Team <ar@acme.example> escreveu:\n"
    + HISTORY,
    "zh_gmail_fullwidth_colon": "在 2026年11月23日 09:00，AR <ar@acme.example> 写道：\n"
    "尊敬的客户，发票 INV-1042 已逾期。",
    "ja_gmail_no_verb": "2026年11月23日(月) 9:00 AR <ar@acme.example>:\n\nお支払いをお願いします。",
    "pt_outlook_block": "De: AR Team <ar@acme.example>\nEnviada em: segunda-feira, 23 de novembro "
    "de 2026 09:00\nPara: João Silva\nAssunto: Fatura INV-1042\n\nPrezado",
}


@pytest.mark.parametrize("style", sorted(QUOTE_STYLES))
def test_quoted_history_is_stripped(style) -> None:
    parts = extract_reply(f"{NEW}\n\n{QUOTE_STYLES[style]}\n")
    assert parts.reply == NEW
    assert parts.quoted


@pytest.mark.parametrize(
    ("sign_off", "signature"),
    [
        ("Thanks,", "Dana Ruiz\nAccounts Payable Manager\nGlobex Corporation\n+1 (312) 555-0142"),
        ("Best regards,", "Dana Ruiz | Controller\nwww.globex.example"),
        ("Cheers,", "Dana"),
        ("Mit freundlichen Grüßen", "Max Mustermann\nBuchhaltung\nTel. +49 30 1234567"),
        ("Cordialement,", "Marie Dupont\nComptable\n01 23 45 67 89"),
        ("Saludos,", "Juan Pérez\nGerente de Finanzas\n+34 91 123 45 67"),
        ("Met vriendelijke groet,", "Jan de Vries"),
    ],
)
def test_sign_off_stays_and_name_title_phone_lines_become_the_signature(sign_off, signature):
    parts = extract_reply(f"{NEW}\n\n{sign_off}\n{signature}\n")
    assert parts.reply == f"{NEW}\n\n{sign_off}"
    assert parts.signature == signature


@pytest.mark.parametrize(
    "footer",
    [
        "Sent from my iPhone",
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPhone",
        "Enviado desde mi iPhone",
        "Get Outlook for Android<https://aka.ms/AAb9ysg>",
        "Sent from my Samsung Galaxy smartphone.",
    ],
)
def test_mobile_footers_are_signatures(footer) -> None:
    parts = extract_reply(f"{NEW}\n\n{footer}\n")
    assert parts.reply == NEW and parts.signature == footer


def test_dash_dash_space_delimiter_starts_the_signature() -> None:
    parts = extract_reply(f"{NEW}\n-- \nDana Ruiz\nGlobex\n")
    assert parts.reply == NEW and parts.signature == "--\nDana Ruiz\nGlobex"


@pytest.mark.parametrize(
    "disclaimer",
    [
        "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely "
        "for the use of the addressee. If you have received this email in error please notify the sender.",
        "Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie nicht der "
        "richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren Sie bitte sofort "
        "den Absender.",
        "Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de "
        "ses destinataires. Si vous avez reçu ce message par erreur, merci de le détruire.",
        "Este mensaje y sus anexos son confidenciales y dirigidos exclusivamente a su destinatario. Si ha "
        "recibido este mensaje por error, le rogamos que lo comunique al remitente.",
    ],
)
def test_legal_disclaimers_are_removed_from_the_reply(disclaimer) -> None:
    parts = extract_reply(f"{NEW}\n\n{disclaimer}\n")
    assert parts.reply == NEW
    assert disclaimer[:20] in parts.signature


def test_inline_answers_after_quoted_questions_are_kept() -> None:
    text = (
        "See below.\n\nOn Mon, Nov 23, 2026 at 9:00 AM AR <ar@acme.example> wrote:\n"
        "> Can you confirm the payment date for INV-1042?\n\nFriday 27 November.\n\n"
        "> And for INV-1077?\n\nThat one is disputed, the price is wrong.\n"
    )
    reply = extract_reply(text).reply
    assert "Friday 27 November." in reply and "That one is disputed" in reply
    assert "Can you confirm" not in reply and "wrote:" not in reply


def test_bottom_posted_reply_under_a_quote_is_kept() -> None:
    text = f"On 23/11/2026 09:00, AR Team wrote:\n{HISTORY}\n\n{NEW}\n"
    assert extract_reply(text).reply == NEW


@pytest.mark.parametrize(
    "text",
    [
        "On Friday we sent the payment for INV-1042.\nOn Monday the remainder follows.",
        "Regards to your team. We paid INV-1042 yesterday, thanks for your patience with us.",
        "From: our side everything is settled.\nTo be clear, INV-1042 is paid.",
    ],
)
def test_ordinary_sentences_are_not_mistaken_for_quote_headers(text) -> None:
    assert extract_reply(text).reply == text


def test_html_only_reply_uses_blockquote_and_drops_scripts() -> None:
    html = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<div>We paid <b>INV-1042</b> on Friday.</div><div><br></div>"
        '<div class="gmail_quote"><div>On Mon, Nov 23, 2026 at 9:00 AM AR &lt;ar@acme.example'
        "&gt; wrote:</div><blockquote>Invoice INV-1042 is overdue.</blockquote></div>"
        "</body></html>"
    )
    parts = extract_reply("", html=html)
    assert parts.reply == "We paid INV-1042 on Friday."
    assert "overdue" in parts.quoted and "alert" not in parts.quoted + parts.reply


def test_html_outlook_reply_header_box_is_quoted() -> None:
    html = (
        '<div>Paid today.</div><div id="divRplyFwdMsg"><b>From:</b> AR Team<br>'
        "<b>Sent:</b> Monday, November 23, 2026 9:00 AM<br><b>To:</b> Dana<br>"
        "<b>Subject:</b> Invoice</div><div>Dear customer, INV-1042 is overdue.</div>"
    )
    parts = extract_reply("", html=html)
    assert parts.reply == "Paid today."
    assert "overdue" in parts.quoted


def test_empty_input_gives_empty_parts() -> None:
    assert extract_reply("").reply == "" and extract_reply("  \n", html=None).quoted == ""


@pytest.mark.parametrize(
    "text",
    [
        "Please update our AP contact to:\n\nJane Smith\njane@globex.example\n+1 312 555 0100",
        "Our new AP contact is\nJane Smith\njane@globex.example\n+1 312 555 0100",
    ],
)
def test_new_contact_details_in_the_body_are_not_taken_for_a_signature(text) -> None:
    parts = extract_reply(text)
    assert "jane@globex.example" in parts.reply and parts.signature == ""


def test_trailing_contact_block_after_a_blank_line_is_a_signature() -> None:
    text = f"{NEW}\n\nDana Ruiz\nAccounts Payable Manager\ndana@globex.example\n+1 312 555 0142"
    parts = extract_reply(text)
    assert parts.reply == NEW and parts.signature.startswith("Dana Ruiz")


def test_a_postscript_after_the_sign_off_is_kept() -> None:
    reply = extract_reply(f"{NEW}\n\nThanks,\nDana\n\nP.S. INV-1077 was paid too.").reply
    assert "P.S. INV-1077 was paid too." in reply


def test_html_apple_signature_and_zimbra_rule() -> None:
    html = (
        '<div>Paid.</div><div id="AppleMailSignature">Sent from my iPad</div>'
        '<hr id="zwchr"><div>From: AR Team</div><div>old text</div>'
    )
    parts = extract_reply("", html=html)
    assert parts.reply == "Paid." and "old text" in parts.quoted


def test_a_very_long_quoted_history_is_fast() -> None:
    import time

    history = "\n".join(f"> line {i} of the old message" for i in range(20000))
    started = time.perf_counter()
    parts = extract_reply(
        f"{NEW}\n\nOn Mon, Nov 23, 2026 at 9:00 AM AR <ar@acme.example> wrote:\n{history}"
    )
    assert parts.reply == NEW
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the reminder.\nWe will pay on Friday.",
        "Hi,\n\nThanks for your email.\nPaid today.",
        "Regards the invoice:\nwe paid it last week",
        "Best wishes for the holidays\nPayment sent Friday",
        "Danke für die Erinnerung.\nWir zahlen am Freitag.",
        "Merci pour votre message\nNous payons vendredi",
        "Gracias por el aviso.\nPagaremos el viernes.",
    ],
)
def test_sentences_starting_with_a_sign_off_word_are_content(text) -> None:
    parts = extract_reply(text)
    assert parts.reply == text and parts.signature == ""


@pytest.mark.parametrize(
    ("text", "reply", "signature"),
    [
        ("Paid.\n\nThanks, Dana", "Paid.\n\nThanks, Dana", ""),
        ("Paid.\n\nThank you very much!\nDana", "Paid.\n\nThank you very much!", "Dana"),
        (
            "Paid.\n\nBest regards,\nDana Ruiz\nAccounts Payable Dept.\nGlobex Corp.",
            "Paid.\n\nBest regards,",
            "Dana Ruiz\nAccounts Payable Dept.\nGlobex Corp.",
        ),
    ],
)
def test_sign_off_variants(text, reply, signature) -> None:
    parts = extract_reply(text)
    assert (parts.reply, parts.signature) == (reply, signature)


def test_a_sentence_ending_in_wrote_and_a_date_is_not_an_attribution() -> None:
    text = "We paid.\nAs we wrote on 20 Nov 2026:\nthe invoice INV-1042 is wrong."
    assert extract_reply(text).reply == text


def test_thunderbird_attribution_without_a_date() -> None:
    parts = extract_reply(f"{NEW}\n\nAR Team wrote:\n{HISTORY}")
    assert parts.reply == NEW and parts.quoted.startswith("AR Team wrote:")


def test_dates_in_a_table_are_not_phone_numbers() -> None:
    text = f"{NEW}\n\n----------\nINV-1042 paid 2026-11-20\nINV-1077 paid 21.11.2026"
    assert extract_reply(text).reply == text


@pytest.mark.parametrize(
    "line",
    [
        "Sent via wire transfer",
        "Sent from our bank account",
        "Gesendet von unserer Bank",
        "Enviado desde la cuenta de empresa",
    ],
)
def test_payment_sentences_starting_with_sent_are_not_mobile_footers(line) -> None:
    text = f"Payment details:\n{line}\nAmount: 12,400.00\nRef: 88213"
    assert extract_reply(text).reply == text


def test_a_table_under_a_rule_is_not_a_signature() -> None:
    text = f"{NEW}\n\n-------------------\nINV-1042  Manager approval pending\nINV-1077  paid"
    assert extract_reply(text).reply == text


def test_name_and_a_long_company_contact_line_are_a_signature() -> None:
    sig = "Dana Ruiz\nGlobex Corporation | 123 Main St, Chicago IL 60601 | +1 312 555 0142 | www.globex.example"
    parts = extract_reply(f"{NEW}\n\n{sig}")
    assert parts.reply == NEW and parts.signature == sig


def test_a_new_contact_given_after_a_blank_line_stays_in_the_reply() -> None:
    text = "Our new AP contact is Jane.\n\nJane Smith\njane@globex.example"
    assert extract_reply(text).reply == text
