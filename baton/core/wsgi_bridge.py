"""Serve Django's WSGI handler from uvicorn's event loop on a small fixed pool of threads.

Why not a2wsgi or Django's ASGI handler: both cross between the event loop and the worker thread
several times per request (to read the body, to start the response, for every chunk, to finish),
and every crossing wakes the loop and waits for the GIL. Here a request crosses twice: the loop
reads the whole body first (spooled to disk when large, as Django's own ASGI handler does), the
thread runs Django and hands back the finished response.

Files (FileResponse: attachments, and static files through whitenoise) are sent by the loop, which
reads them in large blocks on the loop's default executor: a slow download never holds a request
thread. Other streaming responses are iterated on the request thread, which owns their database
connection. Every request thread keeps its database connection between requests.
"""

import asyncio
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections
from django.http import FileResponse

SPOOL_BYTES = 2 * 1024 * 1024  # larger request bodies go to a temporary file
FILE_BLOCK_BYTES = 256 * 1024
END = object()
TOO_LARGE = object()


class ThreadedWSGI:
    def __init__(self, app, threads: int, max_body: int | None = None):
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="baton-http")
        # Bodies are spooled to disk before Django sees them: without a cap one request could
        # fill the disk. None: no cap.
        self.max_body = max_body

    async def __call__(self, scope, receive, send) -> None:
        if self.max_body is not None and declared_length(scope) > self.max_body:
            await too_large(send)
            return
        body = await read_body(receive, self.max_body)
        if body is TOO_LARGE:
            await too_large(send)
            return
        if body is None:  # the client went away before sending everything
            return
        loop = asyncio.get_running_loop()
        try:
            status, headers, content = await loop.run_in_executor(
                self.pool, self.respond, wsgi_environ(scope, body), loop, send
            )
        finally:
            body.close()
        if status is None:  # streamed from the request thread already
            return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if isinstance(content, FileResponse):
            await send_file(content, loop, send)
        else:
            await send({"type": "http.response.body", "body": content})

    def respond(self, environ: dict, loop, send):
        """On a request thread: run Django. Returns (status, headers, bytes or a FileResponse),
        or (None, None, None) once a streaming response has been sent from here."""
        started: list = []

        def start_response(status: str, headers: list, exc_info=None):
            started[:] = [int(status.split(" ", 1)[0]), encode_headers(headers)]

        result = self.app(environ, start_response)
        if isinstance(result, FileResponse):
            close_old_connections()  # what closing the response would do on this thread
            return started[0], started[1], result  # the loop sends it, then closes it
        try:
            if not getattr(result, "streaming", False):
                return started[0], started[1], b"".join(result)
            stream(result, started, loop, send)
            return None, None, None
        finally:
            if hasattr(result, "close"):
                result.close()


async def send_file(response: FileResponse, loop, send) -> None:
    source = getattr(response, "file_to_stream", None)
    try:
        if source is None:  # not from a file object: Django's own chunks
            chunks = iter(response.streaming_content)
            while (chunk := await loop.run_in_executor(None, next, chunks, END)) is not END:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            while chunk := await loop.run_in_executor(None, source.read, FILE_BLOCK_BYTES):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        await loop.run_in_executor(None, response.close)


def stream(result, started: list, loop, send) -> None:
    def deliver(message: dict) -> None:
        asyncio.run_coroutine_threadsafe(send(message), loop).result()

    deliver({"type": "http.response.start", "status": started[0], "headers": started[1]})
    for chunk in result:
        if chunk:
            deliver({"type": "http.response.body", "body": chunk, "more_body": True})
    deliver({"type": "http.response.body", "body": b""})


def declared_length(scope: dict) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


async def too_large(send) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": b"Request body too large."})


async def read_body(receive, limit: int | None = None):
    """The request body as a file; None when the client disconnected, TOO_LARGE when it sent more
    than `limit` bytes. The caller closes the file."""
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            body.close()
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            body.close()
            return TOO_LARGE
        body.write(chunk)
        if not message.get("more_body", False):
            break
    body.seek(0)
    return body


def encode_headers(headers: list) -> list:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def wsgi_environ(scope: dict, body) -> dict:
    """PEP 3333's environ for an ASGI HTTP scope."""
    server = scope.get("server") or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode().decode("latin-1"),
        "PATH_INFO": scope["path"].encode().decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        if name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = "HTTP_" + name
        value = raw_value.decode("latin-1")
        environ[name] = f"{environ[name]},{value}" if name in environ else value
    return environ
