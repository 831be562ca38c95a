from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),  # "admin/" unless ADMIN_URL says otherwise
    path("", include("cables.urls")),
]

handler404 = "cables.web.views.not_found"
