"""Offline understanding: deterministic parsing of controller requests and customer replies.

Pure functions, no database, no network. Dates resolve against a ``today`` the caller
takes from its frozen clock.

* ``dates.find_dates`` / ``dates.parse_date``: "Friday", "am 4.12.", "fin de mois", ...
* ``amounts.find_amounts``: "$12,400.00", "12.400,00 €", "12k", ...
* ``invoices.find_invoice_refs``: "INV-1042", "Rechnung Nr. 1042", "1042-1044", ...
* ``language.detect_language``: en/de/fr/es/nl/it.
* ``replies.understand_reply``: the intent and facts of a customer's email reply.
* ``requests.understand_request``: the intent and slots of a controller's chat message.
"""
