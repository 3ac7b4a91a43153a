"""Held-out round 4: negation scope ("not disputing, just need"), conditions, AT/CH German,
Québec French, plan asks in amounts, legal representation, short-pays, chat-style requests
with typos.

Written before running anything on it. FIRST-RUN accuracy (before any fix): see
``FIRST_RUN``. Misses are fixed by general rules, never by pasting a sentence.
"""

from __future__ import annotations

from tests.agent.understanding._heldout import reply_misses, request_misses

FIRST_RUN = "replies 21/26 (81%), requests 11/11 (100%)"

REPLIES = [
    (
        "We're not disputing the invoice, we just need a copy with the PO number on it.",
        "document_request",
    ),
    (
        "We haven't paid yet because the invoice never reached our AP inbox. Please resend to "
        "ap@globex.example.",
        "document_request",
    ),
    (
        "If you can send a corrected invoice with the right VAT rate, we'll pay it straight away.",
        "dispute",
    ),
    ("Servus, die Zahlung geht Anfang Dezember raus. LG, Stefan", "promise_to_pay"),
    (
        "Grüezi mitenand, die Rechnung ist bezahlt worden, bitte kontrollieren Sie Ihr Konto.",
        "claims_paid",
    ),
    (
        "Bonjour, on va vous payer la semaine prochaine, là on attend un paiement d'un client.",
        "promise_to_pay",
    ),
    (
        "Je vais être en vacances jusqu'au 3 décembre. Pour toute urgence, contactez Marc.",
        "out_of_office",
    ),
    (
        "Could we split the $18,000 into three payments over Dec, Jan and Feb?",
        "payment_plan_request",
    ),
    ("We can do $2k now and $2k a month after that until it's cleared.", "payment_plan_request"),
    (
        "Can't pay right now, our biggest client went under. Can we talk?",
        ("payment_plan_request", "other"),
    ),
    ("Please stop. We paid this in October. Check your records.", "claims_paid"),
    (
        "This account is handled by our parent company now - send everything to "
        "payables@globexholdings.example",
        "contact_change",
    ),
    ("Unsubscribe", "opt_out"),
    (
        "Per our attorney, all further communication must go through Smith & Lee LLP.",
        ("contact_change", "other"),
    ),
    ("We are insolvent and have ceased trading.", "insolvency"),
    (
        "Empresa en concurso de acreedores. Comuníquense con la administración concursal.",
        "insolvency",
    ),
    ("Le paiement a été fait par chèque le 12 novembre, numéro 004512.", "claims_paid"),
    (
        "¿Cuál es el número de cuenta para hacer la transferencia?",
        ("document_request", "question"),
    ),
    ("What is this charge for? I don't recognize it.", "question"),
    ("Received, will pass to AP for processing.", "acknowledgement"),
    ("That's not our invoice, we never ordered from you.", "dispute"),
    (
        "Our AP clerk is off sick this week, she'll look at it when she's back on the 30th.",
        ("out_of_office", "acknowledgement"),
    ),
    (
        "Sir, we are pay the half amount this friday and other half next month, ok?",
        "payment_plan_request",
    ),
    ("Invoice 1042 was short-paid by $15 due to bank charges, sorry about that.", "claims_paid"),
    ("the amount is ok but the due date is wrong, our terms are net 60", "dispute"),
    ("pls call me on 555-0100 to discuss", "other"),
]

REQUESTS = [
    ("globex bal?", "balance", "C-001"),
    ("lst of unpaid for initech", "open_items", "C-002"),
    ("set up pymt plan soylent 6 mo", "payment_plan", "C-004"),
    ("tailspin promised wire on the 5th", "record_promise", "C-006"),
    ("umbrela is disputing inv 1043 says price wrong", "open_dispute", "C-003"),
    ("dont send anything to dupont until feb", "hold_dunning", "C-005"),
    ("new contact for globex: sara@globex.example", "update_contact", "C-001"),
    ("hand initech over to collections agency", "escalate", "C-002"),
    ("import the camt file from this morning", "match_bank_file", None),
    ("anything to approve?", "approvals_pending", None),
    ("zero out soylent's $3 balance", "write_off", "C-004"),
]


def test_round_4_replies():
    misses = reply_misses(REPLIES)
    assert len(misses) <= 2, misses


def test_round_4_requests():
    misses = request_misses(REQUESTS)
    assert len(misses) <= 1, misses
