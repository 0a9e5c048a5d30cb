"""Install the shipped checklist templates."""

from sqlalchemy import select

from app.checklists.defaults import DEFAULT_TEMPLATES
from app.checklists.models import ChecklistItem, ChecklistTemplate
from app.extensions import db


def ensure_default_templates() -> dict[str, ChecklistTemplate]:
    """Create any missing shipped template; return them by category."""
    existing = {
        t.category: t
        for t in db.session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.org_unit_id.is_(None)))
    }
    for category, default in DEFAULT_TEMPLATES.items():
        if category in existing:
            continue
        template = ChecklistTemplate(name=default.name, category=category)
        db.session.add(template)
        db.session.flush()
        db.session.add_all(
            ChecklistItem(template_id=template.id, position=i, text=text)
            for i, text in enumerate(default.items, start=1)
        )
        existing[category] = template
    db.session.flush()
    return existing
