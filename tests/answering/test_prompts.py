"""Prompt files load from disk and fail loudly on missing variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answering.prompts import PromptError, PromptLibrary


def test_real_prompt_files_declare_their_variables(prompts: PromptLibrary) -> None:
    assert prompts.variables("answer_system") == {"n", "language"}
    assert prompts.variables("answer_user") == {"passages", "context", "question"}
    assert prompts.variables("answer_passage") == {"number", "citation", "text"}


def test_render_and_missing_variable(tmp_path: Path) -> None:
    (tmp_path / "groet.md").write_text("Hallo {naam}, je vraag: {vraag}\n", encoding="utf-8")
    library = PromptLibrary(tmp_path)
    assert (
        library.render("groet", naam="Sam", vraag="{niet vervangen}")
        == "Hallo Sam, je vraag: {niet vervangen}"
    )
    with pytest.raises(KeyError, match="vraag"):
        library.render("groet", naam="Sam")
    with pytest.raises(PromptError, match="onbekend"):
        library.render("onbekend")


def test_chat_messages_fail_loudly(prompts: PromptLibrary) -> None:
    with pytest.raises(KeyError, match="question"):
        prompts.chat_messages(
            "answer_system", "answer_user", n=1, language="Nederlands", passages="x", context=""
        )
    messages = prompts.chat_messages(
        "answer_system",
        "answer_user",
        n=2,
        language="Nederlands",
        passages="[1] a\n\n[2] b",
        context="",
        question="Hoe?",
    )
    assert [m.type for m in messages] == ["system", "human"]
    assert "[1] tot en met [2]" in messages[0].content and "Hoe?" in messages[1].content
