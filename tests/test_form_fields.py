"""The shared fields of baton/core/forms.py read posted values the way the views did by hand:
an id that cannot exist is None, a switch is never an error, text stays as sent."""

import datetime as dt

import pytest
from django import forms
from django.http import QueryDict
from django.utils import translation

from baton.calendars.forms import EventDeleteForm, EventMoveForm, TaskMoveForm
from baton.core.forms import FlagField, IdField, IdsField, IntField, TextField

HUGE = "1" * 30


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


class Probe(forms.Form):
    one = IdField()
    many = IdsField()
    number = IntField(required=False)
    version = IntField(lenient=True)
    on = FlagField()
    unless_off = FlagField(default=True)
    anything = FlagField(any_value=True)
    text = TextField()
    scope = TextField(missing="all")
    cut = TextField(cut=3)
    stripped = TextField(strip=True, missing=None)


def clean(query: str) -> dict:
    form = Probe(QueryDict(query))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_nothing_sent():
    assert clean("") == {
        "one": None,
        "many": [],
        "number": None,
        "version": None,
        "on": False,
        "unless_off": True,
        "anything": False,
        "text": "",
        "scope": "all",
        "cut": "",
        "stripped": None,
    }


@pytest.mark.parametrize("value", ["abc", "-1", "0", HUGE, "²", "1.5", " "])
def test_an_id_that_cannot_exist_is_none(value):
    data = clean(f"one={value}&many={value}&many=7&many=7&version={value}")
    assert data["one"] is None
    assert data["many"] == [7]
    assert data["version"] == (0 if value == "0" else None)


def test_ids_and_switches():
    data = clean("one=12&on=1&unless_off=0&anything=x&scope=&text=+a+&stripped=+&cut=abcdef")
    assert data["one"] == 12
    assert (data["on"], data["unless_off"], data["anything"]) == (True, False, True)
    assert data["scope"] == ""  # sent empty is not missing
    assert data["text"] == " a "
    assert data["stripped"] == ""
    assert data["cut"] == "abc"
    assert not clean("on=on&unless_off=&anything=")["on"]
    assert clean("unless_off=")["unless_off"] is True


def test_numbers_beyond_the_column_have_parse_ints_messages():
    form = Probe(QueryDict(f"number={HUGE}"))
    assert not form.is_valid()
    assert form.errors["number"] == ["Enter a whole number."]
    form = Probe(QueryDict("number=2147483648"))
    assert not form.is_valid()
    assert form.errors["number"] == ["Enter a number of at most 2147483647."]
    assert clean("number=+42+")["number"] == 42


def test_calendar_moves():
    form = TaskMoveForm(QueryDict("kind=task&id=sh-1&start=2026-11-24&end=2026-11-26"))
    assert form.is_valid()
    assert form.cleaned_data["id"] == "SH-1"
    assert form.cleaned_data["start"] == dt.date(2026, 11, 24)
    form = TaskMoveForm(QueryDict(f"id={'x' * 25}&start=2026-02-30&end=+"))
    assert form.errors == {
        "id": ["Missing or invalid id."],
        "start": ["Missing or invalid start."],
        "end": ["Missing or invalid end."],
    }
    start = "2026-11-24T10:00:00 08:00"
    form = EventMoveForm(QueryDict(f"kind=event&id={HUGE}&start={start}&end={start}"))
    assert form.is_valid()
    assert form.cleaned_data["id"] is None
    assert form.cleaned_data["start"] == start  # as sent: the service reads it
    assert form.cleaned_data["scope"] == "this"
    assert form.cleaned_data["occurrence"] is None
    form = EventDeleteForm(QueryDict("occurrence=yesterday"))
    assert form.errors == {"occurrence": ["Missing or invalid occurrence."]}
    form = EventDeleteForm(QueryDict(""))
    assert form.is_valid()
    assert form.cleaned_data == {"occurrence": None, "scope": "all"}
