"""Access to calendars and events.

Roles: "editor" (add and change events, change the calendar) or "viewer" (read only).
Organization owners and admins edit every calendar; a calendar's creator edits it; a calendar open
to the whole organization is read by its members (guests excepted) unless a CalendarMember row
(for the person or one of their teams) says more; a calendar for chosen members is seen only by
those named. The holidays calendar is read-only for everyone.

An outsider gets 404; someone who may see a calendar but lacks the role for a write gets 403.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, Value
from django.http import Http404

from baton.calendars.models import (
    Calendar,
    CalendarKind,
    CalendarMember,
    CalendarRole,
    CalendarVisibility,
    Event,
    EventParticipant,
    HolidayDay,
)
from baton.core.validation import parse_id
from baton.discussion.models import Comment
from baton.discussion.permissions import get_comment_or_404
from baton.files.models import Attachment
from baton.files.permissions import get_attachment_or_404
from baton.orgs.models import MANAGER_ROLES, Membership, Organization, Role
from baton.orgs.permissions import is_org_manager, membership_for

ROLE_RANK: dict[str | None, int] = {None: 0, CalendarRole.VIEWER: 1, CalendarRole.EDITOR: 2}


def _team_ids(user, organization: Organization) -> list[int]:
    cache = organization.__dict__.setdefault("_calendar_team_cache", {})
    if user.pk not in cache:
        cache[user.pk] = list(
            user.teams.filter(organization=organization).values_list("id", flat=True)
        )
    return cache[user.pk]


def calendar_role(user, calendar: Calendar) -> str | None:
    """ "editor", "viewer" or None (may not see it); cached on the calendar per user."""
    cache = calendar.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        cache[user.pk] = _compute_role(user, calendar)
    return cache[user.pk]


def _compute_role(user, calendar: Calendar) -> str | None:
    if not user.is_authenticated:
        return None
    prefetched = getattr(calendar, "_viewer_id", None) == user.pk  # from visible_calendars()
    annotated: Any = calendar  # its annotations (_org_role, _named…) are not in the model's type
    if prefetched:
        org_role = annotated._org_role
    else:
        membership = membership_for(user, calendar.organization)
        if membership is None:
            return None
        org_role = membership.role
    role: str | None = None
    if org_role in MANAGER_ROLES or calendar.created_by_id == user.pk:
        role = CalendarRole.EDITOR
    elif prefetched:
        if annotated._named_editor:
            role = CalendarRole.EDITOR
        elif annotated._named:
            role = CalendarRole.VIEWER
    else:
        teams = _team_ids(user, calendar.organization)
        rows = CalendarMember.objects.filter(calendar=calendar).filter(
            Q(user=user) | Q(team_id__in=teams)
        )
        for member_role in rows.values_list("role", flat=True):
            if ROLE_RANK[member_role] > ROLE_RANK[role]:
                role = member_role
    if (
        role is None
        and calendar.visibility == CalendarVisibility.ORGANIZATION
        and org_role != Role.GUEST
    ):
        role = CalendarRole.VIEWER
    if role is not None and calendar.kind == CalendarKind.HOLIDAYS:
        return CalendarRole.VIEWER
    return role


def can_edit_calendar(user, calendar: Calendar) -> bool:
    return calendar_role(user, calendar) == CalendarRole.EDITOR


def can_manage_calendar(user, calendar: Calendar) -> bool:
    """Rename, recolour, archive, share: editors, and organization managers for every calendar
    (the holidays calendar included, although its events are read-only)."""
    if can_edit_calendar(user, calendar):
        return True
    if calendar_role(user, calendar) is None:
        return False
    membership = membership_for(user, calendar.organization)
    return membership is not None and membership.role in MANAGER_ROLES


def require_calendar_role(user, calendar: Calendar, role: str = CalendarRole.EDITOR) -> str:
    """Raise 404 for outsiders and 403 when the user's role is below `role`."""
    actual = calendar_role(user, calendar)
    if actual is None:
        raise Http404
    if ROLE_RANK[actual] < ROLE_RANK[role]:
        raise PermissionDenied
    return actual


def visible_calendars(user, organization: Organization, *, include_archived: bool = False):
    """The organization's calendars this user may see (one query when evaluated)."""
    calendars = Calendar.objects.filter(organization=organization)
    if not include_archived:
        calendars = calendars.filter(archived_at=None)
    if not user.is_authenticated:
        return calendars.none()
    membership = membership_for(user, organization)
    if membership is None:
        return calendars.none()
    # What calendar_role() needs comes with each calendar: no query per calendar afterwards.
    calendars = calendars.annotate(
        _viewer_id=Value(user.pk, output_field=IntegerField()),
        _org_role=Value(membership.role, output_field=CharField()),
    )
    if membership.role in MANAGER_ROLES:
        return calendars
    named_rows = CalendarMember.objects.filter(
        Q(user=user) | Q(team__members=user, team__organization=organization)
    )
    mine = named_rows.filter(calendar=OuterRef("pk"))
    calendars = calendars.annotate(
        _named=Exists(mine), _named_editor=Exists(mine.filter(role=CalendarRole.EDITOR))
    )
    allowed = Q(created_by=user) | Q(pk__in=named_rows.values("calendar_id"))
    if membership.role != Role.GUEST:
        allowed |= Q(visibility=CalendarVisibility.ORGANIZATION)
    return calendars.filter(allowed)


def get_calendar_for_user_or_404(user, slug: str, calendar_id) -> Calendar:
    """A calendar (archived ones included) by its organization's slug and id."""
    if not user.is_authenticated:
        raise Http404
    calendar_id = parse_id(calendar_id)
    if calendar_id is None:
        raise Http404
    calendar = (
        Calendar.objects.select_related("organization")
        .filter(organization__slug=slug, pk=calendar_id)
        .first()
    )
    if calendar is None:
        raise Http404
    require_calendar_role(user, calendar, CalendarRole.VIEWER)
    return calendar


def get_event_for_user_or_404(user, slug: str, event_id) -> Event:
    """An event (a series, a single event or an edited occurrence) with its calendar attached."""
    if not user.is_authenticated:
        raise Http404
    event_id = parse_id(event_id)
    if event_id is None:
        raise Http404
    event = (
        Event.objects.select_related("calendar__organization")
        .filter(calendar__organization__slug=slug, pk=event_id)
        .first()
    )
    if event is None or event_role(user, event) is None:
        raise Http404
    return event


def event_role(user, event: Event) -> str | None:
    """The role on the event's calendar; a participant who may not see the calendar still reads
    the events they are invited to (and answers them)."""
    role = calendar_role(user, event.calendar)
    if role is not None or not user.is_authenticated:
        return role
    if membership_for(user, event.calendar.organization) is None:
        return None
    invited = EventParticipant.objects.filter(
        event_id__in=[event.pk, event.series_id or event.pk], user_id=user.pk
    ).exists()
    return CalendarRole.VIEWER if invited else None


# ---------------------------------------------------------------- an event's discussion
#
# Comments and files live on the series (see `discussion_event`), so every occurrence of a
# weekly meeting shows the same talk.


def discussion_event(event: Event) -> Event:
    """The Event row that holds the comments and files shown with `event`: an edited occurrence
    (an override row) talks on its series, anything else on itself. The series keeps `event`'s
    calendar object, so no second permission read is needed."""
    if not event.series_id:
        return event
    series = Event.objects.get(pk=event.series_id)
    series.calendar = event.calendar
    return series


def calendar_people(calendar: Calendar, event: Event | None = None):
    """Everyone who may see the calendar (and so read an event's comments): the organization's
    owners and admins, the calendar's creator, its named people and teams, every non-guest member
    when it is open to the organization, and the event's participants. Members only."""
    members = Membership.objects.filter(organization_id=calendar.organization_id)
    named = CalendarMember.objects.filter(calendar=calendar)
    allowed = (
        Q(pk__in=members.filter(role__in=MANAGER_ROLES).values("user_id"))
        | Q(pk__in=named.filter(user__isnull=False).values("user_id"))
        | Q(teams__in=named.filter(team__isnull=False).values("team_id"))
    )
    if calendar.created_by_id:
        allowed |= Q(pk=calendar.created_by_id)
    if calendar.visibility == CalendarVisibility.ORGANIZATION:
        allowed |= Q(pk__in=members.exclude(role=Role.GUEST).values("user_id"))
    if event is not None:
        allowed |= Q(pk__in=EventParticipant.objects.filter(event=event).values("user_id"))
    people = get_user_model().objects.filter(allowed, pk__in=members.values("user_id"))
    return people.distinct().order_by("name", "pk")


def can_discuss(user, event: Event) -> bool:
    """Comment and add files: editors of an events calendar that is not archived."""
    calendar = event.calendar
    return (
        event_role(user, event) == CalendarRole.EDITOR
        and calendar.kind == CalendarKind.EVENTS
        and calendar.archived_at is None
    )


def may_moderate(user, calendar: Calendar) -> bool:
    """The calendar's creator and the organization's owners and admins remove anyone's comment."""
    return calendar.created_by_id == user.pk or is_org_manager(user, calendar.organization)


def get_event_comment_for_user_or_404(
    user, slug: str, event_id, comment_id
) -> tuple[Comment, Event]:
    """A comment of the discussion shown with this event (404 for outsiders and for any other
    event's comment), with its owner (the series, with its calendar) attached; and the event the
    panel shows (maybe an edited occurrence)."""
    event = get_event_for_user_or_404(user, slug, event_id)
    series = discussion_event(event)
    comment = get_comment_or_404(series, comment_id)
    comment.owner = series
    return comment, event


def get_event_attachment_for_user_or_404(
    user, slug: str, event_id, attachment_id
) -> tuple[Attachment, Event]:
    """A file of the discussion shown with this event (404 for outsiders and for any other
    event's file), with its owner (the series) attached; and the event the panel shows."""
    event = get_event_for_user_or_404(user, slug, event_id)
    series = discussion_event(event)
    attachment = get_attachment_or_404(series, attachment_id)
    attachment.owner = series
    return attachment, event


def may_listen_to_calendar(user, calendar_id: int) -> bool:
    calendar = Calendar.objects.select_related("organization").filter(pk=calendar_id).first()
    return calendar is not None and calendar_role(user, calendar) is not None


# ---------------------------------------------------------------- public holidays
#
# An organization's holiday days: its members read them (as its holidays calendar shows them to
# every member), guests do not, owners and admins change them.


def can_edit_holidays(user, organization: Organization) -> bool:
    membership = membership_for(user, organization) if user.is_authenticated else None
    return membership is not None and membership.role in MANAGER_ROLES


def require_holiday_reader(user, organization: Organization) -> Membership:
    """404 for outsiders, 403 for guests."""
    membership = membership_for(user, organization) if user.is_authenticated else None
    if membership is None:
        raise Http404
    if membership.role == Role.GUEST:
        raise PermissionDenied
    return membership


def require_holiday_editor(user, organization: Organization) -> Membership:
    """404 for outsiders, 403 for members and guests."""
    membership = require_holiday_reader(user, organization)
    if membership.role not in MANAGER_ROLES:
        raise PermissionDenied
    return membership


def get_holiday_day_for_user_or_404(user, organization: Organization, day_id) -> HolidayDay:
    """A day of the organization's list (which the user may read); 404 for any other."""
    require_holiday_reader(user, organization)
    try:
        day_id = int(day_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < day_id < 2**63:  # beyond any id the database could hold
        raise Http404
    day = HolidayDay.objects.filter(organization=organization, pk=day_id).first()
    if day is None:
        raise Http404
    day.organization = organization
    return day
