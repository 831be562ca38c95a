"""Requests the archive refuses before anything else looks at them.

- An address whose query string is longer than MAX_QUERY_STRING characters (gunicorn
  refuses request lines over 4,094 bytes anyway), or whose path or query holds a NUL
  character (PostgreSQL cannot even compare text with one): 400.
- Outside the admin (``settings.ADMIN_URL``), any method but GET and HEAD: 405, before
  sessions, CSRF or a view see the request, so nothing public writes or reads a body.
- In the admin, a body bigger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: 413, from its
  Content-Length, unread. The upload page takes bigger bodies and checks
  ``UPLOAD_MAX_BYTES`` itself, in its view, before anything reads them (``cables.admin``).
  A body without a Content-Length is never read by Django at all.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse

SAFE_METHODS = ("GET", "HEAD")
MAX_QUERY_STRING = 4096  # the longest list URL (a 500-character search, 20 tags…) is far less


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if problem := malformed(request):
            return bad_request(problem)
        in_admin = request.path_info.startswith(f"/{settings.ADMIN_URL}")
        if not in_admin and request.method not in SAFE_METHODS:
            return read_only()
        length = content_length(request)
        too_long = in_admin and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if too_long and request.path_info != upload_path():
            return too_big(length)
        return self.get_response(request)


def malformed(request) -> str:
    """What makes the address unusable, in words; "" when nothing does."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_STRING:
        return (
            f"This address's query is {len(query):,} characters long; "
            f"at most {MAX_QUERY_STRING:,} are accepted."
        )
    if "\x00" in request.path_info or "\x00" in query or "%00" in query:
        return "This address holds a NUL character (%00), which no address here can contain."
    return ""


def bad_request(problem: str) -> HttpResponse:
    return HttpResponseBadRequest(f"{problem}\n", content_type="text/plain; charset=utf-8")


def read_only() -> HttpResponse:
    return HttpResponseNotAllowed(
        SAFE_METHODS,
        "This archive is read-only: it answers GET and HEAD only.\n",
        content_type="text/plain; charset=utf-8",
    )


def too_big(length: int) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return HttpResponse(
        f"This request's body is {filesizeformat(length)}, more than the "
        f"{filesizeformat(limit)} accepted here: it was not read.\n",
        status=413,
        content_type="text/plain; charset=utf-8",
    )


def content_length(request) -> int:
    """The body's declared length; 0 when absent or not a number (Django then reads none)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def upload_path() -> str:
    try:
        return reverse("admin:cables_cable_upload")
    except NoReverseMatch:
        return ""
