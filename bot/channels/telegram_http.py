"""The Bot API's HTTP client: python-telegram-bot's request interface on aiohttp instead of httpx (issue #12).

Under load, the bot process spent most of its CPU in httpx and httpcore rather than in wijkbot: for every request
httpcore's pool asks each pooled connection whether it has expired (a socket attribute look-up through anyio) and
builds its request objects in pure Python. The same form-encoded request through aiohttp, whose HTTP parser is
compiled, costs about a sixth of the CPU (bench/load.py: CPU per Bot API request of the bot process). Requests,
timeouts and errors are the same as PTB's own HTTPXRequest: parameters form-encoded (files as multipart), Bot API
errors read from the JSON body by PTB, a timeout becomes TimedOut and any other transport failure NetworkError.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_DEFAULT = BaseRequest.DEFAULT_NONE


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of `connections` kept-alive connections, opened in `initialize`."""

    def __init__(
        self,
        *,
        connections: int = 1,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._connections = connections
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, limit_per_host=self._connections),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=True,  # HTTPS_PROXY and the like from the environment, as httpx did
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = _DEFAULT,
        write_timeout: Any = _DEFAULT,
        connect_timeout: Any = _DEFAULT,
        pool_timeout: Any = _DEFAULT,
    ) -> tuple[int, bytes]:
        """Send one request; the status code and the body, as PTB's BaseRequest expects."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data and request_data.contains_files else None
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout, has_files=bool(files))
        data: Any = None
        if request_data is not None:
            data = _form(request_data.json_parameters, files) if files else request_data.json_parameters
        try:
            async with self._session.request(method, url, data=data or None, timeout=timeout) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    def _timeout(self, read: Any, connect: Any, pool: Any, *, has_files: bool) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts from PTB's: waiting for a pooled connection and connecting together count as
        `connect`; the socket read as `sock_read`. aiohttp has no write timeout: an upload is bounded by the total
        (the media write timeout plus the read timeout)."""
        read = self._timeouts["read"] if read is _DEFAULT else read
        connect = self._timeouts["connect"] if connect is _DEFAULT else connect
        pool = self._timeouts["pool"] if pool is _DEFAULT else pool
        total = None
        if has_files and self._media_write_timeout is not None and read is not None:
            total = self._media_write_timeout + read + (connect or 0.0) + (pool or 0.0)
        both = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(total=total, connect=both, sock_connect=connect, sock_read=read)


def _form(parameters: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    """Multipart body: the parameters as fields, each file as (file name, content, MIME type) or content."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in parameters.items():
        form.add_field(name, value)
    for name, item in files.items():
        if isinstance(item, tuple):
            filename, content, mime = (*item, None)[:3]
            form.add_field(name, content, filename=filename, content_type=mime)
        else:
            form.add_field(name, item, filename=name)
    return form
