"""Voice notes: transcribed through an OpenAI-compatible endpoint when configured, handled as text."""

from __future__ import annotations

from bot.channels.telegram import build_application
from tests.channels.conftest import ADMIN, ALLOWED, make_settings
from tests.channels.fakes import FakeAccess, ScriptedEngine
from tests.channels.harness import running
from tests.openai_standin import OpenAIStandin


async def test_voice_note_is_transcribed_and_handled_as_text(standin, tmp_path):
    standin.files["voice-1"] = b"OggS fake audio bytes"
    engine = ScriptedEngine()
    with OpenAIStandin(transcript="Hoe werk ik samen met de huisarts?") as llm:
        settings = make_settings(
            tmp_path,
            standin.base_url,
            OPENAI_BASE_URL=llm.base_url,
            OPENAI_TRANSCRIBE_MODEL="whisper-standin",
        )
        app = build_application(
            None, settings=settings, engine=engine, access=FakeAccess(allowed={ALLOWED, ADMIN})
        )
        async with running(app):
            standin.push_message(
                ALLOWED, voice={"file_id": "voice-1", "file_unique_id": "v1", "duration": 4, "file_size": 21}
            )
            [reply] = await standin.await_messages(ALLOWED, 1)
        assert any(p.endswith("/audio/transcriptions") for p in llm.state.paths)
        assert b"OggS fake audio bytes" in b"\n".join(llm.state.raw)
    assert engine.events[0].kind == "text"
    assert engine.events[0].text == "Hoe werk ik samen met de huisarts?"
    assert reply.text == "echo: Hoe werk ik samen met de huisarts?"


async def test_too_long_voice_note_is_refused_without_download(standin, tmp_path):
    engine = ScriptedEngine()
    with OpenAIStandin() as llm:
        settings = make_settings(
            tmp_path,
            standin.base_url,
            OPENAI_BASE_URL=llm.base_url,
            OPENAI_TRANSCRIBE_MODEL="whisper-standin",
        )
        app = build_application(
            None, settings=settings, engine=engine, access=FakeAccess(allowed={ALLOWED, ADMIN})
        )
        async with running(app):
            standin.push_message(
                ALLOWED, voice={"file_id": "voice-2", "file_unique_id": "v2", "duration": 3600}
            )
            [reply] = await standin.await_messages(ALLOWED, 1)
        assert llm.state.paths == []
    assert "te lang" in reply.text
    assert engine.events == [] and not standin.calls_of("getFile")
