"""A real HTTP server on loopback for the fetch tests (never the internet): routes set per test."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server:
    """A loopback HTTP server whose routes the tests set: path -> handler(request) -> None."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                else:
                    route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


def send(body: bytes, *, content_type: str = "application/octet-stream", etag: str | None = None) -> Callable:
    def handler(req: BaseHTTPRequestHandler) -> None:
        if etag and req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.end_headers()
            return
        req.send_response(200)
        req.send_header("Content-Type", content_type)
        req.send_header("Content-Length", str(len(body)))
        if etag:
            req.send_header("ETag", etag)
        req.end_headers()
        req.wfile.write(body)

    return handler


def status(code: int) -> Callable:
    return lambda req: req.send_error(code)
