from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for requests htmx sends (the page is already on screen; answer with a partial)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
