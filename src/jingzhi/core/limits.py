"""The one home of the input limits: how long a free-text field may be, which dates are accepted,
how deep a JSON body may nest and how large a page of a list may be.

Every serializer and form field that takes free text uses one of the text limits below (a test
walks the OpenAPI schema and every form to make sure none is left unbounded), and the database
columns behind them are at least as long. A request over a limit is refused with a 400 naming the
field, in the request's language; nothing is written. ``docs/api-errors.md`` lists them.
"""
import datetime as dt

#: A person's name (上报人姓名).
NAME_TEXT = 50
#: A phone number (上报人电话).
PHONE_TEXT = 20
#: A code-like value: a measuring unit (计量单位).
CODE_TEXT = 20
#: A search box (关键字).
SEARCH_TEXT = 50
#: One line: an address, a reason given with a decision (改派理由), a query value such as a bbox.
SHORT_TEXT = 200
#: Prose: a case description, an action comment, a progress-report comment, a checklist note,
#: a 督办 notice, its reply and the review opinion.
LONG_TEXT = 2000

#: Dates and times a user may enter (years 2000–2099). Outside them a date is surely a typo or an
#: attack, and near year 1 or 9999 converting a time to or from UTC overflows.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)

#: How deep a JSON request body may nest; every API body is a flat object (depth 1–2).
JSON_MAX_DEPTH = 20

#: The largest id a row can have (a 64-bit primary key); an id filter beyond it is refused.
ID_MAX = 2**63 - 1

#: Pagination of API lists: ``?limit=`` 1–200 (default ``PAGE_SIZE``) and ``?offset=`` 0–2³¹−1.
MAX_PAGE_SIZE = 200
MAX_OFFSET = 2**31 - 1
