"""The version history pages: the list of versions, one version, comparing two (word by word,
each Chinese character on its own), restoring one; who may do what; bad input."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baton.activity.models import Activity
from baton.documents import services
from baton.documents.models import DocumentMember, DocumentRole, DocumentVersion
from baton.documents.views.history import fold
from baton.lib.diff import diff_texts

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FIRST = "# 退货\n\n亲，您好！\n七天无理由退货。\n"
SECOND = "# 退货\n\n亲，您好！\n七天无理由退换货。\n"


@pytest.fixture
def script(org, alice):
    document = services.create_document(
        actor=alice, organization=org, title="售后退换货", body=FIRST
    )
    services.save_version(
        actor=alice, document=document, title="售后", body=SECOND, base_version=1, note="加换货"
    )
    return document


@pytest.fixture
def notice(org, alice):
    """A document the organization may only read (bob is a read-only member of it)."""
    document = services.create_document(
        actor=alice, organization=org, title="公告", body="一\n", access=DocumentRole.VIEWER
    )
    services.save_version(actor=alice, document=document, title="公告", body="二\n", base_version=1)
    return document


def url(name, document, *args, query=""):
    return reverse(f"documents:{name}", args=[document.organization.slug, document.pk, *args])


def html_of(response) -> str:
    return " ".join(response.content.decode().split())


# ---------------------------------------------------------------- the history


def test_a_new_empty_document_says_nothing_is_saved_yet_and_has_nothing_to_compare(
    english, org, alice, bob
):
    document = services.create_document(actor=alice, organization=org, title="新话术")
    page = html_of(english(bob).get(url("document", document)))
    assert "Not saved yet" in page and "Version 0" not in page
    history = english(bob).get(url("history", document))
    assert history.status_code == 200
    assert "Nothing has been saved yet" in html_of(history) and "dh-version" not in html_of(history)
    compare = english(bob).get(url("compare", document) + "?a=1&b=1")
    assert compare.status_code == 302 and compare["Location"] == url("history", document)
    assert english(bob).get(url("version", document, 1)).status_code in (404, 422)


def test_the_history_lists_every_version_with_author_note_and_lines(english, script, bob):
    response = english(bob).get(url("history", script))
    assert response.status_code == 200
    html = html_of(response)
    assert 'id="version-2"' in html and 'id="version-1"' in html
    assert "加换货" in html and "+1" in html and "−1" in html
    assert "Alice" in html
    assert "Restore" in html  # bob edits this document


def test_a_restored_version_says_where_it_came_from(english, script, alice):
    services.restore_version(actor=alice, document=script, number=1, base_version=2)
    html = html_of(english(alice).get(url("history", script)))
    assert "Restored from version 1" in html


def test_read_only_members_see_the_history_without_restore(english, notice, bob):
    html = html_of(english(bob).get(url("history", notice)))
    assert 'id="version-2"' in html and "dh-restore-confirm" not in html


def test_the_history_reads_in_the_same_number_of_queries_for_many_versions(
    client_for, script, alice
):
    client = client_for(alice)
    client.get(url("history", script))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("history", script)).status_code == 200
    for number in range(2, 30):
        services.save_version(
            actor=alice, document=script, title="售后", body=f"第{number}版", base_version=number
        )
    with CaptureQueriesContext(connection) as many:
        html = html_of(client.get(url("history", script)))
    assert html.count('class="dh-version"') + html.count('class="dh-version is-current"') == 30
    assert len(many) == len(few)


# ---------------------------------------------------------------- one version


def test_a_version_is_rendered_and_sanitised(english, org, alice):
    document = services.create_document(
        actor=alice, organization=org, title="x", body="**粗体**<script>alert(1)</script>"
    )
    html = english(alice).get(url("version", document, 1)).content.decode()
    assert "<strong>粗体</strong>" in html
    assert "<script>alert(1)" not in html


def test_an_older_version_offers_to_restore_it(english, script, alice):
    html = html_of(english(alice).get(url("version", script, 1)))
    assert "You are reading version 1; the current one is version 2." in html
    assert "七天无理由退货" in html
    assert 'name="base_version" value="2"' in html


def test_a_version_that_does_not_exist_is_404(english, script, alice):
    assert english(alice).get(url("version", script, 3)).status_code == 404
    assert english(alice).get(url("version", script, 0)).status_code == 404


# ---------------------------------------------------------------- comparing


def test_comparing_marks_the_one_changed_chinese_character(english, script, bob):
    response = english(bob).get(url("compare", script) + "?a=1&b=2")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<ins>换</ins>" in html
    assert "七天无理由退<ins>换</ins>货" in html
    assert "<del>" not in html.split('class="dh-diff')[1]


def test_side_by_side_shows_both_sides(english, script, bob):
    html = english(bob).get(url("compare", script) + "?a=2&b=1&view=split").content.decode()
    assert "dh-diff-split" in html and "<ins>换</ins>" in html
    assert "From version 1 to version 2" in html  # the older first, whatever the order asked


def test_only_the_changes_are_shown_unless_the_whole_text_is_asked_for(english, org, alice):
    lines = [f"第{n}行" for n in range(40)]
    document = services.create_document(
        actor=alice, organization=org, title="长", body="\n".join(lines)
    )
    lines[20] = "第二十行"
    services.save_version(
        actor=alice, document=document, title="长", body="\n".join(lines), base_version=1
    )
    client = english(alice)
    folded = html_of(client.get(url("compare", document)))
    assert "17 unchanged lines" in folded and "16 unchanged lines" in folded
    assert "第5行" not in folded
    whole = html_of(client.get(url("compare", document) + "?a=1&b=2&all=1"))
    assert "unchanged lines" not in whole and "第5行" in whole


def test_the_same_text_says_so(english, org, alice):
    document = services.create_document(actor=alice, organization=org, title="a", body="同")
    services.save_version(actor=alice, document=document, title="b", body="同", base_version=1)
    html = html_of(english(alice).get(url("compare", document) + "?a=1&b=2"))
    assert "The text is the same in both versions." in html
    assert "<del>a</del>" in html and "<ins>b</ins>" in html  # the title did change


@pytest.mark.parametrize("query", ["?a=x&b=2", "?a=1&b=9", "?a=-1&b=2", "?a=0&b=1"])
def test_comparing_versions_that_do_not_exist_is_a_clear_error(english, script, alice, query):
    response = english(alice).get(url("compare", script) + query)
    assert response.status_code == 422
    assert "Choose two versions between 1 and 2." in response.content.decode()


def test_folding_keeps_context_around_each_change():
    diff = diff_texts("\n".join("abcdefghij"), "\n".join("abcdeXghij"))
    hunks, trailing = fold(diff, 2)
    assert [h.skipped for h in hunks] == [3]
    kinds = [row.kind for row in hunks[0].rows]
    assert kinds == ["equal", "equal", "delete", "insert", "equal", "equal"]
    assert trailing == 2
    whole, rest = fold(diff, None)
    assert len(whole) == 1 and len(whole[0].rows) == 11 and rest == 0


# ---------------------------------------------------------------- restoring


def test_restoring_makes_a_new_version_and_goes_back_to_the_history(english, script, bob):
    response = english(bob).post(url("restore", script), {"number": 1, "base_version": 2})
    assert response.status_code == 302 and response.url == url("history", script)
    script.refresh_from_db()
    assert (script.version, script.body, script.title) == (3, FIRST, "售后退换货")
    third = DocumentVersion.objects.get(document=script, number=3)
    assert (third.restored_from, third.author) == (1, bob)


def test_restoring_from_a_stale_page_is_a_conflict_and_writes_nothing(english, script, alice):
    services.save_version(actor=alice, document=script, title="售后", body="第三版", base_version=2)
    response = english(alice).post(url("restore", script), {"number": 1, "base_version": 2})
    assert response.status_code == 409
    assert "Version 3 was saved while you were looking at the history" in html_of(response)
    script.refresh_from_db()
    assert script.version == 3 and script.body == "第三版"


def test_restoring_a_version_of_another_document_is_refused(english, org, script, alice):
    other = services.create_document(actor=alice, organization=org, title="物流", body="a")
    for number in range(1, 4):
        services.save_version(
            actor=alice, document=other, title="物流", body=f"v{number}", base_version=number
        )
    response = english(alice).post(url("restore", script), {"number": 4, "base_version": 2})
    assert response.status_code == 422
    assert "This document has no version 4." in html_of(response)
    script.refresh_from_db()
    assert script.version == 2


@pytest.mark.parametrize("data", [{}, {"number": "x", "base_version": 2}, {"number": 1}])
def test_restoring_without_a_version_is_a_clear_error(english, script, alice, data):
    response = english(alice).post(url("restore", script), data)
    assert response.status_code == 422
    assert "Choose a version to restore." in html_of(response)
    assert DocumentVersion.objects.filter(document=script).count() == 2


def test_read_only_members_may_not_restore(english, notice, bob):
    response = english(bob).post(url("restore", notice), {"number": 1, "base_version": 2})
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.version == 2
    assert not Activity.objects.filter(verb="document.restored").exists()


def test_guests_read_the_history_but_never_restore(english, script, carol):
    DocumentMember.objects.create(document=script, user=carol, role=DocumentRole.EDITOR)
    client = english(carol)
    assert client.get(url("history", script)).status_code == 200
    response = client.post(url("restore", script), {"number": 1, "base_version": 2})
    assert response.status_code == 403
    script.refresh_from_db()
    assert script.version == 2


def test_outsiders_get_404_on_every_history_url(english, script, mallory):
    client = english(mallory)
    for path in (url("history", script), url("version", script, 1), url("compare", script)):
        assert client.get(path).status_code == 404
    response = client.post(url("restore", script), {"number": 1, "base_version": 2})
    assert response.status_code == 404
    script.refresh_from_db()
    assert script.version == 2


def test_a_trashed_document_has_no_history_page(english, script, alice):
    from django.utils import timezone

    type(script).objects.filter(pk=script.pk).update(deleted_at=timezone.now())
    assert english(alice).get(url("history", script)).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, script):
    response = client.get(url("history", script))
    assert response.status_code == 302 and "/accounts/login" in response.url


def test_a_long_history_opens_on_its_newest_versions_with_the_older_a_click_away(
    english, script, alice
):
    from baton.documents.views import history as history_views

    for number in range(2, 7):
        services.save_version(
            actor=alice, document=script, title="售后", body=f"第{number}版", base_version=number
        )
    history_views.HISTORY_PAGE, page_size = 3, history_views.HISTORY_PAGE
    try:
        client = english(alice)
        first = html_of(client.get(url("history", script)))
        assert "7 saved versions" in first
        assert 'id="version-7"' in first and 'id="version-5"' in first
        assert 'id="version-4"' not in first and "?before=5" in first
        older = html_of(client.get(url("history", script) + "?before=5"))
        assert 'id="version-4"' in older and 'id="version-2"' in older
        assert 'id="version-5"' not in older and "Newest versions" in older
        last = html_of(client.get(url("history", script) + "?before=2"))
        assert 'id="version-1"' in last and "Older versions" not in last
    finally:
        history_views.HISTORY_PAGE = page_size


def test_restore_from_the_history_opens_the_question_on_the_version(english, script, alice):
    history = html_of(english(alice).get(url("history", script)))
    assert url("version", script, 1) + "?restore=1#restore" in history
    html = html_of(english(alice).get(url("version", script, 1) + "?restore=1"))
    assert 'id="restore" open' in html
