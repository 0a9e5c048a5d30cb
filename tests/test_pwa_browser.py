"""The PWA in a real browser (Chromium, driven by Playwright) on a phone-sized screen."""

import io
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import expect

from tests.pwa_helpers import PHONE, browser, context, live, log_in  # noqa: F401 (browser, context, live: fixtures)

ROOT = Path(__file__).resolve().parent.parent


def county(live):
    session = requests.Session()
    session.post(f"{live}/api/auth/login", json={"username": "county", "password": "demo12345"}).raise_for_status()
    return session


def point_of(live, username, index):
    """A point the user may inspect (each test takes its own, so tests do not see each other's records)."""
    session = requests.Session()
    session.post(f"{live}/api/auth/login", json={"username": username, "password": "demo12345"}).raise_for_status()
    return session.get(f"{live}/api/points").json()[index]


def my_inspections_of(live, username, point_id):
    session = requests.Session()
    session.post(f"{live}/api/auth/login", json={"username": username, "password": "demo12345"}).raise_for_status()
    return [i for i in session.get(f"{live}/api/inspections").json() if i["point_id"] == point_id]


def last_inspection(live, token):
    return county(live).get(f"{live}/api/scan/{token}").json()["point"]["last_inspection"]


def open_point_logged_in(context, live, token, username="patroller"):
    page = context.new_page()
    page.goto(f"{live}/p/{token}")
    log_in(page, username)
    expect(page.get_by_role("button", name="全部正常")).to_be_visible()
    return page


def wait_for_service_worker(page):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # from now on this page is controlled by the worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_scan_asks_login_then_lands_on_the_point_and_submits(context, live):
    point = point_of(live, "patroller", 0)
    page = context.new_page()
    page.goto(f"{live}/p/{point['token']}")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    log_in(page)
    expect(page.get_by_role("heading", name=point["name"])).to_be_visible()
    expect(page.get_by_text(point["risk_level_name"])).to_be_visible()
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    expect(page.locator("#queue-badge")).to_be_hidden()
    last = last_inspection(live, point["token"])
    assert last and last["by"]["display_name"].startswith("张网格") and last["failed_count"] == 0


def test_a_failed_item_needs_a_note_or_photo_and_the_photo_travels_shrunk(context, live, tmp_path):
    point = point_of(live, "patroller", 1)
    page = open_point_logged_in(context, live, point["token"])
    page.get_by_role("button", name="全部正常").click()
    first = page.locator("li.item").first
    first.get_by_role("button", name="异常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert").filter(has_text="异常项需要填写说明或拍照")).to_be_visible()
    photo = tmp_path / "big.jpg"
    Image.new("RGB", (4000, 3000), (180, 40, 40)).save(photo, "JPEG", quality=95)
    first.locator("input[type=file]").set_input_files(str(photo))
    expect(first.locator(".thumbs img")).to_have_count(1)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    expect(page.locator("#queue-badge")).to_be_hidden()
    last = last_inspection(live, point["token"])
    assert last["failed_count"] == 1
    detail = county(live).get(f"{live}/api/inspections/{last['id']}").json()
    assert len(detail["photo_ids"]) == 1
    image = Image.open(io.BytesIO(county(live).get(f"{live}/api/photos/{detail['photo_ids'][0]}").content))
    assert max(image.size) == 1600 and image.format == "JPEG"


def test_offline_record_survives_a_reload_and_is_sent_once_back_online(context, live):
    point = point_of(live, "patroller", 2)
    before = last_inspection(live, point["token"])
    page = open_point_logged_in(context, live, point["token"])
    wait_for_service_worker(page)
    context.set_offline(True)
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    badge = page.locator("#queue-badge")
    expect(badge).to_have_text("1 条待发送")
    page.reload()  # the app shell comes from the service worker, the record from IndexedDB
    expect(badge).to_have_text("1 条待发送")
    assert last_inspection(live, point["token"]) == before
    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    expect(badge).to_be_hidden(timeout=15000)
    after = last_inspection(live, point["token"])
    assert after and after != before
    expect(page.locator("ul.recent")).to_contain_text(point["name"])


def test_server_errors_keep_the_record_until_it_is_delivered_once(context, live):
    point = point_of(live, "patroller", 3)
    page = open_point_logged_in(context, live, point["token"])
    calls = []

    def fail_twice(route):
        calls.append(1)
        if len(calls) <= 2:
            route.fulfill(status=500, json={"code": 500, "message": "Internal Server Error"})
        else:
            route.continue_()

    page.route("**/api/inspections", fail_twice)
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    badge = page.locator("#queue-badge")
    expect(badge).to_have_text("1 条待发送")
    expect(badge).to_be_hidden(timeout=20000)  # backoff 2 s, then 4 s, then delivered
    assert len(calls) == 3
    assert len(my_inspections_of(live, "patroller", point["id"])) == 1  # arrived exactly once


def test_a_refused_record_shows_the_servers_message(context, live):
    point = point_of(live, "patroller", 4)
    page = open_point_logged_in(context, live, point["token"])
    page.route("**/api/inspections", lambda route: route.fulfill(
        status=422, json={"code": 422, "message": "这个检查表已更新,请重新扫码"}))
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("li.record.failed")).to_contain_text("这个检查表已更新,请重新扫码")
    expect(page.locator("#queue-badge")).to_be_hidden()


def test_an_ended_session_pauses_the_queue_and_asks_to_log_in(context, live):
    point = point_of(live, "patroller", 5)
    page = open_point_logged_in(context, live, point["token"])
    context.set_offline(True)
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    context.clear_cookies()  # the session is gone on the server's side
    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    expect(page.get_by_text("登录已过期,请重新登录后继续发送")).to_be_visible(timeout=10000)
    log_in(page)
    expect(page.locator("#queue-badge")).to_be_hidden(timeout=15000)
    assert last_inspection(live, point["token"])["by"]["display_name"].startswith("张网格")


def test_english_is_one_tap_away(context, live):
    page = context.new_page()
    page.goto(f"{live}/app/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="中文")).to_be_visible()


def test_core_task_works_without_service_worker_or_indexeddb(browser, live):
    """WeChat's in-app browser may lack both: scanning and submitting still work online."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="block")
    context.add_init_script("delete window.indexedDB;"
                            "Object.defineProperty(Navigator.prototype, 'serviceWorker', {get: () => undefined});")
    try:
        point = point_of(live, "patroller", 6)
        page = open_point_logged_in(context, live, point["token"])
        assert page.evaluate("typeof indexedDB") == "undefined"
        assert page.evaluate("navigator.serviceWorker") is None
        page.get_by_role("button", name="全部正常").click()
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
        expect(page.locator("#queue-badge")).to_be_hidden()
    finally:
        context.close()
    assert last_inspection(live, point["token"])["by"]["display_name"].startswith("张网格")


def test_note_and_photo_appear_only_for_a_failed_item(context, live):
    point = point_of(live, "patroller", 7)
    page = open_point_logged_in(context, live, point["token"])
    item = page.locator("li.item").first
    expect(item.locator("textarea")).to_be_hidden()
    item.get_by_role("button", name="异常").click()
    expect(item.locator("textarea")).to_be_visible()
    item.get_by_role("button", name="正常").click()
    expect(item.locator("textarea")).to_be_hidden()
    expect(item.get_by_role("button", name="正常")).to_have_attribute("aria-pressed", "true")
    box = item.get_by_role("button", name="异常").bounding_box()
    assert box["height"] >= 48 and box["width"] >= 90  # a thumb's target on a 360 px screen


def qr_png(tmp_path, text, name="code.png"):
    import zxingcpp

    image = Image.fromarray(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="Q").to_image(scale=10))
    canvas = Image.new("L", (image.width + 200, image.height + 200), 230)  # a wall around the label
    canvas.paste(image, (100, 100))
    path = tmp_path / name
    canvas.save(path)
    return str(path)


def test_in_app_scan_of_a_photo_opens_the_point(context, live, tmp_path):
    point = point_of(live, "patroller", 8)
    page = open_point_logged_in(context, live, point["token"])
    page.goto(f"{live}/app/")
    page.get_by_role("button", name="扫码巡检").click()
    expect(page.get_by_role("heading", name="扫描风险点二维码")).to_be_visible()
    photo = page.locator("input[type=file]")
    photo.set_input_files(qr_png(tmp_path, "https://example.com/not-ours"))
    expect(page.get_by_role("alert")).to_have_text("这不是护校的风险点二维码", timeout=15000)
    photo.set_input_files(qr_png(tmp_path, f"{live}/p/{point['token']}", "label.png"))
    expect(page.get_by_role("heading", name=point["name"])).to_be_visible(timeout=15000)
    assert page.url.endswith(f"/p/{point['token']}")
    # headless Chromium on Linux has no BarcodeDetector: the WebAssembly decoder did the reading
    assert page.evaluate("'BarcodeDetector' in window") is False
    assert page.evaluate("typeof BarcodeDetectionAPI") == "object"


def test_a_typed_short_code_opens_the_point(context, live):
    point = point_of(live, "patroller", 9)
    page = open_point_logged_in(context, live, point["token"])
    page.goto(f"{live}/app/scan")
    page.get_by_label("或输入标签上的编码").fill(point["short_code"].lower().replace("-", " "))
    page.get_by_role("button", name="打开").click()
    expect(page.get_by_role("heading", name=point["name"])).to_be_visible()
    page.reload()  # the address works on its own too
    expect(page.get_by_role("heading", name=point["name"])).to_be_visible()


def test_a_replaced_code_is_explained_in_the_persons_language(context, live):
    point = point_of(live, "patroller", 10)
    page = open_point_logged_in(context, live, point["token"])
    safety = requests.Session()
    csrf = safety.post(f"{live}/api/auth/login", json={"username": "safety", "password": "demo12345"}).json()["csrf_token"]
    assert safety.post(f"{live}/api/points/{point['id']}/reissue", headers={"X-CSRF-Token": csrf}).status_code == 200
    page.evaluate(f"history.pushState({{}}, '', '/app/'); history.pushState({{}}, '', '/p/{point['token']}');"
                  "dispatchEvent(new PopStateEvent('popstate'))")
    expect(page.get_by_text("这个二维码已更换,请联系学校获取新标签")).to_be_visible()


def test_a_shared_phone_never_sends_one_persons_records_as_anothers(context, live):
    point = point_of(live, "patroller", 11)
    page = open_point_logged_in(context, live, point["token"])
    context.set_offline(True)
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    page.get_by_role("button", name="退出登录").click()
    context.set_offline(False)
    log_in(page, "leader")  # the grid leader takes the phone
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    expect(page.locator("#queue-badge")).to_be_hidden()
    page.wait_for_timeout(1500)
    assert last_inspection(live, point["token"]) is None  # not sent under the leader's name
    page.get_by_role("button", name="退出登录").click()
    log_in(page, "patroller")
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    expect(page.locator("ul.recent")).to_contain_text(point["name"])
    expect(page.locator("#queue-badge")).to_be_hidden(timeout=15000)
    assert last_inspection(live, point["token"])["by"]["display_name"].startswith("张网格")


def test_the_app_is_installable_and_its_worker_keeps_one_shell_cache(context, live):
    page = context.new_page()
    page.goto(f"{live}/app/")
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/app/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert requests.get(f"{live}{icon['src']}").headers["Content-Type"] == "image/png"
    wait_for_service_worker(page)
    keys = page.evaluate("caches.keys()")
    version = re.search(r'const VERSION = "([\w-]+)"', (ROOT / "pwa" / "sw.js").read_text()).group(1)
    assert [k for k in keys if k.startswith("huxiao-shell-")] == [version]
    context.set_offline(True)
    page.goto(f"{live}/app/")  # opens with no network once opened
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def jpeg(tmp_path, name, colour):
    path = tmp_path / name
    Image.new("RGB", (3000, 2000), colour).save(path, "JPEG", quality=90)
    return str(path)


def test_online_then_offline_each_record_arrives_once_with_its_photo(context, live, tmp_path):
    """The issue's own scenario, end to end."""
    point = point_of(live, "patroller", 12)
    page = open_point_logged_in(context, live, point["token"])
    wait_for_service_worker(page)
    # online: fail one item with a photo
    page.get_by_role("button", name="全部正常").click()
    item = page.locator("li.item").first
    item.get_by_role("button", name="异常").click()
    item.locator("input[type=file]").set_input_files(jpeg(tmp_path, "online.jpg", (200, 30, 30)))
    expect(item.locator(".thumbs img")).to_have_count(1)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    expect(page.locator("#queue-badge")).to_be_hidden()
    # offline: another, with its own photo; it waits through a reload
    context.set_offline(True)
    page.evaluate(f"history.pushState({{}}, '', '/p/{point['token']}'); dispatchEvent(new PopStateEvent('popstate'))")
    expect(page.get_by_role("button", name="全部正常")).to_be_visible()  # the checklist, from the worker's copy
    page.get_by_role("button", name="全部正常").click()
    item = page.locator("li.item").nth(1)
    item.get_by_role("button", name="异常").click()
    item.locator("input[type=file]").set_input_files(jpeg(tmp_path, "offline.jpg", (30, 30, 200)))
    expect(item.locator(".thumbs img")).to_have_count(1)
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    page.reload()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    assert len(my_inspections_of(live, "patroller", point["id"])) == 1
    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-badge")).to_be_hidden(timeout=15000)
    records = my_inspections_of(live, "patroller", point["id"])
    assert len(records) == 2
    for record in records:
        assert record["failed_count"] == 1 and len(record["photo_ids"]) == 1
    colours = set()
    for record in records:
        photo = county(live).get(f"{live}/api/photos/{record['photo_ids'][0]}")
        colours.add(Image.open(io.BytesIO(photo.content)).convert("RGB").getpixel((10, 10))[2] > 128)
    assert colours == {True, False}  # each record has its own photo


@pytest.mark.parametrize("lang,button", [("zh-CN", "登录"), ("en", "Log in")])
def test_no_screen_shows_an_untranslated_key(context, live, lang, button):
    import re

    point = point_of(live, "patroller", 13)
    page = context.new_page()
    page.goto(f"{live}/app/")
    page.evaluate(f"localStorage.setItem('huxiao.lang', '{lang}')")
    page.goto(f"{live}/p/{point['token']}")
    page.locator("input[name=username]").fill("patroller")
    page.locator("input[name=password]").fill("demo12345")
    # the app's own words (buttons, labels, headings of sections, states), not the county's data
    chrome = "button, label > span, h2, .level, .badge, .state, textarea, input"

    def screen():
        return page.inner_text("body"), page.eval_on_selector_all(
            chrome, "els => els.map(e => e.innerText || e.placeholder || '').filter(t => t !== '中文' && t !== 'English')")

    screens = [screen()]
    page.get_by_role("button", name=button).click()
    expect(page.locator("li.item").first).to_be_visible()
    page.locator("li.item").first.locator("button.fail").click()
    screens.append(screen())
    for path in ("/app/", "/app/scan"):
        page.evaluate(f"history.pushState({{}}, '', '{path}'); dispatchEvent(new PopStateEvent('popstate'))")
        page.wait_for_timeout(300)
        screens.append(screen())
    keys = re.compile(r"\b(app|login|home|queue|point|check|level|error|scan)\.[a-z_]+\b")
    for text, words in screens:
        assert not keys.search(text), keys.search(text).group(0)
        chinese = [w for w in words if re.search(r"[\u4e00-\u9fff]", w)]
        english = [w for w in words if re.search(r"[A-Za-z]{3}", w) and w not in ("XXXX-XXXX",)]
        assert (chinese if lang == "en" else english) == [], (lang, chinese, english)


def test_home_lists_my_points_in_their_level_colours(context, live):
    page = context.new_page()
    page.goto(f"{live}/app/")
    log_in(page)
    rows = page.locator("li.point-row")
    expect(rows.first).to_be_visible()
    shown = rows.evaluate_all("els => els.map(e => [e.className, getComputedStyle(e).borderLeftColor])")
    expected = {"red": "rgb(215, 25, 28)", "orange": "rgb(242, 142, 43)", "yellow": "rgb(242, 204, 12)",
                "blue": "rgb(44, 123, 182)"}
    for class_name, colour in shown:
        level = class_name.split("level-")[1]
        assert colour == expected[level], (class_name, colour)
    assert len({colour for _, colour in shown}) >= 3


def test_a_waiting_record_survives_a_service_worker_update(context, live):
    point = point_of(live, "patroller", 14)
    page = open_point_logged_in(context, live, point["token"])
    wait_for_service_worker(page)
    page.route("**/api/inspections", lambda route: route.fulfill(status=503, json={"message": "busy"}))
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    # a new version of the app: a new worker installs, and on activation drops the caches
    # of older versions (Playwright cannot serve a changed sw.js to Chromium's update check,
    # so the old version's cache is planted and the worker installed afresh)
    current = re.search(r'const VERSION = "([^"]+)"', requests.get(f"{live}/sw.js").text).group(1)
    page.evaluate("caches.open('huxiao-shell-v0').then(c => c.put('/app/', new Response('old shell')))")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.unregister())")
    page.reload()  # the app registers its worker again: a fresh install and activation
    for _ in range(75):
        keys = page.evaluate("caches.keys()")
        if current in keys and "huxiao-shell-v0" not in keys:
            break
        page.wait_for_timeout(200)
    else:
        raise AssertionError(f"the new worker did not take over: caches {keys}")
    page.reload()
    expect(page.locator("#queue-badge")).to_have_text("1 条待发送")
    page.unroute("**/api/inspections")
    page.evaluate("dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-badge")).to_be_hidden(timeout=15000)
    assert len(my_inspections_of(live, "patroller", point["id"])) == 1


def test_the_record_carries_where_the_phone_was_and_when_the_checklist_opened(context, live):
    """For the patrol-quality checks: the phone's position (when it gives one) and the checklist's duration."""
    point = point_of(live, "patroller", 15)  # a point no other test inspects
    context.grant_permissions(["geolocation"], origin=live)
    context.set_geolocation({"latitude": 29.61, "longitude": 106.52, "accuracy": 12})
    page = open_point_logged_in(context, live, point["token"])
    page.wait_for_timeout(1500)  # a person reads the items
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    [mine] = my_inspections_of(live, "patroller", point["id"])
    assert mine["location"] == {"latitude": 29.61, "longitude": 106.52, "accuracy": 12}
    opened, captured = (datetime.fromisoformat(mine[k]) for k in ("opened_at", "captured_at"))
    assert timedelta(seconds=1) < captured - opened < timedelta(seconds=30)


def test_i_see_where_i_am_logged_in_and_log_the_other_phone_out(context, live):
    wechat = ("Mozilla/5.0 (Linux; Android 12; V2134A) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/86.0.4240.99 Mobile Safari/537.36 MicroMessenger/8.0.28")
    lost_phone = requests.Session()
    lost_phone.post(f"{live}/api/auth/login", json={"username": "leader", "password": "demo12345"},
                    headers={"User-Agent": wechat}).raise_for_status()
    page = context.new_page()
    page.goto(f"{live}/app/")
    log_in(page, "leader")
    page.get_by_role("button", name="登录的设备").click()
    expect(page.locator("li.session.current")).to_contain_text("这台设备")
    expect(page.locator("li.session", has_text="Android · 微信 WeChat")).to_be_visible()
    page.get_by_role("button", name="让其他设备全部退出").click()
    expect(page.locator("li.session")).to_have_count(1)
    assert lost_phone.get(f"{live}/api/me").status_code == 401
    assert page.evaluate("fetch('/api/me').then((r) => r.status)") == 200  # this phone stays logged in
