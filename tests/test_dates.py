import datetime

from baton.lib.dates import due_state, short_date

TODAY = datetime.date(2026, 11, 24)


def test_due_states_around_today():
    assert due_state(datetime.date(2026, 11, 23), TODAY) == "overdue"
    assert due_state(TODAY, TODAY) == "today"
    assert due_state(datetime.date(2026, 11, 26), TODAY) == "soon"
    assert due_state(datetime.date(2026, 11, 27), TODAY) == ""


def test_short_dates_show_the_year_only_when_it_is_not_this_year():
    assert short_date(datetime.date(2026, 11, 11), 2026, chinese=True) == "11月11日"
    assert short_date(datetime.date(2027, 1, 2), 2026, chinese=True) == "2027年1月2日"
    assert short_date(datetime.date(2026, 11, 11), 2026, chinese=False) == "Nov 11"
    assert short_date(datetime.date(2027, 1, 2), 2026, chinese=False) == "Jan 2, 2027"
