"""Who does what in the assessment: the plan office (and the platform admin) compute, comment and
publish; every staff role reads (what ``selectors`` lets each see)."""
from jingzhi.org.models import Role
from jingzhi.org.selectors import STAFF_ROLES

#: Who computes, comments and publishes.
OFFICE_ROLES = frozenset({Role.PLAN_OFFICE, Role.PLATFORM_ADMIN})
#: Who opens the assessment pages: every staff role (a citizen is refused).
READER_ROLES = STAFF_ROLES
