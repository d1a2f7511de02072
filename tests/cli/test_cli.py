"""The CLI contract the acceptance checks depend on: JSON shapes and exit codes, in real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import run_cli


def _one_line_error(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.strip(), "expected an error message on stderr"


def test_ask_json_contract(built_data_dir: Path) -> None:
    result = run_cli(
        "ask", "--json", "hoe krijg ik meer mandaat om te experimenteren", data_dir=built_data_dir
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"answer", "mode", "in_scope", "sources"}
    assert payload["mode"] == "extractive"
    assert payload["in_scope"] is True
    assert isinstance(payload["answer"], str) and payload["answer"].strip()
    assert len(payload["sources"]) >= 3
    for source in payload["sources"]:
        assert set(source) == {"chapter", "chapter_title", "section", "page", "text", "score"}
        assert isinstance(source["chapter"], int) and isinstance(source["page"], int)
        assert isinstance(source["score"], float)
    scores = [s["score"] for s in payload["sources"]]
    assert scores == sorted(scores, reverse=True), "sources must be ranked best first"
    assert payload["sources"][0]["chapter"] == 10


def test_ask_out_of_scope(built_data_dir: Path) -> None:
    result = run_cli("ask", "--json", "wat is de hoofdstad van Australië", data_dir=built_data_dir)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["in_scope"] is False
    assert "Canberra" not in payload["answer"]


def test_ask_empty_question_exits_2(built_data_dir: Path) -> None:
    result = run_cli("ask", "   ", data_dir=built_data_dir)
    assert result.returncode == 2
    _one_line_error(result.stderr)
    assert result.stdout == ""


def test_ask_plain_text_cites_publication(built_data_dir: Path) -> None:
    result = run_cli("ask", "hoe ga ik om met financiële schotten", data_dir=built_data_dir)
    assert result.returncode == 0, result.stderr
    assert "(p. " in result.stdout
    assert "Samenwerken in de wijk" in result.stdout


def test_eval_questions_json_no_answer(built_data_dir: Path, tmp_path: Path) -> None:
    questions = {
        "questions": [
            {"q": "hoe bouw ik contact op met de huisarts", "chapter": 2, "extra": "ignored"},
            {"q": "wat is het recept voor appeltaart", "out_of_scope": True},
            {"q": "wie heeft de regie als er veel partijen zijn"},
        ]
    }
    file = tmp_path / "q.yaml"
    file.write_text(yaml.safe_dump(questions, allow_unicode=True), encoding="utf-8")
    result = run_cli("eval", "questions", str(file), "--json", "--no-answer", data_dir=built_data_dir)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["question"] for r in rows] == [q["q"] for q in questions["questions"]]
    for row in rows:
        assert "answer" not in row
        assert row["latency_ms"] >= 0
        assert {"mode", "in_scope", "sources"} <= set(row)
    assert rows[1]["in_scope"] is False
    assert rows[0]["in_scope"] is True and len(rows[0]["sources"]) >= 3


def test_eval_questions_reads_vorige_as_the_question_before(built_data_dir: Path, tmp_path: Path) -> None:
    followup = "en als ze dan niet terugbellen?"
    questions = {
        "questions": [
            {"q": followup, "vorige": "hoe regel ik terugkoppeling na een verwijzing naar de huisarts"},
            {"q": followup},
        ]
    }
    file = tmp_path / "q.yaml"
    file.write_text(yaml.safe_dump(questions, allow_unicode=True), encoding="utf-8")
    result = run_cli("eval", "questions", str(file), "--json", "--no-answer", data_dir=built_data_dir)
    assert result.returncode == 0, result.stderr
    with_context, alone = json.loads(result.stdout)
    assert with_context["question"] == followup
    assert with_context["in_scope"] is True
    assert 4 in [s["chapter"] for s in with_context["sources"][:3]]
    assert with_context["sources"] != alone["sources"]


def test_eval_questions_missing_file_exits_2(built_data_dir: Path, tmp_path: Path) -> None:
    result = run_cli("eval", "questions", str(tmp_path / "nope.yaml"), "--json", data_dir=built_data_dir)
    assert result.returncode == 2
    _one_line_error(result.stderr)


def test_bad_usage_and_bad_settings_exit_2(built_data_dir: Path) -> None:
    unknown = run_cli("frobnicate", data_dir=built_data_dir)
    assert unknown.returncode == 2
    _one_line_error(unknown.stderr)
    bad = run_cli("ask", "hoe werk ik samen", data_dir=built_data_dir, WIJKBOT_FOLLOWUP_PRESETS="3x")
    assert bad.returncode == 2
    _one_line_error(bad.stderr)


def test_index_is_reused_when_nothing_changed(data_dir: Path) -> None:
    result = run_cli("index", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "hergebruikt" in result.stderr
    # perf13: `index --rebuild` (a whole build) is asserted to rebuild and say so in
    # tests/cli/test_index_build.py::test_the_build_on_two_cores_gives_the_models_of_a_serial_build, whose serial
    # build is that command


def test_ask_near_miss_says_the_exact_point_is_missing(built_data_dir: Path) -> None:
    question = "binnen hoeveel weken moet de gemeente een wmo melding afhandelen"
    result = run_cli("ask", "--json", question, data_dir=built_data_dir)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["in_scope"] is False
    assert "precieze punt staat niet in de publicatie" in payload["answer"]
    far = json.loads(
        run_cli("ask", "--json", "wat is het weer morgen in utrecht", data_dir=built_data_dir).stdout
    )
    assert far["in_scope"] is False and "niet over" in far["answer"]
