"""What the browser tests share: the live demo server, Chromium, and a phone's browser context."""

import os
import shutil

import pytest
import requests
from playwright.sync_api import sync_playwright

from bench.live_server import demo_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 640}


@pytest.fixture(scope="module")
def live():
    with demo_server(workers=2, app="wsgi:app") as (base, _instance):
        yield base


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def watch_problems(context) -> list[str]:
    """Collect every script error and Content-Security-Policy violation of the context's pages."""
    problems = []

    def watch(page):
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("console", lambda message: problems.append(message.text)
                if "Content Security Policy" in message.text else None)

    context.on("page", watch)
    return problems


@pytest.fixture
def context(browser):
    """A phone's browser; the test fails on any script error or Content-Security-Policy violation."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="allow")
    problems = watch_problems(context)
    yield context
    context.close()
    assert problems == []


def log_in(page, username="patroller"):
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo12345")
    page.get_by_role("button", name="登录").click()


def session_of(base, username, password="demo12345"):
    """A requests session logged in as a demo account, sending its CSRF token on writes."""
    session = requests.Session()
    response = session.post(f"{base}/api/auth/login", json={"username": username, "password": password})
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session
