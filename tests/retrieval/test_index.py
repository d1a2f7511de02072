"""Index reuse, rebuild on content change, and a crash mid-build never breaking the index in use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from bot.retrieval import index as index_module
from bot.retrieval.embeddings import USEEmbeddings
from bot.retrieval.index import MANIFEST, KnowledgeIndex

from .conftest import copy_built


@pytest.fixture
def settings(tmp_path: Path, knowledge_index: KnowledgeIndex, knowledge_root: Path) -> Settings:
    """A private copy of the session's retrieval index (perf11: the tests start from it instead of building their
    own first index: three real builds fewer in the suite)."""
    return copy_built(knowledge_index, knowledge_root, tmp_path)


def test_reuse_then_rebuild_when_a_document_is_added(settings: Settings, embeddings: USEEmbeddings) -> None:
    first = KnowledgeIndex.load_or_build(settings, embeddings)
    assert not first.rebuilt  # a copy of a built index, same knowledge files: reused
    assert {c.number for c in first.chapters} == set(range(12))

    second = KnowledgeIndex.load_or_build(settings, embeddings)
    assert not second.rebuilt
    assert [p.id for p in second.passages] == [p.id for p in first.passages]
    assert second.chapters == first.chapters
    assert second.is_current(settings)

    note = settings.documents_dir / "werkafspraken.md"
    note.write_text(
        "# Werkafspraken wijkteam Voorbeeldstad\n\nBij een melding over de zorgboerderij "
        "Klaverblad bellen we binnen twee werkdagen terug.\n",
        encoding="utf-8",
    )
    assert not second.is_current(settings)
    messages: list[str] = []
    third = KnowledgeIndex.load_or_build(settings, embeddings, progress=messages.append)
    assert third.rebuilt
    assert any("passages" in m for m in messages)
    assert {c.number for c in third.chapters} == set(range(12))
    assert third.content_hash != first.content_hash
    folders = [p.name for p in settings.index_dir.iterdir() if p.is_dir()]
    assert folders == [third.manifest.folder]


def test_forced_rebuild_and_damaged_index(settings: Settings, embeddings: USEEmbeddings) -> None:
    built = KnowledgeIndex.load_or_build(settings, embeddings)
    forced = KnowledgeIndex.load_or_build(settings, embeddings, rebuild=True)
    assert forced.rebuilt and forced.manifest.collection != built.manifest.collection
    (settings.index_dir / forced.manifest.folder / "passages.json").write_text("{kapot", encoding="utf-8")
    repaired = KnowledgeIndex.load_or_build(settings, embeddings)
    assert repaired.rebuilt
    assert repaired.retriever.search("vaste contactpersoon", k=3)


def test_crash_mid_build_keeps_the_old_index(
    settings: Settings, embeddings: USEEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = KnowledgeIndex.load_or_build(settings, embeddings)
    manifest_before = json.loads((settings.index_dir / MANIFEST).read_text(encoding="utf-8"))

    def broken_build(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stroom uitgevallen")

    monkeypatch.setattr(index_module.DenseIndex, "build", broken_build)
    with pytest.raises(RuntimeError):
        KnowledgeIndex.load_or_build(settings, embeddings, rebuild=True)
    monkeypatch.undo()

    assert json.loads((settings.index_dir / MANIFEST).read_text(encoding="utf-8")) == manifest_before
    assert not [p for p in settings.index_dir.iterdir() if p.name.startswith(".build-")]
    again = KnowledgeIndex.load_or_build(settings, embeddings)
    assert not again.rebuilt
    assert again.manifest.folder == good.manifest.folder
