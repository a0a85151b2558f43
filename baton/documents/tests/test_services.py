"""Document services: create, save versions without overwriting anyone, restore, drafts, follow,
links to tasks, and who may do what."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from baton.activity.models import Activity
from baton.documents import queries, services
from baton.documents.models import (
    BODY_MAX_LENGTH,
    DocumentDraft,
    DocumentFollower,
    DocumentMember,
    DocumentRole,
    DocumentTaskLink,
    DocumentVersion,
    DocumentVisibility,
)
from baton.documents.permissions import (
    document_role,
    get_document_for_user_or_404,
    visible_documents,
)
from baton.orgs.models import Team
from baton.projects import services as project_services


@pytest.fixture
def script(org, alice):
    return services.create_document(
        actor=alice, organization=org, title="售后退换货", body="亲，您好！\n七天无理由退货。"
    )


def test_a_new_document_has_its_first_version_and_its_author_follows_it(script, alice):
    assert script.version == 1
    first = DocumentVersion.objects.get(document=script)
    assert (first.number, first.author, first.kind) == (1, alice, "full")
    assert DocumentFollower.objects.filter(document=script, user=alice).exists()
    assert Activity.objects.filter(verb="document.created", target_id=script.pk).count() == 1


def test_a_new_empty_document_has_no_version_until_its_first_text_is_saved(org, alice):
    document = services.create_document(actor=alice, organization=org, title="大促话术")
    assert document.version == 0
    assert not DocumentVersion.objects.filter(document=document).exists()
    services.save_draft(actor=alice, document=document, title="大促话术", body="草", base_version=0)

    services.save_version(
        actor=alice, document=document, title="大促话术", body="亲，满300减40。", base_version=0
    )
    document.refresh_from_db()
    first = queries.version_text(document, 1)
    assert document.version == 1 and first.body == "亲，满300减40。"
    assert (first.kind, first.added, first.removed) == ("full", 1, 0)
    assert DocumentVersion.objects.filter(document=document).count() == 1
    assert not DocumentDraft.objects.exists()
    assert Activity.objects.get(verb="document.saved").data["version"] == 1


def test_saving_an_empty_document_unchanged_makes_no_version(org, alice):
    document = services.create_document(actor=alice, organization=org, title="空白")
    services.save_version(actor=alice, document=document, title="空白", body="", base_version=0)
    document.refresh_from_db()
    assert document.version == 0 and not DocumentVersion.objects.exists()


def test_two_people_writing_the_first_text_of_a_new_document_conflict(org, alice, bob):
    document = services.create_document(actor=alice, organization=org, title="新文档")
    services.save_version(actor=alice, document=document, title="新文档", body="甲", base_version=0)
    stale = get_document_for_user_or_404(bob, org.slug, document.pk)
    stale.version = 0  # bob opened the editor before alice saved
    with pytest.raises(services.ConflictError) as conflict:
        services.save_version(actor=bob, document=stale, title="新文档", body="乙", base_version=0)
    assert conflict.value.kept["body"] == "乙" and conflict.value.current.body == "甲"
    assert DocumentVersion.objects.filter(document=document).count() == 1


def test_saving_makes_a_new_version_and_drops_the_draft(script, bob):
    services.save_draft(actor=bob, document=script, title="售后", body="草稿", base_version=1)
    services.save_version(
        actor=bob,
        document=script,
        title="售后退换货话术",
        body="亲，您好！\n七天无理由退换货。",
        base_version=1,
        note="退货改为退换货",
    )
    script.refresh_from_db()
    assert (script.version, script.title, script.updated_by) == (2, "售后退换货话术", bob)
    second = queries.version_text(script, 2)
    assert second.body == "亲，您好！\n七天无理由退换货。" and second.note == "退货改为退换货"
    assert (second.added, second.removed) == (1, 1)
    assert queries.version_text(script, 1).body == "亲，您好！\n七天无理由退货。"
    assert not DocumentDraft.objects.exists()
    saved = Activity.objects.get(verb="document.saved")
    assert saved.data["version"] == 2 and saved.actor == bob


def test_a_second_save_from_the_same_version_is_a_conflict_that_keeps_both_texts(
    script, alice, bob
):
    services.save_version(
        actor=alice, document=script, title=script.title, body="alice 的版本", base_version=1
    )
    stale = get_document_for_user_or_404(bob, script.organization.slug, script.pk)
    stale.version = 1  # bob's page still has version 1
    with pytest.raises(services.ConflictError) as conflict:
        services.save_version(
            actor=bob, document=stale, title=script.title, body="bob 的版本", base_version=1
        )
    assert conflict.value.kept["body"] == "bob 的版本"
    assert conflict.value.current.body == "alice 的版本" and conflict.value.current.version == 2
    script.refresh_from_db()
    assert script.body == "alice 的版本" and script.version == 2
    assert DocumentVersion.objects.filter(document=script).count() == 2


def test_saving_the_same_text_again_changes_nothing(script, alice):
    services.save_version(
        actor=alice, document=script, title=script.title, body=script.body, base_version=1
    )
    script.refresh_from_db()
    assert script.version == 1 and DocumentVersion.objects.count() == 1


def test_restoring_an_old_version_makes_a_new_one(script, alice):
    services.save_version(actor=alice, document=script, title="新标题", body="新", base_version=1)
    services.restore_version(actor=alice, document=script, number=1, base_version=2)
    script.refresh_from_db()
    assert (script.version, script.title, script.body) == (3, "售后退换货", script.body)
    assert script.body == "亲，您好！\n七天无理由退货。"
    third = DocumentVersion.objects.get(document=script, number=3)
    assert third.restored_from == 1 and "Restored version 1" in third.note
    assert Activity.objects.filter(verb="document.restored").count() == 1


def test_a_version_of_another_document_cannot_be_restored(org, script, alice):
    other = services.create_document(actor=alice, organization=org, title="物流查询", body="x")
    services.save_version(actor=alice, document=other, title="物流查询", body="y", base_version=1)
    with pytest.raises(ValidationError):
        services.restore_version(actor=alice, document=script, number=2, base_version=1)
    script.refresh_from_db()
    assert script.version == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": "字" * (BODY_MAX_LENGTH + 1)}, "body"),
        ({"note": "n" * 201}, "note"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(script, alice, changes, field):
    values = {"title": "标题", "body": "正文", "note": "", **changes}
    with pytest.raises(ValidationError) as error:
        services.save_version(actor=alice, document=script, base_version=1, **values)
    assert field in error.value.message_dict
    script.refresh_from_db()
    assert script.version == 1


def test_the_size_limit_is_a_clear_message(org, alice):
    with pytest.raises(ValidationError) as error:
        services.create_document(
            actor=alice, organization=org, title="大", body="字" * (BODY_MAX_LENGTH + 1)
        )
    assert "at most 700,000 characters" in error.value.message_dict["body"][0]


def test_drafts_are_private_and_keep_what_was_typed(script, alice, bob):
    services.save_draft(actor=bob, document=script, title="", body="打了一半", base_version=1)
    services.save_draft(actor=bob, document=script, title="t", body="打了一大半", base_version=1)
    draft = DocumentDraft.objects.get()
    assert (draft.user, draft.body, draft.base_version) == (bob, "打了一大半", 1)
    assert not Activity.objects.filter(verb__contains="draft").exists()
    services.discard_draft(actor=bob, document=script)
    assert not DocumentDraft.objects.exists()


def test_who_may_do_what(org, script, alice, bob, carol, mallory):
    assert document_role(alice, script) == DocumentRole.EDITOR
    assert document_role(bob, script) == DocumentRole.EDITOR  # whole organization, editable
    assert document_role(carol, script) is None  # a guest sees only what names her
    assert document_role(mallory, script) is None
    with pytest.raises(Http404):
        get_document_for_user_or_404(mallory, org.slug, script.pk)
    with pytest.raises(Http404):
        services.save_version(actor=mallory, document=script, title="x", body="x", base_version=1)
    DocumentMember.objects.create(document=script, user=carol, role=DocumentRole.EDITOR)
    script._role_cache = {}
    assert document_role(carol, script) == DocumentRole.VIEWER  # read-only for guests
    with pytest.raises(PermissionDenied):
        services.save_version(actor=carol, document=script, title="x", body="x", base_version=1)
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=carol, document=script, title="x", body="x", base_version=1)
    script.refresh_from_db()
    assert script.version == 1 and not DocumentDraft.objects.exists()


def test_read_only_for_the_organization(org, alice, bob):
    notice = services.create_document(
        actor=alice, organization=org, title="公告", access=DocumentRole.VIEWER
    )
    assert document_role(bob, notice) == DocumentRole.VIEWER
    with pytest.raises(PermissionDenied):
        services.save_version(actor=bob, document=notice, title="x", body="x", base_version=1)
    services.follow_document(actor=bob, document=notice)  # readers may follow
    assert DocumentFollower.objects.filter(document=notice, user=bob).exists()


def test_chosen_members_and_teams(org, alice, bob, carol):
    private = services.create_document(
        actor=alice, organization=org, title="客服内部", visibility=DocumentVisibility.MEMBERS
    )
    assert document_role(bob, private) is None
    team = Team.objects.create(organization=org, name="客服")
    team.members.add(bob)
    DocumentMember.objects.create(document=private, team=team, role=DocumentRole.EDITOR)
    private._role_cache = {}
    assert document_role(bob, private) == DocumentRole.EDITOR
    assert list(visible_documents(bob, org)) == [private]
    assert list(visible_documents(carol, org)) == []


def test_a_project_document_is_for_the_project_members(org, project, alice, bob, carol, mallory):
    document = services.create_document(
        actor=bob, organization=org, project=project, title="售后流程"
    )
    assert document.visibility == DocumentVisibility.PROJECT
    assert document_role(bob, document) == DocumentRole.EDITOR
    assert document_role(carol, document) == DocumentRole.VIEWER  # the project's viewer
    assert document in visible_documents(carol, org)
    with pytest.raises(PermissionDenied):
        services.create_document(actor=carol, organization=org, project=project, title="x")


def test_visible_documents_is_one_query(org, script, alice, bob):
    with CaptureQueriesContext(connection) as captured:
        list(visible_documents(bob, org))
    assert len(captured) <= 3


def test_follow_unfollow_and_add_followers_by_team(org, script, alice, bob, carol, mallory):
    services.follow_document(actor=bob, document=script)
    services.follow_document(actor=bob, document=script)  # twice is once
    assert DocumentFollower.objects.filter(document=script, user=bob).count() == 1
    services.follow_document(actor=bob, document=script, following=False)
    team = Team.objects.create(organization=org, name="客服")
    team.members.add(bob, carol)
    added = services.add_followers(actor=alice, document=script, users=[mallory], teams=[team])
    assert added == [bob]  # carol may not read it; mallory is an outsider
    assert Activity.objects.filter(verb="document.followers_added").count() == 1


def test_task_numbers_in_the_text_become_links(org, project, lists, alice):
    task = project_services.create_task(
        actor=alice, project=project, task_list=lists[0], title="退货"
    )
    reference = f"{project.key}-{task.number}"
    document = services.create_document(
        actor=alice, organization=org, title="流程", body=f"见{reference}，不是 X{reference}1"
    )
    assert list(DocumentTaskLink.objects.values_list("task_id", flat=True)) == [task.pk]
    services.save_version(
        actor=alice, document=document, title="流程", body="不再提及", base_version=1
    )
    assert not DocumentTaskLink.objects.exists()
