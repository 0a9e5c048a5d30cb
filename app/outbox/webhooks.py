"""Webhook bodies and signatures: Huxiao's JSON event, or a WeCom / DingTalk group robot's text message."""

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import quote_plus

import requests

from app.outbox.messages import Message
from app.outbox.models import WebhookKind


def _headers() -> dict:
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Huxiao-Webhook/1"}


def json_request(url: str, secret: str, message: Message, delivery_id: int) -> tuple[str, bytes, dict]:
    """(url, body, headers) of one step as Huxiao's own event, signed with the webhook's secret."""
    headers = _headers()
    body = json.dumps({**message.event, "delivery_id": delivery_id}, ensure_ascii=False).encode()
    headers["X-Huxiao-Delivery"] = str(delivery_id)  # the same id on every retry: receivers can drop repeats
    if secret:
        headers["X-Huxiao-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return url, body, headers


def robot_request(kind: WebhookKind, url: str, secret: str, text: str) -> tuple[str, bytes, dict]:
    """(url, body, headers) of a WeCom or DingTalk robot's text message."""
    body = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    if kind == WebhookKind.DINGTALK and secret:  # 加签: timestamp and signature in the query
        stamp = str(int(time.time() * 1000))
        digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
        url += f"{'&' if '?' in url else '?'}timestamp={stamp}&sign={quote_plus(base64.b64encode(digest))}"
    return url, body, _headers()


def post(session: requests.Session, kind: WebhookKind, url: str, body: bytes, headers: dict, timeout: float) -> None:
    """POST one delivery; raises with a short reason when the receiver did not take it."""
    try:
        answer = session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.RequestException as exc:
        raise RuntimeError(f"no answer: {type(exc).__name__}") from None
    if not 200 <= answer.status_code < 300:
        raise RuntimeError(f"answered {answer.status_code}")
    if kind in (WebhookKind.WECOM, WebhookKind.DINGTALK):  # robots answer 200 with an error code
        try:
            reply = answer.json()
        except ValueError:
            raise RuntimeError("answered 200 without the robot's JSON") from None
        if reply.get("errcode", 0) != 0:
            raise RuntimeError(f"robot refused: {reply.get('errcode')} {reply.get('errmsg', '')}"[:300])
