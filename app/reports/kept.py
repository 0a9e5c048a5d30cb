"""Figures of a span that has ended, kept per school: computed once, then read.

Once a span has ended no inspection can join it (inspections are dated by the server) and
its hazards' dates are history; like a filed paper report, its figures stand as they were
first computed. The monthly report's trend reads six months of them, so the escalation
loop keeps each month's as soon as it ends (app.reports.closing), not the first reader.
"""

from dataclasses import fields
from datetime import date
from typing import Callable, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db

F = TypeVar("F")


def kept(model, kind: type[F], school_ids: list[int], first: date, end: date,
         compute: Callable[[list[int]], dict[int, F]]) -> dict[int, F]:
    """Each school's figures of [first, end): those kept, and the rest computed and kept (the caller commits)."""
    names = [f.name for f in fields(kind)]
    figures = {row.school_id: kind(**{n: getattr(row, n) for n in names}) for row in db.session.scalars(
        select(model).where(model.school_id.in_(school_ids), model.first == first, model.end == end))}
    missing = [school_id for school_id in school_ids if school_id not in figures]
    if missing:
        computed = compute(missing)
        computed = {school_id: computed.get(school_id) or kind() for school_id in missing}
        try:
            with db.session.begin_nested():  # another request may have kept the same just now
                db.session.add_all(model(school_id=s, first=first, end=end, **{n: getattr(c, n) for n in names})
                                   for s, c in computed.items())
        except IntegrityError:
            pass
        figures.update(computed)
    return {school_id: figures[school_id] for school_id in school_ids}
