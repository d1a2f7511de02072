"""Voice-note transcription through an OpenAI-compatible endpoint (only when OPENAI_TRANSCRIBE_MODEL is set)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config import Settings


@dataclass(frozen=True, slots=True)
class Transcript:
    """The text of a voice note."""

    text: str


class Transcriber:
    """Turns audio bytes into text. Built once at start-up; `transcribe` is blocking (use asyncio.to_thread)."""

    def __init__(self, *, model: str, client: Any) -> None:
        self._model = model
        self._client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> Transcriber | None:
        """A Transcriber when a transcription model is configured, else None."""
        if not settings.openai_transcribe_model:
            return None
        from openai import OpenAI

        client = OpenAI(
            api_key=settings.openai_api_key or "not-needed",
            base_url=settings.openai_base_url,
            timeout=max(settings.openai_timeout, 30.0),
            max_retries=1,
        )
        return cls(model=settings.openai_transcribe_model, client=client)

    def transcribe(self, audio: bytes, *, filename: str = "voice.ogg") -> Transcript:
        """Send the audio to the endpoint and return its text (Dutch hint)."""
        result = self._client.audio.transcriptions.create(
            model=self._model, file=(filename, audio), language="nl"
        )
        return Transcript(text=(getattr(result, "text", "") or "").strip())
