"""Property: whatever happens between sweeps, no step is sent twice and no level is skipped.

Hypothesis draws sequences of actions over a red point of the test county: time passing,
sweeps (sometimes twice at one moment), the point being inspected (its due time moves
on, as an inspection makes it), and someone acknowledging the current level. After each
sequence the whole record is checked against the rules.
"""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.escalation.models import Escalation, EscalationStep, Notification
from app.escalation.policy import DEFAULT, HOLD_HOURS
from app.escalation.sweep import sweep
from app.extensions import db
from app.points.models import RiskPoint

START = datetime(2026, 11, 2, 16, 0, tzinfo=timezone.utc)  # midnight in Shanghai, a Tuesday

actions = st.lists(st.one_of(
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("sweep"), st.just(0)),
    st.tuples(st.just("sweep_twice"), st.just(0)),
    st.tuples(st.just("inspect"), st.just(0)),
    st.tuples(st.just("acknowledge"), st.just(0)),
), min_size=1, max_size=40)


def _reset(point_id: int) -> None:
    for model in (Notification, EscalationStep, Escalation):
        db.session.execute(sa.delete(model))
    db.session.execute(sa.update(RiskPoint).values(due_at=None))
    db.session.execute(sa.update(RiskPoint).where(RiskPoint.id == point_id).values(due_at=START))
    db.session.commit()


def _play(point_id: int, steps: list[tuple[str, int]]) -> datetime:
    now = START
    for action, hours in steps:
        if action == "wait":
            now += timedelta(hours=hours)
        elif action in ("sweep", "sweep_twice"):
            for _ in range(1 + (action == "sweep_twice")):
                sweep(now)
                db.session.commit()
        elif action == "inspect":  # what an inspection does to the point: due again at the next midnight
            db.session.execute(sa.update(RiskPoint).where(RiskPoint.id == point_id)
                               .values(due_at=now + timedelta(days=1)))
            db.session.commit()
        elif action == "acknowledge":
            db.session.execute(sa.update(Escalation).where(Escalation.resolved_at.is_(None), Escalation.level > 0)
                               .values(held_until=now + timedelta(hours=HOLD_HOURS)))
            db.session.commit()
    return now


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_no_sequence_sends_a_step_twice_or_skips_a_level(ctx, world, steps):
    _reset(world.water_a.id)
    _play(world.water_a.id, steps)
    escalations = db.session.scalars(sa.select(Escalation)).all()
    for escalation in escalations:
        taken = db.session.scalars(sa.select(EscalationStep).where(EscalationStep.escalation_id == escalation.id)
                                   .order_by(EscalationStep.level)).all()
        levels = [s.level for s in taken]
        first = max(DEFAULT.start_level(escalation.trigger, escalation.risk_level),
                    1 if escalation.grid_id else 2)  # no grid: nobody at level 1, the school first
        assert levels == list(range(first, first + len(levels))), levels  # none skipped, none twice
        assert escalation.level == (levels[-1] if levels else 0)
        for lower, upper in zip(taken, taken[1:]):  # each climb waited its level's time
            assert upper.at - lower.at >= DEFAULT.climb_after(escalation.risk_level)
        if escalation.resolved_at is not None:
            assert all(s.at <= escalation.resolved_at for s in taken)  # nothing after the cause was gone
    told = db.session.execute(sa.select(Notification.user_id, Notification.step_id)).all()
    assert len(told) == len(set(told))
    causes = db.session.execute(sa.select(Escalation.subject, Escalation.subject_id, Escalation.trigger,
                                          Escalation.began_at)).all()
    assert len(causes) == len(set(causes))
