"""Every page of the site, as the role that uses it: the list the axe-core test walks (test_axe.py).

A page is a path (with ``{names}`` filled from the test's world: ids and numbers of the records it
builds), the user who opens it (a key of the world's users, ``None`` for a visitor) and whether it is
also a phone page. Each URL pattern of the site is either listed here or named in ``NOT_PAGES`` with the
reason it is no page (a download, a JSON answer, a form's POST target); test_axe.py checks that, so a new
page fails the suite until it is added. To add one: a line in ``PAGES`` (and, if it needs records, a few
lines in test_axe.py's ``world``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str  # the URL pattern's name, namespaced as in reverse()
    path: str  # formatted with the world's keys
    user: str | None  # who opens it: a key of world.users; None: a visitor
    ready: str | None = None  # a selector that shows the page's script has run


PAGES_CORE = [
    # The public: the citizen portal, public disclosure and the citizens' accounts.
    Page("portal:home", "/p/", None),
    Page("portal:report", "/p/report/", None, ready="#case-map.leaflet-container"),
    Page("disclosure:track", "/p/track/", None),
    Page("disclosure:track", "/p/track/?number={closed_number}", None),
    Page("disclosure:case", "/p/cases/{closed_number}/", None),
    Page("disclosure:stats", "/p/stats/", None),
    Page("disclosure:map", "/p/map/", None, ready="#public-map.leaflet-container"),
    Page("citizens:login", "/p/login/", None),
    Page("login", "/login/", None),
    Page("citizens:mine", "/p/mine/", "citizen"),
    Page("disclosure:rate", "/p/cases/{closed_number}/rate/", "citizen"),
    Page("disclosure:rate-anonymous", "/p/cases/{anonymous_number}/rate/{anonymous_key}/", None),
    Page("citizens:account-delete", "/p/account/delete/", "citizen"),
    Page("home", "/", "citizen"),
    # Staff: the shell.
    Page("home", "/", "leader"),
    Page("password_change", "/password/", "dispatcher"),
    Page("password_change_done", "/password/done/", "dispatcher"),
    Page("geo:map", "/geo/", "dispatcher", ready="#geo-map.leaflet-container"),
    # The work plan.
    Page("plans:overview", "/plans/", "office"),
    Page("plans:task-detail", "/plans/tasks/{lagging_task}/", "office"),
    Page("plans:task-detail", "/plans/tasks/{cgj_task}/", "cgj"),
    Page("plans:my-tasks", "/plans/mine/", "cgj"),
    Page("plans:lagging", "/plans/lagging/", "leader"),
    Page("dashboards:leader", "/dashboards/", "leader", ready="[data-chart][data-drawn]"),
    Page("dashboards:unit", "/dashboards/unit/", "handler", ready="[data-chart][data-drawn]"),
    # The 数字城管 case loop, each queue as its role.
    Page("cases:list", "/cases/", "chief"),
    Page("cases:overview", "/cases/overview/", "leader"),
    Page("cases:intake", "/cases/intake/", "intake"),
    Page("cases:search", "/cases/search/?q=&state=", "intake"),
    Page("cases:report", "/cases/new/", "intake", ready="#case-map.leaflet-container"),
    Page("cases:report", "/cases/new/", "inspector", ready="#case-map.leaflet-container"),
    Page("cases:dispatch", "/cases/dispatch/", "dispatcher", ready="#case-map.leaflet-container"),
    Page("cases:worklist", "/cases/worklist/", "handler"),
    Page("cases:tasks", "/cases/tasks/", "inspector"),
    Page("notifications:inbox", "/notifications/", "handler"),
    Page("cases:detail", "/cases/{handling_case}/", "handler", ready="#case-map.leaflet-container"),
    Page("cases:detail", "/cases/{reported_case}/", "intake", ready="#case-map.leaflet-container"),
    Page("cases:detail", "/cases/{closed_case}/", "chief", ready="#case-map.leaflet-container"),
    Page("moderation:queue", "/disclosure/moderation/", "intake"),
    Page("moderation:queue", "/disclosure/moderation/?tab=photos", "intake"),
]

# The assessment (tests/accessibility/assessment/: the hand-worked March of tests/assessment).
PAGES_ASSESSMENT = [
    Page("assessment:index", "/assessment/", "office"),
    Page("assessment:detail", "/assessment/2026-03/", "office"),
    Page("assessment:detail", "/assessment/2026-03/", "leader"),
    Page("assessment:result", "/assessment/results/{district_result}/", "leader"),
    Page("assessment:counted", "/assessment/results/{district_result}/closed/", "leader"),
    Page("assessment:bulletins", "/assessment/bulletins/", "office"),
    Page("assessment:daily", "/assessment/daily/?day=2026-03-15", "leader"),
    Page("assessment:daily-detail", "/assessment/daily/{district}/2026-03-15/", "leader"),
]

# The registries and inspections (tests/accessibility/inspections/: tests/inspections' toilet and round).
PAGES_REGISTRIES = [
    Page("assets:index", "/assets/", "office"),
    Page("assets:list", "/assets/toilet/", "office"),
    Page("assets:detail", "/assets/toilet/{toilet}/", "office", ready="#asset-map.leaflet-container"),
    Page("assets:import", "/assets/toilet/import/", "office"),
    Page("assets:import-detail", "/assets/imports/{asset_import}/", "office"),
    Page("inspections:rounds", "/inspections/", "office"),
    Page("inspections:rounds", "/inspections/", "inspector"),
    Page("inspections:round-new", "/inspections/rounds/new/", "office"),
    Page("inspections:round", "/inspections/rounds/{round}/", "office"),
    Page("inspections:fill", "/inspections/fill/toilet_check/?round={round}&asset={toilet}", "inspector"),
    Page("inspections:detail", "/inspections/{inspection}/", "inspector"),
    Page("inspections:records", "/inspections/records/", "office"),
]

PAGES = PAGES_CORE + PAGES_ASSESSMENT + PAGES_REGISTRIES

# URL patterns that are no page of their own, and why.
NOT_PAGES = {
    "logout": "POST only: signs out",
    "set_language": "POST only: switches the language",
    "display_mode": "POST only: the 大字模式 switch without JavaScript",
    "favicon": "a redirect to the icon",
    "portal:service-worker": "a script (the portal's offline service worker)",
    "notifications:read": "POST target of the inbox's forms",
    "notifications:read-all": "POST target of the inbox's forms",
    "plans:report-create": "POST target of the task page's form",
    "plans:notice-create": "POST target of the task page's form",
    "plans:notice-reply": "POST target of the task page's form",
    "plans:notice-review": "POST target of the task page's form",
    "plans:checklist-mark": "POST target of the task page's form",
    "plans:export": "an Excel download",
    "plans:evidence": "a file download",
    "cases:export": "an Excel download",
    "cases:photo": "an image",
    "cases:act": "POST target of the case page's forms",
    "disclosure:photo": "an image",
    "disclosure:map-points": "JSON for the public map",
    "disclosure:areas": "JSON for the public map",
    "moderation:text": "POST target of the moderation page's forms",
    "moderation:photo": "POST target of the moderation page's forms",
    "portal:receipt": "opened by the keyboard-only report in test_browser.py, which checks it with axe",
    "portal:receipt-photo": "an image",
    "portal:duplicates": "JSON for the report form",
    "portal:follow": "POST target of the report form's 我也遇到了",
    "assets:import-progress": "JSON polled by the import page",
    "assets:import-problems": "a download",
    "assets:export": "a download",
    "assets:template": "a download",
    "assessment:compute": "POST target of the assessment pages' forms",
    "assessment:commentary": "POST target of the assessment pages' forms",
    "assessment:publish": "POST target of the assessment pages' forms",
    "inspections:round-cancel": "POST target of the round page's form",
    "inspections:photo": "an image",
}

# Views that are not pages of this site's shell: the admin and the API (their own tools and tests).
OUTSIDE = ("admin/", "api/", "open311/")
