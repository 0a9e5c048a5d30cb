"""Quiet hours for people, not for the record: the pure rules, then a sweep and a hand-off at night."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.escalation.models import Escalation, EscalationPolicy, EscalationStep, Handoff
from app.escalation.quiet import WorkingHours, is_working, next_start, working_since
from app.escalation.sweep import sweep
from app.extensions import db
from app.outbox.models import Delivery, PushSubscription
from app.points.models import RiskPoint
from app.schedules.calendar import DayKind, Entry, SchoolCalendar
from tests.hazard_helpers import done, report

CN = ZoneInfo("Asia/Shanghai")
DAY = WorkingHours()  # 07:00-22:00
PLAIN = SchoolCalendar(statutory=False)  # weekends off, nothing else
H = timedelta(hours=1)


def cn(*args) -> datetime:
    return datetime(*args, tzinfo=CN)


def test_working_hours_are_seven_to_ten_on_working_days():
    assert is_working(cn(2027, 3, 3, 7), DAY, PLAIN, CN)  # a Wednesday
    assert not is_working(cn(2027, 3, 3, 6, 59), DAY, PLAIN, CN)
    assert not is_working(cn(2027, 3, 3, 22), DAY, PLAIN, CN)
    assert not is_working(cn(2027, 3, 6, 10), DAY, PLAIN, CN)  # Saturday


def test_what_waits_is_due_when_people_are_next_at_work():
    assert next_start(cn(2027, 3, 3, 10), DAY, PLAIN, CN) == cn(2027, 3, 3, 10)  # at work: now
    assert next_start(cn(2027, 3, 3, 0, 5), DAY, PLAIN, CN) == cn(2027, 3, 3, 7)  # after midnight: this morning
    assert next_start(cn(2027, 3, 3, 23), DAY, PLAIN, CN) == cn(2027, 3, 4, 7)  # late evening: tomorrow
    assert next_start(cn(2027, 3, 5, 22, 30), DAY, PLAIN, CN) == cn(2027, 3, 8, 7)  # Friday night: Monday


def test_a_holiday_and_a_make_up_working_day_move_the_morning():
    spring = SchoolCalendar([Entry(DayKind.HOLIDAY, date(2027, 2, 6), date(2027, 2, 13)),
                             Entry(DayKind.WORKDAY, date(2027, 2, 14), date(2027, 2, 14))], statutory=False)
    assert next_start(cn(2027, 2, 5, 23), DAY, spring, CN) == cn(2027, 2, 14, 7)  # 调休 Sunday after the festival
    # four working hours before Sunday 10:00 (three that morning) reach back over the whole holiday to Friday 21:00
    assert working_since(cn(2027, 2, 14, 10), 4 * H, DAY, spring, CN) == cn(2027, 2, 5, 21)


def test_working_time_counts_across_midnight_and_the_weekend():
    # two working hours before Wednesday 08:00: the last hour of Tuesday evening, and 07:00-08:00
    assert working_since(cn(2027, 3, 3, 8), 2 * H, DAY, PLAIN, CN) == cn(2027, 3, 2, 21)
    # before Monday 09:00, four hours: Monday 07:00-09:00 and Friday 20:00-22:00
    assert working_since(cn(2027, 3, 8, 9), 4 * H, DAY, PLAIN, CN) == cn(2027, 3, 5, 20)
    # at night nothing accrues: the same moment at 23:00 and at 06:00 next morning
    assert working_since(cn(2027, 3, 3, 23), H, DAY, PLAIN, CN) == working_since(cn(2027, 3, 4, 6), H, DAY, PLAIN,
                                                                                   CN) == cn(2027, 3, 3, 21)


def test_round_the_clock_has_no_quiet_hours():
    always = WorkingHours(time(0), None)
    assert is_working(cn(2027, 3, 6, 3), always, PLAIN, CN)
    assert next_start(cn(2027, 3, 6, 3), always, PLAIN, CN) == cn(2027, 3, 6, 3)
    assert working_since(cn(2027, 3, 6, 3), 5 * H, always, PLAIN, CN) == cn(2027, 3, 5, 22)


def default_working_hours(app, county_id: int) -> None:
    with app.app_context():
        db.session.get(EscalationPolicy, county_id).work_start = None
        db.session.get(EscalationPolicy, county_id).work_end = None
        db.session.commit()


def test_a_red_point_overdue_at_midnight_waits_for_the_morning_to_climb_and_to_buzz(app, world):
    default_working_hours(app, world.county_id)
    with app.app_context():
        due = db.session.get(RiskPoint, world.water_a.id).due_at  # Tuesday 00:00
        phone = PushSubscription(user_id=world.user_ids["leader"], endpoint="https://push.example.com/l",
                                 p256dh="k", auth="a")
        db.session.add(phone)
        db.session.commit()
        subscription = phone.id
    for hours in range(0, 12):
        with app.app_context():
            sweep(due + hours * H + timedelta(minutes=1))
            db.session.commit()
    with app.app_context():
        steps = [(s.level, s.at.astimezone(CN).strftime("%H:%M"))
                 for s in db.session.scalars(sa.select(EscalationStep).join(Escalation).where(
                     Escalation.subject == "point", Escalation.subject_id == world.water_a.id)
                     .order_by(EscalationStep.level))]
        # the grid leader on record at once; the school two working hours after 07:00, and so on: the
        # county at 13:00, not at 06:00
        assert steps == [(1, "00:01"), (2, "09:01"), (3, "11:01")]
        [push] = db.session.scalars(sa.select(Delivery).where(Delivery.channel == "push",
                                                              Delivery.target_id == subscription))
        assert push.next_attempt_at.astimezone(CN) == (due + 7 * H).astimezone(CN)  # the leader's phone at 07:00


def test_at_night_a_red_hazard_goes_at_once_and_a_hand_off_waits(app, world, login):
    import time_machine

    default_working_hours(app, world.county_id)
    with app.app_context():
        for name in ("leader", "safety"):
            db.session.add(PushSubscription(user_id=world.user_ids[name], endpoint=f"https://push.example.com/{name}",
                                            p256dh="k", auth="a"))
        db.session.commit()
    night = cn(2026, 12, 8, 23, 30)
    with time_machine.travel(night, tick=False):
        teacher, safety = login("teacher"), login("safety")
        red = report(teacher, urgency="urgent")["id"]
        plain = report(teacher, urgency="normal")["id"]
        done(safety, plain, "assign", rectifier_id=world.user_ids["leader"])
    with app.app_context():
        def due_of(kind, hazard_id):
            handoff = db.session.scalar(sa.select(Handoff).where(Handoff.kind == kind, Handoff.subject_id == hazard_id))
            [row] = db.session.scalars(sa.select(Delivery).where(Delivery.handoff_id == handoff.id,
                                                                 Delivery.channel == "push"))
            return row.next_attempt_at.astimezone(CN)

        assert due_of("reported", red) == night  # red: no quiet hours
        assert due_of("assigned", plain) == cn(2026, 12, 9, 7)  # yellow: the leader's phone buzzes at 07:00
