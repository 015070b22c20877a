"""The aiohttp application: routes, security headers, compression and the static files.

Everything the page loads comes from here (no CDN, no third-party script), which is what lets
the Content-Security-Policy allow only 'self'.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from importlib import resources

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from web import api, pages
from web.context import WEB_KEY, SendDocument, Web, WebConfig, web_of

logger = logging.getLogger(__name__)

# Only this server's own files and requests; no inline script or style (nothing injected runs).
# Telegram's web client shows a Mini App in a frame of web.telegram.org; nobody else may frame it.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors https://web.telegram.org"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Nothing of a page's address (filters, the login path) goes to another site.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
STATIC_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
}
COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")
MIN_COMPRESS = 512

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def protect(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer; errors answered briefly, logged with the traceback."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        exc.headers["Cache-Control"] = "no-store"
        raise
    except Exception:
        # The path can hold a transaction id, never a token; nothing from the query is logged.
        logger.exception("dashboard request failed: %s %s", request.method, request.path)
        response = web.json_response({"error": "something went wrong"}, status=500)
    response.headers.update(SECURITY_HEADERS)
    if not request.path.startswith("/static/"):
        # Money and personal notes: never kept by a browser cache or a proxy.
        response.headers["Cache-Control"] = "no-store"
    content_type = response.headers.get("Content-Type", "")
    if (
        isinstance(response, web.Response)
        and content_type.startswith(COMPRESSIBLE)
        and "Content-Encoding" not in response.headers
        and len(response.body or b"") >= MIN_COMPRESS  # type: ignore[arg-type]
    ):
        response.enable_compression()
    return response


def load_static() -> dict[str, tuple[str, bytes, bytes, str]]:
    """Every file in web/static: (content type, bytes, gzipped bytes, version)."""
    found = {}
    for item in resources.files("web").joinpath("static").iterdir():
        suffix = "." + item.name.rsplit(".", 1)[-1]
        if not item.is_file() or suffix not in STATIC_TYPES:
            continue
        content = item.read_bytes()
        version = hashlib.sha256(content).hexdigest()[:12]
        found[item.name] = (STATIC_TYPES[suffix], content, gzip.compress(content, 9), version)
    return found


async def static_file(request: web.Request) -> web.StreamResponse:
    site = web_of(request)
    found = site.static.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    content_type, content, packed, version = found
    headers = {
        # The page asks for ?v=<content hash>, so a changed file is a new URL.
        "Cache-Control": "public, max-age=31536000, immutable",
        "ETag": f'"{version}"',
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("If-None-Match") == headers["ETag"]:
        return web.Response(status=304, headers=headers)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return web.Response(body=packed, content_type=content_type, headers=headers)
    return web.Response(body=content, content_type=content_type, headers=headers)


async def health(request: web.Request) -> web.Response:
    return web.Response(text="ok")


def create_app(
    config: WebConfig,
    sessions: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    *,
    send_document: SendDocument | None = None,
) -> web.Application:
    """The dashboard as an aiohttp application, ready for an AppRunner."""
    app = web.Application(middlewares=[protect], client_max_size=64 * 1024)
    app[WEB_KEY] = Web(config, sessions, clock, send_document, load_static())
    app.add_routes(pages.routes)
    app.add_routes(api.routes)
    app.router.add_get("/static/{name}", static_file)
    app.router.add_get("/healthz", health)
    return app


def set_base_url(app: web.Application, url: str) -> None:
    """Where users open the dashboard, once the server knows its port (``WEB_PORT=0``)."""
    site = app[WEB_KEY]
    site.config = replace(site.config, base_url=url.rstrip("/"))
