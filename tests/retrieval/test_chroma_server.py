"""Dense retrieval against a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.retrieval.embeddings import USEEmbeddings
from bot.retrieval.index import KnowledgeIndex
from bot.retrieval.training import TRAINING_DIR

from .conftest import copy_knowledge


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_binary() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = _chroma_binary()
    if binary is None:
        pytest.skip("the `chroma` CLI is not installed, cannot start a Chroma server")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [binary, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Chroma server did not start")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_index_in_chroma_server(chroma_server: int, tmp_path: Path, embeddings: USEEmbeddings) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    # perf13: without the training questions: the trained models (fusion, near-miss judge, question memory) live
    # in the index folder whatever the vector store, and what is asserted here (the vectors in the server, found
    # again on reuse) does not involve them; the build is then mostly the publication's vectors
    shutil.rmtree(knowledge / TRAINING_DIR)
    settings = Settings(
        WIJKBOT_DATA_DIR=tmp_path / "data",
        WIJKBOT_KNOWLEDGE_DIR=knowledge,
        CHROMA_HOST="127.0.0.1",
        CHROMA_PORT=chroma_server,
    )
    built = KnowledgeIndex.load_or_build(settings, embeddings)
    assert built.rebuilt
    assert not settings.chroma_dir.exists()  # nothing embedded: vectors live in the server

    names = [c if isinstance(c, str) else c.name for c in httpx_collections(chroma_server)]
    assert built.manifest.collection in names

    reused = KnowledgeIndex.load_or_build(settings, embeddings)
    assert not reused.rebuilt
    hits = reused.retriever.search_dense("wijkverpleegkundige uit een andere pot gefinancierd", k=5)
    assert hits and all(h.dense is not None for h in hits)
    assert 5 in {h.passage.chapter for h in hits}


def httpx_collections(port: int) -> list[object]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.HttpClient(
        host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
    )
    return list(client.list_collections())
