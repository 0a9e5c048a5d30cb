"""Demo hazards at the first demo school, one at each step of the closed loop, and a public report."""

import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.session_user import load_session_user
from app.extensions import db
from app.hazards.models import Hazard
from app.hazards.services import act, report_hazard
from app.hazards.transitions import Action
from app.photos.services import store_image
from app.points.models import RiskPoint
from app.snaps.models import PublicReport, PublicReportPhoto
from app.snaps.services import school_code


def _picture(seed: int, fixed: bool = False) -> bytes:
    """A made-up photo: a wall with a crack (or, fixed, without), so the demo has pictures to show."""
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), (rng.randrange(150, 200), rng.randrange(150, 190), rng.randrange(130, 170)))
    draw = ImageDraw.Draw(image)
    for _ in range(40):  # bricks
        x, y = rng.randrange(0, 640), rng.randrange(0, 480)
        draw.rectangle((x, y, x + 60, y + 24), outline=(120, 110, 100), width=2)
    if not fixed:
        x, y = rng.randrange(150, 450), 40
        points = [(x, y)]
        while y < 440:
            x, y = x + rng.randrange(-30, 31), y + rng.randrange(20, 50)
            points.append((x, y))
        draw.line(points, fill=(40, 30, 30), width=6)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _photo(user: User, seed: int, fixed: bool = False) -> int:
    photo, _ = store_image(_picture(seed, fixed), user.id, user.org_unit_id)
    return photo.id


def seed_hazards(people: dict[str, User]) -> None:
    """Add the demo hazards once: nothing is added if the school has hazards already."""
    teacher, safety, principal, county = (people[n] for n in ("teacher", "safety", "principal", "county"))
    school = teacher.org_unit
    if db.session.scalar(select(Hazard.id).where(Hazard.school_id == school.id).limit(1)) is not None:
        return
    who = {name: load_session_user(person.id) for name, person in people.items()}
    points = {p.name: p for p in db.session.scalars(select(RiskPoint).where(RiskPoint.school_id == school.id))}
    any_point = next(iter(points.values()))

    def reported(by: str, seed: int, **data) -> Hazard:
        body = {"place": "", "urgency": "soon", "photo_ids": [_photo(people[by], seed)], **data}
        return report_hazard(who[by], body)

    reported("teacher", 1, place="教学楼三楼东侧走廊", category="building", description="走廊护栏立柱松动，学生倚靠时晃动明显")
    assigned = reported("teacher", 2, place="食堂后厨", category="canteen", description="后厨排水沟盖板破损，易绊倒")
    act(who["safety"], assigned, Action.ASSIGN, {"rectifier_id": teacher.id, "responsibility": "总务处",
                                                  "measures": "更换排水沟盖板", "funds_yuan": 800})
    rectified = reported("teacher", 3, point_id=any_point.id, description="围墙一处裂缝，雨后有渗水")
    act(who["safety"], rectified, Action.ASSIGN, {"rectifier_id": teacher.id, "responsibility": "总务处",
                                                   "measures": "修补裂缝并做防水"})
    act(who["teacher"], rectified, Action.RECTIFY, {"note": "已用水泥砂浆修补并涂刷防水层",
                                                     "photo_ids": [_photo(teacher, 3, fixed=True)]})
    closed = reported("teacher", 4, place="操场西侧", category="playground", description="篮球架底座螺栓缺失")
    act(who["safety"], closed, Action.ASSIGN, {"rectifier_id": teacher.id, "measures": "补齐螺栓并紧固"})
    act(who["teacher"], closed, Action.RECTIFY, {"note": "已补齐 4 颗螺栓", "photo_ids": [_photo(teacher, 4, True)]})
    act(who["principal"], closed, Action.VERIFY, {"note": "复查合格，准予销号"})
    major = reported("safety", 5, place="学校南侧河道", category="water", urgency="urgent",
                     description="河道护栏缺失约 30 米，临近学生上下学路线")
    act(who["principal"], major, Action.PASS_UP, {"to": "county", "note": "需水利部门配合并安排专项资金，超出学校能力"})
    act(who["county"], major, Action.SUPERVISE, {"note": "临水重大隐患，县局挂牌督办"})

    code = school_code(school)
    photo, _ = store_image(_picture(6), None, school.id)
    db.session.add(PublicReport(school_id=school.id, code_id=code.id, description="校门口的减速带坏了，车开得很快",
                                phone="13800000000", photos=[PublicReportPhoto(photo_id=photo.id)]))
    db.session.flush()
