"""The data each dashboard chart draws, as JSON for ``json_script`` (no inline script: the page's
``dashboards.js`` reads it). Every point carries the URL of its drill-down."""
from __future__ import annotations

from urllib.parse import urlencode

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


def district_map(rows: list[UnitRow], period: Period, *, shapes_url: str) -> dict:
    """Districts coloured by the period's reports. Their outlines are not in the page: the script
    takes them from ``shapes_url`` (geo's districts layer under its version tag, which the browser
    keeps; features matched by their unit's name), so the page stays small and the geography is
    downloaded once."""
    features = [{"type": "Feature", "geometry": None,
                 "properties": {"name": row.unit.name, "value": row.reports,
                                "url": drilldown.reported_url(period, district=row.unit.pk)}}
                for row in rows]
    return {"kind": "map", "name": _("按区上报"), "features": features, "shapesUrl": shapes_url}


def grid_map(grids: list[dict], period: Period) -> dict:
    """The densest grids (their boxes) coloured by the period's reports, drawn over the district
    outlines of the ``districts`` chart (``outlines``), the view fitted to the grids (a 万米 cell is
    too small to see at the scale of the city)."""
    base = drilldown.reported_url(period)  # + the grid: one URL reversal, not one per grid
    features = []
    for grid in grids:
        west, south, east, north = grid["box"]
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"name": grid["code"], "value": grid["count"],
                                        "url": f"{base}&{urlencode({'grid': grid['code']})}"}})
    bounds = None  # ECharts' boundingCoords: [[west, north], [east, south]]
    if grids:
        west, south, east, north = zip(*(grid["box"] for grid in grids))
        bounds = [[min(west), max(north)], [max(east), min(south)]]
    return {"kind": "map", "name": _("按网格上报"), "features": features, "outlines": "districts", "bounds": bounds}


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
