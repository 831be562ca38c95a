"""The Django admin for cables, senders and tags."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "keeper", "keeper@example.org", "a-long-password"
    )
    client.force_login(user)
    return client


def test_cable_list_in_admin_can_be_searched_by_reference_id_and_subject(staff_client, seed_cable):
    response = staff_client.get("/admin/cables/cable/", {"q": "08MEXICO2160"})
    assert response.status_code == 200 and "08MEXICO2160" in response.content.decode()
    response = staff_client.get("/admin/cables/cable/", {"q": "SCENESETTER"})
    assert "08MEXICO2160" in response.content.decode()
    response = staff_client.get("/admin/cables/cable/", {"q": "nothing-like-this"})
    assert "08MEXICO2160" not in response.content.decode()


def test_cable_change_page_shows_paragraphs_and_raw_text_read_only(staff_client, seed_cable):
    response = staff_client.get(f"/admin/cables/cable/{seed_cable.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Welcome to Mexico City." in page
    assert "VZCZCXRO7283" in page
    assert 'name="raw_text"' not in page
    assert 'name="paragraphs-0-text"' not in page


def test_cables_cannot_be_added_by_hand(staff_client, db):
    assert staff_client.get("/admin/cables/cable/add/").status_code == 403


def test_sender_and_tag_admin_pages_answer(staff_client, seed_cable):
    assert "Embassy Mexico" in staff_client.get("/admin/cables/sender/").content.decode()
    assert "External Political Relations" in staff_client.get("/admin/cables/tag/").content.decode()


def test_admin_requires_login(client, db):
    response = client.get("/admin/cables/cable/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
