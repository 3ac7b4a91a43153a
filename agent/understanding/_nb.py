"""A fallback reader for replies no cue understood: naive Bayes over character n-grams.

The cue vocabularies are precise but brittle: fresh phrasing often matches no cue and
the reply becomes ``other``. This model, trained on the labelled example replies in
``reply_examples.txt`` (one ``intent<TAB>text`` a line; regenerate it with
``python -m tests.agent.understanding.build_examples``), reads sub-word pieces
("uberw", "pagar", "virem") and words, so it generalises across spelling, inflection
and language. It is only a second opinion: ``replies`` uses it when the cues found
nothing, and its answer is always reported as unsure (below ``ACT_THRESHOLD``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from agent.understanding._text import fold

__all__ = ["classify"]

_DATA = Path(__file__).with_name("reply_examples.txt")
_ALPHA = 0.1  # additive smoothing


def features(text: str) -> set[str]:
    """Character 3-5 grams of the folded text (digits as 0), words and word pairs."""
    t = " " + re.sub(r"\d+", "0", fold(text)) + " "
    grams = {t[i : i + n] for n in (3, 4, 5) for i in range(len(t) - n + 1)}
    words = re.findall(r"[a-z']+", t)
    grams.update("w:" + w for w in words)
    grams.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    return grams


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, float], dict[str, dict[str, float]], dict[str, float], set[str]]:
    counts: dict[str, Counter[str]] = {}
    prior: Counter[str] = Counter()
    if _DATA.exists():
        for line in _DATA.read_text(encoding="utf-8").splitlines():
            label, _, text = line.partition("\t")
            if label and text:
                prior[label] += 1
                counts.setdefault(label, Counter()).update(features(text))
    vocabulary = {f for c in counts.values() for f in c}
    n = sum(prior.values()) or 1
    log_prior = {label: math.log(k / n) for label, k in prior.items()}
    log_p: dict[str, dict[str, float]] = {}
    unseen: dict[str, float] = {}
    for label, c in counts.items():
        total = sum(c.values()) + _ALPHA * len(vocabulary)
        log_p[label] = {f: math.log((k + _ALPHA) / total) for f, k in c.items()}
        unseen[label] = math.log(_ALPHA / total)
    return log_prior, log_p, unseen, vocabulary


def classify(text: str) -> tuple[str, float]:
    """Return the most likely intent and its (over-confident) posterior probability."""
    log_prior, log_p, unseen, vocabulary = _model()
    if not log_prior or not text.strip():
        return "other", 0.0
    seen = features(text) & vocabulary
    scores = {
        label: log_prior[label] + sum(log_p[label].get(f, unseen[label]) for f in seen)
        for label in log_prior
    }
    best = max(scores, key=lambda k: scores[k])
    total = sum(math.exp(v - scores[best]) for v in scores.values())
    return best, 1.0 / total
