"""Plain-text tables of the analytics, for Slack (in a code block) and the terminal."""

from __future__ import annotations

from decimal import Decimal

from dunning.analytics import BUCKETS, MonthRow
from dunning.forecast import Backtest, Forecast


def _num(value: Decimal | None, suffix: str = "") -> str:
    return "-" if value is None else f"{value:,}{suffix}"


def monthly_table(rows: list[MonthRow]) -> str:
    """One line per month: DSO (simple, countback), best DSO, ADD, CEI, promises, reminders."""
    head = (
        f"{'month':<8} {'DSO':>6} {'cntbk':>6} {'best':>6} {'ADD':>6} {'CEI':>7} "
        f"{'kept':>7} {'remind→paid':>12} {'edits':>7}"
    )
    lines = [head]
    for r in rows:
        k = r.kpis
        reminders = f"{r.reminders_paid_within_7_days}/{r.reminders_sent}"
        lines.append(
            f"{r.month:<8} {_num(k.dso_simple):>6} {_num(k.dso_countback):>6} "
            f"{_num(k.best_possible_dso):>6} {_num(k.avg_days_delinquent):>6} "
            f"{_num(k.cei, '%'):>7} {_num(r.promises.rate, '%'):>7} {reminders:>12} "
            f"{_num(r.edits.edit_rate, '%'):>7}"
        )
    return "\n".join(lines)


def aging_table(buckets: dict[str, Decimal], currency: str = "") -> str:
    total = sum(buckets.values(), Decimal(0))
    lines = [f"{'bucket':<8} {'open':>16} {'share':>6}"]
    for name in BUCKETS:
        share = f"{buckets[name] / total:.0%}" if total else "-"
        lines.append(f"{name:<8} {buckets[name]:>16,.2f} {share:>6}")
    lines.append(f"{'total':<8} {total:>16,.2f} {currency}".rstrip())
    return "\n".join(lines)


def forecast_table(forecast: Forecast, backtest: Backtest | None = None) -> str:
    lines = [f"{'week':<23} {'expected':>14} {'promised':>14}"]
    for w in forecast.weeks:
        lines.append(f"{w.start} .. {w.end} {w.expected:>14,.2f} {w.from_promises:>14,.2f}")
    lines.append(f"{'total':<23} {forecast.total:>14,.2f}")
    if backtest is not None and backtest.points:
        lines.append(
            f"backtest over {len(backtest.points)} past cutoffs: "
            f"WAPE {_num(backtest.wape(), '%')} (weekly {_num(backtest.wape(weekly=True), '%')}), "
            f"MAPE {_num(backtest.mape, '%')}"
        )
    return "\n".join(lines)
