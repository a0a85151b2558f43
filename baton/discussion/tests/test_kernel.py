"""The kernel itself: a comment or file is only ever found through its own owner, and deleting an
owner takes its comments, files and stored files with it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from baton.discussion.models import Comment
from baton.discussion.permissions import get_comment_or_404
from baton.files.models import Attachment
from baton.files.permissions import get_attachment_or_404
from baton.projects import services


def card(project, alice, lists, title="退款单"):
    return services.create_task(actor=alice, project=project, task_list=lists[0], title=title)


def test_a_comment_or_file_is_found_only_through_its_owner(project, alice, lists, media):
    mine, other = card(project, alice, lists), card(project, alice, lists, "换货单")
    comment = services.add_comment(
        actor=alice, task=mine, body="单据", files=[SimpleUploadedFile("单据.pdf", b"%PDF-1")]
    )
    [attachment] = comment.attachments.all()
    assert get_comment_or_404(mine, comment.pk) == comment
    assert get_attachment_or_404(mine, attachment.pk) == attachment
    for lookup, pk in ((get_comment_or_404, comment.pk), (get_attachment_or_404, attachment.pk)):
        for owner, value in ((other, pk), (mine, "x"), (mine, -1), (mine, 2**70)):
            with pytest.raises(Http404):
                lookup(owner, value)


def test_deleting_the_owner_deletes_its_comments_and_files(
    project, alice, lists, media, django_capture_on_commit_callbacks
):
    task = card(project, alice, lists)
    services.add_comment(
        actor=alice, task=task, body="图", files=[SimpleUploadedFile("a.pdf", b"%PDF-1")]
    )
    services.add_attachments(actor=alice, task=task, files=[SimpleUploadedFile("b.pdf", b"%PDF")])
    assert Comment.objects.count() == 1 and Attachment.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_task(actor=alice, task=task)
    assert not Comment.objects.exists() and not Attachment.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []
