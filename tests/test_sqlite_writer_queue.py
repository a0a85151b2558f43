"""SQLite write transactions queue on a file lock beside the database (baton/core/sqlite)."""

import fcntl
import os
import threading

import pytest
from django.db import connection, connections, transaction

from baton.accounts.models import User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the queue is SQLite's"),
]


def queue_is_free() -> bool:
    """True when another file description can take the writers' lock at once."""
    fd = os.open(f"{connection.settings_dict['NAME']}-writers", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_transaction_holds_the_queue_until_it_commits():
    with transaction.atomic():
        User.objects.create_user("first@example.com", None, name="First")
        assert not queue_is_free()
    assert queue_is_free()
    assert User.objects.filter(email="first@example.com").exists()


def test_a_rolled_back_transaction_leaves_the_queue():
    with pytest.raises(RuntimeError), transaction.atomic():
        User.objects.create_user("gone@example.com", None, name="Gone")
        raise RuntimeError
    assert queue_is_free()
    assert not User.objects.filter(email="gone@example.com").exists()


def test_a_savepoint_inside_a_transaction_keeps_the_queue():
    with transaction.atomic():
        with transaction.atomic():
            User.objects.create_user("inner@example.com", None, name="Inner")
        assert not queue_is_free()
    assert queue_is_free()


def test_closing_the_connection_inside_a_transaction_leaves_the_queue():
    with transaction.atomic():
        User.objects.create_user("closed@example.com", None, name="Closed")
        connection.close()
        assert queue_is_free()
    assert not User.objects.filter(email="closed@example.com").exists()


def test_a_second_writer_waits_for_the_first_and_then_writes():
    started, errors = threading.Event(), []

    def second_writer():
        try:
            started.set()
            with transaction.atomic():
                User.objects.create_user("second@example.com", None, name="Second")
        except Exception as error:  # reported to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        User.objects.create_user("first@example.com", None, name="First")
        writer = threading.Thread(target=second_writer)
        writer.start()
        started.wait(30)
    writer.join(60)
    assert not writer.is_alive() and errors == []
    first, second = User.objects.filter(email__in=["first@example.com", "second@example.com"])
    assert first.pk < second.pk


def test_a_writer_kept_out_past_the_busy_timeout_goes_ahead_without_the_queue(monkeypatch):
    """A lock held by something that is no transaction (or stuck) delays writers by the busy
    timeout at most; SQLite itself still orders the writes."""
    fd = os.open(f"{connection.settings_dict['NAME']}-writers", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.05)
    try:
        with transaction.atomic():
            User.objects.create_user("patient@example.com", None, name="Patient")
    finally:
        os.close(fd)
    assert User.objects.filter(email="patient@example.com").exists()
