"""Comments on a document: Markdown, @mentions of people who may read it, edit and delete one's
own, resolve and reopen; who may do what; bad input keeps the typed text; a fixed number of
queries however many comments there are."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baton.activity.models import Activity
from baton.discussion.models import COMMENT_MAX_LENGTH, Comment
from baton.documents import services
from baton.documents.models import DocumentMember, DocumentRole

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def notice(org, alice):
    """Read only for the organization: bob reads (and may comment)."""
    return services.create_document(
        actor=alice, organization=org, title="物流查询", body="x", access=DocumentRole.VIEWER
    )


@pytest.fixture
def comment(notice, alice):
    return services.add_document_comment(actor=alice, document=notice, body="请 @Bob 看一下")


def url(name, document, *args):
    return reverse(f"documents:{name}", args=[document.organization.slug, document.pk, *args])


def html_of(response) -> str:
    return " ".join(response.content.decode().split())


# ---------------------------------------------------------------- services


def test_a_comment_names_only_people_who_may_read_the_document(notice, alice, bob, carol, mallory):
    comment = services.add_document_comment(
        actor=bob, document=notice, body="@Alice @Carol @Mallory 改一下**运费**"
    )
    assert list(comment.mentions.all()) == [alice]  # carol is a guest it does not name
    assert Activity.objects.filter(verb="document.commented", actor=bob).count() == 1


def test_readers_comment_and_only_the_author_edits(notice, comment, alice, bob):
    services.edit_document_comment(actor=alice, comment=comment, body="请 @Bob 今天看")
    comment.refresh_from_db()
    assert comment.body == "请 @Bob 今天看" and comment.edited_at is not None
    with pytest.raises(PermissionDenied):
        services.edit_document_comment(actor=bob, comment=comment, body="改掉")
    comment.refresh_from_db()
    assert comment.body == "请 @Bob 今天看"


def test_the_author_or_a_moderator_deletes(notice, comment, alice, bob):
    mine = services.add_document_comment(actor=bob, document=notice, body="我的")
    with pytest.raises(PermissionDenied):
        services.delete_document_comment(actor=bob, comment=comment)
    services.delete_document_comment(actor=alice, comment=mine)  # alice owns the organization
    services.delete_document_comment(actor=alice, comment=comment)
    assert not Comment.objects.exists()


def test_resolving_and_reopening(notice, comment, alice, bob):
    with pytest.raises(PermissionDenied):  # a reader resolves only their own comments
        services.resolve_document_comment(actor=bob, comment=comment)
    services.resolve_document_comment(actor=alice, comment=comment)
    services.resolve_document_comment(actor=alice, comment=comment)  # twice is once
    comment.refresh_from_db()
    assert comment.resolved_at is not None and comment.resolved_by == alice
    services.resolve_document_comment(actor=alice, comment=comment, resolved=False)
    comment.refresh_from_db()
    assert comment.resolved_at is None and comment.resolved_by is None
    verbs = list(
        Activity.objects.filter(verb__startswith="document.comment_r").values_list(
            "verb", flat=True
        )
    )
    assert sorted(verbs) == ["document.comment_reopened", "document.comment_resolved"]


@pytest.mark.parametrize("body", ["", "   ", "字" * (COMMENT_MAX_LENGTH + 1)])
def test_an_empty_or_too_long_comment_is_refused(notice, bob, body):
    with pytest.raises(ValidationError) as error:
        services.add_document_comment(actor=bob, document=notice, body=body)
    assert "body" in error.value.message_dict
    assert not Comment.objects.exists()


def test_outsiders_and_guests_the_document_does_not_name_cannot_comment(notice, carol, mallory):
    for person in (carol, mallory):
        with pytest.raises(Http404):
            services.add_document_comment(actor=person, document=notice, body="hi")
    assert not Comment.objects.exists()


# ---------------------------------------------------------------- views


def test_comments_render_markdown_mentions_and_no_script(english, notice, alice, bob):
    services.add_document_comment(
        actor=alice, document=notice, body="**加粗** @Bob <script>alert(1)</script>"
    )
    html = english(bob).get(url("comments", notice)).content.decode()
    assert "<strong>加粗</strong>" in html and '<span class="mention">@Bob</span>' in html
    assert "<script>alert(1)" not in html


def test_posting_a_comment_answers_with_the_section(english, notice, bob):
    response = english(bob).post(url("comments", notice), {"body": "顺丰还是圆通？"}, **HTMX)
    assert response.status_code == 200
    assert "顺丰还是圆通？" in html_of(response) and 'id="document-comments"' in html_of(response)
    assert Comment.objects.get().author == bob


def test_without_htmx_a_comment_goes_back_to_the_document(english, notice, bob):
    response = english(bob).post(url("comments", notice), {"body": "好"})
    assert response.status_code == 302
    assert response.url == url("document", notice) + "#document-comments"


def test_an_empty_comment_is_422_and_keeps_what_was_typed(english, notice, bob):
    long = "话" * (COMMENT_MAX_LENGTH + 1)
    response = english(bob).post(url("comments", notice), {"body": long}, **HTMX)
    assert response.status_code == 422
    assert long in response.content.decode()
    response = english(bob).post(url("comments", notice), {"body": " "}, **HTMX)
    assert response.status_code == 422 and "This field is required." in html_of(response)
    assert not Comment.objects.exists()


def test_editing_keeps_the_typed_text_on_error(english, notice, comment, alice):
    client = english(alice)
    response = client.post(url("comment_edit", notice, comment.pk), {"body": ""}, **HTMX)
    assert response.status_code == 422
    assert 'x-init="edit"' in response.content.decode()
    response = client.post(url("comment_edit", notice, comment.pk), {"body": "新的"}, **HTMX)
    assert response.status_code == 200 and "新的" in html_of(response)


def test_others_comments_are_403_for_readers(english, notice, comment, bob):
    client = english(bob)
    assert client.post(url("comment_edit", notice, comment.pk), {"body": "x"}).status_code == 403
    assert client.post(url("comment_delete", notice, comment.pk)).status_code == 403
    assert client.post(url("comment_resolve", notice, comment.pk)).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "请 @Bob 看一下" and comment.resolved_at is None


def test_resolving_from_the_page(english, notice, comment, alice):
    client = english(alice)
    response = client.post(url("comment_resolve", notice, comment.pk), {"resolved": "1"}, **HTMX)
    assert "Resolved by Alice" in html_of(response) and "Reopen" in html_of(response)
    response = client.post(url("comment_resolve", notice, comment.pk), {"resolved": "0"}, **HTMX)
    assert "Resolved by" not in html_of(response)


def test_deleting_ones_own_comment(english, notice, bob):
    mine = services.add_document_comment(actor=bob, document=notice, body="删掉我")
    response = english(bob).post(url("comment_delete", notice, mine.pk), **HTMX)
    assert response.status_code == 200 and "删掉我" not in html_of(response)


def test_a_comment_of_another_document_is_404(english, org, notice, comment, alice):
    other = services.create_document(actor=alice, organization=org, title="其他")
    client = english(alice)
    assert client.post(url("comment_edit", other, comment.pk), {"body": "x"}).status_code == 404
    assert client.post(url("comment_delete", other, comment.pk)).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_outsiders_get_404_on_every_comment_url(english, notice, comment, mallory):
    client = english(mallory)
    assert client.get(url("comments", notice)).status_code == 404
    assert client.post(url("comments", notice), {"body": "spam"}).status_code == 404
    assert client.post(url("comment_edit", notice, comment.pk), {"body": "x"}).status_code == 404
    assert client.post(url("comment_delete", notice, comment.pk)).status_code == 404
    assert client.post(url("comment_resolve", notice, comment.pk)).status_code == 404
    assert Comment.objects.count() == 1


def test_a_guest_named_on_the_document_comments(english, notice, alice, carol):
    DocumentMember.objects.create(document=notice, user=carol, role=DocumentRole.EDITOR)
    response = english(carol).post(url("comments", notice), {"body": "收到"}, **HTMX)
    assert response.status_code == 200
    assert Comment.objects.get().author == carol


def test_the_comments_read_in_a_fixed_number_of_queries(client_for, notice, alice, bob):
    client = client_for(bob)
    services.add_document_comment(actor=alice, document=notice, body="第一条 @Bob")
    client.get(url("comments", notice))
    with CaptureQueriesContext(connection) as few:
        client.get(url("comments", notice))
    for n in range(8):
        comment = services.add_document_comment(
            actor=alice if n % 2 else bob, document=notice, body=f"第{n}条 @Bob @Alice"
        )
        if n % 3 == 0:
            services.resolve_document_comment(actor=alice, comment=comment)
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(url("comments", notice)))
    assert html.count('id="doc-comment-') + html.count('id="dh-comment-') == 9
    assert len(many) == len(few)
