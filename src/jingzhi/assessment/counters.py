"""The names of the event counters, by family (pure, no database): the daily rollup's columns
(``models.DailyCounters``). What each counts, as an SQL condition, is ``counting.FAMILIES``, which
checks on import that it defines exactly these names."""

FAMILY_COUNTERS = {
    "reports": ("reports", "valid_reports", "public_reports"),
    "filing": ("filed", "filed_on_time", "filed_voided", "closed", "fixed", "closed_on_time", "reworked", "rated",
               "satisfied"),
    "steps": ("handled", "handled_on_time", "confirmed", "confirmed_on_time", "public_confirmed", "confirm_assigned",
              "confirm_assigned_on_time", "verify_assigned", "verify_assigned_on_time", "verified",
              "verified_on_time", "intake_decisions"),
    "dispatches": ("dispatched", "dispatched_on_time", "returned"),
    "closings": ("closings", "closings_on_time"),
}


def events_counter(family: str) -> str:
    """The count of a family's events: a unit with none is not in that family's result."""
    return f"{family}_events"


#: The dashboards' 处置反馈 cases (``cases.selectors.handle_events``: distinct cases, late when any of
#: theirs was late), counted on the day of a case's first one in its calendar month or week, so the
#: days of a month (or week) to date add up to them (``rollup.py``).
HANDLING_COUNTERS = ("handled_cases_month", "handled_cases_month_late", "handled_cases_week",
                     "handled_cases_week_late")

#: The rollup's columns: every event counter, each family's event count, the handling counters.
ROLLUP_COLUMNS = (*(name for names in FAMILY_COUNTERS.values() for name in names),
                  *(events_counter(family) for family in FAMILY_COUNTERS), *HANDLING_COUNTERS)
