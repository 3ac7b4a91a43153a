"""Guess the language of a short business email from stopword profiles.

Each language has a set of frequent function words (articles, pronouns, prepositions,
auxiliaries) plus a few collections-domain words. The language whose words cover most
tokens wins; special letters (ß, ñ, ç, ij) break ties. Short or unknown text is English.
"""

from __future__ import annotations

import re

from agent.understanding._text import fold, words

__all__ = ["LANGUAGES", "detect_language"]

LANGUAGES = ("en", "de", "fr", "es", "nl", "it")

_PROFILES: dict[str, frozenset[str]] = {
    "en": frozenset(
        words(
            "the and to of a in is it you that we for on with this be are have will was not "
            "as at by our your from or an can please thanks thank would could should has been "
            "i my me us they them their there which what when why how all any these those "
            "invoice invoices payment paid pay regards hi hello dear week month next friday "
            "monday attached sent received still just already yet"
        )
    ),
    "de": frozenset(
        words(
            "der die das und ist nicht wir sie ich ein eine einen dem den des zu mit von auf fur "
            "im am bis noch wird werden haben hat wurde bitte danke vielen gruss grussen "
            "freundlichen mfg sehr geehrte geehrter damen herren rechnung rechnungen zahlung "
            "uberweisung bezahlt uns ihre ihr ihnen unser unsere auch aber oder wie was wann "
            "sind kann konnen diese dieser dass nach bei aus schon leider gerne hallo woche"
        )
    ),
    "fr": frozenset(
        words(
            "le la les de des du et est un une nous vous je il elle que qui ne pas pour dans "
            "sur avec au aux ce cette sont avons avez sera merci bonjour cordialement "
            "madame monsieur facture factures paiement virement regle payer votre vos notre "
            "nos mais ou donc comme tres bien semaine mois prochain deja encore salutations "
            "veuillez svp"
        )
    ),
    "es": frozenset(
        words(
            "el la los las de del y es un una nosotros usted ustedes que no por para en con "
            "al lo se su sus nuestro nuestra estamos hemos sera gracias hola saludos "
            "estimado estimada atentamente factura facturas pago transferencia pagado pagar "
            "pero como muy semana mes proximo ya todavia favor cordial esta este"
        )
    ),
    "nl": frozenset(
        words(
            "de het een en is niet wij we ik u jij dat die van in op met voor aan om te zijn "
            "hebben heeft wordt worden bedankt dank groet groeten vriendelijke beste geachte "
            "factuur facturen betaling betaald betalen ons onze uw ook maar of hoe wat wanneer "
            "al nog week maand volgende graag"
        )
    ),
    "it": frozenset(
        words(
            "il lo la gli le di del della e un una noi voi io che non per in con su al alla "
            "sono abbiamo sara grazie buongiorno saluti cordiali gentile fattura fatture "
            "pagamento bonifico pagato pagare nostro nostra vostro vostra ma come molto "
            "settimana mese prossimo gia ancora"
        )
    ),
}
_LETTER_HINTS = {"de": "ßäöü", "es": "ñ¿¡", "fr": "çèêàùœâî", "it": "ìò", "nl": ""}
_WORD = re.compile(r"[a-zß]+(?:'[a-z]+)?")


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code (en, de, fr, es, nl, it) that best fits ``text``."""
    tokens = _WORD.findall(fold(text))
    if not tokens:
        return "en"
    scores: dict[str, float] = dict.fromkeys(_PROFILES, 0.0)
    for token in tokens:
        for lang, profile in _PROFILES.items():
            if token in profile:
                scores[lang] += 1
    lowered = text.lower()
    for lang, letters in _LETTER_HINTS.items():
        scores[lang] += 0.5 * sum(lowered.count(ch) for ch in letters)
    if "ij" in lowered:
        scores["nl"] += 0.3 * lowered.count("ij")
    best, best_score = max(scores.items(), key=lambda kv: (kv[1], kv[0] == "en"), default=("en", 0))
    return best if best_score >= 1 else "en"
