"""The CLI contract: exit codes, one-line errors, and the exact --json schemas."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.kaart.cli import kaart_app
from bot.suggestion.cli import eval_situations_cmd, suggest_cmd
from tests.conftest import seed_model_cache
from tests.kaart.conftest import EXAMPLE, OTHER

SUGGESTION_KEYS = {"id", "organization", "name", "domain", "reason", "contact_name", "phone", "email",
                   "application_process"}  # fmt: skip


@pytest.fixture
def app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_understander, model_cache_dir: Path
) -> typer.Typer:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WIJKBOT_DATA_DIR", str(tmp_path / "data"))
    seed_model_cache(model_cache_dir, tmp_path / "data")
    root = typer.Typer()
    root.add_typer(kaart_app, name="kaart")
    root.command("suggest")(suggest_cmd)
    evaluation = typer.Typer()
    evaluation.command("situations")(eval_situations_cmd)
    root.add_typer(evaluation, name="eval")
    return root


def run(app: typer.Typer, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_suggest_json_schema(app: typer.Typer) -> None:
    result = run(app, "suggest", "hij slaat haar nu, ik hoor haar gillen, en de deurwaarder komt", "--json",
                 "--wijk", "noord")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"safety", "suggestions", "advice"}
    assert data["safety"]["level"] == "acute" and set(data["safety"]) == {"level", "message"}
    assert "112" in data["safety"]["message"] and "0800-2000" in data["safety"]["message"]
    assert [s["id"] for s in data["suggestions"][:2]] == ["alarm-112", "veilig-thuis"]  # violence now: police
    assert all(set(s) == SUGGESTION_KEYS for s in data["suggestions"])
    assert set(data["advice"]) == {"text", "chapter", "page"}
    worry = json.loads(
        run(app, "suggest", "Het kind heeft steeds blauwe plekken, vader zegt gevallen", "--json").stdout
    )
    assert worry["safety"]["level"] in {"acute", "zorg"} and worry["suggestions"][0]["id"] == "veilig-thuis"


def test_eval_situations_json_in_file_order(app: typer.Typer, tmp_path: Path) -> None:
    situations = tmp_path / "s.yaml"
    situations.write_text(
        "situations:\n"
        "  - s: 'Ze wil er een eind aan maken.'\n    extra: genegeerd\n"
        "  - s: 'De post blijft liggen en er zijn schulden.'\n    wijk: Haven\n"
        "  - s: 'Recept voor appeltaart'\n",
        encoding="utf-8",
    )
    result = run(app, "eval", "situations", str(situations), "--kaart", str(OTHER), "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["situation"] for r in rows] == ["Ze wil er een eind aan maken.",
                                              "De post blijft liggen en er zijn schulden.", "Recept voor appeltaart"]  # fmt: skip
    assert all(set(r) == {"situation", "ids", "safety", "latency_ms"} for r in rows)
    # 113 or the crisis service first (the learned first-partner order, round 9)
    assert rows[0]["ids"][0] in {"bw-113", "bw-spoed-ggz"} and rows[0]["safety"]["level"] == "acute"
    assert rows[1]["ids"][0] in {"bw-geldwijzer", "bw-schuldenteam"} and rows[1]["safety"] is None
    assert rows[2]["ids"] == [] and all(isinstance(r["latency_ms"], float) for r in rows)
    # --kaart leaves the active kaart alone
    show = run(app, "kaart", "show", "veilig-thuis")
    assert show.exit_code == 0 and "0800-2000" in show.stdout


def test_bad_input_exits_2_with_one_line(app: typer.Typer, tmp_path: Path) -> None:
    bad = tmp_path / "kapot.csv"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("0123-45 67 30", "12345"), encoding="utf-8")
    result = run(app, "kaart", "validate", str(bad))
    assert result.exit_code == 2
    assert "rij 14, kolom 'phone'" in result.stderr and "Traceback" not in result.output
    missing = run(app, "kaart", "validate", str(tmp_path / "bestaat-niet.csv"))
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1
    situations = run(app, "eval", "situations", str(bad), "--json")
    assert situations.exit_code == 2 and len(situations.stderr.strip().splitlines()) == 1


def test_import_then_search_and_wrong_wijk(app: typer.Typer, tmp_path: Path) -> None:
    result = run(app, "kaart", "import", str(OTHER))
    assert result.exit_code == 0, result.output
    found = run(app, "kaart", "search", "geldwyzer", "--json")
    assert found.exit_code == 0 and json.loads(found.stdout)[0]["id"] == "bw-geldwijzer"
    wrong = run(app, "suggest", "schulden", "--wijk", "Noord")
    assert wrong.exit_code == 2 and "Onbekende wijk" in wrong.stderr and "Haven" in wrong.stderr
    out = tmp_path / "export.json"
    assert run(app, "kaart", "export", str(out)).exit_code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["services"]) == 35


def test_import_predicts_domains_and_review_round_trips(app: typer.Typer, tmp_path: Path) -> None:
    assert run(app, "kaart", "import", str(OTHER)).exit_code == 0  # this kaart has no levensgebieden column
    exported = tmp_path / "export.csv"
    assert run(app, "kaart", "export", str(exported)).exit_code == 0
    with exported.open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert sum(1 for r in rows.values() if r["levensgebieden"]) >= 0.9 * len(rows)
    assert "financien" in rows["bw-geldwijzer"]["levensgebieden"].split(";")
    pending = json.loads(run(app, "kaart", "review", "--json").stdout)
    assert pending and all(set(p) == {"id", "name", "levensgebieden", "zekerheid"} for p in pending)
    target = pending[0]["id"]
    confirm = run(app, "kaart", "review", "--set", f"{target}=sociaal_netwerk,adl")
    assert confirm.exit_code == 0, confirm.output
    after = json.loads(run(app, "kaart", "review", "--json").stdout)
    assert target not in {p["id"] for p in after}
    assert run(app, "kaart", "export", str(exported)).exit_code == 0
    with exported.open(encoding="utf-8") as handle:
        assert (
            next(r for r in csv.DictReader(handle) if r["id"] == target)["levensgebieden"]
            == "sociaal_netwerk;adl"
        )
    hsds = tmp_path / "export.json"
    assert run(app, "kaart", "export", str(hsds)).exit_code == 0
    service = next(s for s in json.loads(hsds.read_text(encoding="utf-8"))["services"] if s["id"] == target)
    assert [a["value"] for a in service["attributes"] if a["link_type"] == "wijkbot-levensgebieden"] == [
        "sociaal_netwerk", "adl"]  # fmt: skip
    # the exported CSV imports again with its levensgebieden as given, not predicted
    assert run(app, "kaart", "import", str(exported)).exit_code == 0
    assert target not in {p["id"] for p in json.loads(run(app, "kaart", "review", "--json").stdout)}


def test_review_rejects_unknown_domain_and_service(app: typer.Typer) -> None:
    bad = run(app, "kaart", "review", "--set", "veilig-thuis=schulden")
    assert bad.exit_code == 2 and "Onbekend levensgebied schulden" in bad.stderr
    assert run(app, "kaart", "review", "--set", "bestaat-niet=adl").exit_code == 2
    assert run(app, "kaart", "review", "--set", "zonder-is-teken").exit_code == 2


def test_levensgebieden_column_is_validated(app: typer.Typer, tmp_path: Path) -> None:
    text = OTHER.read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",levensgebieden"] + [line + ",financien" for line in text[1:3]] + [text[3] + ",geld"]
    path = tmp_path / "met_kolom.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(app, "kaart", "validate", str(path))
    assert result.exit_code == 2 and "levensgebieden" in result.stderr and "geld" in result.stderr
