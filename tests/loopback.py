"""A server on 127.0.0.1 that fails on purpose: the receiving end of the tests of what
publishers push (WebSub pings, webhook deliveries)."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class ScriptedServer:
    """Answers each POST after the next behaviour of ``script`` (a name its subclass
    knows; ``ok`` once the script is used up), with the status of :meth:`answer` and the
    headers of :meth:`headers`, and keeps what :meth:`record` makes of each request in
    :attr:`requests`. Use it as a context manager."""

    path = "/"

    def __init__(self, script: list[str], port: int = 0) -> None:
        self.script = script
        self.requests: list[Any] = []
        self.release = threading.Event()  # set on exit: a behaviour waiting on it ends
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append(server.record(dict(self.headers.items()), body))
                action = server.script.pop(0) if server.script else "ok"
                status = server.answer(action)
                if status is None:  # no answer at all
                    return
                with contextlib.suppress(OSError):  # a client that gave up waiting
                    self.send_response(status)
                    for name, value in server.headers(action).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{self.path}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,),
                                       daemon=True)

    def record(self, headers: dict[str, str], body: bytes) -> Any:
        """What to keep of a request (default: its headers and body)."""
        return (headers, body)

    def answer(self, action: str) -> int | None:
        """The status to answer ``action`` with, after any wait; None: no answer."""
        raise NotImplementedError

    def headers(self, action: str) -> dict[str, str]:
        """Headers to answer ``action`` with, besides ``Content-Length`` (default: none)."""
        return {}

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
