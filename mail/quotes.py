"""Recognising where quoted history starts in a plain-text reply.

Three families of markers, in the styles of the common mail clients and languages:

* attribution lines: "On Mon, Nov 23, 2026 at 9:00 AM Dana <d@x> wrote:" (Gmail, Apple
  Mail, Thunderbird), "Am 23.11.2026 um 09:00 schrieb X:", "Le 23 nov. 2026 à 09:00, X a
  écrit :", "El lun, 23 nov 2026 a las 9:00, X escribió:", also wrapped over 2-3 lines;
* separators: "-----Original Message-----", "-----Ursprüngliche Nachricht-----",
  "-------- Message d'origine --------", forwarded-message markers, an underscore rule;
* header blocks: "From: / Sent: / To: / Subject:" (Outlook) and their translations.
"""

from __future__ import annotations

import re

VERBS = (
    r"wrote|writes|has written|schrieb|hat geschrieben|a écrit|a ecrit|écrit|escribió|escribio|"
    r"escreveu|ha scritto|scrisse|schreef|heeft geschreven|skrev|kirjoitti|napisał|napisala|"
    r"napisała|napsal|írta|написал|написала|написал\(а\)|пишет|yazdı|έγραψε|scrie|kirjutas|"
    r"写道|寫道|書きました|작성"
)
_VERB = re.compile(rf"(?:^|[\s,\"'>)])(?:{VERBS})(?:\b|\s|:|$)", re.IGNORECASE)
TRIGGERS = re.compile(
    r"^[\s>*-]*(?:On|Le|Am|El|Em|Il|Op|In data|Den|Dne|W dniu|Fra|Pe|Ma|Ti|Ke|To|La|Lu|Mi|Ju|Vi|"
    r"Sa|Do|\d)\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\d{1,2}[:.h]\d{2}|\d{4}|\d{1,2}/\d{1,2}/\d{2,4}")
_ADDR_END = re.compile(r"<?[\w.+'-]+@[\w.-]+>?\)?\s*>?\s*:\s*$")
_NAME_WROTE = re.compile(  # Thunderbird/Outlook Express without a date: "Dana Ruiz wrote:"
    rf"^[\"']?[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){{0,3}}[\"']?\s+(?:{VERBS})\s*:$"
)
_WROTE_ON = re.compile(  # Lotus Notes and others: "Dana Ruiz/Globex wrote on 23.11.2026 09:00:"
    rf"^[\"']?(?:[A-Z][\w.'’/@-]*\s+){{0,4}}[A-Z][\w.'’/@-]*[\"']?\s+(?:{VERBS})\s+"
    r"(?:on|am|le|el|em|il|op)\s+[^:]*\d.*:$"
)
_ZOHO = re.compile(r"^\s*-{2,}\s*On .{5,200}\s(?:wrote|schrieb|a écrit|escribió)\s*-{2,}\s*$", re.I)

SEPARATOR = re.compile(
    r"^[\s>]*[-=_*]{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|"
    r"message d'origine|message d’origine|message original|mensaje original|"
    r"messaggio originale|oorspronkelijk bericht|origineel bericht|mensagem original|"
    r"oprindelig besked|opprinnelig melding|ursprungligt meddelande|alkuperäinen viesti|"
    r"wiadomość oryginalna|původní zpráva|исходное сообщение|forwarded message|"
    r"weitergeleitete nachricht|message transféré|mensaje reenviado|doorgestuurd bericht|"
    r"messaggio inoltrato|mensagem encaminhada|пересылаемое сообщение|reply message|"
    r"original|oorspronkelijk)\s*[-=_*]*\s*$",
    re.IGNORECASE,
)
FORWARD_INTRO = re.compile(
    r"^\s*(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|"
    r"Début du message réexpédié|Inicio del mensaje reenviado|Begin doorgestuurd bericht|"
    r"Inizio messaggio inoltrato|Início da mensagem reencaminhada)\s*:?\s*$",
    re.IGNORECASE,
)
RULE = re.compile(r"^\s*(?:_{8,}|-{8,}|={8,}|—{5,})\s*$")

# Header-block field names, by role. "from" starts a block; one more role must follow.
FIELDS = {
    "from": r"From|Von|De|Van|Da|Fra|Från|Lähettäjä|Od|Od kogo|От|Feladó|Kimden|Afzender|Remitente",
    "date": (
        r"Sent|Date|Datum|Gesendet|Envoyé|Envoyé le|Enviado|Enviada|Fecha|Data|Inviato|"
        r"Verzonden|Verstuurd|Sendt|Skickat|Lähetetty|Wysłano|Odesláno|Отправлено|Дата|"
        r"Elküldve|Gönderildi|Sent at"
    ),
    "to": r"To|An|À|A|Para|Aan|Til|Till|Vastaanottaja|Do|Komu|Кому|Címzett|Kime|Cc|CC|Kopie|Copie",
    "subject": (
        r"Subject|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Emne|Ämne|Aihe|Temat|"
        r"Předmět|Тема|Tárgy|Konu|Re"
    ),
}
_FIELD_RE = {
    # an optional short word covers "Enviada em:", "Envoyé le :", "Gesendet am:"
    role: re.compile(rf"^[\s>]*\*?\s*(?:{names})(?:\s+\w{{1,3}})?\s*\*?\s*:", re.IGNORECASE)
    for role, names in FIELDS.items()
}


def field_role(line: str) -> str | None:
    """Which header-block field a line is ('from', 'date', 'to', 'subject'), if any."""
    for role, rx in _FIELD_RE.items():
        if rx.match(line):
            return role
    return None


def header_block_at(lines: list[str], i: int) -> bool:
    """True when an Outlook-style header block (From + another field) starts at line i."""
    role = field_role(lines[i])
    if role not in ("from", "date"):
        return False
    seen = {role}
    for line in lines[i + 1 : i + 7]:
        r = field_role(line)
        if r:
            seen.add(r)
        if len(seen) >= 3 or ("from" in seen and len(seen) >= 2 and r in ("subject", "date")):
            return True
    return False


def attribution_at(lines: list[str], i: int) -> int:
    """Number of lines (1-3) of an "On ... wrote:" attribution starting at i, else 0."""
    first = lines[i].strip()
    if not first or len(first) > 400:
        return 0
    if _ZOHO.match(first):
        return 1
    for span in (1, 2, 3):
        window = lines[i : i + span]
        if len(window) < span or any(not w.strip() for w in window):
            return 0
        if span > 1:
            prev = window[-2].rstrip()
            if prev.endswith((".", "!", "?")) and not prev.endswith(("..", "a.m.", "p.m.")):
                return 0
            if not (TRIGGERS.match(first) or _TIME.search(first)) or first.lower().startswith(
                ("sent ", "get outlook", "gesendet", "envoyé", "enviado")
            ):
                return 0
        joined = " ".join(w.strip() for w in window)
        if len(joined) > 400:
            return 0
        if _is_attribution(joined, single=span == 1):
            return span
    return 0


def _is_attribution(text: str, *, single: bool) -> bool:
    body = text.lstrip("> ").strip().replace("：", ":")  # full-width colon (CJK clients)
    if not body.endswith(":"):
        return False
    if _VERB.search(body):
        # "As we wrote on 20 Nov 2026:" is a sentence; attributions open with a trigger
        # word ("On", "Am", "Le"), a date, or name the sender's address.
        return bool(
            TRIGGERS.match(body)
            or "@" in body
            or _WROTE_ON.match(body)
            or (single and len(body) <= 80 and _NAME_WROTE.match(body))
        )
    # Verb-less forms (Russian Gmail, some mobile clients): a date, a time and an address.
    return bool(_TIME.search(body) and _ADDR_END.search(body) and re.search(r"\d", body))


def is_separator(lines: list[str], i: int) -> bool:
    """True when line i is an "Original Message"/forward marker or a rule before headers."""
    line = lines[i]
    if SEPARATOR.match(line) or FORWARD_INTRO.match(line):
        return True
    if RULE.match(line):
        for j in range(i + 1, min(i + 4, len(lines))):
            if lines[j].strip():
                return header_block_at(lines, j) or bool(attribution_at(lines, j))
    return False
