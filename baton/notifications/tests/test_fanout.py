"""Who hears what: the fan-out rules as a table (event x role → told or not), idempotency, and
the live count on the user channel."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baton.activity.models import Activity
from baton.notifications.fanout import fan_out
from baton.notifications.models import Kind, Notification

FAN_OUT = "baton.notifications.fanout.fan_out"


def _fresh_start():
    """Forget what the setting-up wrote: jobs and notifications."""
    from dbtasks.models import ScheduledTask

    ScheduledTask.objects.all().delete()
    Notification.objects.all().delete()


@pytest.fixture
def people(make_user, org, other_org, project, alice, bob, carol, mallory):
    """Everyone around card SH-1 (alice, the org's owner, acts):

    owner: dave (member, assignee); participant: erin (member); follower: frank (viewer who
    pressed Follow); mentioned: bob (member, named in the comment); viewer: carol (project
    viewer, not involved); removed: gina (was a participant, then left the organization);
    outsider: mallory (another organization, forced into the participants); guest: hank
    (organization guest without access to the project, forced in); inactive: ivy (participant,
    deactivated)."""
    from baton.orgs.models import Membership, Role
    from baton.projects.models import ProjectRole
    from baton.projects.services import add_project_member

    users = {"actor": alice, "mentioned": bob, "viewer": carol, "mallory": mallory}
    for role, name, org_role, project_role in [
        ("owner", "Dave", Role.MEMBER, ProjectRole.MEMBER),
        ("participant", "Erin", Role.MEMBER, ProjectRole.MEMBER),
        ("follower", "Frank", Role.MEMBER, ProjectRole.VIEWER),
        ("removed", "Gina", Role.MEMBER, ProjectRole.MEMBER),
        ("guest", "Hank", Role.GUEST, None),
        ("inactive", "Ivy", Role.MEMBER, ProjectRole.MEMBER),
    ]:
        user = make_user(name)
        Membership.objects.create(organization=org, user=user, role=org_role)
        if project_role:
            add_project_member(actor=alice, project=project, user=user, role=project_role)
        users[role] = user
    return users


@pytest.fixture
def card(people, project, lists):
    from baton.orgs.models import Membership
    from baton.projects.services import create_task, set_following

    task = create_task(
        actor=people["actor"],
        project=project,
        task_list=lists[0],
        title="Refund for order 1001",
        assignee=people["owner"].pk,
        participants=[people["participant"].pk, people["removed"].pk, people["inactive"].pk],
    )
    set_following(actor=people["follower"], task=task, following=True)
    # Stale data the services would refuse: the rules must not trust it.
    task.participants.add(people["mallory"], people["guest"])
    Membership.objects.filter(user=people["removed"]).delete()
    people["inactive"].is_active = False
    people["inactive"].save()
    _fresh_start()
    return task


def _act(event: str, *, actor, task, lists, people):
    from baton.projects import services

    if event == "assign":
        services.update_task(actor=actor, task=task, assignee=people["participant"].pk)
    elif event == "due":
        services.update_task(actor=actor, task=task, due_date="2026-11-11")
    elif event == "title":
        services.update_task(actor=actor, task=task, title="Refund for order 1002")
    elif event == "tags_only":
        from baton.projects.services import create_tag

        tag = create_tag(actor=actor, project=task.project, name="退款")
        _fresh_start()
        services.update_task(actor=actor, task=task, tags=[tag.pk])
    elif event == "done":
        services.move_task(actor=actor, task=task, to_list=lists[2])
    elif event == "reorder":
        services.move_task(actor=actor, task=task, to_list=lists[0])
    elif event == "complete":
        services.set_task_done(actor=actor, task=task, done=True)
    elif event == "comment":
        services.add_comment(actor=actor, task=task, body="Customer called again")
    elif event == "mention":
        services.add_comment(actor=actor, task=task, body="@Bob please check the refund")
    elif event == "attach":
        services.add_attachments(
            actor=actor, task=task, files=[SimpleUploadedFile("a.txt", b"x", "text/plain")]
        )
    elif event == "delete":
        services.delete_task(actor=actor, task=task)
    else:  # pragma: no cover
        raise AssertionError(event)


ROLES = [
    "actor",
    "owner",
    "participant",
    "follower",
    "mentioned",
    "viewer",
    "removed",
    "mallory",
    "guest",
    "inactive",
]
FOLLOWERS = {"owner": Kind.TASK, "participant": Kind.TASK, "follower": Kind.TASK}
TABLE = {
    # event: {role: kind} — every role not named hears nothing.
    # The card passes from dave to erin: erin is told it is hers; dave, no longer its owner nor
    # a participant, is not a follower any more.
    "assign": {"participant": Kind.ASSIGNMENT, "follower": Kind.TASK},
    "due": FOLLOWERS,
    "title": FOLLOWERS,
    "tags_only": {},
    "done": FOLLOWERS,
    "reorder": {},
    "complete": FOLLOWERS,
    "comment": FOLLOWERS,
    "mention": {**FOLLOWERS, "mentioned": Kind.MENTION},
    "attach": FOLLOWERS,
    "delete": FOLLOWERS,
}


@pytest.mark.parametrize("event", list(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_card_rules(event, role, people, card, lists, run_jobs):
    _act(event, actor=people["actor"], task=card, lists=lists, people=people)
    run_jobs(task_path=FAN_OUT)
    got = Notification.objects.filter(recipient=people[role])
    expected = TABLE[event].get(role)
    assert [n.kind for n in got] == ([expected] if expected else [])


def test_a_member_who_acts_is_not_told_but_the_others_are(people, card, lists, run_jobs):
    from baton.projects.services import add_comment

    add_comment(actor=people["owner"], task=card, body="Done, refunded")
    run_jobs(task_path=FAN_OUT)
    told = set(Notification.objects.values_list("recipient__name", flat=True))
    assert told == {"Erin", "Frank"}
    n = Notification.objects.get(recipient=people["participant"])
    assert n.actor == people["owner"]
    assert n.target_type == "task" and n.target_id == card.pk
    assert n.target_title == "SH-1 Refund for order 1001"
    assert n.target_url == f"/o/{card.project.organization.slug}/SH-1"
    assert n.data["excerpt"] == "Done, refunded"


def test_a_comment_excerpt_is_plain_text_not_raw_markdown(people, card, lists, run_jobs):
    from baton.projects.services import add_comment

    add_comment(
        actor=people["owner"], task=card,
        body="**Refunded** via [Alipay](https://alipay.example/1)\n\n- `order 1001`",
    )  # fmt: skip
    run_jobs(task_path=FAN_OUT)
    n = Notification.objects.get(recipient=people["participant"])
    assert n.data["excerpt"] == "Refunded via Alipay order 1001"


def test_the_assignee_of_a_new_card_is_told(people, project, lists, run_jobs):
    from baton.projects.services import create_task

    create_task(
        actor=people["actor"], project=project, task_list=lists[0], title="x",
        assignee=people["owner"].pk,
    )  # fmt: skip
    create_task(actor=people["actor"], project=project, task_list=lists[0], title="y")
    run_jobs(task_path=FAN_OUT)
    assert list(Notification.objects.values_list("recipient__name", "kind")) == [
        ("Dave", Kind.ASSIGNMENT)
    ]


def test_a_card_assigned_just_after_creation_tells_its_owner_once(people, project, lists, run_jobs):
    from baton.projects.services import create_task, update_task

    task = create_task(actor=people["actor"], project=project, task_list=lists[0], title="x")
    update_task(actor=people["actor"], task=task, assignee=people["owner"].pk)
    run_jobs(task_path=FAN_OUT)
    assert list(Notification.objects.values_list("recipient__name", "verb")) == [
        ("Dave", "task.updated")
    ]


def test_an_edited_comment_tells_only_the_newly_mentioned(people, card, run_jobs):
    from baton.projects.services import add_comment, edit_comment

    comment = add_comment(actor=people["actor"], task=card, body="@Bob look")
    run_jobs(task_path=FAN_OUT)
    edit_comment(actor=people["actor"], comment=comment, body="@Bob look, @Dave too")
    run_jobs(task_path=FAN_OUT)
    mentions = Notification.objects.filter(kind=Kind.MENTION)
    assert sorted(mentions.values_list("recipient__name", flat=True)) == ["Bob", "Dave"]


def test_nothing_is_enqueued_for_writes_nobody_hears_of(people, card, lists):
    from dbtasks.models import ScheduledTask

    from baton.projects.services import create_list, create_task, move_task

    move_task(actor=people["actor"], task=card, to_list=lists[0])  # within its list
    create_list(actor=people["actor"], project=card.project, name="搁置")
    # A quick-add (no owner) and a card its creator owns tell nobody.
    create_task(actor=people["actor"], project=card.project, task_list=lists[0], title="新卡片")
    create_task(
        actor=people["actor"], project=card.project, task_list=lists[0], title="我的",
        assignee=people["actor"].pk,
    )  # fmt: skip
    assert not ScheduledTask.objects.filter(task_path=FAN_OUT).exists()


def test_a_rolled_back_write_enqueues_nothing(people, card):
    from dbtasks.models import ScheduledTask
    from django.db import transaction

    from baton.projects.services import add_comment

    with pytest.raises(RuntimeError), transaction.atomic():
        add_comment(actor=people["actor"], task=card, body="oops")
        raise RuntimeError
    assert not ScheduledTask.objects.filter(task_path=FAN_OUT).exists()


# ---------------------------------------------------------------- idempotency


def test_running_the_fan_out_twice_tells_nobody_twice(people, card):
    from baton.projects.services import add_comment

    add_comment(actor=people["actor"], task=card, body="@Bob twice?")
    activity = Activity.objects.get(verb="comment.added")
    assert fan_out.call(activity_id=activity.pk) == 4
    assert fan_out.call(activity_id=activity.pk) == 0
    assert Notification.objects.count() == 4
    assert Notification.objects.filter(recipient=people["mentioned"]).get().kind == Kind.MENTION


def test_a_failed_fan_out_is_retried_later_and_then_tells_everyone(people, card, monkeypatch):
    from dbtasks.models import ScheduledTask

    from baton.notifications import fanout
    from baton.projects.services import add_comment

    add_comment(actor=people["actor"], task=card, body="@Bob are you there?")
    activity = Activity.objects.get(verb="comment.added")
    _fresh_start()

    def locked(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(fanout, "deliver", locked)
    assert fan_out.call(activity_id=activity.pk) == 0
    retry = ScheduledTask.objects.get(task_path=FAN_OUT)
    assert retry.kwargs["attempt"] == 1
    assert retry.run_after > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    monkeypatch.undo()
    assert fan_out.call(**retry.kwargs) == 4
    # The last attempt gives up loudly (the task fails and its error is kept by dbtasks).
    monkeypatch.setattr(fanout, "deliver", locked)
    with pytest.raises(RuntimeError):
        fan_out.call(activity_id=activity.pk, attempt=len(fanout.RETRY_SECONDS))


def test_a_missing_activity_is_nothing_to_do(db):
    assert fan_out.call(activity_id=999_999) == 0


# ---------------------------------------------------------------- live count


def test_each_recipient_hears_their_unread_count(people, card, run_jobs):
    from baton.projects.services import add_comment
    from baton.realtime.models import LiveEvent

    add_comment(actor=people["actor"], task=card, body="one")
    add_comment(actor=people["actor"], task=card, body="two")
    LiveEvent.objects.all().delete()
    run_jobs(task_path=FAN_OUT)
    events = LiveEvent.objects.filter(channel=f"user:{people['owner'].pk}").order_by("id")
    assert [e.payload for e in events] == [
        {"type": "notification.created", "unread": 1},
        {"type": "notification.created", "unread": 2},
    ]
    assert not LiveEvent.objects.filter(channel=f"user:{people['viewer'].pk}").exists()
    assert not LiveEvent.objects.filter(channel=f"user:{people['actor'].pk}").exists()


# ---------------------------------------------------------------- documents


@pytest.fixture
def document(people, org, project):
    from baton.documents.models import DocumentFollower, DocumentVisibility
    from baton.documents.services import create_document, follow_document

    doc = create_document(
        actor=people["owner"], organization=org, project=project, title="退款话术", body="v1",
        visibility=DocumentVisibility.ORGANIZATION,
    )  # fmt: skip
    follow_document(actor=people["follower"], document=doc)
    # Carol followed it while she could read it; as a guest she cannot read it any more.
    DocumentFollower.objects.create(document=doc, user=people["viewer"])
    _fresh_start()
    return doc


DOCUMENT_TABLE = {
    # role: (saved version, comment mentioning Bob)
    "owner": (Kind.DOCUMENT, Kind.DOCUMENT),  # the author follows it
    "follower": (Kind.DOCUMENT, Kind.DOCUMENT),
    "mentioned": (None, Kind.MENTION),
    "viewer": (None, None),  # a follower who may not read it any more
    "actor": (None, None),
    "participant": (None, None),
    "mallory": (None, None),
}


@pytest.mark.parametrize("role", list(DOCUMENT_TABLE))
@pytest.mark.parametrize("event", ["saved", "comment"])
def test_document_rules(event, role, people, document, run_jobs):
    from baton.documents.models import DocumentFollower
    from baton.documents.services import add_document_comment, save_version

    assert DocumentFollower.objects.filter(document=document, user=people["viewer"]).exists()
    if event == "saved":
        save_version(
            actor=people["actor"], document=document, title="退款话术", body="v2",
            base_version=document.version,
        )  # fmt: skip
    else:
        add_document_comment(actor=people["actor"], document=document, body="@Bob 看一下")
    run_jobs(task_path=FAN_OUT)
    expected = DOCUMENT_TABLE[role][0 if event == "saved" else 1]
    got = list(Notification.objects.filter(recipient=people[role]).values_list("kind", flat=True))
    assert got == ([expected] if expected else [])


# ---------------------------------------------------------------- events


@pytest.fixture
def meeting(people, org):
    from baton.calendars.models import CalendarVisibility
    from baton.calendars.services import create_calendar, create_event

    calendar = create_calendar(
        actor=people["actor"], organization=org, name="天猫", visibility=CalendarVisibility.MEMBERS
    )
    start = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)
    event = create_event(
        actor=people["actor"],
        calendar=calendar,
        title="双11 预热会",
        start=start,
        end=start + dt.timedelta(hours=1),
        participants=[people["owner"].pk, people["participant"].pk],
    )
    return event


def test_event_participants_are_invited_and_hear_of_changes(people, meeting, run_jobs):
    from baton.calendars.services import add_event_comment, delete_event, move_event

    run_jobs(task_path=FAN_OUT)
    invited = Notification.objects.filter(verb="event.created")
    assert sorted(invited.values_list("recipient__name", flat=True)) == ["Dave", "Erin"]
    assert all(n.data.get("invited") and n.kind == Kind.EVENT for n in invited)

    Notification.objects.all().delete()
    move_event(
        actor=people["actor"], event=meeting,
        start=meeting.start + dt.timedelta(hours=2), end=meeting.end + dt.timedelta(hours=2),
    )  # fmt: skip
    run_jobs(task_path=FAN_OUT)
    moved = Notification.objects.all()
    assert sorted((n.recipient.name, n.data.get("moved")) for n in moved) == [
        ("Dave", True),
        ("Erin", True),
    ]

    Notification.objects.all().delete()
    add_event_comment(actor=people["actor"], event=meeting, body="@Bob @Dave 你也来")
    run_jobs(task_path=FAN_OUT)
    # Bob cannot see the calendar and is no participant: the mention does not reach him.
    assert sorted(Notification.objects.values_list("recipient__name", "kind")) == [
        ("Dave", Kind.MENTION),
        ("Erin", Kind.EVENT),
    ]

    Notification.objects.all().delete()
    delete_event(actor=people["actor"], event=meeting)
    run_jobs(task_path=FAN_OUT)
    cancelled = Notification.objects.filter(verb="event.deleted")
    assert sorted(cancelled.values_list("recipient__name", flat=True)) == ["Dave", "Erin"]


def test_added_participants_are_invited_once(people, meeting, run_jobs):
    from baton.calendars.services import update_event

    run_jobs(task_path=FAN_OUT)
    update_event(
        actor=people["actor"], event=meeting,
        participants=[people["owner"].pk, people["participant"].pk, people["mentioned"].pk],
    )  # fmt: skip
    run_jobs(task_path=FAN_OUT)
    added = Notification.objects.filter(verb="event.updated")
    assert list(added.values_list("recipient__name", flat=True)) == ["Bob"]
    assert added.get().data["invited"] is True


def test_commenting_follows_the_card(people, card, run_jobs):
    from baton.projects.services import add_comment, set_task_done

    add_comment(actor=people["mentioned"], task=card, body="我来跟进")
    assert card.participants.filter(pk=people["mentioned"].pk).exists()
    add_comment(actor=people["mentioned"], task=card, body="again")  # already following
    Notification.objects.all().delete()
    set_task_done(actor=people["actor"], task=card, done=True)
    run_jobs(task_path=FAN_OUT)
    assert Notification.objects.filter(recipient=people["mentioned"], kind=Kind.TASK).exists()
