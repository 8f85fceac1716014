"""Emergency plans: file model, loader, graph and readiness analyses.

Import direction: ``plans`` imports nothing else from drillsim.
"""

from plans.io import ModelFileError
from plans.issues import Issue
from plans.loader import BUNDLED_PLANS, default_plan_path, dump_plan, load_plan, load_plan_text
from plans.model import Plan
from plans.names import display_names, name_of

__all__ = [
    "BUNDLED_PLANS",
    "Issue",
    "ModelFileError",
    "Plan",
    "default_plan_path",
    "display_names",
    "dump_plan",
    "load_plan",
    "load_plan_text",
    "name_of",
]
