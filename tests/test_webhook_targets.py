"""Webhooks and push endpoints go to public https addresses only, checked when saved and when sending.

Before, `http://127.0.0.1:5432/`, `http://169.254.169.254/`, `http://10.0.0.1/` and
`http://[::1]:22/` were accepted (201), and the sender would have posted to them.
"""

import socket

import pytest

from app.outbox.targets import TargetPolicy, TargetRefused, safe_session
from tests.receivers import Receiver

INTERNAL = ["http://127.0.0.1:5432/", "https://127.0.0.1:5432/", "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.1/", "https://[::1]:22/", "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/",
            "https://100.64.0.1/", "https://[fd00:ec2::254]/", "https://[fe80::1]/", "https://192.168.1.1/",
            "https://[::127.0.0.1]/", "https://[2002:7f00:1::]/", "https://[64:ff9b::7f00:1]/",
            "https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo, carrying 10.0.0.1
            "https://internal.example.cn/hook"]


@pytest.fixture
def dns(monkeypatch):
    """The names the tests resolve, and what to (this machine has no outside DNS)."""
    names = {"internal.example.cn": "10.20.0.5", "hooks.example.cn": "93.184.215.14",
             "qyapi.weixin.qq.com": "101.226.129.166", "oapi.dingtalk.com": "203.119.169.33"}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        return real(names.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.fixture
def default_rules(app, monkeypatch):
    """The rules as shipped, not the tests' allowance for their local receivers."""
    for key, value in (("WEBHOOK_ALLOW_HTTP", False), ("WEBHOOK_ALLOWED_NETWORKS", ""), ("WEBHOOK_ROBOT_HOSTS", {})):
        monkeypatch.setitem(app.config, key, value)


def add(client, world, url: str, kind: str = "json"):
    return client.post("/api/webhooks", json={"org_unit_id": world.school_a_id, "name": "群", "kind": kind, "url": url})


@pytest.mark.parametrize("url", INTERNAL)
def test_a_webhook_to_an_internal_address_is_refused(world, login, dns, default_rules, url):
    answer = add(login("safety"), world, url)
    assert answer.status_code == 422 and "url" in answer.json["errors"]
    assert answer.json["error"] in ("webhook_address_not_public", "webhook_scheme")


def test_with_http_allowed_an_internal_address_is_still_refused_for_its_address(world, login, dns, default_rules,
                                                                                app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HTTP", True)
    for url in ("http://127.0.0.1:5432/", "http://169.254.169.254/", "http://10.0.0.1/", "http://[::1]:22/"):
        answer = add(login("safety"), world, url)
        assert answer.status_code == 422 and answer.json["error"] == "webhook_address_not_public", url


def test_http_is_refused_unless_the_setting_allows_it(app, world, login, dns, default_rules, monkeypatch):
    safety = login("safety")
    refused = add(safety, world, "http://hooks.example.cn/h")
    assert refused.status_code == 422 and refused.json["error"] == "webhook_scheme"
    assert refused.json["message"].startswith("地址必须以 https:// 开头")
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_HTTP", True)
    assert add(safety, world, "http://hooks.example.cn/h").status_code == 201


def test_a_public_https_webhook_is_accepted_and_robots_only_at_their_official_hosts(world, login, dns, default_rules):
    safety = login("safety")
    assert add(safety, world, "https://hooks.example.cn/huxiao").status_code == 201
    assert add(safety, world, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "wecom").status_code == 201
    assert add(safety, world, "https://oapi.dingtalk.com/robot/send?access_token=t", "dingtalk").status_code == 201
    elsewhere = add(safety, world, "https://hooks.example.cn/robot/send?access_token=t", "dingtalk")
    assert elsewhere.status_code == 422 and elsewhere.json["error"] == "webhook_host"
    assert "oapi.dingtalk.com" in elsewhere.json["message"]


def test_changing_a_webhook_checks_the_new_address_and_kind(world, login, dns, default_rules):
    safety = login("safety")
    made = add(safety, world, "https://hooks.example.cn/huxiao").json
    patch = lambda body: safety.client.patch(f"/api/webhooks/{made['id']}", json=body,  # noqa: E731
                                             headers={"X-CSRF-Token": safety.csrf_token})
    assert patch({"url": "https://169.254.169.254/"}).status_code == 422
    assert patch({"kind": "wecom"}).json["error"] == "webhook_host"  # its host is no WeCom robot's


def test_a_name_that_resolves_somewhere_else_when_sending_is_refused_at_connect_time(app, monkeypatch):
    """DNS rebinding: public when saved, 127.0.0.1 when the delivery connects."""
    receiver = Receiver()
    try:
        port = receiver.server.server_address[1]
        answers = iter(["93.184.215.14", "127.0.0.1"])  # the check at saving, then the connection
        real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo",
                            lambda host, *a, **k: real(next(answers) if host == "rebind.example.cn" else host, *a, **k))
        policy = TargetPolicy(allow_http=True)
        policy.check_url(f"http://rebind.example.cn:{port}/hook")  # looks public
        with safe_session(policy) as session, pytest.raises(TargetRefused, match="not a public address"):
            session.post(f"http://rebind.example.cn:{port}/hook", data=b"{}", timeout=2)
        assert receiver.received == []
        # the same server, admitted by the setting, is reached: the check is what stopped it
        allowed = TargetPolicy(allow_http=True, allowed_networks=TargetPolicy.from_config(
            {"WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32"}).allowed_networks)
        with safe_session(allowed) as session:
            assert session.post(receiver.url(), data=b"{}", timeout=2).status_code == 200
        assert len(receiver.received) == 1
    finally:
        receiver.close()


def test_a_push_endpoint_must_be_public_https_too(app, world, login, dns, default_rules, monkeypatch):
    from app.outbox.push import new_private_key

    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", new_private_key())
    answer = login("patroller").post("/api/push/subscriptions", json={
        "endpoint": "https://169.254.169.254/push", "keys": {"p256dh": "BNc" + "A" * 84, "auth": "A" * 22}})
    assert answer.status_code == 422 and answer.json["error"] == "webhook_address_not_public"
