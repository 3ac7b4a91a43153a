"""Reminder drafts: Jinja2 templates per stage family and language, localised formatting.

Templates live in ``prompts/templates/dunning/`` as ``<kind>.<lang>.j2`` (kinds:
``reminder`` for courtesy..final, ``installment``, ``thank_you``; languages en, de, fr,
es; anything else falls back to English). A template renders ``Subject: ...``, a blank
line and the body. Every reminder lists invoice numbers, amounts with currency and due
dates, how to pay and how to dispute (POLICY.md "Words").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateError

from core import formatting
from core.errors import ConfigError

TEMPLATES = Path(__file__).resolve().parent.parent / "prompts" / "templates" / "dunning"
LANGUAGES = ("en", "de", "fr", "es")


@dataclass(frozen=True)
class LineItem:
    number: str
    due_date: date
    amount: Decimal
    balance: Decimal
    currency: str
    days_past_due: int


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    language: str
    tone: str


def language_of(code: str | None) -> str:
    """The template language for a customer language code ("de-AT" → "de"; unknown → "en")."""
    short = (code or "en").split("-")[0].split("_")[0].lower()
    return short if short in LANGUAGES else "en"


def money(amount: Decimal, currency: str, lang: str = "en") -> str:
    """``12,400.00 USD`` in English, ``12.400,00 EUR`` in German (:mod:`core.formatting`)."""
    return formatting.money(amount, currency, language_of(lang))


def day(value: date, lang: str = "en") -> str:
    """``Nov 9, 2026`` in English, ``09.11.2026`` in German, ``09/11/2026`` in French/Spanish."""
    return formatting.day(value, language_of(lang))


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


@lru_cache(maxsize=64)
def _template(name: str) -> Template:
    try:
        return _env().get_template(name)
    except TemplateError as exc:
        raise ConfigError(f"dunning template {name}: {exc}") from exc


def render_email(
    stage: str,
    customer: Any,
    lines: list[LineItem],
    installments: list[Any],
    *,
    level: str,
    plan_invoices: list[str] | None = None,
    tone: str = "",
    paid_on: date | None = None,
    company: str | None = None,
    pay_link: str | None = None,
) -> Draft:
    """Render the draft in the customer's language.

    ``level`` picks the template and wording: courtesy, due, first, second, final
    (``reminder``), installment (``stage`` is then "upcoming" or "overdue") or thank_you.
    """
    if company is None or pay_link is None:
        from core.settings import get_settings

        settings = get_settings()
        company = company or settings.company_name
        pay_link = pay_link or settings.pay_link
    lang = language_of(getattr(customer, "language", None))
    kind = level if level in ("installment", "thank_you") else "reminder"
    template = _template(f"{kind}.{lang}.j2")
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.balance
    text = template.render(
        stage=level if kind == "reminder" else stage,
        customer=customer,
        lines=lines,
        installments=installments,
        totals=totals,
        company=company,
        pay_link=pay_link,
        paid_on=paid_on,
        plan_invoices=plan_invoices or [],
        nums=", ".join(line.number for line in lines),
        money=lambda a, c: money(a, c, lang),
        day=lambda d: day(d, lang),
        days=lambda n: formatting.days(n, language_of(lang)),
    ).strip()
    head, _, body = text.partition("\n")
    if not head.startswith("Subject:"):
        raise ConfigError(f"dunning template {kind}.{lang}.j2 must start with 'Subject:'")
    return Draft(head.removeprefix("Subject:").strip(), body.strip() + "\n", lang, tone or stage)
