"""Render the Jinja2 message templates in ``prompts/templates`` (subject on the first line)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from core import formatting

TEMPLATES = Path(__file__).resolve().parent.parent / "prompts" / "templates"
LANGUAGES = ("en", "de", "fr", "es")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def language_for(name: str, language: str | None) -> str:
    """The customer's language if ``name.<lang>.txt.j2`` exists, else English."""
    lang = (language or "en").lower()[:2]
    if lang in LANGUAGES and (TEMPLATES / f"{name}.{lang}.txt.j2").exists():
        return lang
    return "en"


def render(name: str, language: str | None, **values: Any) -> tuple[str, str, str]:
    """Render ``name`` in the best language; return (subject, body, language used)."""
    lang = language_for(name, language)
    try:
        template = environment().get_template(f"{name}.{lang}.txt.j2")
    except TemplateNotFound:
        template = environment().get_template(f"{name}.en.txt.j2")
        lang = "en"
    values.setdefault("days", lambda n: formatting.days(n, lang))
    text = template.render(**values).strip()
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        return first.split(":", 1)[1].strip(), rest.strip() + "\n", lang
    return "", text + "\n", lang
