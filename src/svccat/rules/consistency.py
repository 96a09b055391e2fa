"""Consistency (D7, D9): counties agree with the baseline above and with their peers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from svccat.model import Item
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Rule
from svccat.rules.handling import exceeds, show, show_en


def _baseline(item: Item, context: Context) -> Item | None:
    return context.catalogue.items.get(item.implements or "")


class DiffersFromBaseline(Rule):
    """市县事项的名称、类型或设定依据与基本目录不一致（系统内名称、要素基本一致）。
    A county or city item differs from its baseline item in name, type or setting basis.

    Bad:
        implements: 370000-ga-sfz-bl     # 基本目录名称“居民身份证补领”
        name: 身份证丢失补办
    Good:
        name: 居民身份证补领
    """

    code = "K001"
    name = "differs-from-baseline"
    severity = Severity.WARNING
    title = Text("与基本目录不一致", "Differs from the baseline item")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        base = _baseline(item, context)
        if base is None:
            return
        if item.name != base.name:
            yield Finding(item=item, pointer="/name", message=Text(
                f"名称“{item.name}”与基本目录“{base.name}”不一致",
                f"name '{item.name}' differs from the baseline's '{base.name}'"))
        if item.type != base.type:
            yield Finding(item=item, pointer="/type", message=Text(
                f"事项类型“{item.type}”与基本目录“{base.type}”不一致",
                f"type '{item.type}' differs from the baseline's '{base.type}'"))
        mine = {r.document for r in item.setting_basis}
        theirs = {r.document for r in base.setting_basis}
        if mine != theirs:
            extra = "、".join(sorted(mine - theirs)) or "无"
            missing = "、".join(sorted(theirs - mine)) or "无"
            yield Finding(item=item, pointer="/legal_basis", message=Text(
                f"设定依据与基本目录不一致（多出：{extra}；缺少：{missing}）",
                f"setting basis differs from the baseline (extra: {extra}; missing: {missing})"))


def _material_key(name: str) -> str:
    return "".join(name.split())


class ExtraMaterial(Rule):
    """市县事项要求了基本目录没有的材料（增加群众负担）。
    A county item demands a material that its baseline item does not.

    Bad:
        # 基本目录只要求“居民户口簿”，县级另加“村委会证明”
    Good:
        # 材料与基本目录相同或更少
    """

    code = "K002"
    name = "extra-material"
    severity = Severity.WARNING
    title = Text("多于基本目录的材料", "Material beyond the baseline")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        base = _baseline(item, context)
        if base is None:
            return
        known = {_material_key(m.name) for m in base.materials}
        for m in item.materials:
            if _material_key(m.name) not in known:
                yield Finding(item=item, pointer=f"{m.pointer}/name", message=Text(
                    f"材料“{m.name}”不在基本目录“{base.name}”的材料中，增加了群众负担",
                    f"material '{m.name}' is not demanded by the baseline item '{base.name}'"))


class LongerThanBaseline(Rule):
    """市县承诺时限长于基本目录。
    A county's committed limit is longer than its baseline's.

    Bad:
        committed_limit: {days: 15, unit: 工作日}   # 基本目录承诺 10 个工作日
    Good:
        committed_limit: {days: 7, unit: 工作日}
    """

    code = "K003"
    name = "longer-than-baseline"
    severity = Severity.WARNING
    title = Text("承诺时限长于基本目录", "Committed limit longer than the baseline's")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        base = _baseline(item, context)
        if base is None or item.committed_limit is None or base.committed_limit is None:
            return
        if exceeds(item.committed_limit, base.committed_limit):
            yield Finding(item=item, pointer="/committed_limit/days", message=Text(
                f"承诺时限 {show(item.committed_limit)} 长于基本目录的 {show(base.committed_limit)}",
                f"committed limit {show_en(item.committed_limit)} is longer than the baseline's "
                f"{show_en(base.committed_limit)}"))


class BaselineNotImplemented(Rule):
    """基本目录事项规定由某层级实施，该层级的某地却没有实施（上下一致）。
    A baseline item that a region at one of its `implementing_levels` does not implement.

    Regions count when they keep a list at all (implement at least one baseline item). The
    problem is reported on the region's entry in the regions registry.

    Bad:
        # 370000-mz-dibao: implementing_levels: [county]；昌乐县没有实施它的事项
    Good:
        # 370725-mz-dibao: implements: 370000-mz-dibao
    """

    code = "K004"
    name = "baseline-not-implemented"
    severity = Severity.WARNING
    title = Text("未实施基本目录事项", "Baseline item not implemented")

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        cat = context.catalogue
        implemented: dict[str, set[str]] = {}
        for item in cat.items.values():
            if item.implements:
                implemented.setdefault(item.region, set()).add(item.implements)
        for base in sorted(cat.items.values(), key=lambda i: i.id):
            for level in base.implementing_levels:
                for code in sorted(implemented):
                    region = cat.regions.get(code)
                    if region is None or region.level != level or base.id in implemented[code]:
                        continue
                    yield Finding(file=region.file, pointer=region.pointer, message=Text(
                        f"{region.name}未实施基本目录事项“{base.name}”（{base.id}）",
                        f"{region.name} does not implement the baseline item '{base.name}' "
                        f"({base.id})"))


class PeerNamesDiffer(Rule):
    """同级各地实施同一基本目录事项，名称却不一样（左右一致）。
    Peer regions implement one baseline item under different names; reported on the items
    whose name differs from the one most peers use.

    Bad:
        370784: 居民身份证补领;  370785: 身份证补办
    Good:
        370784: 居民身份证补领;  370785: 居民身份证补领
    """

    code = "K005"
    name = "peer-names-differ"
    severity = Severity.WARNING
    title = Text("同级各地名称不一致", "Peers use different names")

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        regions = context.catalogue.regions
        for base_id, items in sorted(context.implementations.items()):
            by_level: dict[str, list[Item]] = {}
            for item in items:
                level = regions[item.region].level if item.region in regions else ""
                by_level.setdefault(level, []).append(item)
            base = context.catalogue.items.get(base_id)
            for peers in by_level.values():
                names = Counter(i.name for i in peers)
                if len(names) < 2:
                    continue
                top = max(names.values())
                leaders = sorted(n for n, c in names.items() if c == top)
                usual = base.name if base and base.name in leaders else leaders[0]
                for item in peers:
                    if item.name != usual:
                        yield Finding(item=item, pointer="/name", message=Text(
                            f"同级各地多称“{usual}”，本地称“{item.name}”",
                            f"peers call it '{usual}', this region '{item.name}'"))


RULES: tuple[type[Rule], ...] = (DiffersFromBaseline, ExtraMaterial, LongerThanBaseline,
                                 BaselineNotImplemented, PeerNamesDiffer)
