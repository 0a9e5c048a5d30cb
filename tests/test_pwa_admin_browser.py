"""The admin screens in a real browser: a school's safety officer builds and prints its register."""

import io

import pytest
import requests
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.labels_helpers import decode_all, pdf_pages
from tests.pwa_helpers import browser, live, log_in, watch_problems  # noqa: F401 (browser, live: fixtures)

DESKTOP = {"width": 1280, "height": 900}
FIVE = [
    ["图书馆一楼灭火器", "消防", "一般风险"],
    ["图书馆配电箱", "用电", "较大风险"],
    ["图书馆书架", "校舍", "黄色"],
    ["图书馆楼梯", "校舍", "红"],
    ["图书馆门口台阶", "其他", "blue"],
]


@pytest.fixture
def office(browser):
    """An office PC's browser; the test fails on any script error or CSP violation."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    problems = watch_problems(context)
    yield context
    context.close()
    assert problems == []


def sheet_of_five(school: str, grid: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["学校", "风险点名称", "类别", "风险等级", "位置", "网格", "责任人"])
    for name, category, level in FIVE:
        sheet.append([school, name, category, level, "图书馆", grid, "孔馆长"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def points_of_grid(live, grid_name):
    session = requests.Session()
    session.post(f"{live}/api/auth/login", json={"username": "safety", "password": "demo12345"}).raise_for_status()
    return [p for p in session.get(f"{live}/api/points?page_size=1000").json() if p["grid"] and p["grid"]["name"] == grid_name]


def test_a_safety_officer_builds_a_grid_adds_imports_and_prints_its_labels(office, live, tmp_path):
    page = office.new_page()
    page.goto(f"{live}/app/")
    log_in(page, "safety")
    page.get_by_role("button", name="管理:风险点、网格、导入、打印").click()
    school = page.locator(".admin .muted").first.inner_text().split(" · ")[-1]

    # a grid, with the school's grid leader and a patroller
    page.get_by_role("link", name="网格").click()
    page.get_by_label("网格名称").fill("图书馆网格")
    page.get_by_label("网格长").select_option(index=1)
    page.locator("fieldset input[type=checkbox]").first.check()
    page.get_by_role("button", name="保存网格").click()
    expect(page.locator(".grid-row", has_text="图书馆网格")).to_contain_text("网格长")

    # one point by hand, in that grid
    page.get_by_role("link", name="风险点").click()
    page.get_by_text("新增风险点").click()
    page.get_by_label("风险点名称").fill("图书馆消防通道")
    page.locator("form.admin-form").get_by_label("类别").select_option(label="消防")
    page.locator("form.admin-form").get_by_label("风险等级").select_option(label="重大风险")
    page.locator("form.admin-form").get_by_label("网格").select_option(label="图书馆网格")
    page.get_by_role("button", name="保存风险点").click()
    expect(page.locator("tr", has_text="图书馆消防通道")).to_contain_text("重大风险")

    # five more from a spreadsheet: dry run first, then apply
    page.get_by_role("link", name="导入").click()
    sheet = tmp_path / "风险点清单.xlsx"
    sheet.write_bytes(sheet_of_five(school, "图书馆网格"))
    page.get_by_label("Excel 或 CSV 文件").set_input_files(str(sheet))
    page.get_by_role("button", name="预览(不会写入)").click()
    rows = page.locator(".import-rows tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator(".import-rows tbody tr.action-create")).to_have_count(5)
    assert points_of_grid(live, "图书馆网格") and len(points_of_grid(live, "图书馆网格")) == 1  # nothing written yet
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("导入完成。", exact=False)).to_be_visible()
    printed = points_of_grid(live, "图书馆网格")
    assert sorted(p["name"] for p in printed) == sorted(["图书馆消防通道", *(row[0] for row in FIVE)])

    # print the grid's labels: preview one, make the PDF, download it
    page.get_by_role("link", name="打印标签").click()
    form = page.locator("form.admin-form")
    form.get_by_label("学校").select_option(label=school)
    form.get_by_label("网格").select_option(label="图书馆网格")
    expect(page.get_by_text("符合条件:6 个风险点")).to_be_visible()
    preview = page.locator("img.label-preview")
    expect(preview).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.label-preview').naturalWidth > 300")
    page.get_by_role("button", name="开始生成 PDF").click()
    with page.expect_download() as download:
        page.locator(".batch-progress").get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "labels.pdf"
    download.value.save_as(pdf)
    decoded = [url for image in pdf_pages(pdf, dpi=150) for url in decode_all(image)]
    assert sorted(decoded) == sorted(f"{live}/p/{p['token']}" for p in printed)


def test_an_import_preview_shows_each_refusal_with_its_row(office, live, tmp_path):
    page = office.new_page()
    page.goto(f"{live}/app/admin/import")
    log_in(page, "safety")
    sheet = tmp_path / "有错的清单.csv"
    sheet.write_bytes("学校,风险点名称,类别,风险等级\n不存在的学校,水池,水域,重大风险\n".encode("gb18030"))
    page.get_by_label("Excel 或 CSV 文件").set_input_files(str(sheet))
    page.get_by_role("button", name="预览(不会写入)").click()
    refused = page.locator(".import-rows tbody tr.action-refuse")
    expect(refused).to_contain_text("学校“不存在的学校”不存在或不在您的管辖范围内")
    expect(refused.locator("td").first).to_have_text("2")
    expect(page.get_by_role("button", name="确认导入")).to_be_hidden()


def test_patrollers_see_no_admin_screens(office, live):
    page = office.new_page()
    page.goto(f"{live}/app/admin/points")
    log_in(page, "patroller")
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    expect(page.get_by_role("button", name="管理:风险点、网格、导入、打印")).to_have_count(0)


def test_a_new_person_chooses_their_own_password_at_first_login(office, live):
    safety = requests.Session()
    me = safety.post(f"{live}/api/auth/login", json={"username": "safety", "password": "demo12345"}).json()
    created = safety.post(f"{live}/api/users", headers={"X-CSRF-Token": me["csrf_token"]}, json={
        "username": "13800138000", "display_name": "新网格员", "role": "patroller",
        "org_unit_id": me["user"]["org_unit"]["id"], "password": "first-pass-1"})
    assert created.status_code == 201, created.text
    page = office.new_page()
    page.goto(f"{live}/app/")
    page.get_by_label("用户名").fill("13800138000")
    page.get_by_label("密码").fill("first-pass-1")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="设置新密码")).to_be_visible()
    page.get_by_label("当前密码(管理员告诉您的)").fill("first-pass-1")
    page.get_by_label("新密码(至少 8 位)").fill("my-own-secret-9")
    page.get_by_label("再次输入新密码").fill("my-own-secret-8")
    page.get_by_role("button", name="保存密码").click()
    expect(page.get_by_text("两次输入的新密码不一致")).to_be_visible()
    page.get_by_label("再次输入新密码").fill("my-own-secret-9")
    page.get_by_role("button", name="保存密码").click()
    expect(page.get_by_role("heading", name="我的巡检")).to_be_visible()
    again = requests.post(f"{live}/api/auth/login", json={"username": "13800138000", "password": "my-own-secret-9"})
    assert again.status_code == 200 and again.json()["user"]["must_change_password"] is False


def test_a_safety_officer_adds_a_patroller_and_deactivates_them(office, live):
    page = office.new_page()
    page.goto(f"{live}/app/admin/people")
    log_in(page, "safety")
    page.get_by_text("新增人员账号").click()
    expect(page.get_by_label("角色").locator("option")).to_have_text(["网格员", "网格长", "教职工"])  # lower ranks only
    page.get_by_label("用户名", exact=True).fill("13900139000")
    page.get_by_label("姓名", exact=True).fill("陈网格")
    page.get_by_label("初始密码", exact=True).fill("11111111")
    page.get_by_role("button", name="保存账号").click()
    expect(page.locator("form.admin-form .error")).to_contain_text("密码里不同的字符太少")  # the server's reason
    page.get_by_label("初始密码", exact=True).fill("first-pass-2")
    page.get_by_role("button", name="保存账号").click()
    row = page.locator("tr", has_text="13900139000")
    expect(row).to_contain_text("待本人修改初始密码")
    row.get_by_role("button", name="停用").click()
    expect(row).to_contain_text("已停用")
    refused = requests.post(f"{live}/api/auth/login", json={"username": "13900139000", "password": "first-pass-2"})
    assert refused.status_code == 401


def test_a_school_copies_a_shipped_checklist_and_edits_its_copy(office, live):
    page = office.new_page()
    page.goto(f"{live}/app/admin/checklists")
    log_in(page, "safety")
    expect(page.get_by_text("系统默认检查表不能直接修改", exact=False)).to_be_visible()
    shipped = page.locator(".card ol li").all_inner_texts()
    page.get_by_role("button", name="复制为演示县第一中学的检查表").click()
    editor = page.locator("ol.item-editor li")
    expect(editor).to_have_count(len(shipped))
    editor.nth(1).get_by_role("button", name="上移").click()
    editor.last.get_by_role("button", name="删除此项").click()
    page.get_by_role("button", name="添加一项").click()
    page.locator("ol.item-editor input").last.fill("消防器材责任人标牌清晰?")
    page.get_by_role("button", name="保存检查表").click()
    expect(page.get_by_text("检查表已保存", exact=False)).to_be_visible()
    session = requests.Session()
    session.post(f"{live}/api/auth/login", json={"username": "safety", "password": "demo12345"}).raise_for_status()
    own = next(tpl for tpl in session.get(f"{live}/api/checklist-templates?category=fire").json() if tpl["editable"])
    items = [i["text"] for i in session.get(f"{live}/api/checklist-templates/{own['id']}").json()["items"]]
    assert items == [shipped[1], shipped[0], *shipped[2:-1], "消防器材责任人标牌清晰?"]


def test_a_change_of_colour_is_made_with_its_reason_and_a_point_is_retired(office, live):
    session = requests.Session()
    session.post(f"{live}/api/auth/login", json={"username": "safety", "password": "demo12345"}).raise_for_status()
    yellow, other = [p for p in session.get(f"{live}/api/points?risk_level=yellow").json()][:2]
    page = office.new_page()
    page.goto(f"{live}/app/admin/points")
    log_in(page, "safety")
    page.get_by_role("button", name=yellow["name"], exact=True).click()
    form = page.locator("form.edit-point")
    reason = form.get_by_label("等级调整原因(必填,记入台账)")
    expect(reason).to_be_hidden()
    form.get_by_label("风险等级").select_option(label="重大风险")
    reason.fill("旁边新建了配电房")
    form.get_by_label("纬度(可选)").fill("32.123456")
    form.get_by_label("经度(可选)").fill("108.654321")
    form.get_by_role("button", name="保存修改").click()
    expect(page.locator("tr", has_text=yellow["name"])).to_contain_text("重大风险")
    last = session.get(f"{live}/api/points/{yellow['id']}/history").json()[-1]
    assert (last["before"], last["after"], last["reason"]) == (
        {"risk_level": "yellow", "latitude": None, "longitude": None},
        {"risk_level": "red", "latitude": 32.123456, "longitude": 108.654321}, "旁边新建了配电房")

    page.get_by_role("button", name=other["name"], exact=True).click()
    page.get_by_text("停用此风险点").click()
    page.get_by_label("停用原因").fill("器材已拆除")
    page.get_by_role("button", name="确认停用").click()
    expect(page.locator("tr", has_text=other["name"])).to_have_count(0)
    assert requests.get(f"{live}/p/{other['token']}").status_code == 410


def test_the_county_adds_a_township_and_a_school(office, live):
    page = office.new_page()
    page.goto(f"{live}/app/admin/units")
    log_in(page, "county")
    township_form = page.locator("form", has_text="新增乡镇(街道)")
    township_form.get_by_label("名称").fill("新城街道")
    township_form.get_by_role("button", name="保存").click()
    expect(page.locator(".units > li", has_text="新城街道")).to_contain_text("0 所学校")
    school_form = page.locator("form", has_text="新增学校")
    school_form.get_by_label("所属乡镇(街道)").select_option(label="新城街道")
    school_form.get_by_label("名称").fill("新城实验小学")
    school_form.get_by_role("button", name="保存").click()
    expect(page.locator(".units > li", has_text="新城街道")).to_contain_text("新城实验小学")
    school_form = page.locator("form", has_text="新增学校")
    school_form.get_by_label("名称").fill("新城实验小学")
    school_form.get_by_label("所属乡镇(街道)").select_option(label="新城街道")
    school_form.get_by_role("button", name="保存").click()
    expect(school_form.locator(".error")).to_contain_text("已有同名单位")
