"""The staff list: people and their positions at the chosen school (rows → matcher → applier)."""
from teachers import scoping

from ..applier import write_plan
from ..columns import STAFF
from ..lookups import References
from ..matcher import Matcher
from ..rows import RowParser
from .base import Context, Kind


def _schools(user):
    return scoping.writable_schools(user).order_by("short_name")


class Staff(Kind):
    code = "staff"
    title = "Штат педагогов"
    description = ("Педагоги ОО и их должности: ФИО, дата рождения, СНИЛС, категория, стаж, нагрузка. Новые люди "
                   "создаются, найденные — обновляются.")
    columns = STAFF
    context = Context("school", "ОО", _schools)
    staff = True
    record_word = ("педагог", "педагога", "педагогов")

    def analyse(self, sheet, school, user=None, today=None):
        parser = RowParser(sheet, References(), today=today)
        plan = Matcher(school, parser, today=today, user=user).plan(parser.parse_all())
        plan.sheet = sheet  # the preview lists which columns were understood
        return plan

    def write(self, plan, user, reason):
        write_plan(plan, user, reason)

    def log_school(self, target, user):
        return target

    def reference_lists(self):
        from ..template import reference_lists

        return reference_lists()
