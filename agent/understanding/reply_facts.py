"""Facts pulled from a customer reply besides its intent.

* ``reply_body``: the new text of a reply, without quoted history, "Sent from my
  iPhone" lines or a ``-- `` signature (defensive: ``mail/`` extracts reply text too).
* ``find_payment_reference``: "trace 4471", "ACH 88213", "wire ref FT2026...".
* ``find_emails`` / ``find_contact_name``: a new contact named in the reply.
"""

from __future__ import annotations

import re

__all__ = ["find_contact_name", "find_emails", "find_payment_reference", "reply_body"]

_QUOTE_HEADERS = re.compile(
    r"^\s*(?:on\b.{4,200}\bwrote:?|am\b.{4,200}\bschrieb\b.{0,120}:?|le\b.{4,200}\ba "
    r"[ée]crit\s*:?|el\b.{4,200}\bescribi[óo]:?|op\b.{4,200}\bschreef\b.{0,80}:?|il\b.{4,200}"
    r"\bha scritto:?|-{2,}\s*(?:original message|urspr[üu]ngliche nachricht|message d'origine|"
    r"mensaje original|oorspronkelijk bericht|messaggio originale|forwarded message|"
    r"weitergeleitete nachricht)\s*-*|_{8,}|(?:from|von|de|da|van)\s*:\s*.+\n(?:.*\n){0,2}\s*"
    r"(?:sent|gesendet|envoy[ée]|enviado|date|datum|verzonden|inviato)\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
_DEVICE_LINES = re.compile(
    r"^\s*(?:sent from my \w+.*|von meinem \w+ gesendet.*|envoy[ée] de mon \w+.*|enviado desde "
    r"mi \w+.*|verzonden (?:vanaf|met) mijn \w+.*|inviato da(?:l mio)? \w+.*|get outlook for "
    r"\w+.*)\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def reply_body(text: str) -> str:
    """Return the new part of a reply: quoted history, device lines and signature removed."""
    text = text.replace("\r\n", "\n")
    header = _QUOTE_HEADERS.search(text)
    if header and header.start() > 0:
        text = text[: header.start()]
    lines = [line for line in text.split("\n") if not line.lstrip().startswith(">")]
    text = _DEVICE_LINES.sub("", "\n".join(lines))
    signature = re.search(r"^--\s*$", text, re.MULTILINE)
    if signature and signature.start() > 0:
        text = text[: signature.start()]
    return text.strip()


_REFERENCE = re.compile(
    r"\b(?P<kw>trace(?: number| no\.?| #)?|ach(?: trace| ref(?:erence)?)?|wire(?: transfer)?"
    r"(?: ref(?:erence)?| confirmation| id)?|fed ?ref|imad|omad|utr|mt103|swift ref(?:erence)?|"
    r"(?:payment |bank |transaction |transfer )?ref(?:erence)?|confirmation(?: number| no\.?| #| "
    r"code)?|conf(?:irmation)?\.? ?#|check|cheque|chk|transaction(?: id| number)?|txn|"
    r"verwendungszweck|referenz(?:nummer)?|buchungsreferenz|r[ée]f[ée]rence(?: du virement)?|"
    r"referencia(?: de (?:pago|transferencia))?|n[úu]mero de operaci[óo]n|betalingskenmerk|"
    r"kenmerk|riferimento|cro|trn)\b"
    r"(?:\s*(?:no\.?|nr\.?|number|num\.?|#|:|n°|nº|id|is|was))*\s*(?P<id>[A-Z0-9][A-Z0-9/-]{2,})",
    re.IGNORECASE,
)


def find_payment_reference(
    text: str, *, exclude: set[str] | frozenset[str] = frozenset()
) -> str | None:
    """Return the first payment reference ("ACH 88213") whose id has a digit, else None."""
    for m in _REFERENCE.finditer(text):
        ident = m["id"].rstrip("/-")
        if not re.search(r"\d", ident) or ident.upper() in exclude:
            continue
        if re.fullmatch(r"\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?", ident):
            continue  # a date, not a reference
        keyword = re.sub(r"\s*(?:#|:|no\.?|number)\s*$", "", m["kw"].strip(), flags=re.I)
        return f"{keyword} {ident}"
    return None


_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def find_emails(text: str) -> list[str]:
    """Return the email addresses in ``text``, lower-cased, in order, without repeats."""
    found: list[str] = []
    for m in _EMAIL.finditer(text):
        address = m.group(0).rstrip(".").lower()
        if address not in found:
            found.append(address)
    return found


_NAME = r"(?P<name>[A-ZÄÖÜÉÈÁÍÓÚÑ][a-zäöüßéèêáíóúñç'-]+(?:\s+[A-ZÄÖÜÉÈÁÍÓÚÑ][a-zäöüßéèêáíóúñç'-]+){1,2})"
_TITLE = r"(?:(?:mr|mrs|ms|miss|dr|herr|herrn|frau|m|mme|mlle|sr|sra|srta|dhr|mevr)\.?\s+)?"
_NAME_PATTERNS = [
    re.compile(
        r"\b(?:contact|reach out to|write to|email|e-mail|cc|speak (?:to|with)|an|à|a|contacter|"
        r"contactar (?:a|con)|neem contact op met|contattare)\s+(?:my colleague\s+|our\s+|"
        r"meine[nr]?\s+kolleg\w*\s+|ma coll[èe]gue\s+|mon coll[èe]gue\s+|mi compa[ñn]er[oa]\s+|"
        r"[a-z]+\s+)?" + _TITLE + _NAME
    ),
    re.compile(_NAME + r"\s*(?:<|\(|\[|,|-|–|:|at|unter)?\s*[\w.+'-]+@"),
    re.compile(
        _NAME + r"\s+(?:is|will be|will|has|hat|ist|est|es|sera|ser[áa])\s+(?:now\s+|ab sofort\s+|"
        r"d[ée]sormais\s+|ahora\s+)?(?:handling|responsible|taking over|taken over|your new|"
        r"handle|take over|look after|manage|übernimmt|reprend|se encargar[áa]|"
        r"zust[äa]ndig|übernommen|uebernommen|responsable|en charge|el nuevo|la nueva)"
    ),
]
_NOT_NAMES = {
    "Please",
    "Accounts",
    "Accounts Payable",
    "Thanks",
    "Thank",
    "Hi",
    "Hello",
    "Dear",
    "For",
    "Our",
    "The",
    "Bitte",
    "Merci",
    "Gracias",
    "Best",
    "Kind",
    "Regards",
    "Mit",
    "Vielen",
    "Bonjour",
    "Hola",
    "Saludos",
    "Cordialement",
    "Finance",
    "Billing",
    "Team",
    "Support",
}


def find_contact_name(text: str, *, email: str | None = None) -> str | None:
    """Return the person named as the new contact ("Jane Doe"), or None."""
    candidates: list[tuple[int, str]] = []
    for pattern in _NAME_PATTERNS:
        for m in pattern.finditer(text):
            name = m["name"].strip()
            words = name.split()
            if words[0] in _NOT_NAMES or name in _NOT_NAMES:
                continue
            distance = 0
            if email:
                at = text.lower().find(email)
                distance = abs(at - m.start()) if at >= 0 else 0
            candidates.append((distance, name))
    return min(candidates)[1] if candidates else None
