import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from baton.accounts.services import change_password, update_profile

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def profile_data(**overrides) -> dict:
    data = {
        "name": "Alice Wang",
        "language": "en",
        "timezone": "Europe/Berlin",
        "avatar_color": "teal",
    }
    data.update(overrides)
    return data


def test_the_profile_page_shows_the_palette_and_time_zones(english, alice, org):
    response = english(alice).get(reverse("accounts:profile"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="color-choice c-teal"' in content
    assert '<option value="Asia/Shanghai" selected>' in content
    assert "Alice Shop" in content  # the sidebar shows the organization


def test_the_profile_page_works_for_someone_without_an_organization(english, make_user):
    assert english(make_user("Nomad")).get(reverse("accounts:profile")).status_code == 200


def test_updating_the_profile_saves_every_field(english, alice):
    response = english(alice).post(reverse("accounts:profile"), profile_data())
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.name, alice.language, alice.timezone, alice.avatar_color) == (
        "Alice Wang",
        "en",
        "Europe/Berlin",
        "teal",
    )


def test_an_unknown_time_zone_is_rejected_and_nothing_changes(english, alice):
    response = english(alice).post(
        reverse("accounts:profile"), profile_data(timezone="Mars/Olympus_Mons")
    )
    assert response.status_code == 422
    assert 'value="Alice Wang"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.timezone == "Asia/Shanghai"
    assert alice.name == "Alice"


def test_an_empty_name_or_unknown_colour_is_rejected(english, alice):
    for bad in [
        {"name": " "},
        {"name": "x" * 81},
        {"avatar_color": "chartreuse"},
        {"language": "fr"},
    ]:
        response = english(alice).post(reverse("accounts:profile"), profile_data(**bad))
        assert response.status_code == 422
    alice.refresh_from_db()
    assert (alice.name, alice.avatar_color, alice.language) == ("Alice", alice.avatar_color, "")


def test_update_profile_validates_time_zones_itself(alice):
    with pytest.raises(ValidationError) as error:
        update_profile(actor=alice, timezone="Asia/Atlantis")
    assert "timezone" in error.value.message_dict
    with pytest.raises(TypeError):
        update_profile(actor=alice, email="new@example.com")


def test_nobody_updates_another_persons_profile(alice, bob):
    with pytest.raises(PermissionDenied):
        update_profile(actor=bob, user=alice, name="Bob was here")
    alice.refresh_from_db()
    assert alice.name == "Alice"


def test_changing_the_password_keeps_the_session(english, alice):
    client = english(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": "tea leaves and thunder"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("tea leaves and thunder")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_changing_the_password_needs_the_current_one_and_a_strong_new_one(english, alice):
    client = english(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password": "tea leaves and thunder"},
    )
    assert response.status_code == 422
    assert "Your current password was entered incorrectly." in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password": "1234"}
    )
    assert response.status_code == 422
    assert "This password is too short." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_change_password_is_a_service_too(alice):
    with pytest.raises(ValidationError):
        change_password(actor=alice, old_password=PASSWORD, new_password="password")
    change_password(actor=alice, old_password=PASSWORD, new_password="tea leaves and thunder")
    assert alice.check_password("tea leaves and thunder")


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
