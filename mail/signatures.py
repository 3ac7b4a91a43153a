"""Signatures, mobile footers and legal disclaimers at the end of a reply.

Heuristics, in order: the "-- " delimiter; "Sent from my iPhone"-style mobile footers;
a rule line followed by a short contact block; a closing ("Thanks," "Best regards,"
"Mit freundlichen Grüßen" ...) followed by name/title/phone lines; a trailing block of
name, title, phone, e-mail and URL lines. Disclaimers (EN/DE/FR/ES/NL/IT) are whole
paragraphs recognised by their stock phrases. Each function returns (body, removed).
"""

from __future__ import annotations

import re

# Mobile footers. The app or device after "Sent from" is "my <device>" or a capitalised
# name ("Sent with Sparrow", "Gesendet von Outlook"), so "Sent via wire transfer" stays.
_DEVICE = r"[\w .'’&-]{2,40}?"
_APP = r"(?:[A-Z]|i[A-Z])[\w.'’&-]*(?:\s+[\w.'’&-]+){0,5}?"
MOBILE_STRONG = re.compile(
    r"^\s*(?:"
    rf"(?i:sent (?:from|with|via|using)) (?:(?i:my) {_DEVICE}|{_APP})|"
    r"(?i:get outlook for (?:ios|android))|"
    rf"(?i:envoy[ée] (?:de|depuis|à partir de|avec)) (?:(?i:mon|ma) {_DEVICE}|{_APP})|"
    rf"(?i:von meinem) {_DEVICE} (?i:gesendet)|"
    rf"(?i:gesendet (?:von|mit|vom|über)) (?:(?i:meinem) {_DEVICE}|{_APP})|"
    rf"(?i:enviado (?:desde|de|do|com)) (?:(?i:mi|meu|my) {_DEVICE}|{_APP})|"
    rf"(?i:verzonden (?:vanaf|met|van)|verstuurd (?:vanaf|met)) (?:(?i:mijn) {_DEVICE}|{_APP})|"
    rf"(?i:inviato da) (?:(?i:il mio) {_DEVICE}|{_APP})|"
    rf"(?i:sendt fra min|skickat från min|отправлено с) {_DEVICE}"
    r")\s*(?:<[^>]*>|\([^)]*\))?\s*\.?\s*$"
)
# Weaker forms count only as the last lines of a message, never as a cut in the middle.
MOBILE_WEAK = re.compile(
    r"^\s*(?:sent from a [\w .'’-]{2,40}|(?:via|from) (?:mobile|my phone|phone))\s*$", re.I
)


def is_mobile_footer(line: str, *, strong_only: bool = False) -> bool:
    """True for "Sent from my iPhone"-style lines (never for lines with a comma)."""
    if "," in line.split("<")[0]:
        return False
    return bool(MOBILE_STRONG.match(line) or (not strong_only and MOBILE_WEAK.match(line)))


CLOSINGS = (
    "thanks",
    "thank you",
    "thanks so much",
    "thank you so much",
    "thank you very much",
    "thanks again",
    "thanks in advance",
    "thank you in advance",
    "many thanks",
    "thx",
    "ty",
    "regards",
    "best",
    "best regards",
    "kind regards",
    "warm regards",
    "warmest regards",
    "with regards",
    "with kind regards",
    "kindest regards",
    "all the best",
    "best wishes",
    "cheers",
    "sincerely",
    "yours sincerely",
    "sincerely yours",
    "yours truly",
    "yours faithfully",
    "respectfully",
    "take care",
    "talk soon",
    "greetings",
    "rgds",
    "br",
    "mit freundlichen grüßen",
    "mit freundlichen grüssen",
    "freundliche grüße",
    "freundliche grüsse",
    "viele grüße",
    "viele grüsse",
    "beste grüße",
    "beste grüsse",
    "liebe grüße",
    "herzliche grüße",
    "lg",
    "mfg",
    "gruß",
    "gruss",
    "danke",
    "vielen dank",
    "cordialement",
    "bien cordialement",
    "bien à vous",
    "salutations",
    "sincères salutations",
    "meilleures salutations",
    "bonne journée",
    "merci",
    "merci beaucoup",
    "amicalement",
    "saludos",
    "saludos cordiales",
    "un saludo",
    "atentamente",
    "cordialmente",
    "gracias",
    "muchas gracias",
    "un cordial saludo",
    "met vriendelijke groet",
    "met vriendelijke groeten",
    "vriendelijke groet",
    "vriendelijke groeten",
    "groeten",
    "groet",
    "cordiali saluti",
    "distinti saluti",
    "saluti",
    "grazie",
    "atenciosamente",
    "abraços",
    "obrigado",
    "obrigada",
    "med venlig hilsen",
    "venlig hilsen",
    "med vennlig hilsen",
    "vennlig hilsen",
    "med vänliga hälsningar",
    "ystävällisin terveisin",
    "с уважением",
    "z poważaniem",
    "pozdrawiam",
)
# Longest first, so that "best regards" is preferred to "best".
CLOSING = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(c) for c in sorted(CLOSINGS, key=len, reverse=True))
    + r")\b(?P<rest>.*)$",
    re.IGNORECASE,
)
PHONE_LABEL = re.compile(
    r"\b(?:tel|tél|phone|fax|mobile|mob|cell|handy|telefon|teléfono|telefono|t|f|m|p)\b"
    r"\s*[.:]\s*\+?[\d(]",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_PHONE_RUN = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|de|fr|es|nl|io|co\.uk)\b", re.IGNORECASE
)
TITLE = re.compile(
    r"\b(?:manager|director|controller|accountant|accounts (?:payable|receivable)|"
    r"CFO|CEO|COO|CTO|VP|vice president|head of|specialist|analyst|officer|assistant|"
    r"coordinator|clerk|supervisor|treasurer|bookkeeper|founder|partner|president|"
    r"buchhaltung|geschäftsführer|sachbearbeiter|leiter|comptable|comptabilité|responsable|"
    r"directeur|directrice|gerente|contador|contabilidad|jefe|boekhouding|"
    r"inc\.?|llc|ltd\.?|gmbh|s\.a\.|sarl|sas|ag|b\.v\.|corp\.?|skype)\b",
    re.IGNORECASE,
)
PARTICLES = {"de", "van", "von", "der", "den", "da", "del", "la", "le", "du", "di", "y", "e"}

DISCLAIMER_STRONG = re.compile(
    r"intended (?:solely |only )?for the (?:use of the )?(?:addressee|recipient|individual|"
    r"named|person)|received this (?:e-?mail|message|communication) in error|"
    r"if you are not the (?:intended|named) recipient|this (?:e-?mail|message) (?:and any "
    r"attachments )?(?:is|are|may be|may contain|contains?) (?:strictly )?(?:confidential|"
    r"privileged)|please consider the environment|"
    r"diese (?:e-?mail|nachricht) (?:enthält|kann) vertrauliche|irrtümlich erhalten|"
    r"nicht der (?:richtige|beabsichtigte) (?:adressat|empfänger)|"
    r"bitte denken sie an die umwelt|"
    r"(?:ce|le présent) (?:message|courriel|e-?mail)[^.]{0,80}confidentiel|"
    r"reçu ce (?:message|courriel|e-?mail) par erreur|destinataire(?:s)? (?:désigné|exclusif)|"
    r"(?:este|el presente) (?:mensaje|correo)[^.]{0,80}confidencial|"
    r"recibido este (?:mensaje|correo) por error|destinatario[^.]{0,40}(?:indicado|previsto)|"
    r"dit (?:e-?mail)?bericht is (?:uitsluitend|vertrouwelijk)|"
    r"questo messaggio[^.]{0,80}riservat|ricevuto (?:questo messaggio )?per errore",
    re.IGNORECASE,
)
DISCLAIMER_WEAK = re.compile(
    r"confidential|privileged|disclaimer|vertraulich|confidentiel|confidencial|"
    r"vertrouwelijk|riservat|unauthori[sz]ed|prohibited|strictly|notify the sender|"
    r"delete (?:it|this)|destinataire|destinatario|empfänger",
    re.IGNORECASE,
)


def _nonblank(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip()]


def split_disclaimer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut from the first paragraph (not the first one) that reads like a legal notice."""
    start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or not lines[i].strip():
            para = " ".join(line.strip() for line in lines[start:i])
            if (
                start > 0
                and para
                and (DISCLAIMER_STRONG.search(para) or len(DISCLAIMER_WEAK.findall(para)) >= 3)
            ):
                return lines[:start], lines[start:]
            start = i + 1
    return lines, []


def split_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    """Separate the signature from the body; the closing phrase stays in the body."""
    for finder in (_delimiter, _mobile, _rule, _closing, _contact_block):
        cut = finder(lines)
        if cut is not None and any(line.strip() for line in lines[:cut]):
            body, sig = lines[:cut], lines[cut:]
            more_body, more_sig = split_signature(body)
            return more_body, more_sig + sig
    return lines, []


def _delimiter(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line.strip() == "--":
            return i
    return None


def _mobile(lines: list[str]) -> int | None:
    idx = _nonblank(lines)
    for i in idx[-3:]:
        if is_mobile_footer(lines[i]):
            above = i - 1
            if above >= 0 and lines[above].strip() and is_name(lines[above]):
                prev = above - 1
                if prev < 0 or not lines[prev].strip():
                    return above
            return i
    return None


def _rule(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if re.match(r"^\s*(?:[-_=~*]{3,}|[—–]{3,})\s*$", line):
            tail = [t.strip() for t in lines[i + 1 :] if t.strip()]
            contact = any(has_phone(t) or EMAIL.search(t) or URL.search(t) for t in tail)
            if (
                0 < len(tail) <= 15
                and all(len(t) <= _max_len(t) for t in tail)
                and contact
                and (_signals(tail) >= 2)
            ):
                return i
    return None


def _closing(lines: list[str]) -> int | None:
    idx = _nonblank(lines)
    for pos in range(len(idx) - 1, max(-1, len(idx) - 10), -1):
        i = idx[pos]
        if is_closing(lines[i]):
            tail = [lines[j].strip() for j in idx[pos + 1 :]]
            if tail and len(tail) <= 8 and all(_signature_like(t) for t in tail):
                return i + 1
            return None
    return None


def _contact_block(lines: list[str]) -> int | None:
    idx = _nonblank(lines)
    cut = None
    for i in reversed(idx):
        line = lines[i].strip()
        if len(line) > _max_len(line) or not (_signals([line]) or is_name(line)):
            break
        cut = i
    if cut is None:
        return None
    block = [lines[i].strip() for i in idx if i >= cut]
    # "Name" + one "Company | address | phone | web" line is a signature; "Jane Smith" +
    # "jane@x" alone may be a new contact the customer is giving us, so it stays.
    rich = any(sum(bool(f(b)) for f in (has_phone, EMAIL.search, URL.search)) >= 2 for b in block)
    if len(block) > 10 or not (_signals(block) >= 2 or (rich and is_name(block[0]))):
        return None
    before = [lines[i].strip() for i in idx if i < cut]
    if cut > 0 and lines[cut - 1].strip() or (before and before[-1].endswith(":")):
        return None  # "please use our new contact:" + details is content, not a signature
    return cut


def is_closing(line: str) -> bool:
    """A sign-off alone on its line ("Thanks,", "Best regards, Dana", "Cheers 🎉").

    "Thanks for the reminder." is a sentence, not a sign-off: anything after the phrase
    must be punctuation, symbols or a capitalised name of at most three words.
    """
    line = line.strip()
    m = CLOSING.match(line)
    if not m or len(line) > 50:
        return False
    rest = m.group("rest").strip(" \t,.!:;-–—")
    words = rest.split()
    return len(words) <= 3 and all(w[0].isupper() or not w[0].isalnum() for w in words)


def _signature_like(line: str) -> bool:
    """A line that fits in a signature block: name, title, company, contact details."""
    if len(line) > _max_len(line) or re.match(r"^p\.?\s?s\b", line, re.IGNORECASE):
        return False
    if _signals([line]) or is_name(line) or is_mobile_footer(line):
        return True
    words = line.split()
    return (
        len(words) <= 6
        and not line.endswith((".", "?", "!", ":"))
        and not (line[0].isalpha() and line[0].islower())
    )


def has_phone(line: str) -> bool:
    """A labelled number ("Tel: ...") or 7-15 digits written with phone separators."""
    if PHONE_LABEL.search(line):
        return True
    for run in _PHONE_RUN.findall(line):
        if _DATE.fullmatch(run.strip()):
            continue
        digits = sum(ch.isdigit() for ch in run)
        if 7 <= digits <= 15 and (run.startswith(("+", "(")) or re.search(r"\d[\s.-]\d", run)):
            return True
    return False


def is_name(line: str) -> bool:
    """One to four capitalised words, like a person's or company's name."""
    words = line.strip().rstrip(",").split()
    if not 1 <= len(words) <= 4 or not words[0][0].isupper():
        return False
    return all(
        w[0].isupper() or w.lower() in PARTICLES or not w[0].isalpha() for w in words
    ) and any(ch.isalpha() for ch in line)


def _max_len(line: str) -> int:
    """Signature lines are short, except "Company | address | phone | web" lines."""
    return 120 if (has_phone(line) or EMAIL.search(line) or URL.search(line)) else 70


def _signals(lines: list[str]) -> int:
    """How many lines carry a phone number, e-mail address, URL or job title."""
    return sum(
        1
        for line in lines
        if has_phone(line) or EMAIL.search(line) or URL.search(line) or TITLE.search(line)
    )
