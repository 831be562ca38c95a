"""A page cache for the public site, never stale after a write.

The public pages change only when the archive is written, and every write bumps the
archive's version (cables/archive_version.py) inside its transaction; ``cached_page``
keeps a page under the version it read before building it.

Pages live in the default cache (``CACHES``: each gunicorn worker's memory) for at most
``PAGE_CACHE_SECONDS``, a safety net for a write that forgot to bump; 0 turns the whole
thing off, the version query included.
"""

import hashlib
from functools import cache, wraps

import django
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.utils.cache import get_conditional_response, parse_etags, patch_cache_control

from ..archive_version import current_version

MAX_BYTES = 2 * 1024**2  # larger pages are built every time (a long cable's raw text)
SAFE_METHODS = ("GET", "HEAD")
# What the pages are made from besides the data, hashed into every key and ETag so that
# pages built by other code (in a shared cache, or a browser's) are not served after a
# deploy.
CODE_FOLDERS = ("archive", "cables", "templates", "static")


@cache
def code_version() -> str:
    """A digest of the code, templates and static files that render the pages, and of the
    settings they print. Worked out once per process."""
    digest = hashlib.sha256(f"{django.__version__} {settings.SITE_URL}".encode())
    for folder in CODE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def is_anonymous(request) -> bool:
    """Whether the request carries no credentials. Read from the cookies and headers, not
    from ``request.user``, which would load the session (and add ``Vary: Cookie``)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def is_shareable(request, response) -> bool:
    """Whether this answer is the same for every anonymous reader of the address: a
    complete 200 that sets no cookie, depends on no request header, and used neither the
    session (a user) nor the request's CSP nonce (which changes with every request)."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
        and not getattr(session, "accessed", False)
        and not get_nonce(request)
    )


def names(request, etag: str) -> bool:
    """Whether If-None-Match names ``etag`` (compared weakly, as RFC 9110 asks for GET)."""
    wanted = etag.removeprefix("W/")
    given = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    return any(tag.removeprefix("W/") == wanted for tag in given)


def with_cache_headers(response, etag: str):
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
    return response


def cached_page(view):
    """Answer an anonymous GET or HEAD from the cache when its page was built at the
    current version; otherwise build it, and keep it if it is shareable and under
    ``MAX_BYTES``. Answers ``If-None-Match`` with 304. Error pages, redirects, the list's
    "too slow" page and its streamed CSV are never kept. The middleware runs outside the
    view, so every answer, stored or not, still gets its own security headers. A page
    that could be kept says ``X-Page-Cache: hit`` or ``miss`` (for operators, and for the
    benchmark's hit rate); one over ``MAX_BYTES`` says ``miss`` every time."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method not in SAFE_METHODS
            or not is_anonymous(request)
        ):
            return view(request, *args, **kwargs)
        version = current_version()
        if version is None:
            return view(request, *args, **kwargs)
        address = request.get_full_path()
        digest = hashlib.sha256(f"{version} {code_version()} {address}".encode()).hexdigest()
        etag = f'W/"{digest[:40]}"'
        if names(request, etag):
            # This very page, at this version: the reader's copy is current, unbuilt.
            return with_cache_headers(HttpResponseNotModified(), etag)
        key = f"page:{digest}"
        store = caches["default"]
        stored = store.get(key)
        if stored is not None:
            headers, content = stored
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers["X-Page-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if not is_shareable(request, response):
                return response
            if len(response.content) <= MAX_BYTES:
                page = (list(response.items()), response.content)
                store.set(key, page, settings.PAGE_CACHE_SECONDS)
            response.headers["X-Page-Cache"] = "miss"
        with_cache_headers(response, etag)
        # The other preconditions (If-None-Match: *, If-Match) against the page itself.
        return get_conditional_response(request, etag=etag, response=response)

    return wrapper
