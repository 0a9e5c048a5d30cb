"""Passwords: the common ones, the username or phone number, and a person's own recent ones are refused.

Before, `12345678`, `password`, `qwertyuiop`, `demo12345` and an earlier password were accepted.
"""

import pytest

from app.accounts.passwords import common_passwords, password_problem
from tests.conftest import PASSWORD

COMMON = ["12345678", "password", "qwertyuiop", "demo12345", "woaini1314", "qq123456", "1qaz2wsx",
          "11223344", "Password2026!", "iloveyou1314", "a123456789"]


def test_the_list_is_a_maintained_one_of_ten_thousand_and_more_with_the_chinese_favourites():
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "5201314", "woaini1314", "qq123456", "1qaz2wsx"} <= common


@pytest.mark.parametrize("password", COMMON)
def test_a_person_choosing_a_common_password_is_told_why_in_chinese(world, login, password):
    answer = login("patroller").post("/api/me/password", json={"old_password": PASSWORD, "new_password": password})
    assert answer.status_code == 422 and answer.json["error"] == "weak_password"
    assert answer.json["message"].startswith("这是最常用的密码之一")
    assert answer.json["errors"]["new_password"] == [answer.json["message"]]


@pytest.mark.parametrize("password", ["5201314", "123456"])
def test_the_shortest_favourites_are_refused_as_too_short(password):
    assert password_problem(password, "patroller").startswith("密码至少需要 8 位")


def test_the_username_or_the_phone_number_in_a_password_is_refused():
    assert password_problem("Patroller-2026", "patroller").startswith("密码不能包含用户名或手机号")
    assert password_problem("x13800138000", "13800138000").startswith("密码不能包含用户名或手机号")
    assert password_problem("00138000-abc", "+8613800138000").startswith("密码不能包含用户名或手机号")
    assert password_problem("lantern-river-42", "13800138000") is None


def test_an_admin_cannot_set_a_common_first_password_either(world, login):
    answer = login("principal").post(f"/api/users/{world.user_ids['patroller']}/password",
                                     json={"password": "demo12345"})
    assert answer.status_code == 422 and answer.json["errors"]["password"][0].startswith("这是最常用的密码之一")


def test_the_last_five_passwords_may_not_be_chosen_again_the_sixth_may(app, world, login):
    patroller = login("patroller")
    chosen = [PASSWORD] + [f"lantern-river-{n}x" for n in range(6)]
    for old, new in zip(chosen, chosen[1:]):
        answer = patroller.post("/api/me/password", json={"old_password": old, "new_password": new})
        assert answer.status_code == 200, answer.json
    current = chosen[-1]
    for earlier in chosen[-6:-1]:  # the current one and the five before it
        answer = patroller.post("/api/me/password", json={"old_password": current, "new_password": earlier})
        assert answer.status_code == 422 and answer.json["message"].startswith("不能再用最近用过的密码")
    same = patroller.post("/api/me/password", json={"old_password": current, "new_password": current})
    assert same.status_code == 422
    back = patroller.post("/api/me/password", json={"old_password": current, "new_password": chosen[0]})
    assert back.status_code == 200, back.json  # six changes ago: out of the history


def test_a_good_password_is_accepted(world, login):
    answer = login("patroller").post("/api/me/password",
                                     json={"old_password": PASSWORD, "new_password": "lantern-river-42"})
    assert answer.status_code == 200, answer.json


def test_the_people_templates_example_password_is_one_the_rules_accept():
    from app.imports.people import COLUMNS

    example = next(column.example for column in COLUMNS if column.key == "password")
    assert password_problem(example, "13800138000") is None
