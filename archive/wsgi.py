import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

application = get_wsgi_application()

# Each gunicorn worker imports this module before it takes a request: the list pages'
# arrays are read here, not on some reader's first list page: they hold every cable, far
# more than one reader should wait for.
# The connection it used is closed: each request opens its own, as Django does.
from django.db import connections  # noqa: E402

from cables.reading import facts  # noqa: E402 - needs the application's settings set up

facts.warm()
connections.close_all()
