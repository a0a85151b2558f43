"""The ASGI application that `baton serve` runs under uvicorn.

Baton's pages are synchronous Django views. Django's own ASGI handler runs each of them on a thread
started for that request, which then opens a database connection of its own: about 3 ms of overhead
per request on a small machine, more than a board move costs. So ordinary requests go to Django's
WSGI handler on a fixed pool of threads (core/wsgi_bridge.py), where every thread keeps its
connection. Server-Sent Events (/events/) are served by baton/realtime/stream.py on the event
loop itself.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

from baton.core.wsgi_bridge import ThreadedWSGI

django_asgi = get_asgi_application()  # sets Django up: models may be imported from here on

from baton.realtime import stream  # noqa: E402

django_wsgi = ThreadedWSGI(
    get_wsgi_application(),
    threads=settings.BATON_THREADS,
    max_body=settings.BATON_MAX_REQUEST_BYTES,
)


async def application(scope, receive, send):
    if scope["type"] != "http":
        await django_asgi(scope, receive, send)
    elif scope["path"] == "/events/":
        await stream.application(scope, receive, send)
    else:
        await django_wsgi(scope, receive, send)
