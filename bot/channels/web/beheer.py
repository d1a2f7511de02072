"""Kaart beheer (admins only): list with search/filter/paging, edit, add, remove, 'gecontroleerd vandaag',
the freshness view and the audit trail per service. All changes go through KaartEditor."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.web.context import (
    WebContext,
    blocking,
    checked_form,
    redirect,
    require_admin,
    text_field,
    web,
)
from bot.channels.web.listing import Filters, ServiceList, is_stale, levensgebieden, stale_cutoff
from bot.kaart.editing import EditConflict, ServiceNotFound, version_of
from bot.kaart.model import FIELDS, LIST_FIELDS, Service

# Dutch labels of the form fields, in form order (FIELDS may grow: unknown fields use their own name).
LABELS = {
    "id": "Id", "organization": "Organisatie", "name": "Naam dienst", "description": "Beschrijving",
    "themes": "Thema's", "audiences": "Doelgroepen", "service_areas": "Wijken (leeg = hele gemeente)",
    "contact_name": "Contactpersoon", "contact_title": "Functie contactpersoon", "phone": "Telefoon",
    "email": "E-mail", "website": "Website", "address": "Adres", "postal_code": "Postcode", "city": "Plaats",
    "schedule": "Openingstijden", "application_process": "Hoe kom je binnen", "fees_description": "Kosten",
    "funding": "Financiering", "crisis": "Crisisdienst", "languages": "Talen",
    "last_verified": "Laatst gecontroleerd (JJJJ-MM-DD)", "levensgebieden": "Levensgebieden",
}  # fmt: skip
LONG_FIELDS = frozenset({"description", "application_process", "fees_description", "schedule"})


def service_list(ctx: WebContext) -> ServiceList:
    """The search haystacks of the active kaart, rebuilt only when the kaart changed."""
    kaart = ctx.services.kaart.active()
    cached = ctx.list_cache.get("list")
    if cached is None or cached.kaart is not kaart:
        cached = ServiceList(kaart)
        ctx.list_cache["list"] = cached
    return cached


def flagged_ids(ctx: WebContext) -> dict[str, Any]:
    """Services with contact failures or corrections since they were last checked ('gecontroleerd')."""
    return ctx.insight.service_signals(since=ctx.editor.audit.last_verified_at())


async def overview(request: Request) -> Response:
    """Services with search, filters and paging, all on the server."""
    require_admin(request)
    ctx = web(request)
    filters = Filters.from_query(request.query_params)
    listing = await blocking(service_list, ctx)
    signals = await blocking(flagged_ids, ctx) if filters.vers == "signalen" else {}
    cutoff = stale_cutoff(ctx.clock().date(), ctx.settings.web_stale_months)
    page = listing.filter(filters, cutoff=cutoff, flagged=set(signals))
    base = {"q": filters.q, "wijk": filters.wijk, "lg": filters.levensgebied, "vers": filters.vers}
    query = urlencode({k: v for k, v in base.items() if v})
    return ctx.render(request, "beheer/list.html", {
        "filters": filters, "page": page, "listing": listing, "cutoff": cutoff, "is_stale": is_stale,
        "query": query, "back": request.url.path + ("?" + request.url.query if request.url.query else ""),
    })  # fmt: skip


def _form_values(service: Service | None) -> dict[str, str]:
    if service is None:
        return dict.fromkeys(FIELDS, "")
    row = service.to_row()
    if "levensgebieden" in FIELDS and "levensgebieden" not in row:
        row["levensgebieden"] = ";".join(levensgebieden(service))
    return {name: str(row.get(name, "")) for name in FIELDS}


def _fields() -> list[dict[str, Any]]:
    return [{"name": n, "label": LABELS.get(n, n), "long": n in LONG_FIELDS, "list": n in LIST_FIELDS,
             "bool": n == "crisis"} for n in FIELDS]  # fmt: skip


def _posted_values(form: FormData) -> dict[str, str]:
    values = {name: text_field(form, name) for name in FIELDS}
    values["crisis"] = "true" if form.get("crisis") else "false"
    return values


def _edit_page(request: Request, *, service_id: str | None, values: dict[str, str], version: str = "",
               errors: dict[str, str] | None = None, notice: str = "", status: int = 200) -> Response:  # fmt: skip
    return web(request).render(request, "beheer/edit.html", {
        "service_id": service_id, "values": values, "version": version, "errors": errors or {},
        "fields": _fields(), "notice": notice,
    }, status=status)  # fmt: skip


def _service_or_404(ctx: WebContext, service_id: str) -> Service:
    service = ctx.services.kaart.get(service_id)
    if service is None or service.id != service_id:
        raise HTTPException(404, "Deze dienst bestaat niet (meer).")
    return service


async def edit_form(request: Request) -> Response:
    require_admin(request)
    service_id = request.path_params["service_id"]
    service = await blocking(_service_or_404, web(request), service_id)
    notice = "Opgeslagen." if request.query_params.get("ok") else ""
    return _edit_page(request, service_id=service_id, values=_form_values(service), version=version_of(service),
                      notice=notice)  # fmt: skip


async def edit_save(request: Request) -> Response:
    """Save with the importer's validation; errors go next to their field and nothing is saved."""
    actor = require_admin(request)
    form = await checked_form(request)
    ctx, service_id = web(request), request.path_params["service_id"]
    values = _posted_values(form)
    version = text_field(form, "version", limit=64)
    try:
        result = await blocking(ctx.editor.update, service_id, values, version=version, actor=actor)
    except ServiceNotFound:
        raise HTTPException(404, "Deze dienst bestaat niet (meer).") from None
    except EditConflict as exc:
        return _edit_page(request, service_id=service_id, values=values, version=version,
                          errors={"": str(exc)}, status=409)  # fmt: skip
    if not result.ok:
        return _edit_page(request, service_id=service_id, values=values, version=version,
                          errors=result.errors, status=422)  # fmt: skip
    return redirect(f"/beheer/dienst/{service_id}?ok=1")


async def add_form(request: Request) -> Response:
    require_admin(request)
    return _edit_page(request, service_id=None, values=_form_values(None))


async def add_save(request: Request) -> Response:
    actor = require_admin(request)
    form = await checked_form(request)
    values = _posted_values(form)
    result = await blocking(web(request).editor.add, values, actor=actor)
    if not result.ok or result.service is None:
        return _edit_page(request, service_id=None, values=values, errors=result.errors, status=422)
    return redirect(f"/beheer/dienst/{result.service.id}?ok=1")


async def remove(request: Request) -> Response:
    actor = require_admin(request)
    form = await checked_form(request)
    ctx, service_id = web(request), request.path_params["service_id"]
    try:
        await blocking(
            ctx.editor.remove, service_id, version=text_field(form, "version", limit=64), actor=actor
        )
    except ServiceNotFound:
        raise HTTPException(404, "Deze dienst bestaat niet (meer).") from None
    except EditConflict as exc:
        raise HTTPException(409, str(exc)) from None
    return redirect("/beheer?verwijderd=1")


async def verify(request: Request) -> Response:
    """One click: 'gecontroleerd vandaag'. Goes back to the page it came from."""
    actor = require_admin(request)
    form = await checked_form(request)
    ctx, service_id = web(request), request.path_params["service_id"]
    try:
        await blocking(ctx.editor.verify, service_id, actor=actor, today=ctx.clock().date())
    except ServiceNotFound:
        raise HTTPException(404, "Deze dienst bestaat niet (meer).") from None
    back = text_field(form, "terug", limit=500)
    return redirect(back if back.startswith("/beheer") and "//" not in back else "/beheer")


async def history(request: Request) -> Response:
    require_admin(request)
    ctx, service_id = web(request), request.path_params["service_id"]
    entries = await blocking(ctx.editor.audit.history, service_id)
    service = await blocking(ctx.services.kaart.get, service_id)
    return ctx.render(request, "beheer/history.html", {"service_id": service_id, "service": service,
                                                       "entries": entries})  # fmt: skip


def _freshness(ctx: WebContext) -> dict[str, Any]:
    cutoff = stale_cutoff(ctx.clock().date(), ctx.settings.web_stale_months)
    services = ctx.services.kaart.active().services
    signals = flagged_ids(ctx)
    stale = [s for s in services if is_stale(s, cutoff)]
    flagged = [(s, signals[s.id]) for s in services if s.id in signals]
    flagged.sort(key=lambda item: -(item[1].failed + item[1].corrections))
    return {"cutoff": cutoff, "stale": stale[:200], "stale_total": len(stale), "flagged": flagged[:200],
            "months": ctx.settings.web_stale_months}  # fmt: skip


async def freshness(request: Request) -> Response:
    """Not verified in N months; 'contact lukte niet' and corrections from referrals."""
    require_admin(request)
    ctx = web(request)
    values = await blocking(_freshness, ctx)
    return ctx.render(request, "beheer/freshness.html", {**values, "back": "/beheer/vers"})


def routes() -> list[Route]:
    return [
        Route("/beheer", overview),
        Route("/beheer/vers", freshness),
        Route("/beheer/nieuw", add_form),
        Route("/beheer/nieuw", add_save, methods=["POST"]),
        Route("/beheer/dienst/{service_id}", edit_form),
        Route("/beheer/dienst/{service_id}", edit_save, methods=["POST"]),
        Route("/beheer/dienst/{service_id}/verwijderen", remove, methods=["POST"]),
        Route("/beheer/dienst/{service_id}/gecontroleerd", verify, methods=["POST"]),
        Route("/beheer/dienst/{service_id}/historie", history),
    ]
