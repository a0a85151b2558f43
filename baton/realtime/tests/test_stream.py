"""The SSE endpoint /events/: who may listen, what arrives, replay, presence."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync
from django.db import connections, transaction

from baton.realtime import stream
from baton.realtime.bus import bus, publish_on_commit
from baton.realtime.channels import project_channel, user_channel
from baton.realtime.models import LiveEvent, Presence
from baton.realtime.tests.sse import FakeClient, db, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def local_bus(settings):
    """This process only: what these tests check is the endpoint, not the transports."""
    settings.BATON_BUS = "local"


def run(scenario):
    """Run the scenario on a thread of its own: in a worker that also ran browser tests,
    Playwright's sync API leaves its event loop marked as running in the main thread, where
    async_to_sync refuses to start. The data is committed (transactional tests), so the thread's
    own database connection sees it; it is closed before the thread ends."""
    failure = []

    def target():
        try:
            async_to_sync(scenario)()
        except BaseException as error:
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def rename(actor, task_list, name):
    from baton.projects.services import update_list

    update_list(actor=actor, task_list=task_list, name=name)


@pytest.fixture
def private_project(org, alice):
    """A members-only project of alice's alone."""
    from baton.projects.services import create_project

    return create_project(actor=alice, organization=org, name="大促筹备", key="DC", lists=["要做"])


# ---------------------------------------------------------------- refusals


def test_a_stream_without_a_session_is_refused_with_403(project):
    async def scenario():
        client = await FakeClient([project_channel(project.pk)]).run()
        assert client.status == 403
        assert "event" not in client.text

    run(scenario)


def test_a_stream_with_a_forged_session_is_refused_with_403(project):
    async def scenario():
        client = await FakeClient([project_channel(project.pk)], "sessionid=forged").run()
        assert client.status == 403

    run(scenario)


def test_mallory_asking_for_alices_project_gets_404_and_hears_nothing(project, mallory, other_org):
    cookie = session_cookie(mallory)

    async def scenario():
        client = await FakeClient([project_channel(project.pk)], cookie).run()
        assert client.status == 404
        assert "data:" not in client.text
        assert bus.listening() == 0

    run(scenario)


def test_a_guest_asking_for_a_private_project_gets_404(private_project, carol, bob):
    async def scenario():
        for person in (carol, bob):
            cookie = await db(session_cookie, person)
            client = await FakeClient([project_channel(private_project.pk)], cookie).run()
            assert client.status == 404
            assert "data:" not in client.text

    run(scenario)


def test_one_forbidden_channel_among_allowed_ones_refuses_the_whole_stream(project, bob, alice):
    cookie = session_cookie(bob)

    async def scenario():
        channels = [project_channel(project.pk), user_channel(alice.pk)]
        client = await FakeClient(channels, cookie).run()
        assert client.status == 404

    run(scenario)


@pytest.mark.parametrize(
    "channels",
    [
        [],
        ["nothing:1"],
        ["project:abc"],
        ["project"],
        ["project:-1"],
        [f"user:{'9' * 70}"],
        [f"project:{i}" for i in range(1, 10)],
    ],
    ids=["none", "unknown-kind", "not-a-number", "no-id", "negative", "too-long", "nine"],
)
def test_unknown_or_malformed_channels_get_400(channels, bob):
    cookie = session_cookie(bob)

    async def scenario():
        client = await FakeClient(channels, cookie).run()
        assert client.status == 400

    run(scenario)


def test_a_post_to_the_stream_gets_405(bob):
    cookie = session_cookie(bob)

    async def scenario():
        client = FakeClient([user_channel(bob.pk)], cookie)
        client.scope["method"] = "POST"
        await client.run()
        assert client.status == 405

    run(scenario)


# ---------------------------------------------------------------- events


def test_an_event_published_on_commit_arrives(project, lists, alice, bob):
    cookie = session_cookie(bob)

    async def scenario():
        client = await FakeClient([project_channel(project.pk)], cookie).start().connected()
        assert client.status == 200
        await db(rename, alice, lists[0], "新反馈")
        await client.wait_for(lambda c: "list.updated" in c.types())
        [event] = [e for e in client.events() if e["type"] == "list.updated"]
        assert event["channel"] == project_channel(project.pk)
        assert event["list_id"] == lists[0].pk
        assert event["actor"] == alice.pk
        newest = await db(lambda: LiveEvent.objects.filter(payload__type="list.updated").get())
        assert event["id"] == newest.pk
        await client.disconnect()

    run(scenario)


def test_a_rolled_back_write_publishes_nothing(project, lists, alice, bob):
    cookie = session_cookie(bob)

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            rename(alice, lists[0], "不会保存")
            raise RuntimeError("no")

    def committed():
        publish_on_commit(project_channel(project.pk), {"type": "marker"})

    async def scenario():
        client = await FakeClient([project_channel(project.pk)], cookie).start().connected()
        await db(rolled_back)
        await db(committed)  # anything sent before it would have arrived first
        await client.wait_for(lambda c: "marker" in c.types())
        assert "list.updated" not in client.types()
        await client.disconnect()

    run(scenario)
    assert not LiveEvent.objects.filter(payload__type="list.updated").exists()


def test_a_stream_hears_only_its_own_channels(project, lists, alice, bob):
    cookie = session_cookie(bob)

    async def scenario():
        client = await FakeClient([user_channel(bob.pk)], cookie).start().connected()
        await db(rename, alice, lists[0], "别处的变化")
        await db(publish_on_commit, user_channel(alice.pk), {"type": "for.alice"})
        await db(publish_on_commit, user_channel(bob.pk), {"type": "for.bob"})
        await client.wait_for(lambda c: "for.bob" in c.types())
        assert client.types() == ["for.bob"]
        await client.disconnect()

    run(scenario)


def test_last_event_id_replays_what_was_missed_then_streams_on(project, lists, alice, bob):
    cookie = session_cookie(bob)
    channel = project_channel(project.pk)
    before = seen_event(channel)
    rename(alice, lists[0], "一")
    rename(alice, lists[1], "二")
    publish_on_commit(user_channel(alice.pk), {"type": "not.for.bob"})

    async def scenario():
        client = FakeClient([channel], cookie, last=before).start()
        await client.wait_for(lambda c: c.types().count("list.updated") == 2)
        replayed = client.events()
        assert [e["list_id"] for e in replayed] == [lists[0].pk, lists[1].pk]
        assert all(e["id"] > before for e in replayed)
        await db(rename, alice, lists[2], "三")
        await client.wait_for(lambda c: c.types().count("list.updated") == 3)
        assert "not.for.bob" not in client.types()
        await client.disconnect()

    run(scenario)


def test_last_query_parameter_works_as_last_event_id(project, lists, alice, bob):
    cookie = session_cookie(bob)
    channel = project_channel(project.pk)
    before = seen_event(channel)
    rename(alice, lists[0], "一")

    async def scenario():
        client = FakeClient([channel], cookie)
        client.scope["query_string"] += f"&last={before}".encode()
        client.start()
        await client.wait_for(lambda c: "list.updated" in c.types())
        await client.disconnect()

    run(scenario)


def test_more_missed_than_the_window_holds_sends_refresh(project, alice, bob, monkeypatch):
    monkeypatch.setattr(stream, "REPLAY_LIMIT", 3)
    cookie = session_cookie(bob)
    channel = project_channel(project.pk)
    before = seen_event(channel)
    for n in range(5):
        publish_on_commit(channel, {"type": "burst", "n": n})

    async def scenario():
        client = await FakeClient([channel], cookie, last=before).start().connected()
        await client.wait_for(lambda c: "event: refresh" in c.text)
        assert "burst" not in client.types()
        await client.disconnect()

    run(scenario)


def test_a_pruned_window_sends_refresh(project, alice, bob):
    cookie = session_cookie(bob)
    channel = project_channel(project.pk)
    publish_on_commit(channel, {"type": "old"})
    seen = LiveEvent.objects.latest("id").pk
    publish_on_commit(channel, {"type": "missed"})
    publish_on_commit(channel, {"type": "kept"})
    LiveEvent.objects.filter(id__lte=seen + 1).delete()  # pruned, "missed" with it

    async def scenario():
        client = await FakeClient([channel], cookie, last=seen).start().connected()
        await client.wait_for(lambda c: "event: refresh" in c.text)
        assert "kept" not in client.types()
        await client.disconnect()

    run(scenario)


def seen_event(channel: str) -> int:
    """An event the reconnecting browser heard before it lost its connection: its id."""
    publish_on_commit(channel, {"type": "seen"})
    return LiveEvent.objects.latest("id").pk


def test_a_reconnect_with_nothing_missed_replays_nothing(project, bob):
    cookie = session_cookie(bob)
    channel = project_channel(project.pk)
    before = seen_event(channel)

    async def scenario():
        client = await FakeClient([channel], cookie, last=before).start().connected()
        await db(publish_on_commit, channel, {"type": "after"})
        await client.wait_for(lambda c: "after" in c.types())
        assert client.types() == ["after"]
        await client.disconnect()

    run(scenario)


# ---------------------------------------------------------------- presence and access


def test_presence_rows_live_while_connected_and_go_on_disconnect(project, alice, bob):
    channel = project_channel(project.pk)
    alice_cookie, bob_cookie = session_cookie(alice), session_cookie(bob)

    async def scenario():
        watcher = await FakeClient([channel], alice_cookie).start().connected()
        # Her own arrival first.
        await watcher.wait_for(lambda c: "presence.changed" in c.types(presence=True))
        client = await FakeClient([channel], bob_cookie).start().connected()
        await watcher.wait_for(lambda c: c.types(presence=True).count("presence.changed") >= 2)
        present = await db(stream.present_users, channel, exclude_user_id=alice.pk)
        assert [p.pk for p in present] == [bob.pk]
        assert await db(Presence.objects.filter(channel=channel, user=bob).count) == 1
        await client.disconnect()
        await watcher.wait_for(lambda c: c.types(presence=True).count("presence.changed") >= 3)
        assert await db(Presence.objects.filter(user=bob).count) == 0
        assert await db(stream.present_users, channel, exclude_user_id=alice.pk) == []
        await watcher.disconnect()

    run(scenario)
    assert not Presence.objects.exists()


def test_a_user_channel_keeps_no_presence(bob):
    cookie = session_cookie(bob)

    async def scenario():
        client = await FakeClient([user_channel(bob.pk)], cookie).start().connected()
        await asyncio.sleep(0.1)
        assert await db(Presence.objects.count) == 0
        await client.disconnect()

    run(scenario)


def test_a_member_removed_from_the_project_stops_receiving(project, lists, alice, bob, monkeypatch):
    from baton.projects.models import ProjectMember
    from baton.projects.services import remove_project_member

    monkeypatch.setattr(stream, "RECHECK_SECONDS", 0.2)
    cookie = session_cookie(bob)
    channel = project_channel(project.pk)

    def remove_bob():
        member = ProjectMember.objects.get(project=project, user=bob)
        remove_project_member(actor=alice, member=member)

    async def scenario():
        client = await FakeClient([channel], cookie).start().connected()
        await db(rename, alice, lists[0], "还能看到")
        await client.wait_for(lambda c: "list.updated" in c.types())
        await db(remove_bob)
        await asyncio.wait_for(client.task, 5)  # the stream ends at the next check
        heard = len(client.events())
        await db(rename, alice, lists[1], "看不到了")
        await asyncio.sleep(0.2)
        assert len(client.events()) == heard
        assert await db(Presence.objects.filter(user=bob).count) == 0
        await client.disconnect()
        # Reconnecting is refused.
        again = await FakeClient([channel], cookie).run()
        assert again.status == 404

    run(scenario)


def test_keepalives_are_sent_while_nothing_happens(bob, monkeypatch):
    monkeypatch.setattr(stream, "KEEPALIVE_SECONDS", 0.05)
    cookie = session_cookie(bob)

    async def scenario():
        client = await FakeClient([user_channel(bob.pk)], cookie).start().connected()
        await client.wait_for(lambda c: c.text.count(": keepalive") >= 2)
        await client.disconnect()

    run(scenario)
