from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cables.urls")),
]

handler404 = "cables.views.not_found"
