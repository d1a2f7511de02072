"""Safety protocol and national lines: strict loading, one definition of the numbers, rendering per level."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.safety.lines import LinesError, load_lines, tappable
from bot.safety.protocol import LINES_FILE, PROTOCOL_FILE, TAXONOMY_FILE, ProtocolError, load_protocols

KNOWLEDGE = PROJECT_ROOT / "knowledge"
DANGERS = ("huiselijk_geweld", "suicide", "kindermishandeling", "psychose", "ouderenmishandeling")


@pytest.fixture(scope="module")
def protocols():
    return load_protocols(KNOWLEDGE)


def copy_knowledge(tmp_path: Path) -> Path:
    for name in (LINES_FILE, PROTOCOL_FILE, TAXONOMY_FILE):
        shutil.copy(KNOWLEDGE / name, tmp_path / name)
    return tmp_path


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_real_numbers_defined_once() -> None:
    lines = load_lines(KNOWLEDGE / LINES_FILE)
    assert (lines["alarm"].dial, lines["veilig_thuis"].dial, lines["politie"].dial) == (
        "112",
        "0800-2000",
        "0900-8844",
    )
    assert lines["zelfmoordpreventie"].number == "113 of 0800-0113"
    assert {line.key for line in lines.anonymous} == {"zelfmoordpreventie", "veilig_thuis"}
    assert lines.matching("113 / 0800-0113").key == "zelfmoordpreventie"  # type: ignore[union-attr]
    assert lines.matching("0123-45 67 00") is None
    protocol_data = str(yaml.safe_load((KNOWLEDGE / PROTOCOL_FILE).read_text(encoding="utf-8")))
    assert "0800" not in protocol_data and "112" not in protocol_data


@pytest.mark.parametrize("danger", DANGERS)
def test_acute_protocol_names_112_and_zorg_does_not(protocols, danger: str) -> None:
    acute, zorg = protocols.render("acuut", danger), protocols.render("zorg", danger)
    assert "112" in acute.text and acute.text.startswith("⚠️")
    assert "112" not in zorg.text and all(line.key != "alarm" for line in zorg.lines)
    assert len(zorg.text) < len(acute.text)


def test_protocol_content_per_danger(protocols) -> None:
    violence = protocols.render("acuut", "huiselijk_geweld").text
    assert violence.index("Eigen veiligheid") < violence.index("112") < violence.index("0800-2000")
    assert "niet alleen naar binnen" in violence
    suicide = protocols.render("acuut", "suicide").text
    assert "niet alleen" in suicide and "huisartsenpost" in suicide and "0800-0113" in suicide
    child = protocols.render("acuut", "kindermishandeling").text
    assert (
        "kind nu veilig" in child
        and "aandachtsfunctionaris" in child
        and "niet hetzelfde als melden" in child
    )
    assert "crisisdienst" in protocols.render("acuut", "psychose").text
    assert protocols.render("acuut", "ouderenmishandeling").text.index("Veilig Thuis") < 60


def test_tappable_numbers() -> None:
    assert tappable("0800-2000") == "+318002000"
    assert tappable("112") == "112"
    assert tappable("0123-45 67 00") == "+31123456700"
    assert tappable("+31 6 1234 5678") == "+31612345678"


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (PROTOCOL_FILE, lambda d: d["protocollen"].pop("psychose"), "ontbrekende soorten"),
        (PROTOCOL_FILE, lambda d: d["protocollen"].update(brand=d["protocollen"]["suicide"]), "onbekende soorten"),
        (PROTOCOL_FILE, lambda d: d["protocollen"]["suicide"].update(zorg="Bel {alarm}."), "zonder"),
        (PROTOCOL_FILE, lambda d: d["protocollen"]["suicide"].update(acuut=["Bel de huisarts."]), "alarm"),
        (PROTOCOL_FILE, lambda d: d["protocollen"]["suicide"]["acuut"].append("Bel 0800-0113 {alarm}."), "geen nummer"),
        (PROTOCOL_FILE, lambda d: d["protocollen"]["suicide"]["acuut"].append("Bel {brandweer} {alarm}."), "onbekende lijn"),
        (PROTOCOL_FILE, lambda d: d["protocollen"]["suicide"].update(lijnen=["ggd"]), "onbekende lijn"),
        (PROTOCOL_FILE, lambda d: d["protocollen"]["suicide"].update(extra="x"), "velden"),
        (LINES_FILE, lambda d: d["lijnen"]["alarm"].update(bellen="911"), "bellen"),
        (LINES_FILE, lambda d: d["lijnen"]["veilig_thuis"].update(anoniem="ja"), "anoniem"),
        (LINES_FILE, lambda d: d["lijnen"].pop("alarm"), "112"),
    ],
)  # fmt: skip
def test_strict_loading(tmp_path: Path, file: str, change, message: str) -> None:
    folder = copy_knowledge(tmp_path)
    edit(folder / file, change)
    with pytest.raises((ProtocolError, LinesError), match=message):
        load_protocols(folder)
