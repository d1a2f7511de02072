"""Fixtures for kaart tests: settings in tmp_path, a real USE model (shared), and a fast hashing encoder."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.config import Settings
from bot.suggestion.service import PartnerService
from tests.conftest import built_once

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "knowledge" / "sociale_kaart" / "voorbeeld.csv"
OTHER = Path(__file__).resolve().parent / "andere_gemeente.csv"
THIRD = Path(__file__).resolve().parent / "derde_gemeente.csv"


class HashingEmbeddings:
    """Deterministic bag-of-words vectors: for tests where dense quality does not matter (import, storage)."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail = False

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        if self.fail:
            raise RuntimeError("encoder down")
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 512] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] /= norm if norm else 1.0
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def make_settings(tmp_path: Path) -> Settings:
    return Settings(WIJKBOT_DATA_DIR=tmp_path / "data")


@pytest.fixture(scope="session")
def fast_understander(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The understanding model trained once on hashing vectors (for import/storage tests).

    perf13: trained once for the whole run (tests/conftest.py built_once): under pytest-xdist the second worker
    that asks (tests/kaart and tests/understanding/test_service_rows.py) reads the trained model from a copy of
    the cache instead of training it again (about 20 s CPU); the same inputs give the same cache key and model."""
    from bot.understanding.training import KnowledgePaths, build_understander

    def train(cache_dir: Path) -> None:
        build_understander(KnowledgePaths.under(ROOT / "knowledge"), HashingEmbeddings(), cache_dir=cache_dir)

    cache_dir = tmp_path_factory.mktemp("begrip-fast")
    shutil.copytree(built_once(tmp_path_factory, "begrip-fast", train), cache_dir, dirs_exist_ok=True)
    return build_understander(
        KnowledgePaths.under(ROOT / "knowledge"), HashingEmbeddings(), cache_dir=cache_dir
    )


@pytest.fixture
def fast_service(tmp_path: Path, fast_understander) -> PartnerService:  # type: ignore[no-untyped-def]
    return PartnerService(settings=make_settings(tmp_path), embeddings=HashingEmbeddings(),  # type: ignore[arg-type]
                          understander=fast_understander)  # fmt: skip


@pytest.fixture(scope="session")
def real_service(
    tmp_path_factory: pytest.TempPathFactory, use_embeddings, use_understander
) -> PartnerService:  # type: ignore[no-untyped-def]
    """One PartnerService with the real USE model and the example kaart (read-only tests only)."""
    return PartnerService(settings=make_settings(tmp_path_factory.mktemp("real")), embeddings=use_embeddings,
                          understander=use_understander)  # fmt: skip
