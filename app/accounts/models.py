"""Users and their roles."""

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Index, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import OrgKind, OrgUnit


class Role(enum.StrEnum):
    PATROLLER = "patroller"
    GRID_LEADER = "grid_leader"
    TEACHER = "teacher"
    SAFETY_OFFICER = "safety_officer"
    PRINCIPAL = "principal"
    TOWNSHIP_SUPERVISOR = "township_supervisor"
    COUNTY_ADMIN = "county_admin"


#: the kind of org unit each role belongs to
ROLE_ORG_KIND = {
    Role.PATROLLER: OrgKind.SCHOOL,
    Role.GRID_LEADER: OrgKind.SCHOOL,
    Role.TEACHER: OrgKind.SCHOOL,
    Role.SAFETY_OFFICER: OrgKind.SCHOOL,
    Role.PRINCIPAL: OrgKind.SCHOOL,
    Role.TOWNSHIP_SUPERVISOR: OrgKind.TOWNSHIP,
    Role.COUNTY_ADMIN: OrgKind.COUNTY,
}

# scrypt, Werkzeug's default KDF; PASSWORD_HASH_METHOD overrides it (the tests use a cheap one).
DEFAULT_PASSWORD_METHOD = "scrypt"


class User(UserMixin, db.Model):
    """A person with one role in one org unit."""

    __tablename__ = "users"
    # who holds a role in a unit: what each escalation level looks up
    __table_args__ = (Index("ix_users_role_org_unit", "role", "org_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])
    )
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # set when an admin chose the password: the person must choose their own before anything else
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sessions of deactivated people
        return self.active

    def set_password(self, password: str) -> None:
        """Hash and keep a new password."""
        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_PASSWORD_METHOD)
        )

    def check_password(self, password: str) -> bool:
        """Tell whether `password` is this user's."""
        return check_password_hash(self.password_hash, password)


class LoginSession(db.Model):
    """One login on one device: the cookie carries its key, and ending the row ends the session."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random key in the (signed) cookie: the table alone lets no one in
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # logout, ended (by its owner, from another device), password_changed, password_reset
    end_reason: Mapped[str | None] = mapped_column(String(20))
    device: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(String(45), default="")


class PasswordHistory(db.Model):
    """A password a person had before: the last few may not be chosen again."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
