"""Forget the outbox rows that are done: sent or dropped, and last handled over the kept days ago.

They are the transport's log; the record of who was told is each step's notifications, which
stay. Pending rows (still trying) and dead ones (waiting for someone to send them again by
hand) are never pruned. The rows go in batches, each its own transaction, so a first prune of
a long history holds no lock for long.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.outbox.models import Delivery, DeliveryState

DONE = (DeliveryState.SENT, DeliveryState.DROPPED)
BATCH = 5000


def prune(now: datetime, keep_days: int) -> int:
    """Delete the done rows last handled before `keep_days` ago (by the due index); returns how many."""
    before = now - timedelta(days=keep_days)
    done = 0
    while True:
        # next_attempt_at is when a row was last claimed (plus the lease): for a done row, when it was handled
        batch = select(Delivery.id).where(Delivery.state.in_(DONE), Delivery.next_attempt_at < before).limit(BATCH)
        gone = db.session.execute(delete(Delivery).where(Delivery.id.in_(batch))).rowcount
        db.session.commit()
        done += gone
        if gone < BATCH:
            return done
