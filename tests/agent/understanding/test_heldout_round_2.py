"""Held-out round 2: corporate emails with signatures, formal DE/AT, FR (vous), ES, auto-replies.

Written before running anything on it. FIRST-RUN accuracy (before any fix): see
``FIRST_RUN``. Misses are fixed by general rules, never by pasting a sentence.
"""

from __future__ import annotations

from tests.agent.understanding._heldout import reply_misses, request_misses

FIRST_RUN = "replies 20/26 (77%), requests 9/11 (82%)"

REPLIES = [
    (
        "Good afternoon,\n\nI hope this finds you well. I have reviewed our ledger against your "
        "statement and note that invoice INV-1043 was invoiced at the list price rather than the "
        "contract price agreed in our MSA (schedule B, 12% discount). Could you please issue a "
        "corrected invoice? The remaining items are fine and will be paid on our usual terms.\n\n"
        "Best regards,\nMichael Chen | Procurement Lead\nInitech LLC\nThis message is "
        "confidential.",
        "dispute",
    ),
    (
        "Our remittance email has changed to remittances@initech.example, please use it for all "
        "statements.",
        "contact_change",
    ),
    ("Could you send me a W-9 and your certificate of insurance?", "document_request"),
    (
        "Why was a late fee of $45 added to INV-1044? Nobody told us about late fees.",
        ("dispute", "question"),
    ),
    ("Do you charge interest on overdue invoices?", "question"),
    (
        "Sehr geehrte Frau Huber, wir dürfen Ihnen mitteilen, dass die Überweisung des offenen "
        "Betrages in der KW 49 erfolgen wird. Mit freundlichen Grüßen aus Wien",
        "promise_to_pay",
    ),
    (
        "Sehr geehrte Damen und Herren, leider können wir die Rechnung INV-1042 nicht begleichen, "
        "da die Lieferung unvollständig war. Es fehlen 3 Paletten.",
        "dispute",
    ),
    (
        "Bitte senden Sie uns eine Kopie der Rechnung mit ausgewiesener Umsatzsteuer zu.",
        "document_request",
    ),
    (
        "Madame, Monsieur, nous accusons réception de votre relance et vous prions de bien "
        "vouloir nous excuser pour ce retard. Le virement sera émis le 2 décembre.",
        "promise_to_pay",
    ),
    (
        "Bonjour, je vous informe que je quitte la société à la fin du mois. Merci de vous "
        "adresser désormais à M. Lefèvre (comptabilite@dupont.example).",
        "contact_change",
    ),
    (
        "Bonjour, pourriez-vous m'indiquer si des frais de retard s'appliquent? Merci",
        "question",
    ),
    (
        "Buenos días, os confirmo que hemos recibido vuestro recordatorio. Lo revisamos y os "
        "decimos algo.",
        "acknowledgement",
    ),
    (
        "Estimados, les pedimos por favor nos permitan pagar en 4 cuotas mensuales debido a la "
        "situación del mercado.",
        "payment_plan_request",
    ),
    (
        "Honestly the service has been terrible this quarter, but we'll pay INV-1042 on the 30th "
        "anyway.",
        "promise_to_pay",
    ),
    ("We're disputing INV-1043 but INV-1042 will go out Friday.", "dispute"),
    (
        "Thank you for your email. This mailbox is no longer monitored. Please send all invoices "
        "and statements to ap@newco.example.",
        "contact_change",
    ),
    (
        "Thanks for contacting Soylent Accounts Payable. Your message has been received and "
        "ticket #48213 has been created. We aim to respond within 3 business days.",
        "acknowledgement",
    ),
    (
        "Address not found. Your message wasn't delivered to j.smith@globex.example because the "
        "address couldn't be found, or is unable to receive mail.",
        "other",
    ),
    (
        "We have been appointed as receivers of Tailspin Toys Ltd. Please direct all enquiries "
        "to our office.",
        "insolvency",
    ),
    (
        "Notice: Globex has filed a voluntary petition under Chapter 7 of the US Bankruptcy Code.",
        "insolvency",
    ),
    ("I've asked three times now. Take this address off your list.", "opt_out"),
    ("paid", "claims_paid"),
    ("next week", "promise_to_pay"),
    ("who is this?", "question"),
    (
        "Dear sir, payment is doing by our bank already, maybe arrive tomorrow. Kindly wait.",
        "claims_paid",
    ),
    (
        "Please hold off, our new controller Maria starts Monday and will review all open items.",
        "contact_change",
    ),
]

REQUESTS = [
    ("how much is tailspin into us for", "balance", "C-006"),
    ("show globex open inv", "open_items", "C-001"),
    ("Bitte Altersstruktur der Forderungen", "aging", None),
    ("who owes the most rn", "top_debtors", None),
    ("log ptp for soylent 2.5k on 12/10", "record_promise", "C-004"),
    ("stop chasing umbrella till after xmas", "hold_dunning", "C-003"),
    ("initech's ap email is now ap@initech.example", "update_contact", "C-002"),
    ("credit note for dupont on inv 5001 pls", "write_off", "C-005"),
    ("what's waiting for approval", "approvals_pending", None),
    ("run dunning", "dunning_run", None),
    ("remind tailspin abt the overdue stuff", "draft_reminders", "C-006"),
]


def test_round_2_replies():
    misses = reply_misses(REPLIES)
    assert len(misses) <= 2, misses


def test_round_2_requests():
    misses = request_misses(REQUESTS)
    assert len(misses) <= 1, misses
