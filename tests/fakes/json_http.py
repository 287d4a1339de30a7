"""The HTTP manners both fake providers share: JSON answers, keep-alive, no Nagle stalls, no access log."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class JSONHandler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # headers and body go as two writes: no 40 ms delayed-ACK stall
    protocol_version = "HTTP/1.1"  # keep-alive, as the providers' clients expect

    def _reply(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures anyway
        pass


class QuietServer(ThreadingHTTPServer):
    """A client that went away (killed, timed out) is what the fakes are for, not an error to print."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (port 0: any free one), started and stopped by its fake."""

    _server: ThreadingHTTPServer | None = None
    url: str = ""

    def _serve(self, handler: type[BaseHTTPRequestHandler], port: int, name: str) -> None:
        server = QuietServer(("127.0.0.1", port), handler)
        server.daemon_threads = True
        server.request_queue_size = 256  # the benchmark's bursts of concurrent clients
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, name=name, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
