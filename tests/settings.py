"""Test settings: the real settings with a fixed key and a fast password hasher.

SQLite tests run in memory (pytest-django's default for SQLite); set DATABASE_URL
to run the same suite against PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from archive.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Static files from the apps' folders, as no collectstatic runs before the tests.
WHITENOISE_USE_FINDERS = True
# Off, as many tests count a page's queries; tests/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
# Generous, so that a loaded CI machine does not turn a slow page into a failure (on
# PostgreSQL a stopped statement aborts the test's transaction); tests/test_limits.py
# sets its own.
PAGE_QUERY_SECONDS = 30
