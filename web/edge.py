"""What every request and response goes through: body limits before anything reads, and security headers.

A Telegram update or a Twilio form is a few kilobytes, the web chat's JSON smaller still, so nothing here
needs a large body: an oversized or unbounded (chunked, no Content-Length) body is refused with 413 before
a byte of it is read, instead of filling a worker's memory.
"""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

from bot.settings import Settings

# A Telegram update quoting another message of 4,096 emoji, JSON-escaped, with its entities, stays under
# 100 KB; Twilio caps a WhatsApp body at 1,600 characters. 256 KB leaves room and still bounds memory.
MAX_BODY = 256 * 1024
MAX_FORM_PARTS = 100  # Twilio sends about 20 fields (more with media)

# Only our own files: the page's script and styles are static files (no inline code), and nothing loads
# from another host. `data:` images are the page's empty favicon.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def install(app: Flask, settings: Settings) -> None:
    """Body limits, session cookie flags and security headers, for every blueprint at once."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY
    app.config["MAX_FORM_PARTS"] = MAX_FORM_PARTS
    # The web chat's session cookie names the visitor's chats: never readable by a script, never sent by a
    # request another site starts, and only over HTTPS when the service is published over HTTPS.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["SESSION_COOKIE_SECURE"] = settings.public_base_url.startswith("https://")
    app.before_request(refuse_unbounded_body)
    app.after_request(add_security_headers)


def refuse_unbounded_body() -> None:
    """413 before reading: a declared length over the limit, or a chunked body whose length nobody knows.
    An endpoint named in `UPLOAD_LIMITS` (the dashboard's CSV upload) has its own, larger limit."""
    upload_limit = current_app.config.get("UPLOAD_LIMITS", {}).get(request.endpoint)
    if upload_limit is not None:
        request.max_content_length = upload_limit
    limit = request.max_content_length
    length = request.content_length
    if length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        abort(413, "a body must come with its Content-Length")
    if limit is not None and length is not None and length > limit:
        abort(413, f"a body may be at most {limit} bytes")


def add_security_headers(response: Response) -> Response:
    """Every response's security headers (SECURITY_HEADERS), unless a view set its own."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
