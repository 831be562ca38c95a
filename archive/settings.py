"""Settings for the cable archive, read from environment variables.

DEBUG          "1" to turn on debugging (off by default)
SECRET_KEY     required unless DEBUG is on
ALLOWED_HOSTS  comma-separated (default: localhost,127.0.0.1)
DATABASE_URL   postgres://user:password@host:port/name; default: SQLite at SQLITE_PATH
SQLITE_PATH    the SQLite file (default: db.sqlite3 in the project folder)
SITE_URL       the archive's public address, for absolute permalinks
STATIC_ROOT    where collectstatic writes (default: staticfiles/ in the project folder)
UPLOAD_*       limits of the admin's upload page (see the end of this file)
PAGE_QUERY_SECONDS   the most a list page may spend on its queries (default 1.0)
PAGE_CACHE_SECONDS   how long a built public page is kept (default 600; 0: no page cache)
PAGE_CACHE_MAX_AGE   how long browsers and proxies may reuse a page unasked (default 60)
HTTPS          "1" when served over HTTPS: redirect to it, secure cookies, HSTS (HSTS_*)
BEHIND_PROXY   "1" behind one reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For
ADMIN_URL      where the admin lives (default: admin/)
LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES   the admin login's throttle (default: 5, 15)
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """A Django DATABASES entry from a postgres:// or sqlite:/// URL."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # A search's matching paragraphs are found through a bitmap of the GIN index;
            # in the default 4 MB a common word's bitmap turns lossy and every paragraph
            # of its pages is re-checked against its (TOASTed) tsvector; in 64 MB such a
            # bitmap stays exact.
            "OPTIONS": {"options": "-c work_mem=64MB"},
        }
    if parsed.scheme == "sqlite":
        return sqlite_database(unquote(parsed.path) or str(BASE_DIR / "db.sqlite3"))
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


def sqlite_database(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers go on while an import writes; IMMEDIATE transactions
            # take the write lock up front instead of failing half-way with "locked".
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-65536;"
                "PRAGMA mmap_size=268435456;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
        # Each worker keeps its connection, and with it SQLite's page cache, between
        # requests: opened anew per request, every page would start from a cold cache.
        "CONN_MAX_AGE": None,
    }


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a development key).")
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "axes",
    "cables",
]

MIDDLEWARE = [
    # The security headers first, so that every response has them, static files and
    # the read-only site's 405s included.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Malformed addresses (400), GET and HEAD only outside the admin (405), bodies over
    # the limits refused unread (413): cables/web/middleware.py.
    "cables.web.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": sqlite_database(os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic writes here; the browser tests collect into a temporary folder.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, styles, images and fonts from this site only: no inline script or <style>
# without the request's nonce ({{ csp_nonce }}; the nonce is in the header only on
# pages that use it), no style= attributes, no plugins, no framing.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# Served over HTTPS (HTTPS=1): plain HTTP redirects to it, cookies are only sent over
# it, and browsers are told to use nothing else (HSTS) for a year, subdomains included.
HTTPS = env_flag("HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD", True)
    SECURE_CSP["upgrade-insecure-requests"] = True
# Behind one reverse proxy (BEHIND_PROXY=1) that terminates TLS, sets
# X-Forwarded-Proto and appends the client's address to X-Forwarded-For.
BEHIND_PROXY = env_flag("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The admin, at ADMIN_URL, is the only place that accepts anything but GET and HEAD.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty: the public site is at /.")

# Admin logins are throttled by django-axes, in the database (so across every worker
# and host): LOGIN_FAILURE_LIMIT failed logins from one address, or for one username,
# lock that address or username out for LOGIN_LOCKOUT_MINUTES (each further failure
# starts the wait again). `manage.py axes_reset` lifts every lockout.
AUTHENTICATION_BACKENDS = [
    "cables.web.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cables.web.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "cables.web.throttle.lockout_response"
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CABLES_PER_PAGE = 50
# No list page may spend longer than this on its queries (cables/reading/limits.py).
PAGE_QUERY_SECONDS = float(os.environ.get("PAGE_QUERY_SECONDS", "1.0"))

# Public pages are kept once built (cables/web/caching.py), in each worker's memory, until
# the archive is written (every write bumps its version) or PAGE_CACHE_SECONDS pass;
# 0 turns the page cache off, its one query per page included. Browsers and proxies may
# reuse a page for PAGE_CACHE_MAX_AGE seconds, then ask again with its ETag (a 304 if
# the archive has not changed).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# The admin's upload page. Bigger loads go through `manage.py import_cables` on the server.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 500 * 1024**2)  # one upload, all its files
# Every other request body, in the admin (the public site takes none), is refused from
# its Content-Length above this, before it is read (cables.web.middleware); fields are
# counted in query strings too (more is a 400), and one upload holds at most 100 files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploaded files go to a temporary file
UPLOAD_ZIP_MAX_BYTES = env_int("UPLOAD_ZIP_MAX_BYTES", 4 * 1024**3)  # uncompressed, as read
UPLOAD_ZIP_MAX_MEMBERS = env_int("UPLOAD_ZIP_MAX_MEMBERS", 100_000)
UPLOAD_ZIP_MAX_RATIO = env_int("UPLOAD_ZIP_MAX_RATIO", 200)  # uncompressed : compressed
# Uploaded files wait here between the dry run and the import, then are removed;
# uploads never confirmed are removed after UPLOAD_KEEP_HOURS.
UPLOAD_TEMP_DIR = os.environ.get(
    "UPLOAD_TEMP_DIR", str(Path(tempfile.gettempdir()) / "cable-archive-uploads")
)
UPLOAD_KEEP_HOURS = env_int("UPLOAD_KEEP_HOURS", 24)
# Checks and imports run in a background thread of the web process (see the README).
UPLOAD_IN_BACKGROUND = env_flag("UPLOAD_IN_BACKGROUND", True)
