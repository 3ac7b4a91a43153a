"""Held-out round 6: payments on hold, ERP freezes, sister-company payments, sarcasm,
IT/NL, W-8BEN in German, liquidator/DIP notices, auto-acks in the body, wrong-vendor
payments, chat requests in DE/FR/ES.

Written before running anything on it. FIRST-RUN accuracy (before any fix): see
``FIRST_RUN``. Misses are fixed by general rules, never by pasting a sentence.
"""

from __future__ import annotations

from tests.agent.understanding._heldout import reply_misses, request_misses

FIRST_RUN = "replies 19/27 (70%), requests 9/12 (75%)"

REPLIES = [
    ("Payment is on hold pending the credit note for the returned goods.", "dispute"),
    (
        "We're migrating to a new ERP, so all payments are frozen until the 10th of January.",
        "promise_to_pay",
    ),
    (
        "This was paid by our sister company, Globex Holdings, on 12 Nov - the remittance was "
        "under their name.",
        "claims_paid",
    ),
    (
        "Our parent company pays all invoices now; please bill Globex Holdings, 1 Main St, "
        "instead.",
        "contact_change",
    ),
    ("We paid 1043 by mistake instead of 1042, can you reallocate?", "claims_paid"),
    (
        "Please hold off until our year-end audit is done in mid-January.",
        ("payment_plan_request", "promise_to_pay"),
    ),
    ("Yeah yeah, you'll get your money.", "promise_to_pay"),
    (
        "Lovely, another reminder. As I said on the phone, it's being processed.",
        ("promise_to_pay", "claims_paid"),
    ),
    ("Mi dispiace per il ritardo, pagheremo la fattura entro venerdì.", "promise_to_pay"),
    ("Wij hebben de factuur vorige week al betaald.", "claims_paid"),
    ("De factuur klopt niet, het bedrag is te hoog.", "dispute"),
    (
        "Hola, somos una empresa nueva y no reconocemos esta factura. ¿De qué se trata?",
        ("dispute", "question"),
    ),
    (
        "Bonjour, merci de noter que notre adresse de facturation a changé : "
        "factures@dupont.example",
        "contact_change",
    ),
    (
        "Sehr geehrte Damen und Herren, wir bitten um Zusendung des Formulars W-8BEN bzw. einer "
        "Ansässigkeitsbescheinigung.",
        "document_request",
    ),
    ("Könnten Sie uns mitteilen, ob Verzugszinsen berechnet werden?", "question"),
    (
        "Dear Sir/Madam, kindly be informed that the undersigned has been appointed Liquidator "
        "of Soylent Foods Inc. by special resolution of the members.",
        "insolvency",
    ),
    (
        "We are a debtor-in-possession under Chapter 11; post-petition invoices will be paid in "
        "the ordinary course.",
        "insolvency",
    ),
    ("Please delete all my contact details from your CRM.", "opt_out"),
    ("Out of office: back Dec 1", "out_of_office"),
    (
        "Automatic reply: Thank you for your invoice. It will be processed according to our "
        "payment terms.",
        "acknowledgement",
    ),
    ("Hi, quick q - is INV-1044 the one for the October delivery?", "question"),
    ("pls send statement", "document_request"),
    ("Sorry, paid the wrong vendor! Will send yours tomorrow.", "promise_to_pay"),
    (
        "We only owe $8,200, not $12,400 - the credit from October isn't reflected.",
        "dispute",
    ),
    ("Mañana sin falta les hago la transferencia.", "promise_to_pay"),
    ("Le chèque vous a été envoyé la semaine dernière.", "claims_paid"),
    ("I will check with our treasury and revert.", "acknowledgement"),
]

REQUESTS = [
    ("gimme initech's open stuff", "open_items", "C-002"),
    ("wer sind die größten Schuldner?", "top_debtors", None),
    ("liste des factures impayées de Tailspin", "open_items", "C-006"),
    ("plan de pagos para Soylent en 3 meses", "payment_plan", "C-004"),
    ("globex committed to paying 1042 by the 4th", "record_promise", "C-001"),
    ("umbrella claims inv 1044 was never delivered", "open_dispute", "C-003"),
    ("freeze dunning on tailspin", "hold_dunning", "C-006"),
    ("dupont's contact is now marie@dupont.example", "update_contact", "C-005"),
    ("this is going nowhere with soylent, hand it to a person", "escalate", "C-004"),
    ("process today's bank file", "match_bank_file", None),
    ("send out today's reminders", ("dunning_run", "draft_reminders"), None),
    ("what did initech say last time", "timeline", "C-002"),
]


def test_round_6_replies():
    misses = reply_misses(REPLIES)
    assert len(misses) <= 2, misses


def test_round_6_requests():
    misses = request_misses(REQUESTS)
    assert len(misses) <= 1, misses
