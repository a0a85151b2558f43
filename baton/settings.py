"""Baton's one settings file. Everything that differs between machines comes from the environment.

Every variable is documented in docs/configuration.md.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("BATON_DATA_DIR", CHECKOUT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def load_secret_key() -> str:
    """BATON_SECRET_KEY, else a key generated once into the data directory (never committed)."""
    if key := os.environ.get("BATON_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("BATON_DEBUG")
ALLOWED_HOSTS = env_list("BATON_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BATON_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("BATON_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "baton.core",
    "baton.realtime",
    "baton.search",
    "baton.accounts",
    "baton.orgs",
    "baton.activity",
    "baton.discussion",
    "baton.files",
    "baton.projects",
    "baton.calendars",
    "baton.documents",
    "baton.notifications",
    "baton.demo",
    "dbtasks",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baton.core.middleware.UserLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "baton.core.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "baton.core.htmx.HtmxMiddleware",
    # Turns a login refused for too many failures into our page (django-axes, after auth).
    "axes.middleware.AxesMiddleware",
    # Last: it answers 422 for NUL characters once the CSRF check has passed (process_view).
    "baton.core.middleware.MalformedInputMiddleware",
]

ROOT_URLCONF = "baton.urls"
# Widgets render through the project's templates, so shared ones live in templates/components.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ASGI_APPLICATION = "baton.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baton.core.context_processors.baton",
                "baton.notifications.context_processors.notifications",
            ],
            "builtins": ["baton.core.templatetags.baton"],
        },
    }
]


def database_settings() -> dict:
    """DATABASE_URL for PostgreSQL, else SQLite in the data directory, tuned for a web server."""
    if url := os.environ.get("DATABASE_URL"):
        config = dj_database_url.parse(url)
        if config["ENGINE"].endswith("sqlite3"):
            # A file named by URL (a worker started on another process's database) gets the
            # same WAL, IMMEDIATE transactions and busy timeout as the default one.
            return sqlite_settings(config["NAME"])
        config.setdefault("TEST", {})
        if config["ENGINE"].endswith("postgresql"):
            # Connections come from a pool shared by the process's request threads and its
            # worker; Django refuses a pool together with persistent connections.
            config["CONN_MAX_AGE"] = 0
            config.setdefault("OPTIONS", {})["pool"] = {
                "min_size": 2,
                "max_size": 20,
                "timeout": 20,
            }
            # CI hands us the database "test"; Django's test runner creates "test_test" beside it.
            config["TEST"].setdefault("NAME", f"test_{config['NAME']}")
        return config
    return sqlite_settings(DATA_DIR / "baton.sqlite3")


def sqlite_settings(path) -> dict:
    return {
        # Django's, with write transactions queued on a file lock (baton/core/sqlite/base.py).
        "ENGINE": "baton.core.sqlite",
        "NAME": path,
        # Each server thread keeps its connection (and SQLite's page cache) between requests.
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=134217728; PRAGMA cache_size=-20000;"
            ),
        },
        # A file (not :memory:) so threads and the live server share one real database in tests.
        "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
    }


DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logging in through the form is rate limited by django-axes (docs/configuration.md): after
# BATON_LOGIN_FAILURE_LIMIT failures within BATON_LOGIN_COOLOFF_MINUTES for one account (from any
# address), or from one address (whatever the accounts), the form refuses until the cool-off ends
# or the account's password is reset. Sessions and API tokens never pass through it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "baton.accounts.backends.UserBackend",  # Django's ModelBackend, its user read prepared
]
AXES_FAILURE_LIMIT = int(os.environ.get("BATON_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("BATON_LOGIN_COOLOFF_MINUTES") or 15)
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each one counted on its own
AXES_USERNAME_FORM_FIELD = "username"  # the login form's e-mail field
# Not axes' reset on success: that clears every failure from the address too, so an attacker
# could log in to their own account between guesses. A login clears its own account's failures
# (baton/accounts/limits.py).
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "baton.accounts.limits.locked_out_response"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Password-reset requests: at most this many an hour for one address and for one e-mail, counted
# in a table every server process shares (baton/accounts/limits.py).
BATON_PASSWORD_RESET_LIMIT = int(os.environ.get("BATON_PASSWORD_RESET_LIMIT") or 5)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "baton_rate_limits",
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("BATON_MEDIA_DIR", DATA_DIR / "media"))
MEDIA_URL = "/media/"
BATON_MAX_UPLOAD_BYTES = int(os.environ.get("BATON_MAX_UPLOAD_MB", "50")) * 1024 * 1024
# One request may carry several files: up to four at the limit, then the server answers 413
# before Django reads it (the body would otherwise be spooled to disk whatever its size).
BATON_MAX_REQUEST_BYTES = 4 * BATON_MAX_UPLOAD_BYTES + 1024 * 1024

DEFAULT_FROM_EMAIL = os.environ.get("BATON_FROM_EMAIL", "Baton <baton@localhost>")


def mailer_settings() -> dict:
    """The console by default (mails are printed); SMTP when BATON_EMAIL_HOST is set."""
    if host := os.environ.get("BATON_EMAIL_HOST"):
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": host,
                "port": int(os.environ.get("BATON_EMAIL_PORT", "25")),
                "username": os.environ.get("BATON_EMAIL_USER", ""),
                "password": os.environ.get("BATON_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("BATON_EMAIL_TLS"),
                "timeout": 10,
            },
        }
    return {"BACKEND": "baton.core.mail.ConsoleBackend"}  # readable text, not base64


MAILERS = {"default": mailer_settings()}

# Security: cookies the page script cannot read, strict framing, and a CSP without unsafe-*.
# Sessions live in the database: `baton serve` runs several processes, and a session cached in one
# process's memory would survive a logout made through another. (Django's database store, its
# read prepared once per process: accounts/sessions.py.)
SESSION_ENGINE = "baton.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("BATON_SECURE_COOKIES")
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

BATON_LOG_LEVEL = os.environ.get("BATON_LOG_LEVEL", "WARNING").upper()
# A quiet console: warnings and errors, one line each. Records of Django's own loggers reach this
# handler whatever the root's level, so the chatty ones are set here: background jobs log every
# state of every job (a failed one is logged by baton.worker, with its error), and every 404 or
# 403 would be a line. BATON_LOG_LEVEL=DEBUG shows everything.
quiet = "DEBUG" if BATON_LOG_LEVEL == "DEBUG" else "ERROR"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": BATON_LOG_LEVEL},
    "loggers": {
        "django.tasks": {"level": "DEBUG" if quiet == "DEBUG" else "CRITICAL"},
        "dbtasks": {"level": quiet},
        "django.request": {"level": quiet},
    },
}

# `baton serve`: processes, and request threads in each. Python runs one thread of a process at a
# time, and a thread holding SQLite's write lock while it waits for its turn holds up every writer,
# so one thread per process and one process per core serve the most requests (bench/README.md).
BATON_WORKERS = int(os.environ.get("BATON_WORKERS") or min(max(os.cpu_count() or 1, 2), 8))
BATON_THREADS = int(os.environ.get("BATON_THREADS") or 1)

# Background jobs (notifications, mail, reminders) through Django's tasks API, stored in the
# database; `baton worker` runs them, and `baton serve` runs one worker in its main process.
# Periodic jobs (docs/notifications.md): each is safe to run on several workers at once.
TASKS = {
    "default": {
        "BACKEND": "dbtasks.backend.DatabaseBackend",
        "OPTIONS": {
            "retain": datetime.timedelta(days=2),
            # A worker silent this long (s) is dead: its periodic jobs are scheduled again by the
            # others, its running jobs requeued after twice as long (baton/core/worker.py).
            "worker_timeout": 30,
            "periodic": {
                # Often, and cheap when nothing is due: mail of a stopped worker goes out
                # again within a minute (docs/notifications.md).
                "baton.notifications.tasks.send_mail": "10s",
                "baton.notifications.tasks.send_reminders": "1m",
                "baton.notifications.tasks.housekeeping": "5m",
            },
        },
    }
}
# `baton serve` runs a worker in its main process unless BATON_SERVE_WORKER=0 (or --no-worker).
BATON_SERVE_WORKER = env_bool("BATON_SERVE_WORKER", True)
# Worker threads of each runner (`baton worker --threads N` overrides it).
BATON_WORKER_THREADS = int(os.environ.get("BATON_WORKER_THREADS") or 3)
# Mail: changes to one card within this many seconds go out as one mail.
BATON_MAIL_BATCH_SECONDS = int(os.environ.get("BATON_MAIL_BATCH_SECONDS") or 120)
# A date-only due date falls due at this hour of that day, in each reader's time zone.
BATON_DUE_HOUR = int(os.environ.get("BATON_DUE_HOUR") or 18)

# Live updates (baton/realtime/bus.py): how events reach other server processes (`baton serve`
# runs several, and a worker): "database" (polling) on SQLite, "postgres" (LISTEN/NOTIFY) on
# PostgreSQL, "redis", or "local" (this process only).
BATON_BUS = os.environ.get("BATON_BUS") or (
    "postgres" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "database"
)
if BATON_BUS not in ("local", "database", "postgres", "redis"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"BATON_BUS={BATON_BUS!r}: use local, database, postgres or redis.")
BATON_BUS_POLL_MS = int(os.environ.get("BATON_BUS_POLL_MS") or 100)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

BATON_BOARD_PAGE_SIZE = 20
# Scrolling a long list loads pages that double up to this size: a small first page paints the
# board fast, and a 5,000-card board is read in a few dozen requests rather than 250.
BATON_BOARD_MAX_PAGE_SIZE = 400
BATON_DEMO_PASSWORD = "baton-demo-2026"
