"""Hazards in a real browser: a teacher reports one, a rectifier fixes it, a manager closes it out,
and the public sends a 随手拍 that staff accept."""

import io
import uuid
from datetime import datetime, timedelta

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from tests.pwa_helpers import PHONE, browser, live, log_in, watch_problems  # noqa: F401 (browser, live: fixtures)


@pytest.fixture
def phones(browser):
    """New phones, one per person; the test fails on any script error or CSP violation on any of them."""
    contexts = []

    def phone():
        context = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
        contexts.append((context, watch_problems(context)))
        return context

    yield phone
    for context, _ in contexts:
        context.close()
    assert [problem for _, found in contexts for problem in found] == []


def api_as(live, username):
    session = requests.Session()
    answer = session.post(f"{live}/api/auth/login", json={"username": username, "password": "demo12345"})
    answer.raise_for_status()
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


def jpeg(tmp_path, name, colour, size=(2400, 1800)):
    path = tmp_path / name
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90)
    return str(path)


def jpeg_bytes(colour):
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buf, "JPEG")
    return buf.getvalue()


def hazard_described(live, description, username="safety"):
    hazards = api_as(live, username).get(f"{live}/api/hazards?page_size=500").json()
    found = [h for h in hazards if h["description"] == description]
    assert len(found) <= 1, found
    return found[0] if found else None


def logged_in(context, live, username, path="/app/"):
    page = context.new_page()
    page.goto(f"{live}{path}")
    log_in(page, username)
    return page


def go(page, path):
    """Move inside the app as a tap on a link does: no new page load."""
    page.evaluate(f"history.pushState({{}}, '', '{path}'); dispatchEvent(new PopStateEvent('popstate'))")


def fill_report(page, tmp_path, description, colour=(200, 40, 40)):
    expect(page.get_by_role("heading", name="上报隐患")).to_be_visible()
    page.locator("input[type=file]").first.set_input_files(jpeg(tmp_path, f"{uuid.uuid4().hex}.jpg", colour))
    expect(page.locator(".thumbs img")).to_have_count(1)
    page.get_by_label("隐患描述").fill(description)
    page.get_by_label("位置(楼栋、楼层、房间)").fill("教学楼三楼东侧走廊")
    page.get_by_label("类别").select_option(label="校舍")
    page.get_by_role("button", name="很紧急").click()


def test_a_teacher_reports_a_hazard_with_a_photo(phones, live, tmp_path):
    page = logged_in(phones(), live, "teacher")
    page.get_by_role("button", name="上报隐患").click()
    fill_report(page, tmp_path, "三楼走廊护栏松动,学生倚靠时晃动")
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page.locator(".hazard-head")).to_be_visible(timeout=15000)  # filed: the screen moved on to it

    hazard = hazard_described(live, "三楼走廊护栏松动,学生倚靠时晃动")
    assert hazard is not None
    assert (hazard["state"], hazard["source"], hazard["category"], hazard["risk_level"]) == (
        "reported", "staff", "building", "red")
    assert hazard["place"] == "教学楼三楼东侧走廊" and hazard["reporter"]["display_name"].startswith("王老师")
    assert len(hazard["photo_ids"]) == 1
    photo = Image.open(io.BytesIO(api_as(live, "safety").get(f"{live}/api/photos/{hazard['photo_ids'][0]}").content))
    assert max(photo.size) <= 1600 and photo.getpixel((10, 10))[0] > 150  # shrunk on the phone, and the teacher's
    # the screen lands on the hazard as filed
    expect(page.get_by_role("heading", name=hazard["number"])).to_be_visible()
    expect(page.locator(".hazard-head")).to_contain_text("待交办")
    expect(page.locator(".compare .before img")).to_have_count(1)


def test_a_report_made_with_no_signal_is_sent_once_back_online(phones, live, tmp_path):
    context = phones()
    page = logged_in(context, live, "teacher")
    expect(page.locator("li.point-row").first).to_be_visible()  # the school's points, kept by the worker
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(page.locator("li.point-row").first).to_be_visible()
    context.set_offline(True)
    go(page, "/app/hazards/new")  # the report screen comes from the worker's copy
    fill_report(page, tmp_path, "食堂后门台阶破损", colour=(40, 40, 200))
    page.get_by_label("风险点").select_option(index=1)  # the points list works offline too
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    expect(page.locator("ul.recent")).to_contain_text("食堂后门台阶破损")
    assert hazard_described(live, "食堂后门台阶破损") is None
    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-badge")).to_be_hidden(timeout=15000)
    hazard = hazard_described(live, "食堂后门台阶破损")
    assert hazard["point"] is not None and len(hazard["photo_ids"]) == 1


def test_the_public_sends_a_snap_from_a_logged_out_browser(phones, live, tmp_path):
    code = api_as(live, "safety").get(f"{live}/api/schools/3/snap-code").json()
    page = phones().new_page()  # a parent's phone, never logged in to Huxiao
    page.goto(code["url"])
    expect(page.get_by_role("heading", name="随手拍 · 安全隐患")).to_be_visible()
    expect(page.locator(".snap .school")).to_have_text("演示县第一中学")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert").filter(has_text="请拍一张照片")).to_be_visible()
    page.locator("input[type=file]").nth(1).set_input_files(  # 从相册选择: two at once
        [jpeg(tmp_path, "a.jpg", (30, 160, 30)), jpeg(tmp_path, "b.jpg", (30, 30, 160))])
    expect(page.locator(".thumbs img")).to_have_count(2)
    page.get_by_label("发现了什么问题?在哪里?").fill("学校后门的围墙有个大洞,有人从这里进出")
    page.get_by_label("手机号(可不填)").fill("13900001111")

    # the answer is lost on the way back: the parent taps again, and the school gets one report
    def lose_answer(route):
        route.fetch()
        route.abort()
    page.route("**/api/public/snap/*",
               lambda route: lose_answer(route) if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert").filter(has_text="网络不可用")).to_be_visible()
    page.unroute("**/api/public/snap/*")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="谢谢您!")).to_be_visible()
    assert page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r === undefined)")

    reports = [r for r in api_as(live, "safety").get(f"{live}/api/public-reports?status=new").json()
               if r["description"] == "学校后门的围墙有个大洞,有人从这里进出"]
    assert len(reports) == 1
    assert reports[0]["phone"] == "13900001111" and len(reports[0]["photo_ids"]) == 2

    # too many from this phone, a replaced code, an unknown one: each said plainly
    page.get_by_role("button", name="再报一条").click()
    throttled = {"code": 429, "status": "Too Many Requests", "message": "5 per 1 hour"}  # as Flask-Limiter answers
    page.route("**/api/public/snap/*", lambda route: route.fulfill(status=429, json=throttled)
               if route.request.method == "POST" else route.continue_())
    page.locator("input[type=file]").first.set_input_files(jpeg(tmp_path, "c.jpg", (90, 90, 90)))
    page.get_by_label("发现了什么问题?在哪里?").fill("再报一条")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert").filter(has_text="提交太频繁")).to_be_visible()
    county = api_as(live, "county")
    old = county.get(f"{live}/api/schools/4/snap-code").json()["url"]
    county.post(f"{live}/api/schools/4/snap-code", headers={"Idempotency-Key": str(uuid.uuid4())}).raise_for_status()
    page.goto(old)
    expect(page.get_by_role("alert")).to_have_text("这个二维码已更换,请扫学校张贴的新二维码。")
    page.goto(f"{live}/s/not-a-real-code")
    expect(page.get_by_role("alert")).to_have_text("这个二维码无效,请确认扫的是学校的随手拍二维码。")


def rectify(page, tmp_path, note: str) -> None:
    """On a hazard's page: 整改完成 with a green after-photo and the note; the hazard then waits for 验收."""
    page.get_by_role("button", name="整改完成").click()
    form = page.locator("form.action-form")
    form.locator("input[type=file]").first.set_input_files(jpeg(tmp_path, f"{uuid.uuid4().hex}.jpg", (30, 200, 30)))
    expect(form.locator(".thumbs img")).to_have_count(1)
    form.get_by_label("整改情况(必填)").fill(note)
    form.get_by_role("button", name="提交整改结果").click()
    expect(page.locator(".hazard-head")).to_contain_text("待验收")


def test_a_manager_assigns_the_rectifier_rectifies_and_another_manager_verifies(phones, live, tmp_path):
    teacher = api_as(live, "teacher")
    photo = teacher.post(f"{live}/api/photos",
                         files={"file": ("before.jpg", jpeg_bytes((210, 30, 30)), "image/jpeg")}).json()["id"]
    hazard = teacher.post(f"{live}/api/hazards", headers={"Idempotency-Key": str(uuid.uuid4())}, json={
        "place": "实验楼二楼", "category": "electrical", "urgency": "soon", "description": "实验室插座烧焦",
        "photo_ids": [photo]}).json()

    # the safety officer assigns it, leaving the deadline to the level's default
    safety = logged_in(phones(), live, "safety")
    safety.get_by_role("link", name="待交办").click()
    safety.locator("li.hazard-row", has_text="实验室插座烧焦").click()
    expect(safety.get_by_role("heading", name=hazard["number"])).to_be_visible()
    safety.get_by_role("button", name="交办").click()
    form = safety.locator("form.action-form")
    form.get_by_label("整改责任人").select_option(label="王老师(班主任) · 演示县第一中学")
    expect(form).to_contain_text("不填则按风险等级的默认期限")
    form.get_by_label("责任(部门或岗位)").fill("总务处")
    form.get_by_label("整改措施").fill("更换插座并检查线路")
    form.get_by_label("资金(元)").fill("350")
    form.get_by_role("button", name="确认交办").click()
    expect(safety.locator(".hazard-head")).to_contain_text("整改中")
    assigned = api_as(live, "safety").get(f"{live}/api/hazards/{hazard['id']}").json()
    assert assigned["rectifier"]["display_name"].startswith("王老师") and assigned["funds_yuan"] == "350.00"
    due = datetime.fromisoformat(assigned["deadline"]) - datetime.fromisoformat(assigned["assigned_at"])
    assert due == timedelta(hours=72)  # orange: three days

    # the teacher finds it in 我的整改, with its deadline, and sends an after-photo
    rectifier = logged_in(phones(), live, "teacher")
    rectifier.get_by_role("link", name="我的整改").click()
    row = rectifier.locator("li.hazard-row", has_text="实验室插座烧焦")
    expect(row.locator(".deadline")).to_contain_text("期限")
    row.click()
    rectify(rectifier, tmp_path, "已更换插座,线路绝缘检测合格")
    expect(rectifier.locator(".actions")).to_have_count(0)  # nobody verifies their own work

    # the principal verifies: before and after side by side, every step in the timeline
    principal = logged_in(phones(), live, "principal")
    principal.get_by_role("link", name="待验收").click()
    principal.locator("li.hazard-row", has_text="实验室插座烧焦").click()
    principal.get_by_role("button", name="验收销号").click()
    principal.locator("form.action-form").get_by_role("button", name="确认验收销号").click()
    expect(principal.locator(".hazard-head")).to_contain_text("已销号")
    for side in ("before", "after"):
        principal.wait_for_function(f"() => document.querySelector('.compare .{side} img')?.naturalWidth > 0")
    colours = principal.evaluate("""() => [...document.querySelectorAll('.compare img')].map((img) => {
        const c = document.createElement('canvas'); c.width = c.height = 1;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0, 1, 1); return [...g.getImageData(0, 0, 1, 1).data]; })""")
    assert colours[0][0] > 150 and colours[1][1] > 150  # red as found, green after
    events = principal.locator(".timeline .event")
    expect(events).to_have_count(4)
    expect(events.nth(1)).to_contain_text("交办")
    expect(events.nth(2)).to_contain_text("已更换插座,线路绝缘检测合格")
    expect(events.nth(2).locator("img")).to_have_count(1)
    expect(events.nth(3)).to_contain_text("钱校长")
    closed = api_as(live, "safety").get(f"{live}/api/hazards/{hazard['id']}").json()
    assert closed["state"] == "closed" and closed["verified_by"]["display_name"].startswith("钱校长")
    assert len(closed["after_photo_ids"]) == 1


def test_a_manager_accepts_a_public_report_into_a_hazard(phones, live):
    code = api_as(live, "safety").get(f"{live}/api/schools/3/snap-code").json()
    sent = requests.post(f"{live}/api/public/snap/{code['token']}", headers={"X-Device-Id": uuid.uuid4().hex},
                         data={"description": "操场单杠的螺丝松了", "client_key": str(uuid.uuid4())},
                         files=[("photos", ("p.jpg", jpeg_bytes((220, 220, 20)), "image/jpeg"))])
    assert sent.status_code == 201, sent.text

    page = logged_in(phones(), live, "safety")
    page.get_by_role("link", name="随手拍待处理").click()
    expect(page.locator(".snap-url")).to_have_text(code["url"])
    assert page.get_by_role("link", name="打印海报(PDF)").get_attribute("href") == "/api/schools/3/snap-code.pdf"
    page.locator("li.report-row", has_text="操场单杠的螺丝松了").click()
    expect(page.locator(".public-report .photo-strip img")).to_have_count(1)
    page.get_by_role("button", name="受理为隐患").click()
    form = page.locator("form.action-form")
    form.get_by_label("风险点").select_option(label="运动场单双杠 · 运动场东侧器材区")
    expect(form.get_by_label("类别")).to_have_value("playground")  # the point's category
    form.get_by_role("button", name="一般").click()
    form.get_by_role("button", name="确认受理").click()
    expect(page.locator(".hazard-head")).to_contain_text("操场单杠的螺丝松了")

    reports = api_as(live, "safety").get(f"{live}/api/public-reports").json()
    report = next(r for r in reports if r["id"] == sent.json()["id"])
    assert report["status"] == "accepted" and report["hazard_id"]
    hazard = api_as(live, "safety").get(f"{live}/api/hazards/{report['hazard_id']}").json()
    assert (hazard["source"], hazard["point"]["name"], hazard["category"], hazard["risk_level"]) == (
        "public", "运动场单双杠", "playground", "yellow")
    assert hazard["photo_ids"] == report["photo_ids"]
    expect(page.locator(".timeline .event").first).to_contain_text("公众(随手拍)")


def test_the_county_sees_its_listed_supervision_and_may_end_it(phones, live):
    page = logged_in(phones(), live, "county")
    page.get_by_role("link", name="挂牌督办").click()
    row = page.locator("li.hazard-row", has_text="河道护栏缺失")
    expect(row.locator(".chip.supervised")).to_be_visible()
    row.click()
    expect(page.locator(".hazard-head .chip.supervised")).to_be_visible()
    expect(page.get_by_role("button", name="摘牌")).to_be_visible()
    expect(page.get_by_role("button", name="挂牌督办")).to_have_count(0)
    hazard_id = page.url.rsplit("/", 1)[1]
    notice = page.get_by_role("link", name="整改通知书(PDF)")
    expect(notice).to_have_attribute("href", f"/api/hazards/{hazard_id}/notice.pdf")
