"""When points are due, in a real browser: the patroller's list, overdue first; a safety officer's schedule editor."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from bench.live_server import demo_server
from tests.pwa_helpers import PHONE, browser, log_in, session_of, watch_problems  # noqa: F401 (browser: fixture)

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Asia/Shanghai")  # the demo county's clocks, whatever this machine's


@pytest.fixture(scope="module")
def server():
    """The demo county under gunicorn, and its instance folder (for the `flask` commands)."""
    with demo_server(workers=2, app="wsgi:app") as (base, instance):
        yield base, instance


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="allow")
    problems = watch_problems(context)
    yield context
    context.close()
    assert problems == []


@pytest.fixture
def office(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    problems = watch_problems(context)
    yield context
    context.close()
    assert problems == []


def refresh_schedules(instance, now):
    """`flask schedules refresh --now ...` on the live server's database: as if last computed then."""
    env = {**os.environ, "HUXIAO_INSTANCE_PATH": str(instance), "FLASK_APP": "wsgi", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    subprocess.run([Path(sys.executable).parent / "flask", "schedules", "refresh", "--now", now.isoformat()],
                   cwd=ROOT, env=env, check=True, capture_output=True)


def day(moment):
    return f"{moment.month}月{moment.day}日"


def test_the_patrollers_list_puts_overdue_points_first_and_a_sent_inspection_marks_its_point_done(
        phone, server):
    base, instance = server
    patroller, safety = session_of(base, "patroller"), session_of(base, "safety")
    mine = patroller.get(f"{base}/api/points?my_grids=true&order=due").json()
    late, today, inspected = mine[0], mine[1], mine[2]
    for point in (late, inspected):
        assert safety.patch(f"{base}/api/points/{point['id']}", json={"frequency": "daily"}).status_code == 200
    # every point's due time as computed three days ago: a daily point never inspected has missed that day,
    # the day before yesterday and yesterday, and is overdue since the day before yesterday began
    now = datetime.now(ZONE)
    refresh_schedules(instance, now - timedelta(days=3))
    assert safety.patch(f"{base}/api/points/{today['id']}", json={"frequency": "daily"}).status_code == 200  # due today
    listed = patroller.get(f"{base}/api/points?my_grids=true&order=due").json()
    states = [p["due"]["state"] for p in listed]
    assert states == sorted(states, key=lambda s: s != "overdue")  # overdue first
    overdue = states.count("overdue")
    assert overdue >= 1

    page = phone.new_page()
    page.goto(f"{base}/app/")
    log_in(page)
    rows = page.locator("li.point-row")
    expect(rows).to_have_count(len(listed))
    assert rows.evaluate_all("els => els.map(e => e.dataset.due)") == states
    assert [rows.nth(i).locator("strong").inner_text() for i in range(len(listed))] == [p["name"] for p in listed]
    expect(page.get_by_role("button", name=f"{overdue} 个风险点逾期")).to_be_visible()
    since = (now - timedelta(days=2)).date()
    expect(rows.filter(has_text=late["name"])).to_contain_text(f"逾期 · 自 {day(since)}")
    expect(rows.filter(has_text=late["name"])).to_contain_text("漏检 3 次")
    expect(rows.filter(has_text=today["name"])).to_contain_text("待检 · 今日")

    # offline, the list comes from the worker's copy of the same answer, in the same order
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    expect(rows).to_have_count(len(listed))
    phone.set_offline(True)
    page.reload()
    expect(rows).to_have_count(len(listed))
    assert rows.evaluate_all("els => els.map(e => e.dataset.due)") == states
    expect(page.get_by_role("button", name=f"{overdue} 个风险点逾期")).to_be_visible()
    phone.set_offline(False)

    # inspecting a point: done until tomorrow, and down the list
    rows.filter(has_text=inspected["name"]).locator("a").click()
    page.get_by_role("button", name="全部正常").click()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    tomorrow = (now + timedelta(days=1)).date()
    done = rows.filter(has_text=inspected["name"])
    expect(done).to_contain_text(f"已完成 · 下次截至 {day(tomorrow)}")
    expect(done).to_have_attribute("data-due", "not_due")
    names = rows.locator("strong").all_inner_texts()
    assert names.index(inspected["name"]) > names.index(today["name"])


def test_a_safety_officer_sets_school_days_only_and_seasons_on_a_point(office, server):
    base, _ = server
    safety = session_of(base, "safety")
    point = safety.get(f"{base}/api/points?page_size=1000").json()[-1]
    page = office.new_page()
    page.goto(f"{base}/app/admin/points")
    log_in(page, "safety")
    row = page.locator("table.register tr", has_text=point["name"])
    expect(row.locator(".chip[class*=due-]")).to_have_count(1)
    row.get_by_role("button", name=point["name"], exact=True).click()
    form = page.locator("form.edit-point")
    form.get_by_label("仅上学日巡检(节假日、寒暑假不检)").check()
    expect(form.get_by_text("例:水域 4月1日—10月31日 每周一次;暑假 每日", exact=False)).to_be_visible()
    form.get_by_role("button", name="添加时段").click()
    form.get_by_role("button", name="添加时段").click()
    water, summer = form.locator("li.season").nth(0), form.locator("li.season").nth(1)
    water.get_by_label("该时段的频次").select_option(label="每周巡检一次")
    water.get_by_label("开始月份").select_option("4")
    water.get_by_label("开始日").fill("1")
    water.get_by_label("结束月份").select_option("10")
    water.get_by_label("结束日").fill("31")
    summer.get_by_label("该时段的频次").select_option(label="每日巡检")
    summer.get_by_label("时段类型").select_option(label="假期")
    expect(summer.get_by_label("开始月份")).to_be_hidden()
    summer.get_by_label("假期名称(同县教育日历)").fill("暑假")
    # a third row, added by mistake and removed
    form.get_by_role("button", name="添加时段").click()
    form.locator("li.season").nth(2).get_by_role("button", name="删除此时段").click()
    form.get_by_role("button", name="保存修改").click()
    expect(page.locator("form.edit-point")).to_have_count(0)

    stored = safety.get(f"{base}/api/points/{point['id']}").json()
    assert stored["school_days_only"] is True
    assert stored["seasons"] == [{"frequency": "weekly", "start": [4, 1], "end": [10, 31]},
                                 {"frequency": "daily", "vacation": "暑假"}]
    last = safety.get(f"{base}/api/points/{point['id']}/history").json()[-1]
    assert set(last["after"]) == {"school_days_only", "seasons"}  # only what changed

    # opened again, the editor shows what is stored
    page.locator("table.register tr", has_text=point["name"]).get_by_role("button", name=point["name"], exact=True).click()
    form = page.locator("form.edit-point")
    expect(form.get_by_label("仅上学日巡检(节假日、寒暑假不检)")).to_be_checked()
    expect(form.locator("li.season")).to_have_count(2)
    expect(form.locator("li.season").nth(1).get_by_label("假期名称(同县教育日历)")).to_have_value("暑假")

    # a new point, on school days only, monthly in the winter vacation
    form.get_by_role("button", name="取消").click()
    page.get_by_text("新增风险点").click()
    add = page.locator("details.add form")
    add.get_by_label("风险点名称").fill("寒假锅炉房")
    add.get_by_label("仅上学日巡检(节假日、寒暑假不检)").check()
    add.get_by_role("button", name="添加时段").click()
    add.get_by_label("该时段的频次").select_option(label="每月巡检一次")
    add.get_by_label("时段类型").select_option(label="假期")
    add.get_by_label("假期名称(同县教育日历)").fill("寒假")
    add.get_by_role("button", name="保存风险点").click()
    expect(page.locator("table.register tr", has_text="寒假锅炉房")).to_have_count(1)
    expect(add.locator("li.season")).to_have_count(0)  # the form is empty for the next one
    added = next(p for p in safety.get(f"{base}/api/points?page_size=1000").json() if p["name"] == "寒假锅炉房")
    assert added["school_days_only"] is True and added["seasons"] == [{"frequency": "monthly", "vacation": "寒假"}]
