"""The fast kaart import gives the same results as the long way (issue #12, round 3).

The import reads each service with the signal lexicon once (the ranker reuses the rows the model read), skips
lexicon patterns whose required literals are absent and embeds a long list of vector texts in a second process.
These tests compare each shortcut with the plain computation; timings are in bench/scale.py.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.kaart.model import FIELDS
from bot.kaart.validation import parse_file
from bot.suggestion.ranking import profile_rows
from bot.suggestion.service import PartnerService, vector_text
from bot.understanding.features import lexicon_row
from bot.understanding.lexicon import Lexicon, load_lexicon
from bot.understanding.literals import NeedleFilter, can_match, required_literals
from bot.understanding.service_domains import guess_domains, service_text
from tests.kaart.conftest import EXAMPLE, make_settings

ROOT = Path(__file__).resolve().parents[2]
KAARTEN = [EXAMPLE, *sorted((ROOT / "tests/kaart").glob("*_gemeente.csv"))]


def _plain(lexicon: Lexicon) -> Lexicon:
    """The same lexicon with every pattern tried on every text (no needle filters)."""
    plain = dataclasses.replace(lexicon)
    service = plain.service_signals()
    plain._filters["signals"] = NeedleFilter([()] * len(plain.signals))
    plain._filters["themes"] = NeedleFilter([()] * len(service))
    patterns = [p for rule in plain.combinations if rule.local for group, _ in rule.groups for p in group]
    plain._filters["rules"] = (NeedleFilter([()] * len(patterns)), patterns)
    return plain


def _texts() -> list[str]:
    """Dev situations, the training corpus and the service texts of the test kaarten (no held-out data)."""
    texts = [str(i["s"]) for i in yaml.safe_load((ROOT / "tests/kaart/situations.yaml").read_text("utf-8"))["situations"]]  # fmt: skip
    for path in sorted((ROOT / "knowledge/situaties").glob("train*.yaml")):
        texts += [str(i["tekst"]) for i in yaml.safe_load(path.read_text("utf-8"))["situaties"]]
    for kaart in KAARTEN:
        texts += [service_text(s) for s in parse_file(kaart).services]
    return texts


def test_needle_filters_change_no_hit() -> None:
    lexicon = load_lexicon(ROOT / "knowledge/signalen.yaml")
    plain = _plain(lexicon)
    texts = _texts()
    assert len(texts) > 300
    for themes in (False, True):
        fast = [lexicon._read(t, themes=themes) for t in texts]
        slow = [plain._read(t, themes=themes) for t in texts]
        assert [d.hits for d in fast] == [d.hits for d in slow]
        assert [d.quiet for d in fast] == [d.quiet for d in slow]
    assert sum(bool(lexicon._read(t, themes=False).hits) for t in texts) > len(texts) // 2  # signals do fire
    filtered = [s for s in lexicon.signals if not s.anchor]
    assert filtered and all(s.literals for s in filtered[:50])  # the filter is in use for regex patterns


def test_required_literals_are_needed_for_every_match() -> None:
    lexicon = load_lexicon(ROOT / "knowledge/signalen.yaml")
    patterns = [s.pattern for s in lexicon.signals] + [
        p for rule in lexicon.combinations for group, _ in rule.groups for p in group
    ]
    texts = [lexicon.normalizer.mask(lexicon.normalizer.expand(t)) for t in _texts()]
    matched = 0
    for pattern in patterns:
        for text in texts:
            if pattern.search(text):
                matched += 1
                assert can_match(pattern, text), (pattern.pattern, text)
    assert matched > 1000


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(overleden|overlijden|verloren)\b", {"overleden", "overlijden", "verloren"}),
        (r"\bstage\b", {"stage"}),
        (r"\bwia\b.{0,20}\b(aanvraag|uitkering)", {"aanvraag", "uitkering"}),  # the more selective part
        (r"\b(ziet|hoort)\b.{0,20}\bdingen die (er )?niet", {"dingen die "}),
        (r"\b(springen|spring)\b", {"spring"}),  # an empty alternative after the common prefix
        (r"(?:ab)+cde", {"cde"}),
        (r"\b(a|bc)\b", set()),  # one-letter literals filter nothing
        (r"(?i)schuld", set()),  # case-insensitive: no literal test
        (r"x?(hulp|)\b", set()),  # an empty alternative: nothing is required
        (r"[a-z]+\d", set()),
    ],
)
def test_required_literals_of_patterns(pattern: str, expected: set[str]) -> None:
    assert set(required_literals(re.compile(pattern))) == expected


def _bigger_kaart(path: Path) -> Path:
    """The test kaarten together, with unique ids and half of the given levensgebieden left empty."""
    rows = []
    for number, kaart in enumerate(KAARTEN):
        with kaart.open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                row["id"] = f"k{number}-{row['id']}"
                if i % 2:
                    row["levensgebieden"] = ""
                rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_predicts_and_ranks_as_one_service_at_a_time(tmp_path: Path, use_embeddings, use_understander) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    service = PartnerService(settings=make_settings(tmp_path), embeddings=use_embeddings,
                             understander=use_understander)  # fmt: skip
    path = _bigger_kaart(tmp_path / "samen.csv")
    expected_report = service.validate_file(path)
    report = service.import_file(path)
    assert report.ok and report == expected_report
    imported = service.active().services
    given = parse_file(path).services
    assert len(imported) == len(given) == report.count > 150
    predicted = 0
    for before, after in zip(given, imported, strict=True):
        alone = guess_domains([before], use_understander)[0]  # its own forward pass and lexicon read
        if before.levensgebieden:
            assert after.levensgebieden == before.levensgebieden and after.domains_source == "kaart"
        else:
            predicted += 1
            assert after.levensgebieden == alone.domains and after.domains_source == "voorspeld"
            assert after.domains_confidence == pytest.approx(alone.confidence, abs=2e-3)
    assert predicted > 50
    prepared = service._load_active().ranker.prepared
    plain = _plain(use_understander.lexicon)
    columns = use_understander.model.featurizer.columns
    rows = np.vstack([lexicon_row(plain, service_text(s), columns) for s in imported])
    assert np.array_equal(prepared.profiles, profile_rows(rows, columns))
    use_embeddings._cache.clear()  # embed again, not from the recent-text cache
    vectors = np.vstack([use_embeddings.encode_query(vector_text(s)) for s in imported])
    assert np.allclose(prepared.vectors, vectors, atol=1e-5)
    assert service.suggest("Een moeder met schulden en een zoon die niet naar school gaat.").suggestions


def test_a_second_process_embeds_as_this_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.retrieval import embed_process
    from bot.retrieval.embeddings import USEEmbeddings
    from bot.understanding.training import ENCODE_BATCH, encode

    texts = [vector_text(s) for kaart in KAARTEN for s in parse_file(kaart).services]
    encoder = USEEmbeddings(cache_dir=tmp_path / "data")
    assert embed_process.encode_in_process(encoder, texts, batch=ENCODE_BATCH) is None  # too short to pay
    monkeypatch.setattr(embed_process, "MIN_TEXTS", 10)
    future = embed_process.encode_in_process(encoder, texts, batch=ENCODE_BATCH)
    assert future is not None
    elsewhere = future.result(timeout=300)
    assert np.array_equal(elsewhere, encode(encoder, texts))  # the same calls give the same vectors
    assert embed_process.encode_in_process(object(), texts, batch=ENCODE_BATCH) is None  # not a USE model


def test_spread_embeds_half_of_a_long_list_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.retrieval import embed_process
    from bot.retrieval.embeddings import USEEmbeddings

    texts = [service_text(s) for kaart in KAARTEN for s in parse_file(kaart).services]
    here = USEEmbeddings(cache_dir=tmp_path / "data").encode(texts)
    monkeypatch.setattr(embed_process, "MIN_TEXTS", 10)
    started: list[int] = []
    real = embed_process.encode_in_process
    monkeypatch.setattr(
        embed_process, "encode_in_process", lambda e, t, **k: started.append(len(t)) or real(e, t, **k)
    )
    encoder = USEEmbeddings(cache_dir=tmp_path / "data")
    assert np.allclose(encoder.encode(texts[:40]), here[:40], atol=1e-6) and not started  # outside: all here
    with encoder.spread():
        spread = encoder.encode(texts[40:])
    assert started == [len(texts[40:]) - len(texts[40:]) // 2]
    assert np.allclose(spread, here[40:], atol=1e-6)  # the same model; only the split of the batches differs
