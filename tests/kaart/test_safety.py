"""Safety first on indirect wording (tests/kaart/situaties_veiligheid.yaml) and no alarm on look-alikes.

First run of situaties_veiligheid.yaml (written before the round-3 lexicon, combinations and defusers), on all
three kaarten: acute and the right partner first 9/26; false positives 3/16 (two acute alarms, one Veilig Thuis
first). After round 3: 26/26 and 0/16. The bars below leave a small margin.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.suggestion.evaluation import load_situations
from bot.suggestion.service import PartnerService
from tests.kaart.conftest import EXAMPLE, OTHER, THIRD

HERE = Path(__file__).resolve().parent
GOLD = yaml.safe_load((HERE / "gold.yaml").read_text(encoding="utf-8"))
KAARTEN = [("voorbeeld", EXAMPLE), ("andere_gemeente", OTHER), ("derde_gemeente", THIRD)]
SITUATIONS = load_situations(HERE / "situaties_veiligheid.yaml")


def test_safety_set_is_balanced() -> None:
    acute = [s for s in SITUATIONS if s.safety == "acute"]
    assert len(acute) >= 25 and len(SITUATIONS) - len(acute) >= 15
    assert {s.domains[0] for s in acute} == {"crisis", "veiligheid"}


@pytest.mark.parametrize(("name", "path"), KAARTEN)
def test_indirect_acute_situations_put_safety_first(
    real_service: PartnerService, name: str, path: Path
) -> None:
    misses = []
    acute = [s for s in SITUATIONS if s.safety == "acute"]
    prepared = real_service._loaded_for(path).ranker.prepared  # noqa: SLF001
    police = {
        sv.id for sv, kinds in zip(prepared.kaart.services, prepared.kinds, strict=True) if "politie" in kinds
    }
    for situation in acute:
        result = real_service.suggest(situation.text, wijk=None, kaart_path=path)
        first = result.suggestions[0].service.id if result.suggestions else None
        level = result.safety.level if result.safety else None
        fitting = set(GOLD[name]["crisis"]) | set(GOLD[name]["veiligheid"])
        if level == "acute":  # issue #7: for acute violence 112 / the police come first (round 2)
            fitting |= police
        if level is None or first not in fitting:
            misses.append((situation.text, level, first))
    assert len(misses) <= 3, misses


@pytest.mark.parametrize(("name", "path"), KAARTEN)
def test_look_alikes_raise_no_alarm(real_service: PartnerService, name: str, path: Path) -> None:
    alarms = []
    for situation in (s for s in SITUATIONS if s.safety != "acute"):
        result = real_service.suggest(situation.text, wijk=None, kaart_path=path)
        if result.safety is not None and result.safety.level == "acute":
            alarms.append(situation.text)
    assert len(alarms) <= 2, alarms


@pytest.mark.parametrize(("situation", "domain"), [
    ("mw stuurde in de groepsapp: sorry voor alles, pas goed op elkaar", "crisis"),
    ("hij heeft zijn verzameling weggegeven en is ineens opgelucht na maanden somberheid", "crisis"),
    ("zij denkt dat de buren haar gedachten lezen en heeft de ramen afgeplakt met folie", "crisis"),
    pytest.param("meisje (14) moet in de zomervakantie trouwen met een neef in het land van herkomst", "veiligheid",
                 marks=pytest.mark.xfail(reason="forced marriage is not in the corpus", strict=False)),
    ("zijn vriend pakte hem bij de keel tot hij geen lucht meer kreeg", "veiligheid"),
])  # fmt: skip
def test_crisis_line_or_veilig_thuis_per_type(
    real_service: PartnerService, situation: str, domain: str
) -> None:
    result = real_service.suggest(situation, wijk=None, kaart_path=THIRD)
    assert result.safety is not None and "112" in result.safety.message
    first = result.suggestions[0]
    fitting = set(GOLD["derde_gemeente"][domain])
    if domain == "veiligheid" and result.safety.level == "acute":
        fitting.add(
            "vh-wijkagent"
        )  # acute violence: the police first, then Veilig Thuis (knowledge/veiligheid.yaml)
    assert first.service.id in fitting
    assert not first.meldcode or domain == "veiligheid"
