"""Two claimers racing for the same due rows never both get one."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from baton.notifications.mail import claim
from baton.notifications.models import Kind, MailState, Notification


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_split_the_rows(org, bob):
    due = timezone.now() - dt.timedelta(seconds=1)
    Notification.objects.bulk_create(
        Notification(
            recipient=bob,
            organization=org,
            kind=Kind.TASK,
            verb="task.updated",
            target_type="task",
            target_id=i,
            target_title="t",
            target_url="/t",
            mail_state=MailState.PENDING,
            mail_due_at=due,
        )
        for i in range(200)
    )
    got: list[list[int]] = []
    barrier = threading.Barrier(4)

    def run():
        try:
            barrier.wait()
            mine = []
            while ids := claim(timezone.now(), max_rows=7):
                mine += ids
            got.append(mine)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [i for ids in got for i in ids]
    assert len(every) == 200
    assert len(set(every)) == 200
    assert Notification.objects.filter(mail_state=MailState.SENDING).count() == 200
