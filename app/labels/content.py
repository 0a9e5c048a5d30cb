"""What a risk point's label says."""

from app.labels.layout import LabelData
from app.points.levels import DEFAULT_RISK_LEVELS, RiskLevel, category_name, level
from app.points.models import QrToken, RiskPoint
from app.points.tokens import scan_url


def label_data(point: RiskPoint, public_base_url: str, token: QrToken | None = None) -> LabelData:
    """Collect the texts and the scan URL of a point's label: its current one, or `token`'s."""
    found: RiskLevel = level(point.risk_level) or RiskLevel(
        point.risk_level, point.risk_level, point.risk_level, "#000000", DEFAULT_RISK_LEVELS[-1].frequency_zh
    )
    return LabelData(
        school=point.school.name,
        name=point.name,
        location=point.location,
        category=category_name(point.category),
        responsible=point.responsible,
        frequency=point.frequency_name,
        level=found,
        url=scan_url(public_base_url, token.token if token else point.token),
        short_code=token.short_code if token else point.short_code,
    )
