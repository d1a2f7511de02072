"""Active kaart: example first, atomic import, persistence, HSDS round trip."""

from __future__ import annotations

import json
from pathlib import Path

from bot.kaart.validation import parse_file
from bot.suggestion.service import PartnerService
from tests.kaart.conftest import EXAMPLE, OTHER, HashingEmbeddings, make_settings


def test_example_kaart_is_active_before_any_import(fast_service: PartnerService) -> None:
    kaart = fast_service.active()
    assert kaart.is_example and kaart.source == EXAMPLE.name
    assert fast_service.get("veilig-thuis") is not None
    assert fast_service.wijken() == ["Centrum", "Noord", "Oost", "Zuid"]


def test_import_replaces_and_persists(
    tmp_path: Path, fast_service: PartnerService, fast_understander
) -> None:  # type: ignore[no-untyped-def]
    report = fast_service.import_file(OTHER)
    assert report.ok and report.count == 35
    assert fast_service.get("bw-vt") is not None and fast_service.get("veilig-thuis") is None
    again = PartnerService(
        settings=make_settings(tmp_path), embeddings=HashingEmbeddings(), understander=fast_understander
    )  # type: ignore[arg-type]
    assert again.active().source == OTHER.name
    assert [s.id for s in again.active().services] == [s.id for s in parse_file(OTHER).services]


def test_failed_import_leaves_previous_kaart_fully_usable(
    tmp_path: Path, fast_service: PartnerService
) -> None:
    assert fast_service.import_file(OTHER).ok
    snapshot = fast_service._store.snapshot_path  # noqa: SLF001
    before = snapshot.read_bytes()
    bad = tmp_path / "kapot.csv"
    text = OTHER.read_text(encoding="utf-8").splitlines()
    text[5] = text[5].replace("@bergwoude.example", "-geen-mail")
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    report = fast_service.import_file(bad)
    assert not report.ok and report.errors[0].row == 6 and report.count == 0
    assert snapshot.read_bytes() == before
    assert fast_service.get("bw-vt") is not None
    assert fast_service.search("geldwijzer")[0].id == "bw-geldwijzer"
    assert fast_service.suggest("de deurwaarder staat aan de deur").suggestions
    assert not [p for p in snapshot.parent.iterdir() if p.name.endswith(".tmp")]


def test_crash_while_indexing_keeps_previous_kaart(tmp_path: Path, fast_understander) -> None:  # type: ignore[no-untyped-def]
    encoder = HashingEmbeddings()
    service = PartnerService(
        settings=make_settings(tmp_path), embeddings=encoder, understander=fast_understander
    )  # type: ignore[arg-type]
    assert service.active().is_example
    encoder.fail = True
    try:
        service.import_file(OTHER)
    except RuntimeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("import should have failed")
    encoder.fail = False
    assert service.active().is_example and service.get("veilig-thuis") is not None
    assert not service._store.has_snapshot()  # noqa: SLF001


def test_vectors_are_cached_by_content(tmp_path: Path, fast_understander) -> None:  # type: ignore[no-untyped-def]
    encoder = HashingEmbeddings()
    first = PartnerService(
        settings=make_settings(tmp_path), embeddings=encoder, understander=fast_understander
    )  # type: ignore[arg-type]
    first.import_file(OTHER)
    calls = encoder.calls
    second = PartnerService(
        settings=make_settings(tmp_path), embeddings=encoder, understander=fast_understander
    )  # type: ignore[arg-type]
    second.active()
    big_batches = encoder.calls - calls
    assert list((tmp_path / "data" / "kaart").glob("vectors-*.npy"))
    assert big_batches == 0  # the service vectors came from the cache


def test_hsds_round_trip(tmp_path: Path, fast_service: PartnerService) -> None:
    out = tmp_path / "hsds.json"
    fast_service.export_hsds(out)
    payload = json.loads(out.read_text(encoding="utf-8"))
    service = next(s for s in payload["services"] if s["id"] == "wt-noord")
    assert service["organization"]["name"] == "Sociaal Wijkteam Lindenhoven"
    assert service["contacts"][0]["name"].startswith("Bram Jansen")
    assert service["phones"][0]["number"] == "0123-45 67 11"  # as the kaart writes it
    assert service["service_areas"] == [{"id": "wt-noord-area-0", "name": "Noord"}]
    assert service["schedules"][0]["description"] == "ma-vr 9-17 uur"
    assert [f["source"] for f in service["funding"]] == ["Wmo", "Jeugdwet"]
    assert service["assured_date"] == "2026-03-01"
    parsed = parse_file(out)
    assert parsed.report.ok, parsed.report.errors
    assert [x.to_row() for x in parsed.services] == [x.to_row() for x in fast_service.active().services]


def test_concurrent_first_use_builds_the_index_once(tmp_path: Path, fast_understander) -> None:  # type: ignore[no-untyped-def]
    """Several threads asking at once (Telegram load) must not each build their own index."""
    import threading

    encoder = HashingEmbeddings()
    service = PartnerService(
        settings=make_settings(tmp_path), embeddings=encoder, understander=fast_understander
    )  # type: ignore[arg-type]
    start = threading.Barrier(6)
    seen: list[int] = []

    def ask() -> None:
        start.wait()
        seen.append(id(service._load_active()))  # noqa: SLF001
        service.suggest("deurwaarder aan de deur")

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1
    single = HashingEmbeddings()
    PartnerService(
        settings=make_settings(tmp_path / "b"), embeddings=single, understander=fast_understander
    ).active()  # type: ignore[arg-type]
    assert encoder.calls - 6 <= single.calls  # one build (+ one query batch per call at most)
