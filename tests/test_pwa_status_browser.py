"""A 随手拍 sender hears back, in a real browser: the receipt shows the status link and its QR code, and the
link opens a page, with no account and no cookie, that says in plain words how the school dealt with it."""

import uuid

from playwright.sync_api import expect

from tests.pwa_helpers import PHONE, browser, live, watch_problems  # noqa: F401 (browser, live: fixtures)
from tests.test_pwa_hazards_browser import api_as, jpeg


def _report(live, description):
    found = [r for r in api_as(live, "safety").get(f"{live}/api/public-reports?page_size=500").json()
             if r["description"] == description]
    assert len(found) == 1, found
    return found[0]


def test_the_sender_keeps_a_link_that_shows_how_the_school_dealt_with_it(browser, live, tmp_path):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
    problems = watch_problems(context)
    try:
        code = api_as(live, "safety").get(f"{live}/api/schools/3/snap-code").json()
        page = context.new_page()  # a parent's phone, never logged in to Huxiao
        page.goto(code["url"])
        page.locator("input[type=file]").first.set_input_files(jpeg(tmp_path, "a.jpg", (160, 60, 30)))
        page.get_by_label("发现了什么问题?在哪里?").fill("操场东边的篮球架底座松了")
        page.get_by_label("手机号(可不填)").fill("13900002222")
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_role("heading", name="谢谢您!")).to_be_visible()

        # the receipt: the link to keep, and its QR code
        link = page.locator("a.status-url")
        url = link.inner_text()
        assert url.startswith(f"{live}/r/") and link.get_attribute("href") == url
        expect(page.get_by_text("请保存下面的链接")).to_be_visible()
        qr = page.locator("img.status-qr")
        expect(qr).to_be_visible()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())

        # the link opens the report's state: received, the school, the day
        link.click()
        expect(page.get_by_role("heading", name="随手拍 · 处理进度")).to_be_visible()
        expect(page.locator(".status .school")).to_have_text("演示县第一中学")
        expect(page.locator(".status-state")).to_have_text("已收到")
        expect(page.locator(".status-steps li.now")).to_have_text("已收到")
        expect(page.locator(".status-facts dt").first).to_have_text("提交日期")

        # staff accept it: the sender sees it taken up on refreshing
        report = _report(live, "操场东边的篮球架底座松了")
        safety = api_as(live, "safety")
        accepted = safety.post(f"{live}/api/public-reports/{report['id']}/accept",
                               headers={"Idempotency-Key": str(uuid.uuid4())},
                               json={"place": "操场东侧", "category": "playground", "urgency": "soon"})
        accepted.raise_for_status()
        page.get_by_role("button", name="刷新").click()
        expect(page.locator(".status-state")).to_have_text("已受理为隐患")
        expect(page.locator(".status-steps li.done")).to_have_text(["已收到"])
        text = page.locator("#view").inner_text()
        assert "13900002222" not in text and "YH" not in text  # no phone, no hazard number

        # voided later: not taken up; the void's note is the staff's record, not shown
        safety.post(f"{live}/api/hazards/{accepted.json()['hazard_id']}/void",
                    headers={"Idempotency-Key": str(uuid.uuid4())}, json={"note": "篮球架已由厂家更换"}).raise_for_status()
        page.reload()
        expect(page.locator(".status-state")).to_have_text("未受理")
        expect(page.locator(".status-state")).to_be_visible()
        assert "篮球架已由厂家更换" not in page.locator("#view").inner_text()
        assert context.cookies() == []  # nothing was needed, nothing was kept

        # in English too
        page.get_by_role("button", name="English").click()
        expect(page.locator(".status-state")).to_have_text("Not accepted")

        page.goto(f"{live}/r/not-a-real-link")
        expect(page.get_by_role("alert")).to_have_text("No report has this link: check that it was copied whole.")
    finally:
        context.close()
    assert problems == []
