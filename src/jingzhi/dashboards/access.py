"""Who sees which dashboard."""
from jingzhi.org.models import Role
from jingzhi.org.selectors import GLOBAL_READ_ROLES

#: The leader dashboard: those who read every case and task (leaders, the plan office, admins) and
#: the 值班长 who runs the command centre's shift.
LEADER_ROLES = GLOBAL_READ_ROLES | {Role.SHIFT_CHIEF}
#: The unit dashboard: a unit's reporters (plan tasks) and handlers (cases).
UNIT_ROLES = frozenset({Role.UNIT_REPORTER, Role.HANDLER})
