"""`wijkbot web`: build the services once and serve the web app with uvicorn on one port."""

from __future__ import annotations

import logging

from bot.config import Settings

logger = logging.getLogger(__name__)


def run_web(settings: Settings, *, host: str | None = None, port: int | None = None) -> int:
    """Serve until Ctrl-C / SIGTERM. The access log stays off: URLs are not needed to run the service."""
    import uvicorn

    from bot.channels.web.app import create_app
    from bot.services import build_services

    services = build_services(settings)
    app = create_app(services)
    host, port = host or settings.web_host, port or settings.web_port
    logger.info("wijkbot web on http://%s:%s", host, port)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level=settings.log_level.lower(),
                proxy_headers=False, server_header=False)  # fmt: skip
    return 0
