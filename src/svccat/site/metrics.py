"""The seed's goals measured per region (D3, D5, D6, D10): the dashboard's numbers.

Counted over the items one can apply for: items with no children on the site (leaves), so a
main item split into ten sub-items counts ten times, not eleven.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from svccat.model import Item
from svccat.site.published import Published

INSTANT = "即办件"
ONLINE_DEPTHS = ("III", "IV")  # the applicant can apply online (pre-check or fully online)


@dataclass(frozen=True)
class RegionMetrics:
    code: str
    name: str
    leaves: int
    instant: int
    online: int
    self_service: int
    materials: int
    certificates: int  # certificates the applicant still has to bring
    shared_certificates: int  # certificates the office obtains itself by data sharing
    limited: int  # leaves giving both limits in the same unit
    statutory_days: int
    committed_days: int
    without_basis: int

    def share(self, count: int) -> float:
        return count / self.leaves if self.leaves else 0.0

    @property
    def materials_average(self) -> float:
        return self.materials / self.leaves if self.leaves else 0.0

    @property
    def statutory_average(self) -> float:
        return self.statutory_days / self.limited if self.limited else 0.0

    @property
    def committed_average(self) -> float:
        return self.committed_days / self.limited if self.limited else 0.0

    @property
    def compression(self) -> float | None:
        """Share of the statutory time saved by the committed limits; None without data."""
        if not self.statutory_days:
            return None
        return 1 - self.committed_days / self.statutory_days


def region_metrics(site: Published, code: str, items: Iterable[Item]) -> RegionMetrics:
    leaves = site.leaves(items)
    limited = [i for i in leaves if i.statutory_limit and i.committed_limit
               and i.statutory_limit.unit == i.committed_limit.unit]
    return RegionMetrics(
        code=code, name=site.region_name(code), leaves=len(leaves),
        instant=sum(1 for i in leaves if i.handling_type == INSTANT),
        online=sum(1 for i in leaves
                   if i.channels.online and i.channels.online.depth in ONLINE_DEPTHS),
        self_service=sum(1 for i in leaves if i.channels.self_service is not None),
        materials=sum(len(i.materials) for i in leaves),
        certificates=sum(1 for i in leaves for m in i.materials
                         if m.certificate and not m.data_sharing),
        shared_certificates=sum(1 for i in leaves for m in i.materials
                                if m.certificate and m.data_sharing),
        limited=len(limited),
        statutory_days=sum(i.statutory_limit.days for i in limited if i.statutory_limit),
        committed_days=sum(i.committed_limit.days for i in limited if i.committed_limit),
        without_basis=sum(1 for i in leaves if not i.setting_basis))


def all_region_metrics(site: Published) -> tuple[RegionMetrics, ...]:
    """One entry per region that has items on the site, by region code (province first)."""
    found = (region_metrics(site, code, items) for code, items in site.by_region.items())
    return tuple(m for m in found if m.leaves)
