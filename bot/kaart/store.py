"""The active kaart on disk: a validated JSON snapshot (written atomically) plus cached vectors."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bot.kaart.hsds import write_json_atomic
from bot.kaart.model import EXPORT_FIELDS, LIST_FIELDS, Kaart, KaartError, Service

SNAPSHOT_NAME = "actief.json"
SNAPSHOT_VERSION = 1
KEEP_VECTOR_CACHES = 4


def content_hash(services: list[Service] | tuple[Service, ...]) -> str:
    """Stable hash of the service content (order included)."""
    digest = hashlib.sha256()
    for service in services:
        digest.update(json.dumps(service.to_row(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:20]


def service_from_row(row: dict[str, Any]) -> Service:
    """Rebuild a Service from an already validated snapshot row."""
    values: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        value = row.get(name, "")
        if name in LIST_FIELDS:
            values[name] = tuple(v for v in str(value).split(";") if v)
        elif name == "crisis":
            values[name] = value in (True, "true")
        elif name == "last_verified":
            values[name] = date.fromisoformat(value) if value else None
        else:
            values[name] = str(value)
    values["domains_source"] = str(
        row.get("levensgebieden_bron", "kaart" if values["levensgebieden"] else "")
    )
    values["domains_confidence"] = float(row.get("levensgebieden_zekerheid") or 1.0)
    return Service(**values)


class KaartStore:
    """Reads and writes the active snapshot and the vector cache in one directory."""

    def __init__(self, *, directory: Path) -> None:
        self._dir = directory

    @property
    def snapshot_path(self) -> Path:
        return self._dir / SNAPSHOT_NAME

    def has_snapshot(self) -> bool:
        return self.snapshot_path.is_file()

    def snapshot_stamp(self) -> tuple[int, int] | None:
        """(mtime_ns, size) of the snapshot, or None: a cheap way to notice a save by another process."""
        try:
            stat = self.snapshot_path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def save(self, kaart: Kaart) -> None:
        """Atomically replace the active snapshot (temp file, fsync, os.replace)."""
        payload = {
            "version": SNAPSHOT_VERSION,
            "source": kaart.source,
            "content_hash": kaart.content_hash,
            "services": [s.snapshot_row() for s in kaart.services],
        }
        write_json_atomic(payload, self.snapshot_path)

    def load(self) -> Kaart:
        try:
            payload = json.loads(self.snapshot_path.read_text(encoding="utf-8"))
            services = tuple(service_from_row(row) for row in payload["services"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KaartError(
                f"De actieve sociale kaart is beschadigd ({exc}). Importeer hem opnieuw."
            ) from None
        return Kaart(services=services, source=payload.get("source", ""),
                     content_hash=payload.get("content_hash") or content_hash(services))  # fmt: skip

    def load_vectors(self, key: str, *, rows: int) -> np.ndarray | None:
        path = self._dir / f"vectors-{key}.npy"
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        return vectors if vectors.shape[0] == rows else None

    def save_vectors(self, key: str, vectors: np.ndarray) -> None:
        """Cache vectors by content hash; old caches are removed. Failures are not fatal."""
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=self._dir, prefix=".vectors-", suffix=".npy")
            with os.fdopen(handle, "wb") as out:
                np.save(out, vectors, allow_pickle=False)
                out.flush()
                os.fsync(out.fileno())
            target = self._dir / f"vectors-{key}.npy"
            os.replace(tmp, target)
            caches = sorted(self._dir.glob("vectors-*.npy"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in caches[KEEP_VECTOR_CACHES:]:
                old.unlink(missing_ok=True)
        except OSError:
            return
