"""Refusals of the inspections (``core.errors`` bases: the API and the pages answer them alike)."""
from jingzhi.core.errors import Conflict, Forbidden, NotVisible


class InspectionForbidden(Forbidden):
    code = "inspection_forbidden"


class RoundNotVisible(NotVisible):
    code = "round_not_found"


class RoundConflict(Conflict):
    code = "round_conflict"
