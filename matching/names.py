"""Payer-name matching: bank payer strings against customer names, aliases, domains, past payers.

Bank payer fields are truncated (``GLOBEX CORPORATION INTERNAT``), abbreviated
(``GLOBEX CORP INTL PAYM``), carry legal suffixes and payment-rail noise. Both sides are
reduced to canonical tokens (accents folded, legal suffixes and noise dropped, common
business words abbreviated) and compared with rapidfuzz plus a truncation-aware
prefix score. An inverted index on token prefixes keeps lookups sub-linear in the
number of customers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from matching.types import CustomerProfile

LEGAL = {
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "ohg",
    "ug",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "sl",
    "bv",
    "nv",
    "vof",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "pty",
    "pte",
    "co",
    "corp",
    "corporation",
    "company",
    "cie",
    "kk",
    "kft",
    "sro",
    "zoo",
    "the",
    "and",
    "und",
    "et",
    "of",
    "ltda",
    "sapi",
    "cv",
    "de",
}
NOISE = {
    "payment",
    "paym",
    "paymt",
    "pymt",
    "pmt",
    "paymnt",
    "ach",
    "wire",
    "transfer",
    "trf",
    "xfer",
    "credit",
    "ccd",
    "ctx",
    "ppd",
    "orig",
    "name",
    "remit",
    "remittance",
    "by",
    "order",
    "from",
    "ref",
    "sepa",
    "ueberweisung",
    "gutschrift",
    "virement",
    "incoming",
    "inward",
    "fedwire",
    "swift",
    "ach credit",
    "deposit",
    "pay",
    "ap",
    "accounts",
    "payable",
    "dept",
    "department",
}
# NACHA-style payer fields: keep only the originator's name.
_ACH_NAME = re.compile(
    r"ORIG(?:INATOR)?\s*(?:CO)?\s*NAME\s*[:=]\s*(.+?)"
    r"(?:\s+(?:CO\s+ENTRY|ORIG\s+ID|CO\s+ID|DESCR|SEC|IND\s+ID|IND\s+NAME|TRACE)\b|$)",
    re.I,
)
ABBREV = {
    "international": "intl",
    "corporation": "corp",
    "manufacturing": "mfg",
    "services": "svc",
    "service": "svc",
    "svcs": "svc",
    "technologies": "tech",
    "technology": "tech",
    "group": "grp",
    "holdings": "hldg",
    "holding": "hldg",
    "hldgs": "hldg",
    "associates": "assoc",
    "national": "natl",
    "american": "amer",
    "america": "amer",
    "industries": "ind",
    "industrial": "ind",
    "inds": "ind",
    "brothers": "bros",
    "laboratories": "lab",
    "laboratory": "lab",
    "labs": "lab",
    "systems": "sys",
    "system": "sys",
    "solutions": "sol",
    "distribution": "dist",
    "distributors": "dist",
    "management": "mgmt",
    "engineering": "eng",
    "consulting": "cons",
    "partners": "ptnr",
    "enterprises": "ent",
    "enterprise": "ent",
    "products": "prod",
    "logistics": "logi",
    "university": "univ",
    "hospital": "hosp",
    "medical": "med",
    "pharmaceuticals": "pharma",
    "pharmaceutical": "pharma",
    "development": "dev",
    "construction": "constr",
    "equipment": "equip",
    "supply": "sup",
    "supplies": "sup",
    "foods": "food",
    "global": "glob",
    "trading": "trd",
    "electric": "elec",
    "electronics": "elec",
    "insurance": "ins",
    "investments": "inv",
    "properties": "prop",
    "resources": "res",
    "communications": "comm",
    "transport": "trans",
    "transportation": "trans",
    "brands": "brand",
    "mountain": "mtn",
    "saint": "st",
    "north": "n",
    "south": "s",
}
FREEMAIL = {
    "gmail",
    "googlemail",
    "yahoo",
    "outlook",
    "hotmail",
    "live",
    "aol",
    "icloud",
    "me",
    "gmx",
    "web",
    "mail",
    "proton",
    "protonmail",
    "yandex",
    "msn",
    "comcast",
    "example",
}
_PREFIX_ABBREV = sorted(ABBREV.items(), key=lambda kv: -len(kv[0]))
# Canonical short forms and the words they stand for: a payer cut off at "NOR" or "PAR"
# still truncates "north" (n) or "partners" (ptnr).
_EXPAND: dict[str, tuple[str, ...]] = {}
for _word, _short in ABBREV.items():
    _EXPAND[_short] = (*_EXPAND.get(_short, ()), _word)
# Canonical forms of two letters or fewer ("n" for north) are words, not cut-off fragments.
_SHORT_CANON = {short for short in ABBREV.values() if len(short) <= 2}


def _truncates(tok: str, word: str) -> bool:
    """``tok`` is ``word``, or a cut-off start of it (or of the word it abbreviates)."""
    if word == tok:
        return True
    if len(tok) >= 3 and (
        word.startswith(tok) or any(w.startswith(tok) for w in _EXPAND.get(word, ()))
    ):
        return True
    return len(word) >= 3 and tok.startswith(word)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=65536)
def _canon(token: str) -> str:
    if token in ABBREV:
        return ABBREV[token]
    if len(token) >= 4:  # truncated word: "internat" -> intl
        for word, short in _PREFIX_ABBREV:
            if word.startswith(token):
                return short
    return token


def name_tokens(text: str | None) -> list[str]:
    """Canonical tokens of a company or payer name (suffixes and rail noise removed)."""
    if not text:
        return []
    ach = _ACH_NAME.search(text)
    if ach:
        text = ach.group(1)
    text = _fold(text).lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = [w for w in text.split() if w not in NOISE and not w.isdigit()]
    kept = [_canon(w) for w in words if w not in LEGAL]
    return kept or [_canon(w) for w in words]


_SAME_FORM = {
    "corporation": "corp",
    "incorporated": "inc",
    "limited": "ltd",
    "company": "co",
    "mbh": "gmbh",
}


def legal_forms(text: str | None) -> frozenset[str]:
    """The legal-form words of a name (``"Schmidt Roofing Ltd."`` → ``{"ltd"}``), folded
    so ``Limited`` and ``Ltd`` agree; empty when the name carries none."""
    if not text:
        return frozenset()
    words = re.sub(r"[^a-z0-9]+", " ", _fold(text).lower()).split()
    return frozenset(_SAME_FORM.get(w, w) for w in words if w in LEGAL and w not in ("de", "co"))


def domain_name(domain: str) -> str | None:
    """The company part of an email domain (``ap.globex-corp.com`` -> ``globex corp``)."""
    labels = domain.lower().split(".")
    if len(labels) < 2:
        return None
    label = labels[-2] if len(labels[-2]) > 3 or len(labels) == 2 else labels[-3]
    if label in FREEMAIL:
        return None
    return label.replace("-", " ")


def _prefix_score(payer: list[str], name: list[str]) -> float:
    """Share of the name's tokens that the payer's tokens equal or truncate, in order."""
    if not payer or not name:
        return 0.0
    j = matched = 0
    for tok in payer:
        while j < len(name) and not _truncates(tok, name[j]):
            j += 1
        if j == len(name):
            break
        matched += 1
        j += 1
    extra = len(payer) - matched
    return 100.0 * matched / len(name) - 4.0 * min(extra, 3)


def looks_complete(text: str | None) -> bool:
    """True when the payer string ends in a legal suffix, so it was not cut off mid-name."""
    words = re.sub(r"[^a-z0-9]+", " ", _fold(text or "").lower()).split()
    return bool(words) and words[-1] in LEGAL - {"and", "und", "et", "of", "the", "de"}


def similarity(payer: list[str], name: list[str], complete: bool = False) -> float:
    """0-100 similarity of two canonical token lists (``complete``: the payer was not truncated)."""
    if not payer or not name:
        return 0.0
    if not complete and len(payer) > 1 and len(payer[-1]) <= 2 and payer[-1] not in _SHORT_CANON:
        payer = payer[:-1]  # a fragment the bank's field length cut off: "MOSAIC INTL A"
    a, b = " ".join(payer), " ".join(name)
    if a == b:
        return 100.0
    set_ratio = fuzz.token_set_ratio(a, b)
    common = set(payer) & set(name)
    extra = len([t for t in payer if t not in common])
    missing = len([t for t in name if t not in common])
    if common:
        set_ratio -= 3.0 * min(extra, 3) + (10.0 if complete else 3.0) * min(missing, 3)
    else:
        set_ratio = min(set_ratio, fuzz.ratio(a, b))
    if complete:
        return max(0.0, set_ratio)
    acronym = 0.0
    if len(payer) == 1 and len(name) >= 2 and payer[0] == "".join(t[0] for t in name):
        acronym = 88.0
    return max(0.0, set_ratio, _prefix_score(payer, name), acronym)


@dataclass(frozen=True)
class _Variant:
    customer: str
    tokens: tuple[str, ...]
    weight: float
    source: str


class NameIndex:
    """Customers' name variants, indexed by 4-letter token prefixes."""

    MAX_POSTING = 400
    POSTING_BUDGET = 250
    MAX_CANDIDATES = 40

    def __init__(self, profiles: list[CustomerProfile]) -> None:
        self.variants: list[_Variant] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.accounts: dict[str, set[str]] = defaultdict(set)
        self._cache: dict[str, list[tuple[str, float, str]]] = {}
        self._by_customer: dict[str, list[int]] = defaultdict(list)
        # Customer ids quoted in bank text ("CUST C-001"): only ids with letters and digits.
        self.customer_ids: dict[str, str] = {}
        for p in profiles:
            key = re.sub(r"[^A-Z0-9]", "", p.id.upper())
            if len(key) >= 3 and re.search(r"[A-Z]", key) and re.search(r"\d", key):
                self.customer_ids[key] = p.id
            self._add(p.id, p.name, 1.0, "name")
            for alias in p.aliases:
                self._add(p.id, alias, 1.0, "alias")
            for payer in p.past_payers:
                self._add(p.id, payer, 1.0, "past payer")
            for domain in p.domains:
                label = domain_name(domain)
                if label:
                    self._add(p.id, label, 0.9, "email domain")
            for acct in p.accounts:
                self.accounts[_acct_key(acct)].add(p.id)

    def _add(self, customer: str, text: str, weight: float, source: str) -> None:
        tokens = tuple(name_tokens(text))
        if not tokens:
            return
        idx = len(self.variants)
        self.variants.append(_Variant(customer, tokens, weight, source))
        self._by_customer[customer].append(idx)
        keys = {t[:4] for t in tokens}
        keys.add("".join(t[0] for t in tokens) if len(tokens) > 1 else tokens[0][:4])
        for key in keys:
            self.postings[key].append(idx)

    def scores(self, payer: str | None) -> dict[str, float]:
        """Every candidate customer's score for ``payer`` (50+), not only the top few."""
        if not payer:
            return {}
        if payer not in self._cache:
            self.match(payer)
        return {c: sc for c, sc, _ in self._cache[payer]}

    def score(self, payer: str | None, customer: str) -> float:
        """``payer``'s similarity to one customer, even one :meth:`match` left off its list."""
        return _score_for(self, payer, customer)

    def customers_for_account(self, account: str | None) -> set[str]:
        return set(self.accounts.get(_acct_key(account), ())) if account else set()

    def match(self, payer: str | None, limit: int = 8) -> list[tuple[str, float, str]]:
        """Best customers for ``payer`` as ``(customer, score 0-100, source)``, best first."""
        if not payer:
            return []
        if payer in self._cache:
            return self._cache[payer][:limit]
        tokens = name_tokens(payer)
        complete = looks_complete(payer)
        keys = {t[:4] for t in tokens if len(t) >= 2}
        if len(tokens) > 1:
            keys.add("".join(t[0] for t in tokens))
        # Rarest prefixes first, within a fixed budget: the work per payer stays bounded
        # however many customers share a common word.
        postings = sorted((self.postings.get(k, []) for k in keys), key=len)
        rare: list[list[int]] = []
        budget = self.POSTING_BUDGET
        for plist in postings:
            if plist and (not rare or len(plist) <= budget):
                rare.append(plist[: self.MAX_POSTING])
                budget -= len(plist)
        # Score only the variants sharing the most token prefixes with the payer.
        overlap = Counter(idx for plist in rare for idx in plist)
        candidates = [idx for idx, _ in overlap.most_common(self.MAX_CANDIDATES)]
        best: dict[str, tuple[float, str]] = {}
        for idx in candidates:
            v = self.variants[idx]
            score = similarity(tokens, list(v.tokens), complete) * v.weight
            if score > best.get(v.customer, (0.0, ""))[0]:
                best[v.customer] = (score, v.source)
        ranked = sorted(
            ((c, s, src) for c, (s, src) in best.items() if s >= 50), key=lambda r: (-r[1], r[0])
        )
        self._cache[payer] = ranked  # the whole list: callers may ask for different limits
        return ranked[:limit]


def _score_for(index: NameIndex, payer: str | None, customer: str) -> float:
    """How well ``payer`` fits one ``customer``'s names (0-100), outside the top list."""
    tokens = name_tokens(payer)
    if not tokens:
        return 0.0
    complete = looks_complete(payer)
    return max(
        (
            similarity(tokens, list(index.variants[i].tokens), complete) * index.variants[i].weight
            for i in index._by_customer.get(customer, ())
        ),
        default=0.0,
    )


def _acct_key(account: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (account or "").upper())
