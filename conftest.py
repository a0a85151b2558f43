"""Shared fixtures: alice owns the organization, bob is a member, carol a guest, mallory is not."""

import functools
import re
import sys

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def live_bus_in_process(settings):
    """Live events stay in the test process unless a test asks for a transport: the default on
    PostgreSQL (LISTEN/NOTIFY) would hold a connection to the test database open."""
    settings.BATON_BUS = "local"


# ---------------------------------------------------------------- views never write models

VIEW_MODULE = re.compile(r"^baton\.\w+\.views(\.|$)")
view_writes: list[str] = []


def writer_outside_the_orm(frame) -> str:
    """The module that asked for a write: the first caller outside the ORM, model forms, the
    M2M signal and the models' own methods."""
    while frame is not None and ORM.match(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
    return "" if frame is None else frame.f_globals.get("__name__", "")


ORM = re.compile(r"^(django\.(db|dispatch|forms)|baton\.\w+\.models)(\.|$)")


def record_if_a_view(what: str) -> None:
    module = writer_outside_the_orm(sys._getframe(2))
    if VIEW_MODULE.match(module):
        view_writes.append(f"{module} called {what}")


def guarded(method, what: str):
    @functools.wraps(method)
    def write(self, *args, **kwargs):
        record_if_a_view(what)
        return method(self, *args, **kwargs)

    return write


def guard_view_writes() -> None:
    """Every write a view makes itself (save, delete, update, bulk create or update, M2M
    changes) is recorded, so the test that made it fails: writes belong in services."""
    from django.db.models import Model, QuerySet
    from django.db.models.signals import m2m_changed

    for cls, names in ((Model, ["save", "delete"]), (QuerySet, WRITING_QUERYSET_METHODS)):
        for name in names:
            setattr(cls, name, guarded(getattr(cls, name), f"{cls.__name__}.{name}"))

    def m2m_write(sender, action, **kwargs):
        if action.startswith("pre_"):
            record_if_a_view(f"{sender.__name__}.{action}")

    m2m_changed.connect(m2m_write, weak=False)


WRITING_QUERYSET_METHODS = ["update", "delete", "bulk_create", "bulk_update"]


def pytest_configure(config):
    guard_view_writes()


@pytest.fixture(autouse=True)
def views_never_write_models():
    view_writes.clear()
    yield view_writes
    assert view_writes == [], "views wrote models themselves (writes belong in services)"


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


PASSWORD = "correct horse battery staple"


@functools.cache
def password_hash(hasher: str) -> str:
    """Argon2 takes about half a second a hash here: every test user shares one, made once per
    hasher (browser tests use a fast one, since they log in through the form)."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@pytest.fixture
def make_user(db):
    from django.conf import settings

    from baton.accounts.models import User

    def make(name: str, email: str | None = None, **fields) -> User:
        email = email or f"{name.lower()}@example.com"
        user = User.objects.create_user(email, None, name=name, **fields)
        user.password = password_hash(settings.PASSWORD_HASHERS[0])
        user.save(update_fields=["password"])
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user("Alice")


@pytest.fixture
def bob(make_user):
    return make_user("Bob")


@pytest.fixture
def carol(make_user):
    return make_user("Carol")


@pytest.fixture
def mallory(make_user):
    return make_user("Mallory")


@pytest.fixture
def org(alice, bob, carol):
    """Alice's shop: alice owner, bob member, carol guest."""
    from baton.orgs.models import Membership, Role
    from baton.orgs.services import create_organization

    organization = create_organization(actor=alice, name="Alice Shop")
    Membership.objects.create(organization=organization, user=bob, role=Role.MEMBER)
    Membership.objects.create(organization=organization, user=carol, role=Role.GUEST)
    return organization


@pytest.fixture
def other_org(mallory):
    from baton.orgs.services import create_organization

    return create_organization(actor=mallory, name="Mallory Mart")


@pytest.fixture
def project(org, alice, bob, carol):
    """售后处理 (key SH): bob is a member, carol a viewer."""
    from baton.projects.models import ProjectRole
    from baton.projects.services import add_project_member, create_project

    p = create_project(
        actor=alice,
        organization=org,
        name="售后处理",
        key="SH",
        lists=["客户反馈", "处理中", "已处理", "反馈驳回"],
    )
    add_project_member(actor=alice, project=p, user=bob, role=ProjectRole.MEMBER)
    add_project_member(actor=alice, project=p, user=carol, role=ProjectRole.VIEWER)
    return p


@pytest.fixture
def lists(project):
    return list(project.lists.order_by("position"))


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def client_for(db):
    """client_for(user) -> a logged-in test client."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def english(client_for):
    """english(user=None) -> a client whose browser asks for English (users have no language set),
    so assertions on messages read the English source strings whatever the translations say."""

    def make(user=None) -> Client:
        client = client_for(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
