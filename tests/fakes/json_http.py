"""The HTTP manners both fake providers share: JSON answers, keep-alive, no Nagle stalls, no access log."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
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
