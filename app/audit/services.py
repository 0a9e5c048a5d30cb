"""Write and read the audit trail."""

import json

from flask import has_request_context, request
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The audited fields of an object, as plain JSON values."""
    return {field: getattr(obj, field) for field in fields}


def record(actor_id: int | None, action: str, entity: str, entity_id: int,
           before: dict | None = None, after: dict | None = None, reason: str = "") -> AuditEntry:
    """Append one entry; the caller's transaction commits it with the change itself."""
    changed = {k for k in (after or {}) if (before or {}).get(k) != (after or {}).get(k)}
    entry = AuditEntry(
        actor_id=actor_id, action=action, entity=entity, entity_id=entity_id,
        before=json.dumps({k: v for k, v in (before or {}).items() if not before or not after or k in changed},
                          ensure_ascii=False),
        after=json.dumps({k: v for k, v in (after or {}).items() if not before or k in changed}, ensure_ascii=False),
        reason=reason,
        address=(request.remote_addr or "")[:45] if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def history(entity: str, entity_id: int) -> list[AuditEntry]:
    """The entries about one thing, oldest first."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id).order_by(AuditEntry.id)
    ))
