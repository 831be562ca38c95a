"""A page cache for the public site, never stale after a write.

The public pages change only when the archive is written: imports (``import_cables``,
the admin's upload), ``reparse_cables``, a bulk load's search index rebuilt, the admin's
edits and deletes. Each of these calls ``bump_version()`` inside the transaction that
writes, and ``cached_page`` keeps a page under the version it read before building it.

Why inside the transaction and not after its commit: readers see the new rows and the
new version together, at the commit. A page stored under the old version may have been
built from the new rows (it read the version just before the commit), which only makes
it fresher; a page built from the old rows can never be stored under the new version,
since it read that version first. Bumped after the commit, the pages stored under the
old version would still be served in between, and for good if the process died there.

Pages live in the default cache (``CACHES``: each gunicorn worker's memory) for at most
``PAGE_CACHE_SECONDS``, a safety net for a write that forgot to bump; 0 turns the whole
thing off, the version query included.
"""

import hashlib
from functools import cache, wraps

import django
from django.conf import settings
from django.core.cache import caches
from django.db.models import F
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import get_conditional_response, parse_etags, patch_cache_control

from .models import ArchiveVersion

MAX_BYTES = 2 * 1024**2  # larger pages are built every time (a long cable's raw text)
SAFE_METHODS = ("GET", "HEAD")
# What the pages are made from besides the data, hashed into every key and ETag so that
# pages built by other code (in a shared cache, or a browser's) are not served after a
# deploy.
CODE_FOLDERS = ("archive", "cables", "templates", "static")


def bump_version() -> None:
    """Make every stored page stale once the caller's transaction commits. Call it inside
    the transaction that writes (see the module's docstring); one UPDATE of one row."""
    now = timezone.now()
    if ArchiveVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        return
    # The row is gone (a flushed database): make it again. Its new changed_at is part of
    # every key, so no page stored under an earlier version 1 comes back.
    ArchiveVersion.objects.bulk_create(
        [ArchiveVersion(pk=1, version=1, changed_at=now)], ignore_conflicts=True
    )
    ArchiveVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)


def current_version() -> str | None:
    """The archive's version and when it changed; None if the row is missing. One query,
    by primary key."""
    row = ArchiveVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return f"{row[0]}@{row[1].isoformat()}" if row else None


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
