"""Browser tests: Debian's Chromium driven by Playwright against Baton under uvicorn (asgi_server).

Playwright's own browser download cannot work offline, so we launch /usr/bin/chromium. When it is
missing the tests are skipped with a loud message (make test installs it where it can).
"""

import os
import shutil
import warnings
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BATON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PASSWORD = "correct horse battery staple"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make from
# here (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    message = (
        f"!!! {CHROMIUM} is missing: {sum('e2e' in str(i.fspath) for i in items)} BROWSER TESTS "
        "ARE SKIPPED. Install Debian's chromium (make test does it when it can)."
    )
    warnings.warn(message, stacklevel=1)
    print("\n" + message)
    skip = pytest.mark.skip(reason=message)
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 takes about half a second a hash here; these tests are about pages, not hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # Logged in once the browser has left the login page (a wrong password stays on it).
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def wait_live(page, channel: str = "") -> None:
    """Until the page's live stream is open on a channel starting with `channel`: the server
    subscribes before it answers, so anything published from now on reaches the page."""
    page.wait_for_function(
        "prefix => (document.body.dataset.liveOpen || '').split(' ')"
        ".some(c => c && c.startsWith(prefix))",
        arg=channel,
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


# ---------------------------------------------------------------- live updates (SSE) in the browser


class AsgiServer:
    """Baton's ASGI application under uvicorn, in a thread of the test process.

    Django's live_server is WSGI and does not serve /events/. This one serves the whole site as
    `baton serve` does, on a free port, against the test database: the test must use
    `transactional_db` (as live_server does) so the server's threads see committed data. The bus
    is in-process (BATON_BUS=local): a write made by a test or by a request reaches the streams of
    this same process.
    """

    def __init__(self) -> None:
        import socket
        import threading

        import uvicorn

        from baton.asgi import application

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            application,
            log_level="warning",
            lifespan="off",
            # Open SSE streams never end by themselves: give them a moment, then cut them.
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> None:
        import time

        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


@pytest.fixture
def asgi_server(transactional_db, settings):
    """asgi_server.url: Baton under uvicorn (SSE included) on the transactional test database."""
    settings.BATON_BUS = "local"
    server = AsgiServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def new_page(browser, asgi_server):
    """new_page(language="en", width=1280, height=800) -> a page in its own browser context.

    Pages are served by asgi_server (Baton under uvicorn, as `baton serve` runs it), so they
    receive live updates; Django's live_server would answer /events/ with 404."""
    contexts = []

    def make(language: str = "zh-CN", width: int = 1280, height: int = 800):
        context = browser.new_context(
            base_url=asgi_server.url,
            locale=language,
            viewport={"width": width, "height": height},
            extra_http_headers={"Accept-Language": language},
        )
        context.set_default_timeout(
            15000
        )  # generous: CI runs the server, browser and database on 2 cores
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_live_page(new_page):
    """The same as new_page (kept as the name the live-update tests use)."""
    return new_page
