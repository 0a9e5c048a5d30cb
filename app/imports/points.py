"""Import risk points (风险点清单): plan every row, then apply all of them or none."""

from sqlalchemy import select

from app.accounts.session_user import SessionUser
from app.extensions import db
from app.imports.plans import RowPlan, missing_cells, units_by_name
from app.imports.sheets import Column
from app.orgs.models import Grid, OrgKind
from app.points.frequencies import FREQUENCIES, frequency_key
from app.points.levels import CATEGORIES, risk_levels
from app.points.management import add_point, change_point
from app.points.models import RiskPoint

COLUMNS = (
    Column("school", "学校", True, "演示县第一中学"),
    Column("name", "风险点名称", True, "图书馆一楼灭火器"),
    Column("category", "类别", True, "消防"),
    Column("risk_level", "风险等级", True, "一般风险"),
    Column("location", "位置", False, "图书馆1层入口"),
    Column("grid", "网格", False, "教学区网格"),
    Column("responsible", "责任人", False, "王建国"),
    Column("frequency", "巡检频次", False, ""),  # blank: as the risk level says
    Column("reason", "等级调整原因", False, ""),
)
COLOUR_WORDS = {"red": ("红", "红色"), "orange": ("橙", "橙色"), "yellow": ("黄", "黄色"), "blue": ("蓝", "蓝色")}
FIELDS = ("name", "category", "risk_level", "location", "grid_id", "responsible", "frequency")


def level_key(text: str) -> str | None:
    """A level from its Chinese name (重大风险 or 重大), its colour word (红色) or its key (red)."""
    text = text.strip().lower()
    for level in risk_levels():
        names = {level.key, level.name_zh, level.name_zh.removesuffix("风险"), level.name_en.lower(),
                 *COLOUR_WORDS.get(level.key, ())}
        if text in names:
            return level.key
    return None


def category_key(text: str) -> str | None:
    text = text.strip()
    return next((key for key, (zh, en) in CATEGORIES.items() if text in (key, zh, en, en.lower())), None)


def _read_names(cells: dict[str, str], p: RowPlan) -> tuple[str | None, str | None, str | None]:
    """The category, level and frequency keys the row's words name; a reason for each not understood."""
    category = category_key(cells["category"]) if cells.get("category") else None
    if cells.get("category") and category is None:
        p.reasons.append(f"类别“{cells['category']}”无法识别")
    level = level_key(cells["risk_level"]) if cells.get("risk_level") else None
    if cells.get("risk_level") and level is None:
        names = "、".join(lvl.name_zh for lvl in risk_levels())
        p.reasons.append(f"风险等级“{cells['risk_level']}”无法识别(应为 {names},或红/橙/黄/蓝)")
    frequency = frequency_key(cells["frequency"]) if cells.get("frequency") else None
    if cells.get("frequency") and frequency is None:
        names = "、".join(f.name_zh for f in FREQUENCIES.values())
        p.reasons.append(f"巡检频次“{cells['frequency']}”无法识别(应为 {names},或留空按风险等级)")
    return category, level, frequency


class _Registers(dict):
    """Each school's grids and points by name, read once per school however many rows name it."""

    def __missing__(self, school_id: int) -> tuple[dict[str, int], dict[str, RiskPoint]]:
        grids = dict(db.session.execute(select(Grid.name, Grid.id).where(Grid.school_id == school_id)).all())
        points = {p.name: p for p in db.session.scalars(select(RiskPoint).where(RiskPoint.school_id == school_id))}
        self[school_id] = (grids, points)
        return grids, points


def plan(user: SessionUser, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    """Decide, row by row, what importing would do and why a row is refused (in Chinese)."""
    schools = units_by_name(user, OrgKind.SCHOOL)
    registers = _Registers()
    seen: dict[tuple[int, str], int] = {}
    plans = []
    for number, cells in rows:
        p = RowPlan(number, name=cells.get("name", ""), reasons=missing_cells(cells, COLUMNS))
        plans.append(p)
        matches = schools.get(cells.get("school", ""), [])
        if cells.get("school") and not matches:
            p.reasons.append(f"学校“{cells['school']}”不存在或不在您的管辖范围内")
        elif len(matches) > 1:
            p.reasons.append(f"学校名称“{cells['school']}”有重名,无法确定是哪一所")
        category, level, frequency = _read_names(cells, p)
        if len(matches) != 1 or p.reasons:
            p.settle()
            continue
        school = matches[0]
        p.parent_id = school.id
        grids, points = registers[school.id]
        grid_id = grids.get(cells["grid"]) if cells.get("grid") else None
        if cells.get("grid") and grid_id is None:
            p.reasons.append(f"网格“{cells['grid']}”不是{school.name}的网格")
        key = (school.id, cells["name"])
        if key in seen:
            p.reasons.append(f"与第 {seen[key]} 行重复(同一学校的风险点名称)")
        seen.setdefault(key, number)
        p.values = {"name": cells["name"], "category": category, "risk_level": level,
                    "location": cells.get("location", ""), "grid_id": grid_id,
                    "responsible": cells.get("responsible", ""), "frequency": frequency}
        existing = points.get(cells["name"])
        if existing is not None and not p.reasons:
            p.target_id = existing.id
            changed = {k for k in FIELDS if getattr(existing, k) != p.values[k]}
            p.action = "update" if changed else "unchanged"
            if "risk_level" in changed and not cells.get("reason"):
                p.reasons.append("风险等级有变化,需填写“等级调整原因”")
            p.values["reason"] = cells.get("reason", "")
        p.settle()
    return plans


def apply(user: SessionUser, plans: list[RowPlan]) -> None:
    """Carry out a plan with no refused row; the caller commits it as one transaction."""
    for p in plans:
        if p.action == "create":
            add_point(user, {**{k: v for k, v in p.values.items() if k != "reason"}, "school_id": p.parent_id})
        elif p.action == "update":
            change_point(user, db.session.get(RiskPoint, p.target_id), dict(p.values))
