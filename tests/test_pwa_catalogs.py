"""Every string the PWA shows is in both message catalogs, and none is written into markup or code."""

import json
import re
from pathlib import Path

from app.accounts.models import Role
from app.accounts.permissions import RANK
from app.escalation.policy import LADDER, TRIGGERS
from app.escalation.services import LEVEL_ROLES
from app.imports.people import ROLE_NAMES, role_key
from app.points.frequencies import FREQUENCIES
from app.points.levels import CATEGORIES
from app.snaps.progress import Progress

PWA = Path(__file__).resolve().parent.parent / "pwa"
CATALOGS = {lang: json.loads((PWA / "i18n" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("zh-CN", "en")}
#: screens whose strings load with them (pwa/i18n/<screen>/), not with the app: their js/<screen>/ may use both
SCREEN_CATALOGS = {screen: {lang: json.loads((PWA / "i18n" / screen / f"{lang}.json").read_text(encoding="utf-8"))
                            for lang in ("zh-CN", "en")} for screen in ("reports",)}


def app_files() -> list[Path]:
    return [path for path in [*PWA.rglob("js/**/*.js"), PWA / "index.html"]
            if path.parent.name not in SCREEN_CATALOGS]


def used_keys(paths: list[Path] | None = None) -> set[str]:
    keys = set()
    for path in app_files() if paths is None else paths:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", text))
        keys |= set(re.findall(r'data-i18n="([\w.]+)"', text))
        keys |= {f"queue.state.{s}" for s in ("waiting", "sending", "sent", "failed")}
        keys |= {f"check.{c}" for c in ("pass", "fail", "na")} | {f"level.{c}" for c in ("red", "orange", "yellow", "blue")}
        keys |= {f"category.{c}" for c in CATEGORIES} | {f"frequency.{f}" for f in FREQUENCIES}
        keys |= {f"admin.{s}" for s in ("points", "grids", "people", "checklists", "import", "print", "units")}
        keys |= {f"import.kind.{k}" for k in ("points", "schools", "people")}
        keys |= {f"import.{part}.{a}" for part in ("summary", "action") for a in ("create", "update", "unchanged", "refuse")}
        keys |= {f"print.status.{s}" for s in ("queued", "running", "done", "failed")}
        keys |= {f"role.{r.value}" for r in Role}
        keys |= {f"trigger.{trigger}" for trigger in TRIGGERS} | {f"escalation.level.{n}" for n in LADDER}
        keys |= {f"escalation.state.{s}" for s in ("resolved", "waiting")}
        # a public report's progress page names every state the server answers
        keys |= {f"status.{part}.{p}" for part in ("state", "explain") for p in Progress}
        keys |= {f"status.step.{p}" for p in Progress if p is not Progress.NOT_ACCEPTED}
    return keys


def test_catalogs_have_the_same_keys_and_every_key_the_app_uses():
    assert set(CATALOGS["zh-CN"]) == set(CATALOGS["en"])
    missing = used_keys() - set(CATALOGS["zh-CN"])
    assert not missing, missing


def test_a_screens_own_catalogs_have_the_same_keys_and_every_key_it_uses():
    for screen, catalogs in SCREEN_CATALOGS.items():
        assert set(catalogs["zh-CN"]) == set(catalogs["en"])
        files = list((PWA / "js" / screen).glob("*.js"))
        known = set(catalogs["zh-CN"]) | set(CATALOGS["zh-CN"])
        assert not used_keys(files) - known, used_keys(files) - known
        # keys passed to the screen's helpers (labels, section titles) too, not only to t()
        named = {key for path in files for key in re.findall(r"""["'](report\.[\w.]+\w)["']""", path.read_text(encoding="utf-8"))}
        assert named and not named - known, named - known


def test_no_chinese_or_english_sentences_hard_coded_in_the_app():
    for path in [*PWA.rglob("js/**/*.js"), PWA / "index.html"]:
        code = re.sub(r"//.*|/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"[\u4e00-\u9fff]", code), f"Chinese text in {path.name}: put it in pwa/i18n/"


def test_no_markup_is_built_from_strings():
    for path in PWA.rglob("js/**/*.js"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", code), path.name


def test_the_admin_screens_offer_the_servers_categories_and_frequencies():
    shared = (PWA / "js" / "admin" / "shared.js").read_text(encoding="utf-8")
    offered = {name: re.findall(r'"(\w+)"', re.search(rf"{name} = \[(.*?)\];", shared, re.S).group(1))
               for name in ("CATEGORIES", "FREQUENCIES")}
    assert offered == {"CATEGORIES": list(CATEGORIES), "FREQUENCIES": list(FREQUENCIES)}


def test_the_app_knows_every_role_and_its_rank():
    roles = (PWA / "js" / "roles.js").read_text(encoding="utf-8")
    rank = dict(re.findall(r"(\w+): (\d)", re.search(r"const RANK = \{(.*?)\};", roles).group(1)))
    assert {role: int(n) for role, n in rank.items()} == {role.value: n for role, n in RANK.items()}


def test_a_people_sheet_takes_roles_by_the_names_the_app_shows():
    for role in Role:
        assert CATALOGS["zh-CN"][f"role.{role.value}"] == ROLE_NAMES[role][0]
        assert role_key(CATALOGS["zh-CN"][f"role.{role.value}"]) is role
        assert role_key(CATALOGS["en"][f"role.{role.value}"]) is role


def test_the_app_offers_acknowledging_an_escalation_to_the_roles_the_server_accepts():
    roles = (PWA / "js" / "roles.js").read_text(encoding="utf-8")
    block = re.search(r"const ACK_ROLES = \{(.*?)\};", roles, re.S).group(1)
    offered = {int(level): set(re.findall(r'"(\w+)"', names)) for level, names in re.findall(r"(\d): \[(.*?)\]", block)}
    assert offered == {level: {role.value for role in accepted} for level, accepted in LEVEL_ROLES.items()}
