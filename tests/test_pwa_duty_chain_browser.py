"""The duty chain in a real browser, one phone per person: a teacher reports, each hand-off lights
the next person's 消息 badge, and the teacher's inbox finally says the hazard is closed."""

import json

from playwright.sync_api import expect

from tests.pwa_helpers import browser, live  # noqa: F401 (fixtures)
from tests.test_pwa_hazards_browser import api_as, fill_report, logged_in, phones, rectify  # noqa: F401


def unread(live, username) -> int:
    answer = api_as(live, username).get(f"{live}/api/notifications?unread=true&page_size=1")
    return json.loads(answer.headers["X-Pagination"])["total"]


def open_notice(page, text):
    """Tap the badge, then the unread notice that says `text`: it opens its hazard."""
    page.locator("#inbox-link").click()
    notice = page.locator('li.inbox-row[data-unread="true"]', has_text=text).first
    expect(notice).to_be_visible()
    notice.click()


def test_teacher_to_safety_officer_to_leader_to_principal_and_back_to_the_teacher(phones, live, tmp_path):
    # the teacher reports a hazard from her phone
    teacher = logged_in(phones(), live, "teacher")
    teacher.get_by_role("button", name="上报隐患").click()
    fill_report(teacher, tmp_path, "三楼东侧楼梯扶手断裂")
    teacher.get_by_role("button", name="上报", exact=True).click()
    expect(teacher.locator(".hazard-head")).to_contain_text("待交办")

    # the safety officer's badge counts it; the notice opens the hazard, and she assigns the grid leader
    before = unread(live, "safety")
    safety = logged_in(phones(), live, "safety")
    expect(safety.locator("#inbox-link .count")).to_have_text(str(before))
    open_notice(safety, "新隐患待交办")
    expect(safety.locator(".hazard-head")).to_contain_text("待交办")
    safety.get_by_role("button", name="交办").click()
    form = safety.locator("form.action-form")
    form.get_by_label("整改责任人").select_option(label="李网长(网格长) · 演示县第一中学")
    form.get_by_label("整改措施").fill("更换扶手")
    form.get_by_role("button", name="确认交办").click()
    expect(safety.locator(".hazard-head")).to_contain_text("整改中")

    # the leader's badge: assigned to him, with its deadline; he rectifies
    leader = logged_in(phones(), live, "leader")
    expect(leader.locator("#inbox-link .count")).to_have_text(str(unread(live, "leader")))
    leader.locator("#inbox-link").click()
    notice = leader.locator('li.inbox-row[data-unread="true"]', has_text="隐患交办给您整改").first
    expect(notice).to_contain_text("限 ")
    expect(notice).to_contain_text("经办:")
    notice.click()
    rectify(leader, tmp_path, "已焊接更换新扶手")

    # the principal hears it is waiting for verification, and closes it out
    principal = logged_in(phones(), live, "principal")
    open_notice(principal, "隐患已整改,请验收")
    principal.get_by_role("button", name="验收销号").click()
    principal.locator("form.action-form").get_by_role("button", name="确认验收销号").click()
    expect(principal.locator(".hazard-head")).to_contain_text("已销号")

    # back on the teacher's phone: her inbox says the hazard she reported is closed
    teacher.goto(f"{live}/app/")
    expect(teacher.locator("#inbox-link .count")).to_have_text(str(unread(live, "teacher")))
    open_notice(teacher, "您上报的隐患已验收销号")
    expect(teacher.locator(".hazard-head")).to_contain_text("已销号")
