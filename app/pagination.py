"""Paginate SQLAlchemy selects with flask-smorest (page metadata in X-Pagination)."""

from flask_smorest import Page
from sqlalchemy import func, select

from app.extensions import db


class SelectPage(Page):
    """A page of a SQLAlchemy 2 select statement."""

    @property
    def item_count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(self.collection.order_by(None).subquery()))

    @property
    def items(self) -> list:
        stmt = self.collection.offset(self.page_params.first_item).limit(self.page_params.page_size)
        return list(db.session.scalars(stmt).unique())
