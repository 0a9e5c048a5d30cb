"""Render what a person sees into docs/: `.venv/bin/python docs/screenshots.py [group ...]`.

Starts the demo county under gunicorn (bench/live_server.py) and photographs the PWA
on a phone-sized screen and the API docs on a desktop one, with Debian's Chromium
driven by Playwright. Groups: patroller, sessions, admin, hazards, public, escalation, reports (default: all;
reports last, as it adds weeks of made-up patrols to the demo county first).
"""

import os
import sys
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.live_server import demo_server  # noqa: E402
from tests.pwa_helpers import log_in  # noqa: E402

ZONE = "Asia/Shanghai"  # the schools' clocks, whatever this machine's
PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "locale": "zh-CN", "timezone_id": ZONE}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def save(page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(ROOT / "docs" / name), full_page=full_page)
    print(f"docs/{name}")


def overdue_for_three_days(base: str, instance: Path) -> None:
    """One of the patroller's points inspected daily, as if nobody had for three days: overdue, 漏检 3 次."""
    patroller, safety = requests.Session(), requests.Session()
    patroller.post(f"{base}/api/auth/login", json={"username": "patroller", "password": "demo12345"})
    csrf = safety.post(f"{base}/api/auth/login", json={"username": "safety", "password": "demo12345"}).json()["csrf_token"]
    point = patroller.get(f"{base}/api/points?my_grids=true&order=due").json()[-1]
    safety.patch(f"{base}/api/points/{point['id']}", json={"frequency": "daily"},
                 headers={"X-CSRF-Token": csrf}).raise_for_status()
    from app.extensions import db
    from app.schedules.services import refresh_due

    with live_app(instance).app_context():  # the live server's database, for its due time
        refresh_due([point["id"]], datetime.now(ZoneInfo(ZONE)) - timedelta(days=3))
        db.session.commit()


def live_app(instance: Path):
    """The app on the live server's database, to do what the server does by itself (schedules, sweeps)."""
    os.environ["HUXIAO_INSTANCE_PATH"] = str(instance)
    os.environ.pop("DATABASE_URL", None)
    from app import create_app

    return create_app()


def logged_in_session(base: str, username: str) -> requests.Session:
    """A session of one of the demo people, with its CSRF token on every write."""
    session = requests.Session()
    answer = session.post(f"{base}/api/auth/login", json={"username": username, "password": "demo12345"})
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


GROUPS = ("patroller", "sessions", "admin", "hazards", "public", "handoffs", "escalation", "reports")


def main(groups: list[str]) -> None:
    from app.outbox.push import new_private_key

    # with Web Push keys, so the inbox offers 开启消息推送
    os.environ.setdefault("VAPID_PRIVATE_KEY", new_private_key())
    os.environ.setdefault("VAPID_SUBJECT", "mailto:anquan@example.cn")
    with demo_server(workers=1, app="wsgi:app") as (base, instance), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if "patroller" in groups:
            patroller_screens(browser, base, instance)
        if "sessions" in groups:
            session_screens(browser, base)
        if "admin" in groups:
            admin_screens(browser, base)
        if "hazards" in groups:
            hazard_screens(browser, base)
        if "public" in groups:
            public_status_screens(browser, base)
        if "handoffs" in groups:
            handoff_screens(browser, base)
        if "escalation" in groups:
            escalation_screens(browser, base, instance)
        if "reports" in groups:
            report_screens(browser, base, instance)
        browser.close()


def patroller_screens(browser, base: str, instance: Path) -> None:
    """A patroller on a phone: logging in from a scan, the checklist, the home screen offline; the API docs."""
    overdue_for_three_days(base, instance)
    session = requests.Session()
    session.post(f"{base}/api/auth/login", json={"username": "patroller", "password": "demo12345"})
    red = next(pt for pt in session.get(f"{base}/api/points").json() if pt["risk_level"] == "red")
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{base}/p/{red['token']}")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    save(page, "pwa-login.png")
    log_in(page, "patroller")
    expect(page.get_by_role("button", name="全部正常")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(f"{base}/app/")  # controlled by the worker from here, which keeps the points list
    expect(page.locator("li.point-row").first).to_be_visible()
    page.goto(f"{base}/p/{red['token']}")
    expect(page.get_by_role("button", name="全部正常")).to_be_visible()
    page.locator("li.item").nth(0).get_by_role("button", name="正常").click()
    page.locator("li.item").nth(1).get_by_role("button", name="异常").click()
    page.locator("li.item").nth(1).locator("textarea").fill("疏散指示灯不亮")
    page.evaluate("document.activeElement.blur(); scrollTo(0, 0)")
    save(page, "pwa-checklist.png")
    phone.set_offline(True)
    page.get_by_role("button", name="全部正常").click()
    page.locator("li.item").nth(1).get_by_role("button", name="异常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    expect(page.locator("li.point-row").first).to_be_visible()
    page.wait_for_timeout(4500)  # let the "saved on this phone" notice fade
    # from the count of overdue points down to the first of them, under the bar with its badge
    page.evaluate("scrollTo(0, document.querySelector('.overdue-count').offsetTop"
                  " - document.querySelector('.bar').offsetHeight - 8)")
    save(page, "pwa-home-offline.png")
    phone.set_offline(False)
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    docs = desktop.new_page()
    docs.goto(f"{base}/api/docs")
    expect(docs.get_by_text("/api/scan/{token}")).to_be_visible()
    save(docs, "api-docs.png")
    phone.close()
    desktop.close()


def session_screens(browser, base: str) -> None:
    """A school's safety officer sees where she is logged in: this phone, the office PC, a phone in WeChat."""
    for agent in ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
                  "Mozilla/5.0 (Linux; Android 12; V2134A) Chrome/86.0 Mobile Safari/537.36 MicroMessenger/8.0.28"):
        requests.post(f"{base}/api/auth/login", json={"username": "safety", "password": "demo12345"},
                      headers={"User-Agent": agent}).raise_for_status()
    phone = browser.new_context(**PHONE, user_agent="Mozilla/5.0 (Linux; Android 13; HarmonyOS) Chrome/120.0 Mobile")
    page = phone.new_page()
    page.goto(f"{base}/app/sessions")
    log_in(page, "safety")
    expect(page.locator("li.session")).to_have_count(3)
    save(page, "pwa-sessions.png")
    phone.close()


def admin_screens(browser, base: str) -> None:
    """A school's safety officer on an office PC: the register, an import preview, printing."""
    desktop = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN", timezone_id=ZONE)
    page = desktop.new_page()
    page.goto(f"{base}/app/admin/points")
    log_in(page, "safety")
    expect(page.locator("table.register tbody tr").first).to_be_visible()
    for row in (1, 4, 5):
        page.locator("table.register tbody tr").nth(row).locator("input[type=checkbox]").check()
    page.evaluate("scrollTo(0, 0)")  # the filters, the print button and the first rows with their states
    save(page, "admin-points.png")
    page.locator("table.register tbody tr").first.locator("button.name").click()  # a point's editor
    form = page.locator("form.edit-point")
    form.get_by_label("仅上学日巡检(节假日、寒暑假不检)").check()
    form.get_by_role("button", name="添加时段").click()
    season = form.locator("li.season").first
    season.get_by_label("该时段的频次").select_option(label="每周巡检一次")
    season.get_by_label("开始月份").select_option("4")
    season.get_by_label("开始日").fill("1")
    season.get_by_label("结束月份").select_option("10")
    season.get_by_label("结束日").fill("31")
    page.evaluate("document.querySelector('.bar').style.position = 'static'")  # not over the shot
    form.screenshot(path=str(ROOT / "docs" / "admin-point-schedule.png"))  # the editor alone
    page.goto(f"{base}/app/admin/points")
    expect(page.locator("table.register tbody tr").first).to_be_visible()
    school = page.locator("table.register tbody tr").first.locator("td").nth(3).inner_text()
    rows = [
        "学校,风险点名称,类别,风险等级,位置,网格,责任人",
        f"{school},图书馆一楼灭火器,消防,一般风险,图书馆1层,,孔馆长",
        f"{school},图书馆配电箱,用电,较大,图书馆1层,,孔馆长",
        f"{school},实验室危化品柜,其他,红色,实验楼2层,,",
        f"{school},图书馆一楼灭火器,消防,一般风险,,,",
        f"{school},锅炉房,消防,紫色,后勤区,,",
        "第九中学,游泳池,水域,重大风险,,,",
    ]
    sheet = Path(tempfile.mkdtemp()) / "风险点清单.csv"
    sheet.write_bytes("\r\n".join(rows).encode("gb18030"))  # as an older Excel saves it
    page.get_by_role("link", name="导入").click()
    page.get_by_label("Excel 或 CSV 文件").set_input_files(str(sheet))
    page.get_by_role("button", name="预览(不会写入)").click()
    expect(page.locator(".import-rows tbody tr")).to_have_count(6)
    save(page, "admin-import-preview.png", full_page=True)
    page.get_by_role("link", name="打印标签").click()
    page.locator("form.admin-form").get_by_label("学校").select_option(index=1)
    page.wait_for_function("() => document.querySelector('img.label-preview')?.naturalWidth > 300")
    save(page, "admin-print.png", full_page=True)
    desktop.close()


def hazard_screens(browser, base: str) -> None:
    """On a phone: a teacher reporting a hazard, a closed hazard's timeline, the public 随手拍 page."""
    safety = requests.Session()
    safety.post(f"{base}/api/auth/login", json={"username": "safety", "password": "demo12345"})
    closed = safety.get(f"{base}/api/hazards?state=closed").json()[0]
    photo = Path(tempfile.mkdtemp()) / "crack.jpg"
    photo.write_bytes(safety.get(f"{base}/api/photos/{closed['photo_ids'][0]}").content)
    snap_url = safety.get(f"{base}/api/schools/{closed['school']['id']}/snap-code").json()["url"]

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{base}/app/hazards/new")
    log_in(page, "teacher")
    expect(page.get_by_role("heading", name="上报隐患")).to_be_visible()
    page.locator("input[type=file]").first.set_input_files(str(photo))
    expect(page.locator(".thumbs img")).to_have_count(1)
    page.get_by_label("隐患描述").fill("三楼东侧楼梯扶手松动,课间学生拥挤时晃动")
    page.get_by_label("位置(楼栋、楼层、房间)").fill("教学楼三楼东侧楼梯")
    page.get_by_label("类别").select_option(label="校舍")
    page.get_by_role("button", name="较紧急").click()
    page.evaluate("document.activeElement.blur(); scrollTo(0, 0)")
    save(page, "pwa-hazard-report.png", full_page=True)

    page.goto(f"{base}/app/hazards/{closed['id']}")
    expect(page.locator(".timeline .event").last).to_be_visible()
    page.wait_for_function("() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)")
    save(page, "pwa-hazard-detail.png", full_page=True)
    phone.close()

    manager = browser.new_context(**PHONE)
    page = manager.new_page()  # the safety officer's 随手拍 queue, with the school's code and poster
    page.goto(f"{base}/app/hazards/triage")
    log_in(page, "safety")
    expect(page.get_by_text("本校随手拍二维码")).to_be_visible()
    page.wait_for_function("() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)")
    save(page, "pwa-hazard-triage.png", full_page=True)
    manager.close()

    public = browser.new_context(**PHONE)
    page = public.new_page()  # a parent's phone: no account, first visit
    page.goto(snap_url)
    expect(page.locator(".snap .school")).to_be_visible()
    page.locator("input[type=file]").nth(1).set_input_files(str(photo))
    expect(page.locator(".thumbs img")).to_have_count(1)
    page.get_by_label("发现了什么问题?在哪里?").fill("学校后门围墙有一道裂缝,下雨后往外渗水")
    page.evaluate("document.activeElement.blur(); scrollTo(0, 0)")
    save(page, "pwa-snap.png", full_page=True)
    public.close()


def public_status_screens(browser, base: str) -> None:
    """On a parent's phone: the 随手拍 receipt with its status link and QR code, then the page the link opens."""
    safety = logged_in_session(base, "safety")
    teacher = logged_in_session(base, "teacher").get(f"{base}/api/me").json()["user"]
    school = teacher["org_unit"]["id"]
    snap_url = safety.get(f"{base}/api/schools/{school}/snap-code").json()["url"]
    photo = Path(tempfile.mkdtemp()) / "fence.jpg"
    closed = safety.get(f"{base}/api/hazards?state=closed").json()[0]
    photo.write_bytes(safety.get(f"{base}/api/photos/{closed['photo_ids'][0]}").content)

    public = browser.new_context(**PHONE)
    page = public.new_page()  # no account, no cookie
    page.goto(snap_url)
    page.locator("input[type=file]").nth(1).set_input_files(str(photo))
    page.get_by_label("发现了什么问题?在哪里?").fill("学校后门围墙有一道裂缝,下雨后往外渗水")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("a.status-url")).to_be_visible()
    page.wait_for_function("() => [...document.images].every((img) => img.complete && img.naturalWidth > 0)")
    save(page, "pwa-snap-receipt.png", full_page=True)

    # the school takes it up and gives it to a teacher to fix: the sender's link says 整改中
    description = "学校后门围墙有一道裂缝,下雨后往外渗水"
    report = [r for r in safety.get(f"{base}/api/public-reports?status=new").json()
              if r["description"] == description][0]
    once = {"Idempotency-Key": str(uuid.uuid4())}
    accepted = safety.post(f"{base}/api/public-reports/{report['id']}/accept", headers=once,
                           json={"place": "学校后门围墙", "category": "building", "urgency": "soon"}).json()
    safety.post(f"{base}/api/hazards/{accepted['hazard_id']}/assign", headers={"Idempotency-Key": str(uuid.uuid4())},
                json={"rectifier_id": teacher["id"], "measures": "砌补裂缝,加固墙基"}).raise_for_status()
    page.locator("a.status-url").click()
    expect(page.locator(".status-state")).to_have_text("整改中")
    save(page, "public-status.png", full_page=True)
    public.close()


def handoff_screens(browser, base: str) -> None:
    """The grid leader's 消息 after the safety officer assigns him a teacher's report: his turn, with its deadline."""
    teacher, safety = logged_in_session(base, "teacher"), logged_in_session(base, "safety")
    leader_id = logged_in_session(base, "leader").get(f"{base}/api/me").json()["user"]["id"]
    photo = teacher.post(f"{base}/api/photos", files={"file": ("a.jpg", _jpeg((200, 60, 40)), "image/jpeg")})
    hazard = teacher.post(f"{base}/api/hazards", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
        "place": "教学楼三楼东侧楼梯", "category": "building", "urgency": "urgent", "description": "楼梯扶手断裂",
        "photo_ids": [photo.json()["id"]]}).json()
    safety.post(f"{base}/api/hazards/{hazard['id']}/assign", headers={"Idempotency-Key": str(uuid.uuid4())},
                json={"rectifier_id": leader_id, "measures": "更换扶手"}).raise_for_status()
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{base}/app/inbox")
    log_in(page, "leader")
    expect(page.locator("li.inbox-row", has_text="楼梯").first).to_contain_text("隐患交办给您整改")
    save(page, "pwa-inbox-handoffs.png")
    phone.close()


def _jpeg(colour) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buf, "JPEG")
    return buf.getvalue()


def escalation_screens(browser, base: str, instance: Path) -> None:
    """The school's safety officer on a phone: the 消息 inbox after two days of escalations, a point's steps.

    Three of the grid's points, inspected daily, nobody inspected for three days. The sweeps run as the
    server's would have: the grid leader is told first and acknowledges one; the hold runs out and the
    school is told of it; the two others climb to the school on their own, and one is then inspected.
    """
    from sqlalchemy import select

    from app.accounts.session_user import load_session_user
    from app.escalation.models import Escalation
    from app.escalation.services import acknowledge
    from app.escalation.sweep import sweep
    from app.extensions import db
    from app.points.models import RiskPoint
    from app.schedules.services import refresh_due

    patroller, safety = logged_in_session(base, "patroller"), logged_in_session(base, "safety")
    # on duty round the clock: the three days ago may hold a weekend, through which the default
    # working hours would hold an overdue patrol's climb
    logged_in_session(base, "county").put(f"{base}/api/escalation-policy", json={
        "working_hours": {"start": "00:00", "end": "24:00"}}).raise_for_status()
    points = {p["name"]: p for p in patroller.get(f"{base}/api/points?my_grids=true").json()}
    fire, power, stairs = (points[name] for name in ("消防控制室", "教学区配电房", "教学楼楼梯及走廊栏杆"))
    for point in (fire, power, stairs):
        safety.patch(f"{base}/api/points/{point['id']}", json={"frequency": "daily"}).raise_for_status()
    leader_id = logged_in_session(base, "leader").get(f"{base}/api/me").json()["user"]["id"]
    app = live_app(instance)
    with app.app_context():
        refresh_due([fire["id"], power["id"], stairs["id"]], datetime.now(ZoneInfo(ZONE)) - timedelta(days=3))
        db.session.commit()
        began = db.session.get(RiskPoint, fire["id"]).due_at  # overdue from then
        sweep(began + timedelta(minutes=1))  # the grid leader, for all three
        db.session.commit()
        fire_row = db.session.scalar(select(Escalation).where(Escalation.subject == "point",
                                                              Escalation.subject_id == fire["id"]))
        acknowledge(load_session_user(leader_id), fire_row, "已安排张网格上午补查,因消防演练推迟到下午",
                    began + timedelta(hours=9))
        held_until = fire_row.held_until
        db.session.commit()
        sweep(began + timedelta(hours=24, minutes=1))  # the two others reach the school
        db.session.commit()
    answers = patroller.get(f"{base}/api/scan/{stairs['token']}").json()["items"]
    patroller.post(f"{base}/api/inspections", json={
        "token": stairs["token"], "results": [{"item_id": i["id"], "result": "pass"} for i in answers]},
        headers={"Idempotency-Key": str(uuid.uuid4())}).raise_for_status()
    with app.app_context():
        sweep(held_until + timedelta(minutes=1))  # the hold ran out: the school; the inspected one is resolved
        db.session.commit()
        db.engine.dispose()
    notices = safety.get(f"{base}/api/notifications?page_size=200").json()
    power_notice = next(n for n in notices if n.get("escalation") and n["escalation"]["subject_id"] == power["id"])
    safety.post(f"{base}/api/notifications", json={"ids": [power_notice["id"]]}).raise_for_status()

    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{base}/app/inbox")
    log_in(page, "safety")
    expect(page.locator("li.inbox-row[data-kind=escalation]")).to_have_count(3)
    expect(page.get_by_role("button", name="开启消息推送")).to_be_visible()
    save(page, "pwa-inbox.png")
    page.locator("li.inbox-row", has_text="消防控制室").click()
    expect(page.locator("form.ack-form")).to_be_visible()
    page.locator("form.ack-form textarea").fill("已通知总务处,今天下午 4 点前补查")
    page.evaluate("document.activeElement.blur(); scrollTo(0, 0)")
    save(page, "pwa-point-escalation.png", full_page=True)
    phone.close()


def report_screens(browser, base: str, instance: Path) -> None:
    """The county's 月调度 on a phone and on an office PC (or a projector); a school's 日排查 on a phone.

    The demo seed has no past, so this first adds some weeks of patrols and hazards (app/demo/history.py).
    """
    from app.extensions import db
    from app.demo.history import add_history

    app = live_app(instance)
    with app.app_context():
        add_history()
        db.engine.dispose()

    def opened(context, username, path):
        page = context.new_page()
        page.goto(f"{base}{path}")
        log_in(page, username)
        return page

    def charts_drawn(page):
        page.wait_for_function("() => [...document.querySelectorAll('.chart')].every((c) => c.querySelector('canvas'))")
        page.wait_for_timeout(300)  # the fonts of the axes

    for name, context_options in (("pwa-report-monthly-phone.png", PHONE),
                                  ("pwa-report-monthly-desktop.png", {**PHONE, "viewport": {"width": 1280, "height": 900},
                                                                      "device_scale_factor": 1})):
        context = browser.new_context(**context_options)
        page = opened(context, "county", "/app/reports/monthly")
        expect(page.locator("table.ranking tbody tr").first).to_be_visible()
        charts_drawn(page)
        page.evaluate("document.querySelector('.bar').style.position = 'static'")
        save(page, name, full_page=True)
        context.close()

    context = browser.new_context(**PHONE)
    page = opened(context, "safety", "/app/reports/daily")
    expect(page.locator("table.daily-points tbody tr").first).to_be_visible()
    page.evaluate("document.querySelector('.bar').style.position = 'static'")
    save(page, "pwa-report-daily.png", full_page=True)
    context.close()


if __name__ == "__main__":
    unknown = set(sys.argv[1:]) - set(GROUPS)
    if unknown:
        raise SystemExit(f"unknown group(s) {', '.join(sorted(unknown))}: choose from {', '.join(GROUPS)}")
    main(sys.argv[1:] or list(GROUPS))
