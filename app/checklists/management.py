"""Schools' and counties' own checklists: copy a template, rename it, edit and reorder its items.

A shipped default (org_unit_id None) is never changed: a unit copies it and edits the copy.
Editing never rewrites an item that inspections may have answered: an item keeps its row
(and id) only while its text is unchanged; a changed or removed item is retired and a
changed one gets a new row. Old inspections keep their own snapshot of each item's text.
"""

from typing import NamedTuple

from sqlalchemy import Select, func, or_, select

from app.accounts.permissions import MANAGERS, require
from app.accounts.scope import in_scope, unit_ids_in_scope
from app.accounts.session_user import SessionUser
from app.audit.services import record
from app.checklists.models import ChecklistItem, ChecklistTemplate
from app.errors import abort
from app.extensions import db
from app.orgs.models import OrgUnit

MAX_ITEMS = 100
MAX_TEXT = 200
MAX_NAME = 100


class Wanted(NamedTuple):
    """One entry of a new item list, checked: the existing item's id (or None) and its text."""

    id: int | None
    text: str


def _ancestor_ids(user: SessionUser) -> list[int]:
    """The ids of the units above the user's own (from its materialised path)."""
    return [int(part) for part in user.org_unit.path.strip("/").split("/") if part][:-1]


def _visible(user: SessionUser):
    """Condition on ChecklistTemplate: shipped, owned in the user's area, or owned above it."""
    return or_(
        ChecklistTemplate.org_unit_id.is_(None),
        ChecklistTemplate.org_unit_id.in_(unit_ids_in_scope(user)),
        ChecklistTemplate.org_unit_id.in_(_ancestor_ids(user)),
    )


def visible_templates(user: SessionUser, category: str | None = None) -> Select:
    """Select (template, owner unit or None, active item count) for the templates the user sees."""
    count = (select(func.count(ChecklistItem.id))
             .where(ChecklistItem.template_id == ChecklistTemplate.id, ChecklistItem.active)
             .correlate(ChecklistTemplate).scalar_subquery())
    stmt = (select(ChecklistTemplate, OrgUnit, count.label("item_count"))
            .outerjoin(OrgUnit, OrgUnit.id == ChecklistTemplate.org_unit_id)
            .where(_visible(user))
            .order_by(ChecklistTemplate.org_unit_id.is_not(None), OrgUnit.path, ChecklistTemplate.category,
                      ChecklistTemplate.id))
    if category:
        stmt = stmt.where(ChecklistTemplate.category == category)
    return stmt


def visible_template(user: SessionUser, template_id: int, lock: bool = False) -> ChecklistTemplate:
    """A template the user may see, or abort with 404 (outside looks the same as unknown)."""
    stmt = select(ChecklistTemplate).where(ChecklistTemplate.id == template_id, _visible(user))
    if lock:  # PostgreSQL: one change of a template at a time (SQLite has one writer anyway)
        stmt = stmt.with_for_update()
    template = db.session.scalar(stmt)
    if template is None:
        abort(404, "No such checklist template.", error="unknown_template")
    return template


def owner(template: ChecklistTemplate) -> OrgUnit | None:
    """The unit that owns a template; None for a shipped default."""
    return db.session.get(OrgUnit, template.org_unit_id) if template.org_unit_id else None


def may_edit(user: SessionUser, unit: OrgUnit | None) -> bool:
    """Whether the user may change a template owned by this unit (never a shipped one)."""
    return unit is not None and user.role in MANAGERS and in_scope(user, unit.path)


def managed_template(user: SessionUser, template_id: int) -> ChecklistTemplate:
    """A template the user may change, locked for the change; or 404, 403, or 409 for a shipped one."""
    template = visible_template(user, template_id, lock=True)
    require(user, MANAGERS, "change checklist templates")
    unit = owner(template)
    if unit is None:
        abort(409, "Shipped checklist templates cannot be changed: copy this one for your unit and edit the copy.",
              error="shipped_template")
    if not in_scope(user, unit.path):
        abort(403, f"This checklist belongs to {unit.name}: only its managers may change it. "
                   "Copy it for your unit to edit your own.", error="forbidden")
    return template


def _check_name(name: str, unit_id: int, template_id: int | None = None) -> str:
    """The stripped name, 1..100 characters and not used by another template of the unit (422/409)."""
    name = (name or "").strip()
    if not 1 <= len(name) <= MAX_NAME:
        abort(422, f"A checklist's name needs 1 to {MAX_NAME} characters.", error="invalid_template",
              errors={"name": [f"must be 1 to {MAX_NAME} characters"]})
    clash = db.session.scalar(select(ChecklistTemplate.id).where(
        ChecklistTemplate.org_unit_id == unit_id, ChecklistTemplate.name == name))
    if clash is not None and clash != template_id:
        abort(409, f"This unit already has a checklist named {name!r}: choose another name.",
              error="duplicate_template")
    return name


def _texts(template_id: int) -> list[str]:
    """A template's active item texts, in order."""
    return list(db.session.scalars(select(ChecklistItem.text).where(
        ChecklistItem.template_id == template_id, ChecklistItem.active).order_by(ChecklistItem.position)))


def copy_template(user: SessionUser, source_id: int, org_unit_id: int, name: str | None = None) -> ChecklistTemplate:
    """Copy a visible template (its active items, in order) into a unit of the user's area."""
    require(user, MANAGERS, "create checklist templates")
    unit = db.session.get(OrgUnit, org_unit_id)
    if unit is None or not in_scope(user, unit.path):
        abort(404, "No such unit in your area.", error="unknown_org_unit")
    source = visible_template(user, source_id)
    name = _check_name(name if name is not None else source.name, unit.id)
    texts = _texts(source.id)
    template = ChecklistTemplate(name=name, category=source.category, org_unit_id=unit.id)
    db.session.add(template)
    db.session.flush()
    db.session.add_all(ChecklistItem(template_id=template.id, position=i, text=text, active=True)
                       for i, text in enumerate(texts, start=1))
    db.session.flush()
    record(user.id, "create", "checklist_template", template.id, None,
           {"name": name, "category": template.category, "org_unit_id": unit.id, "source_id": source.id,
            "items": texts})
    return template


def rename(user: SessionUser, template_id: int, name: str) -> ChecklistTemplate:
    """Rename a unit's template."""
    template = managed_template(user, template_id)
    name = _check_name(name, template.org_unit_id, template.id)
    if name != template.name:
        before = {"name": template.name}
        template.name = name
        db.session.flush()
        record(user.id, "update", "checklist_template", template.id, before, {"name": name})
    return template


def _check_items(entries: list[dict], current: dict[int, ChecklistItem]) -> list[Wanted]:
    """Strip and check the new item list; abort with 422 and per-entry `errors`."""
    if not entries:
        abort(422, "A checklist needs at least one item.", error="invalid_items",
              errors={"items": ["must hold at least one item"]})
    if len(entries) > MAX_ITEMS:
        abort(422, f"A checklist holds at most {MAX_ITEMS} items.", error="invalid_items",
              errors={"items": [f"must hold at most {MAX_ITEMS} items"]})
    errors: dict[str, dict[str, list[str]]] = {}
    wanted, seen_texts, seen_ids = [], {}, set()
    for index, entry in enumerate(entries):
        text, item_id, problems = (entry.get("text") or "").strip(), entry.get("id"), {}
        if not 1 <= len(text) <= MAX_TEXT:
            problems["text"] = [f"must be 1 to {MAX_TEXT} characters (after trimming spaces)"]
        elif text in seen_texts:
            problems["text"] = [f"repeats item {seen_texts[text] + 1}"]
        if item_id is not None and item_id not in current:
            problems["id"] = ["not a current item of this checklist"]
        elif item_id is not None and item_id in seen_ids:
            problems["id"] = ["appears more than once"]
        seen_texts.setdefault(text, index)
        seen_ids.add(item_id)
        if problems:
            errors[str(index)] = problems
        wanted.append(Wanted(item_id, text))
    if errors:
        abort(422, "The checklist items are not valid: see `errors` (by position in the list, from 0).",
              error="invalid_items", errors={"items": errors})
    return wanted


def replace_items(user: SessionUser, template_id: int, entries: list[dict]) -> ChecklistTemplate:
    """Make the template's active items exactly `entries`, in order (see the module's docstring)."""
    template = managed_template(user, template_id)
    current = {item.id: item for item in db.session.scalars(select(ChecklistItem).where(
        ChecklistItem.template_id == template.id, ChecklistItem.active).order_by(ChecklistItem.position))}
    before = [item.text for item in current.values()]
    wanted = _check_items(entries, current)
    claimed = {w.id for w in wanted if w.id is not None}
    # An entry without an id keeps an unclaimed item with the very same text (a client that lost the id).
    by_text = {item.text: item.id for item in current.values() if item.id not in claimed}
    kept: set[int] = set()
    for position, entry in enumerate(wanted, start=1):
        item_id = entry.id if entry.id is not None else by_text.pop(entry.text, None)
        item = current.get(item_id)
        if item is not None and item.text == entry.text:
            item.position = position
            kept.add(item.id)
        else:
            db.session.add(ChecklistItem(template_id=template.id, position=position, text=entry.text, active=True))
    for item in current.values():
        if item.id not in kept:
            item.active = False
    db.session.flush()
    after = [entry.text for entry in wanted]
    if after != before or len(kept) != len(after):
        record(user.id, "update", "checklist_template", template.id, {"items": before}, {"items": after})
    db.session.expire(template, ["items"])
    return template
