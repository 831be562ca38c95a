"""The admin login's throttle: django-axes, with the few pieces this archive adds.

Settings (``archive/settings.py``): LOGIN_FAILURE_LIMIT failed logins from one client
address, or for one username, lock it out for LOGIN_LOCKOUT_MINUTES. Attempts are kept
in the database, so every worker and host counts the same failures.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpResponse


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins that are locked out. Every login over HTTP has a request and is
    checked; ``authenticate()`` called without one (the shell, the test client's
    ``login()``) has no client to count and is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_ip(request) -> str | None:
    """The client's address: behind our proxy (BEHIND_PROXY), the last X-Forwarded-For
    entry, the one the proxy added; entries before it are whatever the client sent."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429, saying how long to wait."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60)
    response = HttpResponse(
        f"Too many failed logins. Logging in is locked for {minutes} minutes; each "
        "further attempt starts the wait again.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
