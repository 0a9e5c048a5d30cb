"""Escalation in a real browser: the 消息 badge and inbox, a point's page with its steps and the
acknowledge form, a hazard's steps, and Web Push turned on and shown by the service worker."""

import base64
import contextlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import create_app
from app.escalation.sweep import sweep
from app.extensions import db
from app.outbox.models import PushSubscription
from app.outbox.push import new_private_key, public_key
from app.schedules.services import refresh_due
from bench.live_server import demo_server
from tests.pwa_helpers import PHONE, browser, log_in, session_of, watch_problems  # noqa: F401 (browser: fixture)

VAPID_KEY = new_private_key()
MINUTE = timedelta(minutes=1)


@pytest.fixture(scope="module")
def server():
    """The demo county under gunicorn, with Web Push keys; and an app on its database, to sweep as the server does."""
    with contextlib.ExitStack() as stack:
        with pytest.MonkeyPatch.context() as env:  # only while it starts: the server keeps its own copy
            env.setenv("VAPID_PRIVATE_KEY", VAPID_KEY)
            env.setenv("VAPID_SUBJECT", "mailto:anquan@example.cn")
            # the fake phone's push service: TEST-NET-1, never routed, admitted as a target for this server only
            env.setenv("WEBHOOK_ALLOWED_NETWORKS", "192.0.2.0/24")
            base, instance = stack.enter_context(demo_server(workers=2, app="wsgi:app"))
        with pytest.MonkeyPatch.context() as env:
            env.setenv("HUXIAO_INSTANCE_PATH", str(instance))
            env.delenv("DATABASE_URL", raising=False)
            live_app = create_app()
        yield base, live_app
        with live_app.app_context():
            db.engine.dispose()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  service_workers="allow", permissions=["notifications"])
    problems = watch_problems(context)
    yield context
    context.close()
    assert problems == []


def logged_in(context, base, username, path="/app/"):
    page = context.new_page()
    page.goto(f"{base}{path}")
    log_in(page, username)
    return page


def overdue_and_swept(base, live_app, point, now):
    """A daily point nobody inspected for three days, then the sweep at `now`: its grid leader is told."""
    assert session_of(base, "safety").patch(f"{base}/api/points/{point['id']}",
                                            json={"frequency": "daily"}).status_code == 200
    with live_app.app_context():
        refresh_due([point["id"]], now - timedelta(days=3))
        sweep(now)
        db.session.commit()


def test_the_grid_leader_is_told_of_an_overdue_point_and_acknowledges_it(phone, server):
    base, live_app = server
    point = session_of(base, "patroller").get(f"{base}/api/points?my_grids=true&order=due").json()[0]
    overdue_and_swept(base, live_app, point, datetime.now(timezone.utc))

    page = logged_in(phone, base, "leader")
    bell = page.locator("#inbox-link")
    expect(bell.locator(".count")).to_have_text("1")
    bell.click()
    notice = page.locator("li.inbox-row").first
    expect(notice).to_contain_text("点位逾期未巡查")
    expect(notice).to_contain_text(point["name"])
    expect(notice).to_contain_text("第1级 · 网格长")
    expect(notice).to_have_attribute("data-unread", "true")
    notice.click()  # read, and on to the point's page

    expect(page.get_by_role("heading", name=point["name"])).to_be_visible()
    expect(bell.locator(".count")).to_be_hidden()
    expect(page.get_by_role("button", name="开始巡检")).to_be_visible()
    escalation = page.locator("li.escalation")
    expect(escalation).to_have_count(1)
    expect(escalation.locator("li.step")).to_have_count(1)
    expect(escalation.locator("li.step")).to_contain_text("第1级 · 网格长")
    expect(escalation.locator("li.step")).to_contain_text("已通知:李网长(网格长)")
    form = escalation.locator("form.ack-form")
    note = form.get_by_label("处理情况(必填)")
    expect(note).to_have_attribute("required", "")  # empty, the browser says so itself
    note.fill("   ")
    form.get_by_role("button", name="已知悉,正在处理").click()
    expect(form.get_by_role("alert")).to_have_text("请填写处理情况")
    form.get_by_label("处理情况(必填)").fill("已安排张网格今晚补查")
    form.get_by_role("button", name="已知悉,正在处理").click()
    ack = escalation.locator("li.step .ack")
    expect(ack).to_contain_text("已知悉:李网长(网格长)")
    expect(ack).to_contain_text("已安排张网格今晚补查")
    expect(escalation).to_have_attribute("data-state", "held")
    expect(escalation.locator("form.ack-form")).to_have_count(0)

    held = session_of(base, "leader").get(f"{base}/api/escalations?subject=point&subject_id={point['id']}").json()[0]
    assert held["steps"][0]["acknowledged_by_name"] == "李网长(网格长)"
    assert datetime.fromisoformat(held["held_until"]) > datetime.now(timezone.utc) + timedelta(hours=23)


def test_the_school_reads_its_notices_and_sees_a_hazards_steps(phone, server):
    base, live_app = server
    safety = session_of(base, "safety")
    hazard = safety.get(f"{base}/api/hazards?state=assigned").json()[0]
    deadline = datetime.fromisoformat(hazard["deadline"])
    with live_app.app_context():  # past its deadline: no grid, so the school is the first told
        sweep(deadline + MINUTE)
        db.session.commit()
    unread = safety.get(f"{base}/api/notifications?unread=true&page_size=1")
    total = json.loads(unread.headers["X-Pagination"])["total"]
    assert total >= 1

    page = logged_in(phone, base, "safety")
    bell = page.locator("#inbox-link")
    expect(bell.locator(".count")).to_have_text(str(total))
    bell.click()
    notice = page.locator("li.inbox-row[data-kind=escalation]", has_text=hazard["number"])
    expect(notice).to_contain_text("隐患逾期未整改")
    expect(notice).to_contain_text("第2级 · 学校")
    page.get_by_role("button", name="全部标为已读").click()
    expect(bell.locator(".count")).to_be_hidden()
    expect(page.locator('li.inbox-row[data-unread="true"]')).to_have_count(0)
    expect(page.get_by_role("button", name="全部标为已读")).to_be_hidden()

    notice.click()
    expect(page.get_by_role("heading", name=hazard["number"])).to_be_visible()
    section = page.locator("section.escalations")
    expect(section.get_by_role("heading", name="逐级上报")).to_be_visible()
    steps = section.locator("li.escalation li.step")
    expect(steps).to_have_count(1)
    expect(steps.nth(0)).to_contain_text("第2级 · 学校")
    expect(steps.nth(0)).to_contain_text("赵安全(分管安全副校长)")
    expect(steps.nth(0)).to_contain_text("钱校长(校长)")
    expect(section.get_by_role("button", name="已知悉,正在处理")).to_be_visible()  # the school's turn


PUSH_STUB = """
// The browser's push service cannot be reached from here: subscribing answers a made-up subscription,
// keeping the key it was given. Everything else (the page's code, the server, the worker) is real.
PushManager.prototype.subscribe = async function (options) {
  const key = new Uint8Array(options.applicationServerKey);
  const subscription = {
    endpoint: "https://192.0.2.1/send/phone-1",
    options: { applicationServerKey: key.buffer },
    toJSON: () => ({ endpoint: subscription.endpoint, expirationTime: null, keys: { p256dh: "BPhone", auth: "secret" } }),
    unsubscribe: async () => { localStorage.removeItem("test.subscribed"); return true; },
  };
  localStorage.setItem("test.subscribed", JSON.stringify([...key]));
  window.testSubscription = subscription;
  return subscription;
};
PushManager.prototype.getSubscription = async function () {
  return localStorage.getItem("test.subscribed") ? window.testSubscription || null : null;
};
"""


def subscriptions(live_app):
    with live_app.app_context():
        return [s.endpoint for s in db.session.scalars(select(PushSubscription))]


def test_push_is_turned_on_and_a_pushed_step_is_shown_and_counted(phone, server):
    base, live_app = server
    phone.add_init_script(PUSH_STUB)
    leader = session_of(base, "leader")
    assert leader.post(f"{base}/api/notifications", json={}).status_code == 200  # whatever the sweeps before told
    page = logged_in(phone, base, "leader", "/app/inbox")
    push = page.locator(".push-box")
    expect(push).to_contain_text("升级提醒可推送到这部手机")
    push.get_by_role("button", name="开启消息推送").click()
    expect(push).to_contain_text("消息推送已开启")
    sent_key = json.loads(page.evaluate("localStorage.getItem('test.subscribed')"))
    server_key = public_key(VAPID_KEY)
    assert bytes(sent_key) == base64.urlsafe_b64decode(server_key + "=" * (-len(server_key) % 4))  # as bytes
    assert subscriptions(live_app) == ["https://192.0.2.1/send/phone-1"]

    # a new step for this leader while the app is open: the worker shows the server's message and the
    # page counts again. (The push itself comes from Chromium's DevTools protocol, not a push service.)
    patroller_points = session_of(base, "patroller").get(f"{base}/api/points?my_grids=true&order=due").json()
    overdue_and_swept(base, live_app, patroller_points[-1], datetime.now(timezone.utc))
    bell = page.locator("#inbox-link")
    expect(bell.locator(".count")).to_be_hidden()
    cdp = phone.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    deliver = {"origin": base, "registrationId": next(r for r in registrations if not r["isDeleted"])["registrationId"]}
    for title in ("【护校】升级至网格长:逾期未巡查", "【护校】升级至学校:逾期未巡查"):  # the same escalation, twice
        cdp.send("ServiceWorker.deliverPushMessage", {**deliver, "data": json.dumps({
            "title": title, "body": f"演示县第一中学 · {patroller_points[-1]['name']}",
            "url": f"{base}/app/points/{patroller_points[-1]['id']}", "tag": "escalation-9"}, ensure_ascii=False)})
    expect(bell.locator(".count")).to_have_text("1")
    # the worker shows each push in turn: wait for the second before reading what is shown
    page.wait_for_function("""navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((found) =>
        found.length === 1 && found[0].title.includes('学校'))""")
    shown = page.evaluate("""navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((found) =>
        found.map((n) => ({title: n.title, body: n.body, tag: n.tag, icon: n.icon, url: n.data.url})))""")
    assert shown == [{"title": "【护校】升级至学校:逾期未巡查", "body": f"演示县第一中学 · {patroller_points[-1]['name']}",
                      "tag": "escalation-9", "icon": f"{base}/pwa/icons/icon-192.png",
                      "url": f"{base}/app/points/{patroller_points[-1]['id']}"}]  # the second replaced the first

    push.get_by_role("button", name="关闭推送").click()
    expect(push.get_by_role("button", name="开启消息推送")).to_be_visible()
    assert subscriptions(live_app) == []


ROTATING_STUB = """
// A push service that can replace the subscription while the app is closed: the browser's
// subscription is whatever endpoint localStorage names, so a test can change it between starts.
const made = (endpoint, key) => ({
  endpoint,
  options: { applicationServerKey: key },
  toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: "BPhone", auth: "secret-" + endpoint.slice(-1) } }),
  unsubscribe: async () => { localStorage.removeItem("test.endpoint"); return true; },
});
PushManager.prototype.subscribe = async function (options) {
  localStorage.setItem("test.endpoint", "https://192.0.2.1/send/phone-1");
  return made(localStorage.getItem("test.endpoint"), options.applicationServerKey);
};
PushManager.prototype.getSubscription = async function () {
  const endpoint = localStorage.getItem("test.endpoint");
  return endpoint ? made(endpoint, null) : null;
};
"""


def owners(live_app) -> dict[str, int]:
    with live_app.app_context():
        return {s.endpoint: s.user_id for s in db.session.scalars(select(PushSubscription))}


def test_a_subscription_the_push_service_replaced_is_registered_again(phone, server):
    """At the app's next start (the worker could not tell the server), and by the worker itself, with no session."""
    base, live_app = server
    phone.add_init_script(ROTATING_STUB)
    page = logged_in(phone, base, "leader", "/app/inbox")
    page.locator(".push-box").get_by_role("button", name="开启消息推送").click()
    expect(page.locator(".push-box")).to_contain_text("消息推送已开启")
    leader_id = owners(live_app)["https://192.0.2.1/send/phone-1"]

    # replaced while the app was closed: opening it again (on the home screen, which has no push box
    # claiming on its own) tells the server of the new subscription
    page.evaluate("localStorage.setItem('test.endpoint', 'https://192.0.2.1/send/phone-2')")
    page.goto(f"{base}/app/")
    expect(page.locator("#inbox-link")).to_be_visible()
    for _ in range(50):
        if "https://192.0.2.1/send/phone-2" in owners(live_app):
            break
        page.wait_for_timeout(100)
    assert owners(live_app)["https://192.0.2.1/send/phone-2"] == leader_id

    # the worker's own renewal: no CSRF header, the old subscription's secret as proof
    [worker] = [w for w in phone.service_workers if w.url.endswith("/sw.js")] or [phone.wait_for_event("serviceworker")]
    status = worker.evaluate("""() => {
      const subscription = (endpoint, auth) => ({ endpoint, options: {},
        toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: "BPhone3", auth } }) });
      let answered;
      const fetchOnce = self.fetch;
      self.fetch = (...args) => fetchOnce(...args).then((r) => { answered = r.status; return r; });
      return renewSubscription(subscription("https://192.0.2.1/send/phone-2", "secret-2"),
                               subscription("https://192.0.2.1/send/phone-3", "secret-3"))
        .then(() => { self.fetch = fetchOnce; return answered; });
    }""")
    assert status == 200
    assert owners(live_app).get("https://192.0.2.1/send/phone-3") == leader_id
    assert "https://192.0.2.1/send/phone-2" not in owners(live_app)
