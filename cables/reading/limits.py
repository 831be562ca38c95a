"""A time limit on the queries of one page, so that no address can make the archive work
for long: a search for every word starting with "a", say, or two hundred common words
joined by OR. Past the limit the query is stopped and the page says the request asks too
much (400), rather than the worker spending minutes on it.

SQLite: a progress handler, called every few thousand virtual-machine steps, stops the
running statement once the page's time is up. PostgreSQL: ``statement_timeout`` for the
page's queries. Tests and the import are not limited; only the views that run searches
and facet counts ask for it.
"""

import time
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import OperationalError, connection
from django.shortcuts import render


class TooSlow(Exception):
    """A page's queries ran past its time limit."""


def set_deadline(deadline: float | None) -> None:
    """Stop the connection's statements at ``deadline`` (time.monotonic()), or never."""
    connection.page_deadline = deadline
    if connection.connection is None:
        return
    if connection.vendor == "sqlite":
        if deadline is None:
            connection.connection.set_progress_handler(None, 0)
        else:
            connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, 20_000)
    elif connection.vendor == "postgresql":
        milliseconds = 0 if deadline is None else max(1, int((deadline - time.monotonic()) * 1000))
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [milliseconds])


@contextmanager
def time_limit(seconds: float | None = None):
    seconds = settings.PAGE_QUERY_SECONDS if seconds is None else seconds
    connection.ensure_connection()
    try:
        set_deadline(time.monotonic() + seconds)
        yield
    except OperationalError as error:
        stopped = "interrupted" in str(error) or "statement timeout" in str(error)
        if stopped:
            raise TooSlow from error
        raise
    finally:
        set_deadline(None)


@contextmanager
def paused():
    """Lift the page's time limit for work that serves many pages (loading the arrays of
    cables/reading/facts.py); its time is added back to the page's."""
    deadline = getattr(connection, "page_deadline", None)
    if deadline is None:
        yield
        return
    started = time.monotonic()
    set_deadline(None)
    try:
        yield
    finally:
        set_deadline(deadline + time.monotonic() - started)


def limited(view):
    """A view whose queries run under ``time_limit``; past it, the ``too_slow`` page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            with time_limit():
                return view(request, *args, **kwargs)
        except TooSlow:
            return too_slow(request)

    return wrapper


def too_slow(request):
    """The page for a request whose queries ran past the time limit."""
    context = {"seconds": settings.PAGE_QUERY_SECONDS, "path": request.path}
    return render(request, "cables/too_slow.html", context, status=400)
