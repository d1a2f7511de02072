"""An OpenAI-compatible stand-in on loopback: records every request body, answers chat and transcription calls."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_ANSWER = "Spreek met de partner af hoe en wanneer jullie elkaar terugkoppeling geven [1]."


@dataclass
class LlmStandin:
    """Serves POST …/chat/completions and …/audio/transcriptions. `bodies` holds raw request bytes."""

    answer: str = DEFAULT_ANSWER
    transcript: str = "Hoe maak ik goede afspraken over terugkoppeling met school?"
    bodies: list[bytes] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def chat_calls(self) -> int:
        with self._lock:
            return sum(1 for p in self.paths if p.endswith("/chat/completions"))

    def all_bodies(self) -> bytes:
        with self._lock:
            return b"\n".join(self.bodies)

    def __enter__(self) -> LlmStandin:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with standin._lock:
                    standin.bodies.append(body)
                    standin.paths.append(self.path)
                self._reply(standin.respond(self.path))

            def _reply(self, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, name="llm-standin", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def respond(self, path: str) -> dict[str, Any]:
        if path.endswith("/audio/transcriptions"):
            return {"text": self.transcript}
        return {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "created": 0,
            "model": "standin",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": self.answer},
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
