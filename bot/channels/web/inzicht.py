"""Team insight (/beheer/inzicht, admins only): anonymous aggregates as server-rendered SVG charts.
Shows counts per partner, levensgebied, month and chapter only: never a label, a user id or message text."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.web.charts import bar_chart, monthly_chart
from bot.channels.web.context import WebContext, blocking, require_admin, web
from bot.followup.insight import Insight

MONTHS_SHOWN = 12
TOP_SERIES = 6


def _series(counts: dict[tuple[str, str], int], names: dict[str, str]) -> dict[str, dict[str, int]]:
    totals: dict[str, int] = {}
    for (key, _), n in counts.items():
        totals[key] = totals.get(key, 0) + n
    top = sorted(totals, key=lambda k: (-totals[k], k))[:TOP_SERIES]
    return {names.get(k, k): {m: n for (key, m), n in counts.items() if key == k} for k in top}


def _chapter_name(ctx: WebContext, chapter: int) -> str:
    if chapter == 0:
        return "Introductie"
    if chapter == 11:
        return "Conclusie"
    vraag = next((v for v in ctx.services.vragen if v.number == chapter), None)
    return f"Vraag {chapter}" + (f": {vraag.title}" if vraag else "")


def charts(ctx: WebContext, insight: Insight) -> dict[str, Any]:
    domains = {d.id: d.label for d in ctx.services.kaart.understander().taxonomy.domains.values()}
    months = insight.months[-MONTHS_SHOWN:]
    partners = insight.partners[:10]
    return {
        "per_domain": monthly_chart(_series(insight.per_domain_month, domains), months,
                                    title="Verwijzingen per levensgebied per maand"),
        "per_partner": monthly_chart(_series(insight.per_partner_month, {}), months,
                                     title="Verwijzingen per partner per maand"),
        "feedback_share": bar_chart([(p.partner, p.feedback_share) for p in partners],
                                    title="Deel met terugkoppeling", percent=True),
        "median_days": bar_chart([(p.partner, p.median_days) for p in partners if p.median_days is not None],
                                 title="Mediaan dagen tot terugkoppeling", unit=" d"),
        "failure_rate": bar_chart([(p.partner, p.failure_rate) for p in partners],
                                  title="Contact lukte niet", percent=True),
        "chapters": bar_chart([(_chapter_name(ctx, c), n) for c, n in sorted(insight.questions_by_chapter.items())],
                              title="Vragen per hoofdstuk"),
        "votes": bar_chart([("👍 nuttig", insight.feedback_up), ("👎 niet nuttig", insight.feedback_down)],
                           title="Waardering van antwoorden"),
        "partners": partners,
    }  # fmt: skip


def _collect(ctx: WebContext) -> dict[str, Any]:
    return charts(ctx, ctx.insight.collect())


async def page(request: Request) -> Response:
    require_admin(request)
    ctx = web(request)
    values = await blocking(_collect, ctx)
    return ctx.render(request, "beheer/inzicht.html", values)


def routes() -> list[Route]:
    return [Route("/beheer/inzicht", page)]
