"""The report screens (日排查、周研判、月调度) in a real browser, over weeks of made-up patrols in the demo
county: the figures on screen are the API's for the same period and unit, the ranking is in its order,
the charts are drawn, a school sees only itself, and the pickers change the period."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from app import create_app
from app.extensions import db
from bench.live_server import demo_server
from tests.pwa_helpers import PHONE, browser, log_in, session_of, watch_problems  # noqa: F401 (browser: fixture)
from app.demo.history import add_history

DESKTOP = {"width": 1280, "height": 900}
# pixels of a canvas that are drawn (not transparent, not white)
INKED = """(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.min(data[i], data[i + 1], data[i + 2]) < 200) inked += 1;
  return inked;
}"""
# pixels of exactly this colour, e.g. inside a bar of a level's colour
COLOURED = """(canvas, rgb) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let found = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) found += 1;
  return found;
}"""
LEVEL_RGB = {"red": (0xD7, 0x19, 0x1C), "orange": (0xF2, 0x8E, 0x2B), "yellow": (0xF2, 0xCC, 0x0C), "blue": (0x2C, 0x7B, 0xB6)}


@pytest.fixture(scope="module")
def base():
    """The demo county under gunicorn, with six weeks of patrols and hazards behind it."""
    with demo_server(workers=2, app="wsgi:app") as (url, instance):
        with pytest.MonkeyPatch.context() as env:
            env.setenv("HUXIAO_INSTANCE_PATH", str(instance))
            env.delenv("DATABASE_URL", raising=False)
            live_app = create_app()
        with live_app.app_context():
            add_history(days=45)
            db.engine.dispose()
        yield url


def context_of(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    return context, watch_problems(context)


@pytest.fixture
def office(browser):
    context, problems = context_of(browser, DESKTOP)
    yield context
    context.close()
    assert problems == []


@pytest.fixture
def phone(browser):
    context, problems = context_of(browser, PHONE)
    yield context
    context.close()
    assert problems == []


def opened(context, base, username, path):
    page = context.new_page()
    page.goto(f"{base}{path}")
    log_in(page, username)
    return page


def percent(rate):
    """As the screens write a rate: one decimal, halves up (JavaScript's toFixed), a dash for none."""
    if rate is None:
        return "—"
    return f"{Decimal(rate * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def tile(page, key):
    return page.locator(f'.tile[data-figure="{key}"] .tile-value')


def column(page, table, key):
    return page.locator(f'table.{table} tbody [data-col="{key}"]').all_inner_texts()


def inked(page, chart):
    canvas = page.locator(f".chart-{chart} canvas").first
    expect(canvas).to_be_attached()
    return canvas.evaluate(INKED)


def test_the_county_sees_its_month_ranked_and_charted_as_the_api_has_it(office, base):
    api = session_of(base, "county")
    page = opened(office, base, "county", "/app/reports/monthly")
    month = api.get(f"{base}/api/reports/monthly").json()
    ranked = page.locator("table.ranking tbody tr")
    expect(ranked).to_have_count(len(month["schools"]))
    assert len(month["schools"]) == 4 and month["total"]["completion"]["asked"] > 0

    expect(tile(page, "rate")).to_have_text(percent(month["total"]["completion"]["rate"]))
    expect(tile(page, "missed")).to_have_text(str(month["total"]["completion"]["missed"]))
    expect(tile(page, "reported")).to_have_text(str(month["total"]["hazards"]["reported"]))
    expect(tile(page, "closed")).to_have_text(str(month["total"]["hazards"]["closed"]))
    # the ranking: the API's order, its rates, best first; the townships' subtotals
    assert column(page, "ranking", "name") == [s["name"] for s in month["schools"]]
    assert column(page, "ranking", "rank") == [str(s["rank"]) for s in month["schools"]]
    assert column(page, "ranking", "rate") == [percent(s["completion"]["rate"]) for s in month["schools"]]
    assert column(page, "ranking", "missed") == [str(s["completion"]["missed"]) for s in month["schools"]]
    rates = [s["completion"]["rate"] for s in month["schools"]]
    assert rates == sorted(rates, reverse=True)
    assert column(page, "townships", "name") == [t["name"] for t in month["townships"]]
    assert column(page, "trend", "rate") == [percent(m["completion"]["rate"]) for m in month["trend"]]
    assert column(page, "supervised", "number") == [h["number"] for h in month["supervised"]]
    assert len(month["supervised"]) >= 1 and len(month["escalations"]) == 1
    expect(page.locator("table.escalations tbody tr")).to_have_count(1)
    # the charts are drawn: the trend and the ranking's bars
    assert inked(page, "trend") > 500
    assert inked(page, "ranking") > 2000
    files = f"?period={month['period']}&unit_id={month['unit']['id']}"
    expect(page.get_by_role("link", name="下载 PDF")).to_have_attribute("href", f"/api/reports/monthly.pdf{files}")
    expect(page.get_by_role("link", name="导出 Excel")).to_have_attribute("href", f"/api/reports/monthly.xlsx{files}")

    # the month before, picked: the address and every figure follow
    before = month["trend"][-2]["period"]
    page.get_by_label("月份").select_option(before)
    expect(page).to_have_url(f"{base}/app/reports/monthly?period={before}")
    earlier = api.get(f"{base}/api/reports/monthly?period={before}").json()
    expect(tile(page, "rate")).to_have_text(percent(earlier["total"]["completion"]["rate"]))
    expect(page.locator("table.ranking tbody tr").first.locator('[data-col="name"]')).to_have_text(earlier["schools"][0]["name"])
    assert column(page, "ranking", "rate") == [percent(s["completion"]["rate"]) for s in earlier["schools"]]


def test_the_county_follows_the_day_down_to_a_schools_points(office, base):
    api = session_of(base, "county")
    page = opened(office, base, "county", "/app/reports/daily")
    day = api.get(f"{base}/api/reports/daily").json()
    expect(page.locator("table.daily-schools tbody tr")).to_have_count(len(day["schools"]))
    for key in ("due", "inspected", "overdue", "hazards_reported"):
        assert column(page, "daily-schools", key) == [str(s[key]) for s in day["schools"]]
        expect(page.locator(f'table.daily-schools tfoot [data-col="{key}"]')).to_have_text(str(day["total"][key]))
    expect(page.get_by_label("日期")).to_have_value(day["period"])

    school = day["schools"][-1]
    page.get_by_label("单位").select_option(str(school["id"]))
    expect(page.locator("table.daily-schools tbody tr")).to_have_count(1)
    own = api.get(f"{base}/api/reports/daily?unit_id={school['id']}").json()
    rows = page.locator("table.daily-points tbody tr")
    expect(rows).to_have_count(len(own["points"]))
    assert column(page, "daily-points", "name") == [p["name"] for p in own["points"]]  # overdue first, as the API has them
    states = rows.evaluate_all("rows => rows.map((r) => r.dataset.state)")
    assert states == sorted(states, key=lambda s: s != "overdue")


def test_a_safety_officer_sees_only_their_school_and_picks_the_week(phone, base):
    api = session_of(base, "safety")
    own = api.get(f"{base}/api/me").json()["user"]["org_unit"]
    page = opened(phone, base, "safety", "/app/reports/daily")
    day = api.get(f"{base}/api/reports/daily").json()
    expect(page.locator("table.daily-schools tbody tr")).to_have_count(1)
    assert column(page, "daily-schools", "name") == [own["name"]]
    expect(page.locator('select[name="unit_id"]')).to_have_count(0)  # nothing else to pick
    assert column(page, "daily-points", "name") == [p["name"] for p in day["points"]]

    # another school's report, asked for by address: refused, nothing shown of it
    other = session_of(base, "county").get(f"{base}/api/reports/daily").json()["schools"]
    stranger = next(s for s in other if s["id"] != own["id"])
    page.goto(f"{base}/app/reports/daily?unit_id={stranger['id']}")
    expect(page.get_by_role("alert")).to_have_text("您的管辖范围内没有这个单位")
    expect(page.get_by_text(stranger["name"])).to_have_count(0)

    page.get_by_role("link", name="周研判").click()
    week = api.get(f"{base}/api/reports/weekly").json()
    expect(tile(page, "rate")).to_have_text(percent(week["completion"]["rate"]))
    assert column(page, "week-days", "inspections") == [str(d["inspections"]) for d in week["days"]]
    assert column(page, "not-inspected", "name") == [p["name"] for p in week["not_inspected"]]
    assert inked(page, "days") > 300
    # this week's hazards (the demo's, reported today) in their levels' colours
    reported = [row["key"] for row in week["by_level"] if row["reported"]]
    assert reported
    canvas = page.locator(".chart-level canvas").first
    expect(canvas).to_be_attached()
    for level in reported:
        assert canvas.evaluate(COLOURED, list(LEVEL_RGB[level])) > 50, level
    expect(page.get_by_role("link", name="打印简报")).to_have_attribute(
        "href", f"/api/reports/weekly.pdf?period={week['period']}&unit_id={own['id']}")

    # the week before: its Monday in the address, its figures on screen
    picker = page.get_by_label("周次")
    monday = picker.locator("option").nth(1).get_attribute("value")
    picker.select_option(monday)
    expect(page).to_have_url(f"{base}/app/reports/weekly?period={monday}")
    earlier = api.get(f"{base}/api/reports/weekly?period={monday}").json()
    assert earlier["period"] != week["period"]
    expect(page.locator("p.as-of")).to_contain_text(f"第 {int(earlier['period'][-2:])} 周")
    expect(tile(page, "rate")).to_have_text(percent(earlier["completion"]["rate"]))
    assert column(page, "week-days", "inspections") == [str(d["inspections"]) for d in earlier["days"]]

    page.get_by_role("link", name="月调度").click()
    expect(page.locator("table.ranking tbody tr")).to_have_count(1)
    assert column(page, "ranking", "name") == [own["name"]]


def test_in_english_the_home_button_opens_the_reports_with_no_chinese_chrome(phone, base):
    import re

    page = phone.new_page()
    page.goto(f"{base}/app/")
    page.evaluate("localStorage.setItem('huxiao.lang', 'en')")
    page.reload()
    page.get_by_label("Username").fill("safety")
    page.get_by_label("Password").fill("demo12345")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Reports: daily, weekly, monthly").click()  # a school meets daily
    expect(page).to_have_url(f"{base}/app/reports/daily")
    expect(page.locator("table.daily-points tbody tr").first).to_be_visible()
    # the screens' own words (headings, labels, column heads, tiles, links), not the county's data
    chrome = "h1, h2, label, thead th, .tile-label, nav.tabs a, a.to-admin"
    keys = re.compile(r"\breport\.[a-z_.]+\b")
    for tab in ("Daily", "Weekly", "Monthly"):
        page.get_by_role("link", name=tab, exact=True).click()
        expect(page.locator("h1")).not_to_have_text("")
        expect(page.locator(".report-body table").first).to_be_visible()
        words = page.eval_on_selector_all(chrome, "els => els.map((e) => e.innerText.trim()).filter(Boolean)")
        assert words and not keys.search(page.inner_text("body")), tab
        assert [w for w in words if re.search(r"[\u4e00-\u9fff]", w)] == [], (tab, words)
