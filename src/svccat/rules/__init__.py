"""Every domain rule, by code. A new rule is a class in its family's module."""

from __future__ import annotations

from svccat.rules import certificates, consistency, granularity, handling, legal, quality, workflow
from svccat.rules.base import Context, Finding, Option, Rule

FAMILIES = {
    "G": ("粒度（D1）", "Granularity (D1)", granularity),
    "L": ("法律依据（D9、D10）", "Legal basis (D9, D10)", legal),
    "C": ("证明事项（D4、D6、D10）", "Certificates (D4, D6, D10)", certificates),
    "H": ("办件类型与时限（D3）", "Handling and time (D3)", handling),
    "Q": ("办事指南质量", "Guide quality", quality),
    "K": ("上下左右一致（D7、D9）", "Consistency (D7, D9)", consistency),
    "W": ("编制流程（D8）", "Workflow (D8)", workflow),
}

RULES: dict[str, type[Rule]] = {
    rule.code: rule for _, _, module in FAMILIES.values() for rule in module.RULES
}

__all__ = ["FAMILIES", "RULES", "Context", "Finding", "Option", "Rule"]
