"""One OpenAI-compatible stand-in on loopback for all tests: chat completions and audio transcriptions.

Start with `with OpenAIStandin() as server:`; base_url is http://127.0.0.1:PORT/v1. Every request is recorded
(path and raw bytes); chat requests are also kept parsed in `state.bodies`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class StandinState:
    reply: str = "Maak een vaste afspraak over terugkoppeling [1]."
    transcript: str = "Hoe maak ik goede afspraken over terugkoppeling met school?"
    delay: float = 0.0
    status: int = 200
    bodies: list[dict[str, Any]] = field(default_factory=list)  # parsed chat requests
    raw: list[bytes] = field(default_factory=list)  # every request body, in order
    paths: list[str] = field(default_factory=list)  # every request path, in order

    def enqueue(self, reply: str, *, delay: float = 0.0, status: int = 200) -> None:
        self.reply, self.delay, self.status = reply, delay, status

    @property
    def raw_bodies(self) -> list[str]:
        return [body.decode("utf-8", "replace") for body in self.raw]

    def all_text(self) -> str:
        return "\n".join(self.raw_bodies)

    @property
    def chat_calls(self) -> int:
        return sum(1 for path in self.paths if path.endswith("/chat/completions"))

    def respond(self, path: str, body: bytes) -> dict[str, Any]:
        if path.endswith("/audio/transcriptions"):
            return {"text": self.transcript}
        request = json.loads(body)
        self.bodies.append(request)
        content = self.reply
        return {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.get("model", "standin"),
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # the accept backlog: bench/load.py --llm opens many connections at once


class OpenAIStandin:
    """The stand-in server; `state` holds the scripted reply and everything it received."""

    def __init__(self, **state: Any) -> None:
        self.state = StandinState(**state)
        shared, lock = self.state, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real OpenAI-compatible servers do

            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    shared.raw.append(body)
                    shared.paths.append(self.path)
                    payload = json.dumps(shared.respond(self.path, body)).encode()
                if shared.delay:
                    time.sleep(shared.delay)
                try:
                    self.send_response(shared.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="openai-standin", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> OpenAIStandin:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
