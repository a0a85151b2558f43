"""Django's database session store, with its one read (every request) prepared once per process.

The session is the first query of every logged-in request; building it through the ORM cost more
than running it (see core/prepared.py). Same row, same expiry rule, same answer.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from baton.accounts import backends
from baton.core.prepared import PreparedQuery

_SESSION = PreparedQuery(
    lambda session_key: Session.objects.filter(session_key=session_key), session_key=str
)


class SessionStore(db.SessionStore):
    def load(self):
        data = super().load()
        # Logged in before accounts.backends replaced Django's ModelBackend: still logged in.
        if data.get(BACKEND_SESSION_KEY) == backends.REPLACED_PATH:
            data[BACKEND_SESSION_KEY] = backends.PATH
        return data

    def _get_session_from_db(self):
        session = _SESSION.first(session_key=self.session_key) if self.session_key else None
        # An expired row is no session (Django's store filters expire_date > now in its query).
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
