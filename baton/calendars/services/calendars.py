"""Writes to calendars: create, change, archive, share, per-person layers, feed tokens."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.activity.services import record_activity
from baton.calendars import holidays
from baton.calendars.models import (
    Calendar,
    CalendarKind,
    CalendarLayer,
    CalendarMember,
    CalendarRole,
    CalendarVisibility,
    HolidayDay,
    PersonalFeed,
    new_feed_token,
)
from baton.calendars.permissions import (
    calendar_role,
    can_manage_calendar,
    require_calendar_role,
)
from baton.core.colors import COLOR_NAMES
from baton.orgs.models import MANAGER_ROLES, Membership, Role, Team
from baton.orgs.permissions import membership_for
from baton.realtime.bus import publish_on_commit

NAME_MAX = 60
DESCRIPTION_MAX = 5000


def calendar_channel(calendar_id: int) -> str:
    return f"calendar:{calendar_id}"


def record(actor, verb: str, target, organization_id: int, data: dict[str, Any] | None = None):
    return record_activity(
        actor=actor, verb=verb, target=target, organization_id=organization_id, data=data
    )


def publish(calendar_id: int, event_type: str, *, actor=None, **payload) -> None:
    """Publish on the calendar's own channel (its pages listen there); `actor` lets a page skip
    the events its own user caused."""
    event = {"type": event_type, "calendar": calendar_id, **payload}
    if actor is not None:
        event["actor"] = actor.pk
    publish_on_commit(calendar_channel(calendar_id), event)


def required_text(value, *, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("At most %(n)d characters (this has %(m)d).")
                % {"n": max_length, "m": len(value)}
            }
        )
    return value


def optional_text(value, *, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("At most %(n)d characters (this has %(m)d).")
                % {"n": max_length, "m": len(value)}
            }
        )
    return value


def _color(value) -> str:
    value = value or "blue"
    if value not in COLOR_NAMES:
        raise ValidationError({"color": _("Unknown colour.")})
    return value


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Not one of the choices.")})
    return value


def _require_manage(actor, calendar: Calendar) -> None:
    if calendar_role(actor, calendar) is None:
        raise Http404
    if not can_manage_calendar(actor, calendar):
        raise PermissionDenied


# ---------------------------------------------------------------- calendars


def seed_bundled_days(*, organization, actor=None) -> list[int]:
    """Add the bundled days of every year the package covers and the organization has no day
    in; returns those years. Years with any day are the admins' and are left alone. Call it
    inside the caller's transaction."""
    have = set(
        HolidayDay.objects.filter(organization=organization)
        .values_list("date__year", flat=True)
        .distinct()
    )
    missing = [year for year in holidays.bundled_years() if year not in have]
    if missing:
        wanted = set(missing)
        HolidayDay.objects.bulk_create(
            [
                HolidayDay(
                    organization=organization,
                    date=day.date,
                    name=day.name,
                    key=day.key,
                    kind=day.kind,
                    created_by=actor,
                )
                for day in holidays.bundled_days()
                if day.date.year in wanted
            ],
            ignore_conflicts=True,
        )
    return missing


def create_calendar(
    *,
    actor: User,
    organization,
    name: str,
    color: str = "blue",
    description: str = "",
    visibility: str = CalendarVisibility.ORGANIZATION,
    kind: str = CalendarKind.EVENTS,
) -> Calendar:
    """Members and managers may add calendars (guests may not); the creator edits it.
    Only managers add the holidays calendar."""
    membership = membership_for(actor, organization) if actor.is_authenticated else None
    if membership is None:
        raise Http404
    if membership.role == Role.GUEST:
        raise PermissionDenied
    kind = _choice(kind, CalendarKind, "kind")
    if kind == CalendarKind.HOLIDAYS and membership.role not in MANAGER_ROLES:
        raise PermissionDenied
    calendar = Calendar(
        organization=organization,
        name=required_text(name, field="name", max_length=NAME_MAX),
        description=optional_text(description, field="description", max_length=DESCRIPTION_MAX),
        color=_color(color),
        visibility=_choice(visibility, CalendarVisibility, "visibility"),
        kind=kind,
        feed_token=new_feed_token(),
        created_by=actor,
    )
    with transaction.atomic():
        calendar.save()
        if kind == CalendarKind.HOLIDAYS:  # it shows the organization's days: give it some
            seed_bundled_days(organization=organization, actor=actor)
        record(actor, "calendar.created", calendar, organization.pk, {"name": calendar.name})
        publish(calendar.pk, "calendar.created", actor=actor)
    return calendar


def update_calendar(*, actor: User, calendar: Calendar, **changes) -> Calendar:
    """Rename, recolour, describe, change visibility (name, color, description, visibility)."""
    _require_manage(actor, calendar)
    unknown = set(changes) - {"name", "color", "description", "visibility"}
    if unknown:
        raise TypeError(f"unknown calendar fields: {sorted(unknown)}")
    changed = {}
    if "name" in changes:
        changed["name"] = required_text(changes["name"], field="name", max_length=NAME_MAX)
    if "color" in changes:
        changed["color"] = _color(changes["color"])
    if "description" in changes:
        changed["description"] = optional_text(
            changes["description"], field="description", max_length=DESCRIPTION_MAX
        )
    if "visibility" in changes:
        changed["visibility"] = _choice(changes["visibility"], CalendarVisibility, "visibility")
    changed = {k: v for k, v in changed.items() if getattr(calendar, k) != v}
    if not changed:
        return calendar
    with transaction.atomic():
        for field, value in changed.items():
            setattr(calendar, field, value)
        calendar.save(update_fields=list(changed))
        record(actor, "calendar.updated", calendar, calendar.organization_id, changed)
        publish(calendar.pk, "calendar.updated", actor=actor)
    calendar.__dict__.pop("_role_cache", None)
    return calendar


def set_calendar_archived(*, actor: User, calendar: Calendar, archived: bool) -> Calendar:
    _require_manage(actor, calendar)
    if bool(calendar.archived_at) == bool(archived):
        return calendar
    with transaction.atomic():
        calendar.archived_at = timezone.now() if archived else None
        calendar.save(update_fields=["archived_at"])
        verb = "calendar.archived" if archived else "calendar.restored"
        record(actor, verb, calendar, calendar.organization_id)
        publish(calendar.pk, verb, actor=actor)
    return calendar


def set_calendar_member(
    *, actor, calendar: Calendar, user=None, team: Team | None = None, role: str
) -> CalendarMember:
    """Give a person or a team read-only or edit rights on the calendar (add or change)."""
    _require_manage(actor, calendar)
    if (user is None) == (team is None):
        raise ValidationError({"user": _("Choose a person or a team.")})
    role = _choice(role, CalendarRole, "role")
    if user is not None:
        if not Membership.objects.filter(
            organization_id=calendar.organization_id, user=user
        ).exists():
            raise ValidationError({"user": _("This person is not in the organization.")})
        lookup = {"calendar": calendar, "user": user}
    else:
        assert team is not None  # exactly one of the two, checked above
        if team.organization_id != calendar.organization_id:
            raise ValidationError({"team": _("This team is not in the organization.")})
        lookup = {"calendar": calendar, "team": team}
    with transaction.atomic():
        member, _created = CalendarMember.objects.update_or_create(
            **lookup, defaults={"role": role}
        )
        record(
            actor,
            "calendar.member_set",
            calendar,
            calendar.organization_id,
            {"user": getattr(user, "pk", None), "team": getattr(team, "pk", None), "role": role},
        )
        publish(calendar.pk, "calendar.updated", actor=actor)
    calendar.__dict__.pop("_role_cache", None)
    return member


def remove_calendar_member(*, actor: User, member: CalendarMember) -> None:
    calendar = member.calendar
    _require_manage(actor, calendar)
    with transaction.atomic():
        data = {"user": member.user_id, "team": member.team_id}
        member.delete()
        record(actor, "calendar.member_removed", calendar, calendar.organization_id, data)
        publish(calendar.pk, "calendar.updated", actor=actor)
    calendar.__dict__.pop("_role_cache", None)


def set_layer(*, actor: User, calendar: Calendar | None = None, project=None, visible: bool):
    """Show or hide a calendar, or a project's task due dates, in the actor's own view."""
    if (calendar is None) == (project is None):
        raise ValidationError({"layer": _("Choose a calendar or a project.")})
    if calendar is not None:
        require_calendar_role(actor, calendar, CalendarRole.VIEWER)
        lookup: dict[str, Any] = {"user": actor, "calendar": calendar}
        organization_id, target = calendar.organization_id, calendar
    else:
        from baton.projects.models import ProjectRole
        from baton.projects.permissions import require_project_role

        require_project_role(actor, project, ProjectRole.VIEWER)
        lookup = {"user": actor, "project": project}
        organization_id, target = project.organization_id, project
    with transaction.atomic():
        layer, _created = CalendarLayer.objects.update_or_create(
            **lookup, defaults={"visible": bool(visible)}
        )
        record(actor, "calendar.layer_set", target, organization_id, {"visible": bool(visible)})
    return layer


def regenerate_feed_token(*, actor: User, calendar: Calendar) -> str:
    """A new secret subscription URL; the old one stops working at once."""
    _require_manage(actor, calendar)
    with transaction.atomic():
        calendar.feed_token = new_feed_token()
        calendar.save(update_fields=["feed_token"])
        record(actor, "calendar.feed_regenerated", calendar, calendar.organization_id)
    return calendar.feed_token


def revoke_feed_token(*, actor: User, calendar: Calendar) -> None:
    _require_manage(actor, calendar)
    if calendar.feed_token is None:
        return
    with transaction.atomic():
        calendar.feed_token = None
        calendar.save(update_fields=["feed_token"])
        record(actor, "calendar.feed_revoked", calendar, calendar.organization_id)


def personal_feed_token(*, actor: User, organization, regenerate: bool = False) -> str:
    """The secret of the actor's own feed in the organization (made on first use)."""
    if not actor.is_authenticated or membership_for(actor, organization) is None:
        raise Http404
    with transaction.atomic():
        feed, created = PersonalFeed.objects.get_or_create(user=actor, organization=organization)
        if created or regenerate:
            if regenerate and not created:
                feed.token = new_feed_token()
                feed.save(update_fields=["token"])
            verb = "calendar.personal_feed_created" if created else "calendar.feed_regenerated"
            record(actor, verb, feed, organization.pk)
    return feed.token
