"""The ASGI application that `baton serve` runs under uvicorn.

Baton's pages are synchronous Django views. Django's own ASGI handler runs each of them on a thread
started for that request, which then opens a database connection of its own: about 3 ms of overhead
per request on a small machine, more than a board move costs. So ordinary requests go to Django's
WSGI handler on a fixed pool of threads (a2wsgi), where every thread keeps its connection, and only
streaming endpoints (Server-Sent Events under STREAMING_PREFIXES) use Django's ASGI handler.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")

from a2wsgi import WSGIMiddleware
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

STREAMING_PREFIXES = ("/events/",)
WORKER_THREADS = int(os.environ.get("BATON_THREADS", "16"))

django_asgi = get_asgi_application()
django_wsgi = WSGIMiddleware(get_wsgi_application(), workers=WORKER_THREADS)


async def application(scope, receive, send):
    if scope["type"] == "http" and not scope["path"].startswith(STREAMING_PREFIXES):
        await django_wsgi(scope, receive, send)
    else:
        await django_asgi(scope, receive, send)
