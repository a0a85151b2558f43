"""Everything that turns the demo's data into a workspace.

It writes through the service functions only, as people would through the pages: task numbers,
positions, done lists and the activity log come out exactly as in real use. Users are created with
the user manager (there is no sign-up service) and join the organization by accepting an
invitation link.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from lunardate import LunarDate

from baton.calendars import services as calendar_services
from baton.demo import calendars as calendar_data
from baton.demo import documents as document_data
from baton.demo.cards import md
from baton.demo.people import ORGANIZATION_NAME, OWNER, PEOPLE, TEAMS
from baton.demo.scenarios import COMMENTS, MOVED_TO_DONE, PROJECTS, SUBTASKS
from baton.documents import services as document_services
from baton.orgs import services as org_services
from baton.orgs.models import Role
from baton.projects import services
from baton.projects.models import Project, TaskList


def build(password: str) -> dict[str, Any]:
    """Create the users, the organization with its teams, the five projects, the calendars and
    the documents; return them, so tests can look at what was built."""
    people = _create_people(password)
    owner = people[OWNER]
    organization = org_services.create_organization(actor=owner, name=ORGANIZATION_NAME)
    _join(owner, organization, people)
    teams = _create_teams(owner, organization, people)
    today = timezone.localdate()
    projects = {}
    for make in PROJECTS:
        spec = make(today)
        projects[spec["key"]] = build_project(owner, organization, people, spec, today)
    calendars = build_calendars(owner, organization, people, today)
    documents = build_documents(owner, organization, people, teams)
    return {
        "organization": organization,
        "people": people,
        "projects": projects,
        "calendars": calendars,
        "documents": documents,
    }


# ---------------------------------------------------------------- people


def _create_people(password: str) -> dict[str, Any]:
    """The users, by their key in PEOPLE, all with the one printed password."""
    User = get_user_model()
    people = {
        key: User.objects.create_user(
            email, None, name=name, avatar_color=color, language="zh-hans"
        )
        for key, (name, email, color, _role) in PEOPLE.items()
    }
    # Everyone shares the printed password: hash it once (Argon2 takes a while per hash).
    hashed = make_password(password)
    User.objects.filter(pk__in=[u.pk for u in people.values()]).update(password=hashed)
    for user in people.values():
        user.password = hashed
    return people


def _join(owner, organization, people: dict) -> None:
    """Everyone joins by accepting an invitation link (one per role), revoked afterwards, and
    works in the shop from then on."""
    links = {}
    for key, (_name, _email, _color, role) in PEOPLE.items():
        if role == Role.OWNER:
            continue
        if role not in links:
            links[role] = org_services.invite(actor=owner, organization=organization, role=role)
        org_services.accept_invitation(actor=people[key], invitation=links[role])
    for link in links.values():
        org_services.revoke_invitation(actor=owner, invitation=link)
    for user in people.values():
        org_services.switch_organization(actor=user, organization=organization)


def _create_teams(owner, organization, people: dict) -> dict:
    """The departments, by name, with their members."""
    teams = {}
    for name, color, members in TEAMS:
        teams[name] = org_services.create_team(
            actor=owner, organization=organization, name=name, color=color
        )
        org_services.set_team_members(
            actor=owner, team=teams[name], user_ids=[people[k].pk for k in members]
        )
    return teams


# ---------------------------------------------------------------- projects


@dataclass
class Board:
    """A project being built, with what its cards name: lists, tags and custom fields."""

    project: Project
    lists: dict[str, TaskList]
    tags: dict[str, int]  # tag ids by name
    fields: dict[str, int]  # custom field ids by name


def build_project(owner, organization, people, spec: dict[str, Any], today: datetime.date):
    """One scenario's project: its members, lists, tags and fields, then its cards, what people
    do on them, and the cards finished since."""
    board = _create_board(owner, organization, people, spec)
    created = {}
    for list_name, cards in spec["cards"].items():
        for item in cards:
            task_list = board.lists[list_name]
            created[item["title"]] = _create_card(owner, people, board, task_list, item, today)
    for title, task in created.items():
        add_conversation(task, people, title)
    done_list = next((board.lists[n] for n in spec["done_lists"]), None)
    for title in MOVED_TO_DONE.get(spec["key"], []):
        task = created[title]
        services.move_task(actor=task.assignee or owner, task=task, to_list=done_list)
    return board.project


def _create_board(owner, organization, people, spec: dict[str, Any]) -> Board:
    """The project with its members and lists (done lists marked), tags and custom fields."""
    project = services.create_project(
        actor=owner,
        organization=organization,
        name=spec["name"],
        key=spec["key"],
        description=spec["description"],
        color=spec["color"],
        visibility=spec["visibility"],
        lists=spec["lists"],
    )
    for key, role in spec["members"].items():
        services.add_project_member(actor=owner, project=project, user=people[key], role=role)
    lists = {tl.name: tl for tl in project.lists.all()}
    for name in spec["done_lists"]:
        services.update_list(actor=owner, task_list=lists[name], is_done=True)
    tags = {
        name: services.create_tag(actor=owner, project=project, name=name, color=color).pk
        for name, color in spec["tags"]
    }
    fields = {
        name: services.create_custom_field(
            actor=owner,
            project=project,
            name=name,
            kind=kind,
            show_on_card=on_card,
            required=required,
        ).pk
        for name, kind, on_card, required in spec.get("fields", [])
    }
    return Board(project, lists, tags, fields)


def _create_card(owner, people, board: Board, task_list, item: dict, today: datetime.date):
    """One card of the scenario, written by the person it is assigned to."""
    assignee = people[item["owner"]] if item["owner"] else None
    # The owner writes the card up, as departments do on their own lists.
    actor = assignee if assignee is not None and assignee != owner else owner
    return services.create_task(
        actor=actor,
        project=board.project,
        task_list=task_list,
        title=item["title"],
        custom_values={board.fields[name]: value for name, value in item["values"].items()},
        **_card_fields(item, assignee, people, board, today),
    )


def _card_fields(item: dict, assignee, people, board: Board, today: datetime.date) -> dict:
    """The task fields a card sets; what it leaves empty is left out, as the form leaves it."""
    fields: dict[str, Any] = {"priority": item["priority"]}
    if item["text"]:
        fields["description"] = item["text"]
    if assignee is not None:
        fields["assignee"] = assignee
    if item["participants"]:
        fields["participants"] = [people[k] for k in item["participants"]]
    if item["due"] is not None:
        fields["due_date"] = today + datetime.timedelta(days=item["due"])
    if item["start"] is not None:
        fields["start_date"] = today + datetime.timedelta(days=item["start"])
    if item["tags"]:
        fields["tags"] = [board.tags[t] for t in item["tags"]]
    return fields


def add_conversation(task, people, title: str) -> None:
    """The checklist and the comments SUBTASKS and COMMENTS give the card of this title."""
    today = timezone.localdate()
    for fragment, items in SUBTASKS.items():
        if fragment not in title:
            continue
        for name, owner, due, done in items:
            subtask = services.create_subtask(
                actor=people[owner],
                parent=task,
                title=name,
                assignee=people[owner],
                due_date=today + datetime.timedelta(days=due),
            )
            if done:
                services.set_task_done(actor=people[owner], task=subtask, done=True)
    for fragment, items in COMMENTS.items():
        if fragment in title:
            for author, body in items:
                services.add_comment(actor=people[author], task=task, body=body)


# ---------------------------------------------------------------- calendars


def build_calendars(owner, organization, people, today: datetime.date) -> dict:
    """The platforms' campaign calendars, the team's weekly meeting and the public holidays."""
    calendars = {}
    for spec in calendar_data.CAMPAIGN_CALENDARS:
        calendar = _campaign_calendar(owner, organization, spec, today.year)
        calendars[calendar.name] = calendar
    team = _team_calendar(owner, organization, people, today)
    calendars[team.name] = team
    holidays = calendar_services.create_calendar(
        actor=owner, organization=organization, **calendar_data.HOLIDAYS_CALENDAR
    )
    calendars[holidays.name] = holidays
    return calendars


def _campaign_calendar(owner, organization, spec: tuple, year: int):
    """One platform's calendar with this year's campaigns as all-day events."""
    name, color, description, campaigns = spec
    calendar = calendar_services.create_calendar(
        actor=owner, organization=organization, name=name, color=color, description=description
    )
    for title, first, last, lead in campaigns:
        start, end = _campaign_days(year, first, last)
        headline = calendar_data.CAMPAIGN_HEADLINE.format(lead=lead, start=start, end=end)
        calendar_services.create_event(
            actor=owner,
            calendar=calendar,
            title=title,
            start=start,
            end=end + datetime.timedelta(days=1),  # all-day ends are exclusive
            all_day=True,
            timezone=calendar_data.ZONE,
            description=headline + calendar_data.CAMPAIGN_NOTES,
            reminders=calendar_data.CAMPAIGN_REMINDERS,
        )
    return calendar


def _campaign_days(year: int, first, last) -> tuple[datetime.date, datetime.date]:
    """A campaign's first and last day: fixed dates, or the two weeks leading up to a lunar
    festival (年货节 ends a week before the Spring Festival, 七夕 campaigns on the day itself)."""
    if first in calendar_data.LUNAR_DAYS:
        festival = LunarDate(year, *calendar_data.LUNAR_DAYS[first]).to_solar_date()
        before = 7 if first == calendar_data.SPRING_FESTIVAL else 0
        end = festival - datetime.timedelta(days=before)
        return end - datetime.timedelta(days=14), end
    return datetime.date(year, *first), datetime.date(year, *last)


def _team_calendar(owner, organization, people, today: datetime.date):
    """The team's calendar with the weekly meeting, repeating from a Monday some weeks back so
    past weeks have it too."""
    calendar = calendar_services.create_calendar(
        actor=owner, organization=organization, **calendar_data.TEAM_CALENDAR
    )
    meeting = calendar_data.WEEKLY_MEETING
    monday = today - datetime.timedelta(days=today.weekday() + 7 * meeting["weeks_ago"])
    first, last = meeting["hours"]
    calendar_services.create_event(
        actor=owner,
        calendar=calendar,
        title=meeting["title"],
        start=datetime.datetime.combine(monday, datetime.time(first)),
        end=datetime.datetime.combine(monday, datetime.time(last)),
        timezone=calendar_data.ZONE,
        location=meeting["location"],
        description=meeting["description"],
        rrule=meeting["rrule"],
        participants=[people[key] for key in meeting["participants"]],
        reminders=meeting["reminders"],
    )
    return calendar


# ---------------------------------------------------------------- documents


def build_documents(owner, organization, people: dict, teams: dict) -> dict:
    """The 客服话术 folder: four scripts with a few versions each, followed by the 客服 team and
    the people who wrote them."""
    folder = document_services.create_folder(
        actor=owner, organization=organization, name=document_data.FOLDER
    )
    author = people[document_data.AUTHOR]
    documents = {}
    for title, first, edits in document_data.SCRIPTS:
        document = document_services.create_document(
            actor=author, organization=organization, folder=folder, title=title, body=md(first)
        )
        for who, changes, note in edits:
            document_services.save_version(
                actor=people[who],
                document=document,
                title=title,
                body=_edited(title, document.body, changes),
                base_version=document.version,
                note=note,
            )
        document_services.add_followers(
            actor=author,
            document=document,
            users=[owner],
            teams=[teams[document_data.FOLLOWING_TEAM]],
        )
        documents[title] = document
    return {"folder": folder, "documents": documents}


def _edited(title: str, body: str, changes: list[tuple[str, str]]) -> str:
    """The body with each (old, new) change made; an edit whose text the script no longer has
    fails loudly rather than saving a version that changes nothing."""
    for old, new in changes:
        if old not in body:
            raise ValueError(f"the demo's edit of {title} no longer applies: {old}")
        body = body.replace(old, new)
    return body
