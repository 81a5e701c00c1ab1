"""The vocabularies of values the published tables may hold (roles, periods, categories, levels, date and code
patterns, the parts of a report). Below both ``schemas`` (which checks the tables against them) and the pipeline
(which produces the values and checks seeds/metadata.csv's cells against them): ``schemas`` imports nothing of the
pipeline.
"""
from __future__ import annotations

NUMBER_ROLES = ("metric", "year", "date", "ordinal", "name", "duration", "other")
APPROX = ("exact", "over", "about", "under")
PERIODS = ("past_year", "term", "plan", "other")
PANEL_PERIODS = PERIODS[:3]   # periods a panel figure may have (other: no comparable period)
CATEGORIES = ("legislation", "oversight", "decisions", "appointments", "deputies", "petitions",
              "party", "self", "publicity", "other")
LAW_ACTIONS = ("enact", "revise", "amend", "repeal", "first_reading", "second_reading", "third_reading",
               "inspect", "research", "implement", "approve", "review", "other")
LAW_STATUS = ("done", "planned")
JURISDICTIONS = ("national", "provincial", "municipal", "unknown")
OVERSIGHT_KINDS = ("report_review", "law_inspection", "special_inquiry", "research", "inspection_visit",
                   "work_evaluation", "satisfaction_vote", "other")
PROPOSER_KINDS = ("member", "party_committee", "group", "unknown")
# What a document's metadata may hold (schemas.tables.Documents checks the published table against these;
# pipeline.extract.metadata checks the cells of seeds/metadata.csv against them)
LEVELS = ("national", "provincial", "municipal", "county", "")
GENRES = ("work_report", "press_digest", "proposal_digest", "other", "")
BODIES = ("congress", "cppcc", "government", "")   # who issued it: people's congress, CPPCC, government
ISO_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
PLACE_CODE = r"^(\d{6})?$"         # GB/T 2260 administrative division code, or ''
SOURCE_URL = r"^(https?://[^\s]+)?$"  # where a document was taken from: an http(s) address, or ''
FIRST_YEAR, LAST_YEAR = 1949, 2100  # any year a document's dates and periods name (the People's Republic's)

# Parts of a report a section can belong to (DESIGN.md, "The flow", step 3).
PARTS = ("front", "review", "plan", "proposals")
