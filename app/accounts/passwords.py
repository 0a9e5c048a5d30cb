"""What makes a password too easy to guess, and the person's own recent ones.

Refused: fewer than 8 characters; fewer than three different characters; one of the ~30,000 most
common passwords (zxcvbn's list, from public leaks) or of the Chinese favourites in
`data/common_passwords_zh.txt`, also with digits or symbols added at the end; the username
in it (a phone number is a common username: then its last 8 digits too); and, when a
person chooses, their current one or one of their last `PASSWORD_HISTORY`.
"""

import functools
import re
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from app.accounts.models import PasswordHistory, User
from app.db_types import utcnow
from app.errors import abort
from app.extensions import db

MIN_LENGTH = 8
SHORT_PASSWORD = "密码至少需要 8 位。/ A password needs at least 8 characters."
GUESSABLE_PASSWORD = ("密码里不同的字符太少（如 88888888），很容易被猜中。/ "
                      "This password has too few different characters (like 88888888): it is easy to guess.")
COMMON_PASSWORD = ("这是最常用的密码之一，很容易被猜中。/ "
                   "This is one of the most common passwords: it is easy to guess.")
NAME_IN_PASSWORD = "密码不能包含用户名或手机号。/ A password may not contain the username or phone number."
REUSED_PASSWORD = "不能再用最近用过的密码。/ Choose a password you have not used recently."

_ZH_LIST = Path(__file__).with_name("data") / "common_passwords_zh.txt"
_TAIL = re.compile(r"[0-9!@#$%^&*.,_\-+=?~]+$")  # what people add to a word to pass "use a digit"
_MOBILE = re.compile(r"^\+?(86)?(1[3-9][0-9]{9})$")


@functools.cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's most common passwords and the Chinese favourites, lowercase."""
    chinese = [line.strip() for line in _ZH_LIST.read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(chinese)


def password_problem(password: str, username: str) -> str | None:
    """Why a password is too easy to guess (one of the messages above), or None."""
    if len(password) < MIN_LENGTH:
        return SHORT_PASSWORD
    lowered = password.lower()
    if len(set(lowered)) < 3:
        return GUESSABLE_PASSWORD
    common = common_passwords()
    if lowered in common or (len(word := _TAIL.sub("", lowered)) >= 4 and word in common):
        return COMMON_PASSWORD
    if any(name and name in lowered for name in _names(username)):
        return NAME_IN_PASSWORD
    return None


def _names(username: str) -> list[str]:
    username = username.strip().lower()
    names = [username] if len(username) >= 4 else []
    if mobile := _MOBILE.match(username):
        names.append(mobile.group(2)[-8:])
    return names


def check_password(password: str, username: str, field: str = "password") -> None:
    """Refuse a password that is too easy to guess: 422 weak_password, naming the field."""
    problem = password_problem(password, username)
    if problem:
        abort(422, problem, error="weak_password", errors={field: [problem]})


def check_not_reused(person: User, password: str, field: str = "new_password") -> None:
    """Refuse the person's current password or one of their last PASSWORD_HISTORY."""
    hashes = [person.password_hash, *db.session.scalars(
        select(PasswordHistory.password_hash).where(PasswordHistory.user_id == person.id)
        .order_by(PasswordHistory.id.desc()).limit(current_app.config["PASSWORD_HISTORY"]))]
    if any(check_password_hash(h, password) for h in hashes):
        abort(422, REUSED_PASSWORD, error="weak_password", errors={field: [REUSED_PASSWORD]})


def replace_password(person: User, password: str) -> None:
    """Set a new password, keeping the old one's hash among the last PASSWORD_HISTORY."""
    keep = current_app.config["PASSWORD_HISTORY"]
    db.session.add(PasswordHistory(user_id=person.id, password_hash=person.password_hash, created_at=utcnow()))
    db.session.flush()
    kept = select(PasswordHistory.id).where(PasswordHistory.user_id == person.id).order_by(
        PasswordHistory.id.desc()).limit(keep)
    db.session.execute(delete(PasswordHistory).where(PasswordHistory.user_id == person.id,
                                                     PasswordHistory.id.not_in(kept)))
    person.set_password(password)
