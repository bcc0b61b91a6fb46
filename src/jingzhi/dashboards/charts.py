"""The data each dashboard chart draws, as JSON for ``json_script`` (no inline script: the page's
``dashboards.js`` reads it). Every point carries the URL of its drill-down."""
from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import drilldown
from .periods import Period
from .selectors import ActionProgress, UnitRow


def trend_chart(weeks: list[dict], **scope) -> dict:
    return {
        "kind": "trend",
        "labels": [date_format(row["week"].start, "m-d") for row in weeks],
        "series": [
            {"name": _("上报"), "type": "line",
             "data": [{"value": row["reports"], "url": drilldown.reported_url(row["week"], **scope)} for row in weeks]},
            {"name": _("按期处置"), "type": "bar", "stack": "handled",
             "data": [{"value": row["handled"].in_time, "url": drilldown.in_time_url(row["week"], **scope)}
                      for row in weeks]},
            {"name": _("超期处置"), "type": "bar", "stack": "handled",
             "data": [{"value": row["handled"].late, "url": drilldown.late_url(row["week"], **scope)}
                      for row in weeks]},
        ],
    }


def district_map(rows: list[UnitRow], shapes: dict[int, dict], period: Period) -> dict:
    """Districts coloured by the period's reports."""
    features = [{"type": "Feature", "geometry": shapes[row.unit.pk],
                 "properties": {"name": row.unit.name, "value": row.reports,
                                "url": drilldown.reported_url(period, district=row.unit.pk)}}
                for row in rows if row.unit.pk in shapes]
    return {"kind": "map", "name": _("按区上报"), "features": features}


def _bounds(geometries: list[dict]) -> list[list[float]] | None:
    """[[west, north], [east, south]] around the geometries (ECharts' ``boundingCoords``)."""
    points = [point for geometry in geometries for point in _points(geometry["coordinates"])]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [[min(lons), max(lats)], [max(lons), min(lats)]]


def _points(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
    else:
        for part in coordinates:
            yield from _points(part)


def grid_map(grids: list[dict], shapes: dict[int, dict], period: Period) -> dict:
    """The densest grids coloured by the period's reports, over the district outlines, the view
    fitted to the grids (a 万米 cell is too small to see at the scale of the city)."""
    outlines = [{"type": "Feature", "geometry": geometry, "properties": {"name": f"d{unit_id}", "outline": True}}
                for unit_id, geometry in shapes.items()]
    features = [{"type": "Feature", "geometry": grid["geometry"],
                 "properties": {"name": grid["code"], "value": grid["count"],
                                "url": drilldown.reported_url(period, grid=grid["code"])}}
                for grid in grids]
    return {"kind": "map", "name": _("按网格上报"), "features": outlines + features,
            "bounds": _bounds([grid["geometry"] for grid in grids])}


def plan_chart(progress: list[ActionProgress], url: str) -> dict:
    statuses = list(progress[0].counts) if progress else []
    return {
        "kind": "stack",
        "labels": [row.action.name for row in progress],
        "series": [{"name": str(status.label), "status": status.value, "type": "bar", "stack": "tasks",
                    "data": [{"value": row.counts[status], "url": f"{url}#action-{row.action.code}"}
                             for row in progress]}
                   for status in statuses],
    }
