"""When a point is due: days, weeks, two-week pairs, months, seasons, holidays and 调休. No database."""

from datetime import date, timedelta

import pytest

from app.schedules.calendar import DayKind, Entry, SchoolCalendar
from app.schedules.periods import Schedule, Season, due_by, period_of, status

CAL = SchoolCalendar()  # China's statutory calendar where chinese-calendar knows the year
D = date.fromisoformat


def days(*texts: str) -> list[date]:
    return [D(t) for t in texts]


def test_a_daily_point_is_done_for_the_day_at_any_time_that_day():
    daily = Schedule("daily")
    assert due_by(daily, CAL, D("2026-11-25"), []) == D("2026-11-26")  # overdue from midnight
    assert due_by(daily, CAL, D("2026-11-25"), days("2026-11-25")) == D("2026-11-27")
    assert due_by(daily, CAL, D("2026-11-25"), days("2026-11-24")) == D("2026-11-26")  # yesterday's does not count


def test_a_weekly_point_runs_monday_to_sunday():
    weekly = Schedule("weekly")
    wednesday = D("2026-11-25")
    assert due_by(weekly, CAL, wednesday, []) == D("2026-11-30")  # the Monday after
    assert due_by(weekly, CAL, wednesday, days("2026-11-23")) == D("2026-12-07")  # this Monday's counts
    assert due_by(weekly, CAL, wednesday, days("2026-11-22")) == D("2026-11-30")  # last Sunday's does not
    sunday = D("2026-11-29")
    assert period_of(weekly, CAL, sunday).start == D("2026-11-23")
    assert due_by(weekly, CAL, sunday, days("2026-11-29")) == D("2026-12-07")


def test_twice_a_week_needs_two_inspections_that_week():
    twice = Schedule("twice_weekly")
    assert due_by(twice, CAL, D("2026-11-26"), days("2026-11-23")) == D("2026-11-30")
    assert due_by(twice, CAL, D("2026-11-26"), days("2026-11-23", "2026-11-26")) == D("2026-12-07")
    # twice on one day is twice
    assert due_by(twice, CAL, D("2026-11-26"), days("2026-11-26", "2026-11-26")) == D("2026-12-07")


def test_two_week_periods_are_fixed_pairs_of_weeks():
    biweekly = Schedule("biweekly")
    first = period_of(biweekly, CAL, D("2026-11-25"))
    assert (first.end - first.start).days == 14 and first.start.weekday() == 0
    assert D("2026-11-25") in first
    following = period_of(biweekly, CAL, first.end)
    assert following.start == first.end  # no gaps, no overlaps
    assert due_by(biweekly, CAL, D("2026-11-25"), [first.start]) == following.end


def test_a_monthly_point_follows_the_calendar_month():
    monthly = Schedule("monthly")
    assert due_by(monthly, CAL, D("2027-01-31"), []) == D("2027-02-01")
    assert due_by(monthly, CAL, D("2027-01-31"), days("2027-01-02")) == D("2027-03-01")
    assert period_of(monthly, CAL, D("2028-02-10")).end == D("2028-03-01")


WATER = Schedule("biweekly", seasons=(Season("daily", vacation="暑假"), Season("weekly", start=(4, 1), end=(10, 31))))
SUMMER = SchoolCalendar([Entry(DayKind.VACATION, D("2026-07-11"), D("2026-08-31"), "暑假")])


def test_drowning_season_is_weekly_and_periods_stop_where_it_starts():
    before = period_of(WATER, SUMMER, D("2026-03-30"))
    assert before.frequency.key == "biweekly" and before.end == D("2026-04-01")  # cut at the season
    april = period_of(WATER, SUMMER, D("2026-04-01"))
    assert april.frequency.key == "weekly" and (april.start, april.end) == (D("2026-04-01"), D("2026-04-06"))
    # inspected on 30 March: the cut two-week period is done, the season's first week is due
    assert due_by(WATER, SUMMER, D("2026-03-31"), days("2026-03-30")) == D("2026-04-06")
    assert period_of(WATER, SUMMER, D("2026-10-31")).end == D("2026-11-01")
    assert period_of(WATER, SUMMER, D("2026-11-02")).frequency.key == "biweekly"


def test_water_areas_are_daily_in_the_summer_vacation():
    assert period_of(WATER, SUMMER, D("2026-07-10")).frequency.key == "weekly"
    assert period_of(WATER, SUMMER, D("2026-07-10")).end == D("2026-07-11")  # the week is cut at the vacation
    assert period_of(WATER, SUMMER, D("2026-07-11")).frequency.key == "daily"
    assert due_by(WATER, SUMMER, D("2026-08-31"), days("2026-08-31")) == D("2026-09-07")  # weekly again
    assert period_of(WATER, SUMMER, D("2026-09-01")).start == D("2026-09-01")


def test_school_days_only_skip_weekends_and_statutory_holidays():
    daily = Schedule("daily", school_days_only=True)
    assert due_by(daily, CAL, D("2026-11-27"), days("2026-11-27")) == D("2026-12-01")  # Friday -> Monday's end
    assert due_by(daily, CAL, D("2026-11-28"), []) == D("2026-12-01")  # nothing asked on Saturday
    # National Day: 1-7 October 2026 off; back on Thursday 8 October
    assert due_by(daily, CAL, D("2026-09-30"), days("2026-09-30")) == D("2026-10-09")


def test_school_days_only_are_due_on_make_up_working_days():
    daily = Schedule("daily", school_days_only=True)
    saturday = D("2026-10-10")  # 调休: a working Saturday
    assert CAL.is_school_day(saturday)
    assert due_by(daily, CAL, D("2026-10-09"), days("2026-10-09")) == D("2026-10-11")
    assert not CAL.is_school_day(D("2026-10-11"))


def test_a_holiday_week_asks_no_more_inspections_than_it_has_school_days():
    twice = Schedule("twice_weekly", school_days_only=True)
    holiday_week = period_of(twice, CAL, D("2026-10-05"))  # 5-11 Oct: 8, 9 and 10 are school days
    assert holiday_week.required == 2
    golden = period_of(twice, CAL, D("2026-09-28"))  # 28 Sep - 4 Oct: 28, 29, 30 only
    assert golden.required == 2
    vacation = SchoolCalendar([Entry(DayKind.VACATION, D("2026-07-11"), D("2026-08-31"), "暑假")])
    assert period_of(twice, vacation, D("2026-08-05")).required == 0
    assert due_by(twice, vacation, D("2026-08-05"), []) == D("2026-09-07")  # the first week of term


def test_a_year_the_package_does_not_know_uses_the_countys_entries():
    year_2027 = SchoolCalendar([
        Entry(DayKind.HOLIDAY, D("2027-02-06"), D("2027-02-12"), "春节"),
        Entry(DayKind.WORKDAY, D("2027-02-14"), D("2027-02-14"), "调休"),
    ])
    assert not year_2027.is_school_day(D("2027-02-08"))  # a Monday of the Spring Festival
    assert year_2027.is_school_day(D("2027-02-14"))  # a working Sunday
    assert year_2027.is_school_day(D("2027-03-03")) and not year_2027.is_school_day(D("2027-03-06"))
    daily = Schedule("daily", school_days_only=True)
    assert due_by(daily, year_2027, D("2027-02-05"), days("2027-02-05")) == D("2027-02-15")
    # the county's entries win over the package where both speak
    override = SchoolCalendar([Entry(DayKind.WORKDAY, D("2026-10-05"), D("2026-10-05"), "")])
    assert override.is_school_day(D("2026-10-05"))


def test_status_says_due_not_due_or_overdue_with_the_missed_periods():
    weekly = Schedule("weekly")
    assert status(weekly, CAL, D("2026-11-25"), D("2026-11-30")).state == "due"
    assert status(weekly, CAL, D("2026-11-25"), D("2026-12-07")).state == "not_due"
    late = status(weekly, CAL, D("2026-11-25"), D("2026-11-16"))  # the week of 9 November was missed
    assert (late.state, late.due_by, late.missed_periods) == ("overdue", D("2026-11-16"), 2)  # and last week
    just = status(weekly, CAL, D("2026-11-16"), D("2026-11-16"))
    assert (just.state, just.missed_periods) == ("overdue", 1)
    never = status(Schedule("daily", school_days_only=True), SchoolCalendar(), D("2026-11-25"), None)
    assert never.state == "none"


@pytest.mark.parametrize("frequency", ["daily", "twice_weekly", "weekly", "biweekly", "monthly"])
def test_due_by_is_always_after_today_and_inspecting_never_brings_it_closer(frequency):
    schedule = Schedule(frequency, school_days_only=frequency == "daily")
    today = D("2026-12-20")
    seen: list[date] = []
    previous = due_by(schedule, CAL, today, seen)
    for step in range(40):
        day = today + timedelta(days=step // 3)
        seen.append(day)
        found = due_by(schedule, CAL, day, seen)
        assert found > day
        if day == today:
            assert found >= previous
        previous = found
