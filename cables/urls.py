from django.urls import path, re_path

from . import views

REFERENCE_ID = r"(?P<reference_id>[A-Za-z0-9_-]{1,64})"
ANCHOR = r"(?P<anchor>[pt][0-9]{1,4}(?:-[0-9]{1,3})?)"

urlpatterns = [
    path("", views.home, name="home"),
    path("cables/", views.cable_list, name="cable_list"),
    re_path(rf"^cables/{REFERENCE_ID}\.json$", views.cable_json, name="cable_json"),
    re_path(rf"^cables/{REFERENCE_ID}/$", views.cable_detail, name="cable_detail"),
    re_path(rf"^cables/{REFERENCE_ID}/raw/$", views.cable_raw, name="cable_raw"),
    re_path(rf"^cables/{REFERENCE_ID}/{ANCHOR}/$", views.paragraph_detail, name="paragraph_detail"),
]
