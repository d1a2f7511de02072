"""An OpenAI-compatible stand-in on loopback: POST /v1/chat/completions, records request bodies."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class StandinState:
    reply: str = "Maak een vaste afspraak over terugkoppeling [1]."
    delay: float = 0.0
    status: int = 200
    bodies: list[dict] = field(default_factory=list)
    raw_bodies: list[str] = field(default_factory=list)

    def enqueue(self, reply: str, *, delay: float = 0.0, status: int = 200) -> None:
        self.reply, self.delay, self.status = reply, delay, status

    def all_text(self) -> str:
        return "\n".join(self.raw_bodies)


def _completion(content: str, model: str) -> dict:
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class OpenAIStandin:
    """Start with `with OpenAIStandin() as server:`; base_url is http://127.0.0.1:PORT/v1."""

    def __init__(self) -> None:
        self.state = StandinState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode("utf-8")
                state.raw_bodies.append(raw)
                body = json.loads(raw)
                state.bodies.append(body)
                if state.delay:
                    time.sleep(state.delay)
                payload = json.dumps(_completion(state.reply, body.get("model", "x"))).encode()
                try:
                    self.send_response(state.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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
