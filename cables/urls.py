from django.urls import path, re_path

from .web import citing_views, views

REFERENCE_ID = r"(?P<reference_id>[A-Za-z0-9_-]{1,64})"
ANCHOR = r"(?P<anchor>[pt][0-9]{1,4}(?:-[0-9]{1,3})?)"
STYLE = r"(?P<style>[a-z-]{1,20})"

urlpatterns = [
    path("", views.home, name="home"),
    path("cables/", views.cable_list, name="cable_list"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<path:code>/", views.tag_detail, name="tag_detail"),  # a code may hold a /
    path("senders/", views.sender_list, name="sender_list"),
    path("senders/<slug:slug>/", views.sender_detail, name="sender_detail"),
    path("classifications/", views.classification_list, name="classification_list"),
    path("dates/<int:year>/", views.date_year, name="date_year"),
    re_path(rf"^cables/{REFERENCE_ID}\.json$", views.cable_json, name="cable_json"),
    re_path(rf"^cables/{REFERENCE_ID}/$", views.cable_detail, name="cable_detail"),
    re_path(rf"^cables/{REFERENCE_ID}/raw/$", views.cable_raw, name="cable_raw"),
    re_path(rf"^cables/{REFERENCE_ID}/{ANCHOR}/$", views.paragraph_detail, name="paragraph_detail"),
    re_path(rf"^cables/{REFERENCE_ID}\.txt$", citing_views.cable_text, name="cable_text"),
    re_path(
        rf"^cables/{REFERENCE_ID}/cite/{STYLE}/$",
        citing_views.cable_citation,
        name="cable_citation",
    ),
    re_path(
        rf"^cables/{REFERENCE_ID}/{ANCHOR}/cite/{STYLE}/$",
        citing_views.paragraph_citation,
        name="paragraph_citation",
    ),
    path("citing/", citing_views.citing_guide, name="citing_guide"),
    path("about/", citing_views.about, name="about"),
]
