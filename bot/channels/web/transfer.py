"""Import (upload -> preview of errors -> confirm, atomic) and export (CSV, HSDS 3.0 JSON) of the kaart."""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.web.context import (
    MAX_UPLOAD_BYTES,
    WebContext,
    blocking,
    checked_form,
    require_admin,
    text_field,
    too_large_text,
    web,
)
from bot.kaart.hsds import write_hsds
from bot.kaart.io import write_csv
from bot.kaart.validation import parse_file

ALLOWED_SUFFIXES = (".csv", ".txt", ".yaml", ".yml", ".json")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
CHUNK = 64 * 1024


def upload_dir(ctx: WebContext) -> Path:
    path = ctx.settings.data_dir / "web_uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def import_form(request: Request) -> Response:
    require_admin(request)
    return web(request).render(request, "beheer/import.html", {"report": None})


async def _save_upload(ctx: WebContext, upload: UploadFile) -> Path:
    """Copy the upload to data_dir/web_uploads/<token><suffix>, refusing more than MAX_UPLOAD_BYTES."""
    suffix = Path(upload.filename or "").suffix.casefold()
    if suffix not in ALLOWED_SUFFIXES:
        raise HTTPException(400, "Kies een CSV-, YAML- of JSON-bestand (.csv, .yaml, .json).")
    target = upload_dir(ctx) / f"{secrets.token_urlsafe(18)}{suffix}"
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                out.close()
                target.unlink(missing_ok=True)
                raise HTTPException(
                    413, too_large_text(size) + " Splits het bestand of haal lange teksten weg."
                )
            out.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        raise HTTPException(400, "Het bestand is leeg.")
    return target


async def import_preview(request: Request) -> Response:
    """POST /beheer/import: check the file and show errors (row + column). Nothing changes yet."""
    require_admin(request)
    ctx = web(request)
    form = await checked_form(request, upload=True)
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(400, "Kies eerst een bestand.")
    path = await _save_upload(ctx, upload)
    parsed = await blocking(parse_file, path)
    report = parsed.report
    token = path.name if report.ok else ""
    if not report.ok:
        path.unlink(missing_ok=True)
    return ctx.render(request, "beheer/import.html", {"report": report, "token": token,
                                                      "filename": upload.filename},
                      status=200 if report.ok else 422)  # fmt: skip


async def import_confirm(request: Request) -> Response:
    """Make the previewed file the active kaart (atomic: on any error the old kaart stays)."""
    actor = require_admin(request)
    ctx = web(request)
    form = await checked_form(request)
    token = text_field(form, "token", limit=100)
    stem, _, suffix = token.rpartition(".")
    path = upload_dir(ctx) / token
    if not _TOKEN.match(stem) or f".{suffix}" not in ALLOWED_SUFFIXES or not path.is_file():
        raise HTTPException(400, "Deze upload is niet meer beschikbaar. Upload het bestand opnieuw.")
    try:
        report = await blocking(ctx.editor.import_file, path, actor=actor)
    finally:
        path.unlink(missing_ok=True)
    status = 200 if report.ok else 422
    return ctx.render(request, "beheer/import.html", {"report": report, "done": report.ok}, status=status)


def _export(ctx: WebContext, kind: str) -> bytes:
    services = list(ctx.services.kaart.active().services)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"kaart.{kind}"
        if kind == "csv":
            write_csv(services, path)
        else:
            write_hsds(services, path)
        return path.read_bytes()


async def export_csv(request: Request) -> Response:
    require_admin(request)
    body = await blocking(_export, web(request), "csv")
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="sociale-kaart.csv"'})  # fmt: skip


async def export_hsds(request: Request) -> Response:
    require_admin(request)
    body = await blocking(_export, web(request), "json")
    return Response(body, media_type="application/json",
                    headers={"content-disposition": 'attachment; filename="sociale-kaart-hsds.json"'})  # fmt: skip


def routes() -> list[Route]:
    return [
        Route("/beheer/import", import_form),
        Route("/beheer/import", import_preview, methods=["POST"]),
        Route("/beheer/import/bevestig", import_confirm, methods=["POST"]),
        Route("/beheer/export.csv", export_csv),
        Route("/beheer/export-hsds.json", export_hsds),
    ]
