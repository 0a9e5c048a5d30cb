"""Every string the PWA shows is in both message catalogs, and none is written into markup or code."""

import json
import re
from pathlib import Path

PWA = Path(__file__).resolve().parent.parent / "pwa"
CATALOGS = {lang: json.loads((PWA / "i18n" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("zh-CN", "en")}


def used_keys() -> set[str]:
    keys = set()
    for path in [*PWA.glob("js/*.js"), PWA / "index.html"]:
        text = path.read_text(encoding="utf-8")
        keys |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", text))
        keys |= set(re.findall(r'data-i18n="([\w.]+)"', text))
        keys |= {f"queue.state.{s}" for s in ("waiting", "sending", "sent", "failed")}
        keys |= {f"check.{c}" for c in ("pass", "fail", "na")} | {f"level.{c}" for c in ("red", "orange", "yellow", "blue")}
    return keys


def test_catalogs_have_the_same_keys_and_every_key_the_app_uses():
    assert set(CATALOGS["zh-CN"]) == set(CATALOGS["en"])
    missing = used_keys() - set(CATALOGS["zh-CN"])
    assert not missing, missing


def test_no_chinese_or_english_sentences_hard_coded_in_the_app():
    for path in [*PWA.glob("js/*.js"), PWA / "index.html"]:
        code = re.sub(r"//.*|/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"[\u4e00-\u9fff]", code), f"Chinese text in {path.name}: put it in pwa/i18n/"


def test_no_markup_is_built_from_strings():
    for path in PWA.glob("js/*.js"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", code), path.name
