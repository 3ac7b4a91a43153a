"""Held-out round 5: quoted history and forwarded headers, CVA/Sanierung/auto-replies in
FR/ES, German bounces, frustration without opt-out words, non-native English, chat requests
with typos in EN/ES/FR.

Written before running anything on it. FIRST-RUN accuracy (before any fix): see
``FIRST_RUN``. Misses are fixed by general rules, never by pasting a sentence.
"""

from __future__ import annotations

from tests.agent.understanding._heldout import reply_misses, request_misses

FIRST_RUN = "replies 17/27 (63%), requests 9/12 (75%)"

REPLIES = [
    (
        "Thanks for the reminder. Payment was approved today and should hit your account within "
        "3-5 business days.\n\nOn Mon, Nov 23, 2026 at 9:00 AM AR Team <ar@us.example> wrote:\n"
        "> Dear customer, INV-1042 is 30 days overdue. Please pay.",
        "promise_to_pay",
    ),
    (
        "Cheque cut yesterday, going out in today's mail.\n\n-----Original Message-----\n"
        "From: AR Team\nSent: Friday\nSubject: Overdue invoice INV-1043\nPlease remit payment.",
        "claims_paid",
    ),
    (
        "Hi,\n\nI'm not the right contact for this, please remove me and send to "
        "accounts@soylent.example instead.\n\nRegards",
        ("contact_change", "opt_out"),
    ),
    ("Stop harassing us.", "opt_out"),
    ("All sorted on our end, should be with you by now.", "claims_paid"),
    ("We never got the goods, so no.", "dispute"),
    (
        "Rechnung 1042: Die Leistung wurde nicht wie vereinbart erbracht. Wir behalten uns eine "
        "Minderung vor.",
        "dispute",
    ),
    ("Wir befinden uns derzeit in einem Sanierungsverfahren in Eigenverwaltung.", "insolvency"),
    (
        "The company has entered into a Company Voluntary Arrangement (CVA). Please contact the "
        "supervisor.",
        "insolvency",
    ),
    (
        "Je suis actuellement absent et n'aurai qu'un accès limité à mes e-mails jusqu'au lundi "
        "7 décembre.",
        "out_of_office",
    ),
    (
        "Gracias por su mensaje. Estaré fuera de la oficina hasta el 2 de diciembre con acceso "
        "limitado al correo.",
        "out_of_office",
    ),
    (
        "Unzustellbar: Die Nachricht konnte nicht zugestellt werden. Der Empfänger wurde nicht "
        "gefunden.",
        "other",
    ),
    (
        "Could you confirm what you still show as open on our account? We think we're up to date.",
        ("document_request", "question"),
    ),
    (
        "Got it - passing this on to Jenny who handles payables.",
        ("acknowledgement", "contact_change"),
    ),
    ("We'd like to settle this in 2 equal parts, 15 Dec and 15 Jan.", "payment_plan_request"),
    (
        "Can we have until end of January? Cash is tight after the holidays.",
        "payment_plan_request",
    ),
    ("We'll pay once you credit the $400 for the damaged items.", "dispute"),
    ("Invoice 1044 is fine. 1043 is not - we returned those units in October.", "dispute"),
    ("Kindly send us an updated statement of account as at 30 November.", "document_request"),
    (
        "Our VAT number has changed, please reissue the invoices with DE123456789.",
        ("document_request", "dispute"),
    ),
    ("Do you accept payment by credit card, and is there a surcharge?", "question"),
    ("Happy holidays to you and the team!", ("acknowledgement", "other")),
    ("Hello, the money we transfered on 19 nov, you no receive?", "claims_paid"),
    ("We not agree this invoice, price is more high than offer.", "dispute"),
    (
        "FYI I'm moving to a new role, my colleague Pat (pat@initech.example) takes over AP from "
        "December.",
        "contact_change",
    ),
    (
        "Paiement effectué ce matin, vous trouverez l'avis de virement en pièce jointe.",
        "claims_paid",
    ),
    (
        "Pagaremos la mitad ahora y el resto el mes que viene, ¿les parece bien?",
        "payment_plan_request",
    ),
]

REQUESTS = [
    ("ar agng by cust", "aging", None),
    (
        "who hasnt paid in 60+ days",
        ("open_items", "top_debtors", "aging", "draft_reminders"),
        None,
    ),
    ("nudge everyone over 30 days", "draft_reminders", None),
    (
        "Tailspin says they'll pay half on dec 1 and half jan 1 - set that up",
        "payment_plan",
        "C-006",
    ),
    ("mark globex as promised for friday", "record_promise", "C-001"),
    ("initech disputes the freight charge on inv 1077", "open_dispute", "C-002"),
    ("no more reminders to soylent this month", "hold_dunning", "C-004"),
    ("swap umbrella's billing email to rechnung@umbrella.example", "update_contact", "C-003"),
    ("flag dupont for legal", "escalate", "C-005"),
    ("what's pending sign-off", "approvals_pending", None),
    ("¿cuánto nos debe Globex?", "balance", "C-001"),
    ("relance tous les clients en retard de plus de 15 jours", "draft_reminders", None),
]


def test_round_5_replies():
    misses = reply_misses(REPLIES)
    assert len(misses) <= 2, misses


def test_round_5_requests():
    misses = request_misses(REQUESTS)
    assert len(misses) <= 1, misses
