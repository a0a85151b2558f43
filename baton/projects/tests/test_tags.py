"""Managing a project's tags from its settings: create, rename, recolour, delete, merge, and the
after-sales set; who may, and what a refused change leaves behind (nothing)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from baton.activity.models import Activity
from baton.orgs.models import Membership, Role
from baton.projects import services
from baton.projects.models import ProjectRole, Tag
from baton.realtime.models import LiveEvent

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_for(english):
    """Clients whose browser asks for English (see conftest.english)."""
    return english


SEED = ["换货", "退款", "未收到货", "商品质量问题", "七天无理由退换货", "收到商品不符", "未发货"]


@pytest.fixture
def tags(project, alice):
    return {
        name: services.create_tag(actor=alice, project=project, name=name, color=color)
        for name, color in [("退款", "red"), ("换货", "blue"), ("加急", "orange")]
    }


@pytest.fixture
def cards(project, lists, bob, tags):
    """Three cards: 退款 + 加急, 加急 alone, 退款 + 换货."""
    spec = [("甲", ["退款", "加急"]), ("乙", ["加急"]), ("丙", ["退款", "换货"])]
    return {
        title: services.create_task(
            actor=bob,
            project=project,
            task_list=lists[0],
            title=title,
            tags=[tags[name].pk for name in names],
        )
        for title, names in spec
    }


def names_on(task) -> list[str]:
    return sorted(task.tags.values_list("name", flat=True))


def snapshot(project) -> list[tuple]:
    """Every tag of the project and which cards carry it: what a refused write must not change."""
    return [
        (tag.name, tag.color, sorted(tag.tasks.values_list("pk", flat=True)))
        for tag in Tag.objects.filter(project=project).order_by("pk")
    ]


def tags_changed(project) -> int:
    return LiveEvent.objects.filter(
        channel=f"project:{project.pk}", payload__type="tags.changed"
    ).count()


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.organization.slug, project.key, *args])


# ---------------------------------------------------------------- services


def test_renaming_and_recolouring_a_tag_is_recorded_and_told(project, alice, tags):
    tag = services.update_tag(actor=alice, tag=tags["退款"], name="仅退款", color="purple")
    tag.refresh_from_db()
    assert (tag.name, tag.color) == ("仅退款", "purple")
    activity = Activity.objects.get(verb="tag.updated")
    assert activity.data["changes"] == [
        {"field": "name", "old": "退款", "new": "仅退款"},
        {"field": "color", "old": "red", "new": "purple"},
    ]
    assert tags_changed(project) == 1


def test_a_rename_to_a_taken_name_or_bad_input_is_refused(project, alice, tags):
    before = snapshot(project)
    for name, color in [
        ("换货", None),
        (" 换货 ", None),
        ("", None),
        ("x" * 31, None),
        ("退\x00款", None),
        (None, "magenta"),
        (None, "<script>"),
    ]:
        with pytest.raises(ValidationError):
            services.update_tag(actor=alice, tag=tags["退款"], name=name, color=color)
    assert snapshot(project) == before


def test_creating_a_tag_rejects_duplicates_whatever_the_case_and_nul(project, alice):
    services.create_tag(actor=alice, project=project, name="VIP")
    for name in ["VIP", "vip", "V\x00IP", "x" * 31]:
        with pytest.raises(ValidationError):
            services.create_tag(actor=alice, project=project, name=name)
    assert list(project.tags.values_list("name", flat=True)) == ["VIP"]


def test_deleting_a_tag_takes_it_off_its_cards_and_says_how_many(project, alice, cards, tags):
    assert services.delete_tag(actor=alice, tag=tags["加急"]) == 2
    assert names_on(cards["甲"]) == ["退款"] and names_on(cards["乙"]) == []
    assert not Tag.objects.filter(name="加急").exists()
    assert Activity.objects.get(verb="tag.deleted").data["cards"] == 2
    assert tags_changed(project) == 1


def test_merging_gives_the_cards_the_target_once_and_removes_the_merged_tag(
    project, alice, cards, tags
):
    services.merge_tags(actor=alice, source=tags["退款"], target=tags["换货"])
    assert names_on(cards["甲"]) == ["加急", "换货"]
    assert names_on(cards["丙"]) == ["换货"]  # had both: one 换货, no duplicate
    assert names_on(cards["乙"]) == ["加急"]
    assert not Tag.objects.filter(name="退款").exists()
    assert Activity.objects.get(verb="tag.merged").data == {
        "name": "退款",
        "into": "换货",
        "cards": 2,
    }


def test_a_tag_merges_neither_into_itself_nor_into_another_projects_tag(project, org, alice, tags):
    other = services.create_project(actor=alice, organization=org, name="大促", key="DC")
    elsewhere = services.create_tag(actor=alice, project=other, name="退款")
    before = snapshot(project)
    for target in [tags["退款"], elsewhere]:
        with pytest.raises(ValidationError):
            services.merge_tags(actor=alice, source=tags["退款"], target=target)
    assert snapshot(project) == before


def test_the_after_sales_set_adds_the_seven_seed_tags_once(project, alice, lists):
    services.create_tag(actor=alice, project=project, name="退款", color="gray")
    added = services.add_tag_set(actor=alice, project=project)
    assert [tag.name for tag in added] == [n for n in SEED if n != "退款"]
    assert sorted(project.tags.values_list("name", flat=True)) == sorted(SEED)
    assert project.tags.get(name="退款").color == "gray"  # an existing tag is left as it is
    assert services.add_tag_set(actor=alice, project=project) == []
    assert not project.tasks.exists()
    with pytest.raises(ValidationError):
        services.add_tag_set(actor=alice, project=project, tag_set="nonsense")


def test_the_demo_and_the_set_share_one_list_of_after_sales_tags():
    assert [name for name, _color in services.AFTER_SALES_TAGS] == SEED


def test_only_admins_manage_tags_and_a_refusal_changes_nothing(
    project, org, alice, bob, carol, mallory, other_org, cards, tags
):
    before = snapshot(project)
    writes = [
        lambda user: services.update_tag(actor=user, tag=tags["退款"], name="改名"),
        lambda user: services.update_tag(actor=user, tag=tags["退款"], color="gray"),
        lambda user: services.delete_tag(actor=user, tag=tags["退款"]),
        lambda user: services.merge_tags(actor=user, source=tags["退款"], target=tags["换货"]),
        lambda user: services.add_tag_set(actor=user, project=project),
    ]
    for user, error in [(bob, PermissionDenied), (carol, PermissionDenied), (mallory, Http404)]:
        for write in writes:
            with pytest.raises(error):
                write(user)
    assert snapshot(project) == before
    assert not Activity.objects.filter(verb__startswith="tag.").exclude(verb="tag.created")
    services.change_project_member_role(
        actor=alice, member=project.memberships.get(user=bob), role=ProjectRole.ADMIN
    )
    project.__dict__.pop("_role_cache", None)
    services.update_tag(actor=bob, tag=tags["退款"], name="仅退款")  # a project admin may
    Membership.objects.create(organization=org, user=mallory, role=Role.ADMIN)
    project.__dict__.pop("_role_cache", None)
    services.update_tag(actor=mallory, tag=tags["换货"], color="green")  # an organization admin


# ---------------------------------------------------------------- pages


def test_the_settings_page_lists_tags_with_their_card_counts(
    project, alice, client_for, cards, tags
):
    html = client_for(alice).get(url("settings", project)).content.decode()
    assert 'id="tags-section"' in html
    assert "2 cards" in html and "1 card" in html
    assert "Add the common after-sales tags" in html
    assert url("tag_merge", project, tags["退款"].pk) in html


def test_members_see_tags_without_the_admin_forms(project, bob, client_for, tags):
    html = client_for(bob).get(url("settings", project)).content.decode()
    assert 'id="tags-section"' in html and "退款" in html
    assert url("tag_delete", project, tags["退款"].pk) not in html
    assert "Only project admins can rename, merge or delete tags." in html


def test_an_admin_edits_tags_through_the_section(project, alice, client_for, cards, tags):
    client = client_for(alice)
    response = client.post(
        url("tag_update", project, tags["退款"].pk), {"name": "仅退款", "color": "teal"}, **HTMX
    )
    assert response.status_code == 200
    assert 'id="tags-section"' in response.content.decode()
    assert "Tag 仅退款 saved." in response.content.decode()
    response = client.post(
        url("tag_merge", project, tags["加急"].pk), {"target": tags["换货"].pk}, **HTMX
    )
    assert response.status_code == 200
    assert names_on(cards["乙"]) == ["换货"]
    response = client.post(url("tag_delete", project, tags["换货"].pk), **HTMX)
    assert "it was on 3 cards" in response.content.decode()
    response = client.post(url("tag_set_add", project), {"set": "after_sales"}, **HTMX)
    assert response.status_code == 200
    assert set(SEED) <= set(project.tags.values_list("name", flat=True))
    response = client.post(url("tag_create", project), {"name": "VIP", "color": "pink"}, **HTMX)
    assert response.status_code == 200 and "Tag VIP added." in response.content.decode()
    # without htmx, back to the settings page
    response = client.post(url("tag_update", project, tags["退款"].pk), {"color": "red"})
    assert response.status_code == 302 and response["Location"] == url("settings", project)


def test_refused_input_answers_422_and_keeps_what_was_typed(project, alice, client_for, tags):
    client = client_for(alice)
    before = snapshot(project)
    response = client.post(
        url("tag_update", project, tags["退款"].pk), {"name": "换货", "color": "red"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This project already has a tag named 换货." in html
    assert 'value="换货"' in html  # the typed name is kept
    for data in [{"name": "退\x00款"}, {"name": "x" * 31}, {"name": "好", "color": "nope"}]:
        response = client.post(url("tag_update", project, tags["退款"].pk), data, **HTMX)
        assert response.status_code == 422, data
    response = client.post(url("tag_create", project), {"name": "加急"}, **HTMX)
    assert response.status_code == 422 and 'value="加急"' in response.content.decode()
    for target in ["", "abc", str(tags["退款"].pk), "99999999999999999999"]:
        response = client.post(
            url("tag_merge", project, tags["退款"].pk), {"target": target}, **HTMX
        )
        assert response.status_code in (400, 422), target
    response = client.post(url("tag_set_add", project), {"set": "nope"}, **HTMX)
    assert response.status_code == 422
    assert snapshot(project) == before


def test_members_viewers_and_guests_get_403_and_outsiders_404(
    project, bob, carol, mallory, other_org, client_for, cards, tags
):
    before = snapshot(project)
    posts = [
        (url("tag_update", project, tags["退款"].pk), {"name": "改名", "color": "gray"}),
        (url("tag_delete", project, tags["退款"].pk), {}),
        (url("tag_merge", project, tags["退款"].pk), {"target": tags["换货"].pk}),
        (url("tag_set_add", project), {"set": "after_sales"}),
    ]
    for user, status in [(bob, 403), (carol, 403), (mallory, 404)]:
        client = client_for(user)
        for path, data in posts:
            assert client.post(path, data, **HTMX).status_code == status, (user, path)
    assert client_for(mallory).get(url("settings", project)).status_code == 404
    assert snapshot(project) == before


def test_a_tag_of_another_project_is_404(project, org, alice, client_for, tags):
    other = services.create_project(actor=alice, organization=org, name="大促", key="DC")
    elsewhere = services.create_tag(actor=alice, project=other, name="海报")
    response = client_for(alice).post(url("tag_delete", project, elsewhere.pk), **HTMX)
    assert response.status_code == 404
    assert Tag.objects.filter(pk=elsewhere.pk).exists()


def test_the_card_picker_still_creates_a_tag_on_the_fly(project, lists, bob, client_for):
    task = services.create_task(actor=bob, project=project, task_list=lists[0], title="客户来信")
    response = client_for(bob).post(
        url("tag_create", project),
        {"name": "补发", "color": "green", "task": task.reference},
        **HTMX,
    )
    assert response.status_code == 200
    assert names_on(task) == ["补发"]


def test_the_board_shows_a_renamed_and_recoloured_tag(project, alice, bob, client_for, cards, tags):
    services.update_tag(actor=alice, tag=tags["加急"], name="特急", color="pink")
    html = client_for(bob).get(url("board", project)).content.decode()
    assert "特急" in html and "加急" not in html
    assert "c-pink" in html


def test_a_new_project_can_start_with_the_after_sales_tags(org, alice, bob, client_for):
    response = client_for(bob).post(
        reverse("projects:create", args=[org.slug]),
        {
            "name": "售后二组",
            "key": "SE",
            "color": "teal",
            "visibility": "members",
            "after_sales_tags": "1",
        },
    )
    assert response.status_code == 302
    project = org.projects.get(key="SE")
    assert sorted(project.tags.values_list("name", flat=True)) == sorted(SEED)
    assert not project.tasks.exists()
    plain = services.create_project(actor=alice, organization=org, name="大促", key="DC")
    assert not plain.tags.exists()
    with pytest.raises(ValidationError):
        services.create_project(
            actor=alice, organization=org, name="x", key="XX", tag_set="nonsense"
        )
    assert not org.projects.filter(key="XX").exists()


def test_the_new_project_form_offers_the_after_sales_tags(org, alice, client_for):
    html = client_for(alice).get(reverse("projects:create", args=[org.slug])).content.decode()
    assert 'name="after_sales_tags"' in html and "七天无理由退换货" in html
