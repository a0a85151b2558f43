"""The bridge between uvicorn and Django (baton/core/wsgi_bridge.py), driven as uvicorn would."""

import asyncio
import io
import threading

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from baton.core.wsgi_bridge import FILE_BLOCK_BYTES, ThreadedWSGI


def scope(method="GET", path="/", headers=()):
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "path": path,
        "query_string": b"a=1",
        "headers": [(name.encode(), value.encode()) for name, value in headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


def serve(app, request_scope, *body_messages, max_body=None):
    """Run one request through the bridge; returns the ASGI messages sent back."""
    incoming = list(body_messages) or [{"type": "http.request", "body": b""}]
    sent = []

    async def receive():
        return incoming.pop(0)

    async def send(message):
        sent.append(message)

    bridge = ThreadedWSGI(app, threads=1, max_body=max_body)
    # A thread of its own: the browser tests leave an event loop running on the main thread.
    loop_thread = threading.Thread(target=asyncio.run, args=[bridge(request_scope, receive, send)])
    loop_thread.start()
    loop_thread.join()
    bridge.pool.shutdown()
    return sent


def django_app(make_response, seen=None):
    """A WSGI app answering with a Django response, as Django's WSGI handler does."""

    def app(environ, start_response):
        if seen is not None:
            body = environ["wsgi.input"].read()
            seen.update(environ, body=body, thread=threading.current_thread())
        response = make_response()
        start_response(f"{response.status_code} OK", list(response.items()))
        return response

    return app


def body_of(sent):
    return b"".join(message.get("body", b"") for message in sent[1:])


def test_a_request_reaches_django_with_its_body_and_headers_in_one_piece():
    seen = {}
    sent = serve(
        django_app(lambda: HttpResponse("好", status=201, headers={"X-A": "1"}), seen),
        scope("POST", "/tasks/new", [("content-type", "text/plain"), ("x-b", "1"), ("x-b", "2")]),
        {"type": "http.request", "body": b"title=", "more_body": True},
        {"type": "http.request", "body": b"abc"},
    )
    assert seen["body"] == b"title=abc"
    assert seen["REQUEST_METHOD"] == "POST" and seen["PATH_INFO"] == "/tasks/new"
    assert seen["QUERY_STRING"] == "a=1" and seen["CONTENT_TYPE"] == "text/plain"
    assert seen["HTTP_X_B"] == "1,2" and seen["REMOTE_ADDR"] == "127.0.0.1"
    assert seen["thread"] is not threading.main_thread()
    assert sent[0]["status"] == 201 and (b"x-a", b"1") in sent[0]["headers"]
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert body_of(sent) == "好".encode()


def test_a_client_that_leaves_before_its_body_gets_nothing_and_django_is_not_called():
    seen = {}
    sent = serve(
        django_app(lambda: HttpResponse("x"), seen),
        scope("POST"),
        {"type": "http.request", "body": b"part", "more_body": True},
        {"type": "http.disconnect"},
    )
    assert sent == [] and seen == {}


def test_a_file_is_sent_in_large_blocks_and_closed():
    content = bytes(range(256)) * (FILE_BLOCK_BYTES // 128 + 3)  # a little over two blocks
    source = io.BytesIO(content)
    sent = serve(django_app(lambda: FileResponse(source, filename="a.bin")), scope())
    assert sent[0]["status"] == 200
    assert body_of(sent) == content
    assert len(sent) == 1 + 3 + 1  # start, three blocks, the end
    assert source.closed


def test_a_streaming_response_is_sent_chunk_by_chunk():
    sent = serve(django_app(lambda: StreamingHttpResponse(iter([b"a", b"", b"b"]))), scope())
    assert body_of(sent) == b"ab"
    assert sent[-1] == {"type": "http.response.body", "body": b""}


def test_a_body_over_the_cap_is_refused_before_django_sees_it():
    seen = {}
    app = django_app(lambda: HttpResponse("ok"), seen)
    declared = {**scope("POST"), "headers": [(b"content-length", b"2000")]}
    sent = serve(app, declared, {"type": "http.request", "body": b"x" * 2000}, max_body=1000)
    assert sent[0]["status"] == 413 and not seen
    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 2
    sent = serve(app, scope("POST"), *chunks, {"type": "http.request", "body": b""}, max_body=1000)
    assert sent[0]["status"] == 413 and not seen  # no length declared: counted as it comes
    sent = serve(app, scope("POST"), {"type": "http.request", "body": b"x" * 900}, max_body=1000)
    assert sent[0]["status"] == 200 and seen["body"] == b"x" * 900
