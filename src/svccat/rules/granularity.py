"""Granularity (D1): items split until they cannot be split any further."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from svccat.model import Item
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Option, Rule

# Handling actions that national practice splits into separate handling items (新设/变更/
# 延续/注销 and the like). A name joining two of them is two items.
ACTIONS = (
    "首次申领", "申领", "新设", "设立", "变更", "延续", "注销", "补发", "换发", "补领", "换领", "补办",
    "换证", "遗失补办", "撤销", "撤回", "迁入", "迁出", "转入", "转出", "转移", "抵押", "更正", "恢复",
    "延期", "增项", "减项", "开具", "首次登记", "变更登记", "注销登记", "转移登记", "认定", "复审",
    "复核", "年检", "验收", "阶段验收", "竣工验收", "核准", "备案", "申报", "审核", "审批", "发放",
)
# Categories, grades and classes: `第二类、第三类`, `一级、二级`, `一年级、二年级`.
CATEGORY = re.compile(r"(?:第[一二三四五六七八九十\d]+类|[一二三四五六七八九十\d]+(?:年级|级|类|档)|"
                      r"[甲乙丙丁]级|[甲乙丙丁]类|[ⅠⅡⅢⅣ]类)")
_JOINERS = "、"
_SOFT_JOINERS = ("和", "及", "或", "与")
_INCLUDING = re.compile(r"[（(]含([^）)]*[、，,][^）)]*)[）)]")


@dataclass(frozen=True)
class Enumeration:
    """Parts joined in a name, and why they count as separate situations."""

    parts: tuple[str, ...]
    kind: str  # "action", "category" or "including"


def _ends_with(text: str, actions: Sequence[str]) -> str | None:
    found = [a for a in actions if text.endswith(a)]
    if found:
        return max(found, key=len)
    match = None
    for m in CATEGORY.finditer(text):
        if m.end() == len(text):
            match = m.group(0)
    return match


def _starts_with(text: str, actions: Sequence[str]) -> str | None:
    found = [a for a in actions if text.startswith(a)]
    if found:
        return max(found, key=len)
    m = CATEGORY.match(text)
    return m.group(0) if m else None


def enumerations(name: str, actions: Sequence[str]) -> list[Enumeration]:
    """Every run of parts joined by 、 (or 和/及/或 between two actions) in name."""
    found: list[Enumeration] = []
    for m in _INCLUDING.finditer(name):
        parts = tuple(p.strip() for p in re.split(r"[、，,]", m.group(1)) if p.strip())
        if len(parts) >= 2:
            found.append(Enumeration(parts, "including"))
    pieces = re.split(f"([{_JOINERS}]|{'|'.join(_SOFT_JOINERS)})", name)
    run: list[str] = []
    kind = ""
    for i in range(1, len(pieces) - 1, 2):
        joiner, left, right = pieces[i], pieces[i - 1], pieces[i + 1]
        head = _ends_with(left, actions)
        tail = _starts_with(right, actions)
        both_actions = head in actions and tail in actions
        both_categories = (head is not None and tail is not None and head not in actions
                           and tail not in actions)
        soft = joiner in _SOFT_JOINERS
        if head and tail and (both_actions or (both_categories and not soft)):
            if not run:
                run = [head]
                kind = "action" if both_actions else "category"
            run.append(tail)
        elif run:
            found.append(Enumeration(tuple(run), kind))
            run = []
    if run:
        found.append(Enumeration(tuple(run), kind))
    # `（含阶段验收、竣工验收）` is found both as an inclusion and as joined actions: once is enough
    unique: list[Enumeration] = []
    for enum in found:
        if not any(set(enum.parts) <= set(other.parts) and other is not enum
                   and (other.kind == "including" or len(other.parts) > len(enum.parts))
                   for other in found):
            unique.append(enum)
    return unique


def _allowed(name: str, allow: Sequence[str]) -> bool:
    return any(entry in name for entry in allow)


_KIND_ZH = {"action": "办理行为", "category": "类别或等级", "including": "包含的情形"}
_KIND_EN = {"action": "handling actions", "category": "categories or grades",
            "including": "included situations"}


class UnsplitName(Rule):
    """名称合并了多个办理情形，却没有拆分为子项（D1：分解到不能再分为止）。
    A leaf item whose name joins several handling actions, categories or grades.

    The check looks for parts joined by 、 (or 和/及/或 between two handling actions) where
    both sides are handling actions (新设、变更、注销), categories or grades (第二类、第三类;
    一年级、二年级), and for `（含…、…）`. Names joining other words, such as
    `学前教育、义务教育阶段入学政策咨询`, are left alone: the message says which parts fired,
    and `allow` exempts names (or parts of names) that are one service by design.

    Bad:
        name: 居民身份证补领、换领      # 两种情形、两套材料，却只有一个办事指南
    Good:
        name: 居民身份证补领           # 与“居民身份证换领”各为一个业务办理项
    """

    code = "G001"
    name = "unsplit-name"
    severity = Severity.WARNING
    title = Text("名称合并了多个办理情形", "Name joins several handling situations")
    options = {
        "allow": Option(list, [], "不检查的名称或名称片段 / names or parts of names to accept"),
        "extra_actions": Option(list, [], "额外的办理行为词 / more handling-action words"),
    }

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if not context.is_leaf(item) or _allowed(item.name, options["allow"]):
            return
        actions = (*ACTIONS, *options["extra_actions"])
        for enum in enumerations(item.name, actions):
            joined = "、".join(enum.parts)
            yield Finding(item=item, pointer="/name", message=Text(
                f"名称并列了 {len(enum.parts)} 个{_KIND_ZH[enum.kind]}（{joined}），"
                "应拆分为子项，每项一个办事指南",
                f"the name joins {len(enum.parts)} {_KIND_EN[enum.kind]} ({joined}); split it "
                "into children with a guide each"))


class SituationalMaterials(Rule):
    """材料随情形变化，却没有按情形拆分子项。
    A leaf whose materials depend on several situations has no child per situation.

    Materials that apply only in a situation carry `situation`. One or two such materials
    (a proxy's power of attorney) are normal; many distinct situations mean the item serves
    several cases that each deserve a guide of their own.

    Bad:
        materials:
          - {name: 购房合同, necessity: 必要, situation: 购买新建商品房的}
          - {name: 不动产权证书, necessity: 必要, situation: 购买二手房的}
          - {name: 自建房审批文件, necessity: 必要, situation: 自建住房的}
    Good:
        # 三个子项：购买新建商品房提取、购买二手房提取、自建住房提取
    """

    code = "G002"
    name = "situational-materials"
    severity = Severity.WARNING
    title = Text("材料随情形变化但未拆分", "Materials depend on situations but the item is not split")
    options = {
        "threshold": Option(int, 3, "触发的不同情形数 / distinct situations that trigger it"),
        "ignore": Option(list, ["委托", "代办", "代理", "监护"],
                         "不计入的情形关键词 / situation words not counted (proxies)"),
    }

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if not context.is_leaf(item):
            return
        situations = list(dict.fromkeys(
            m.situation for m in item.materials
            if m.situation and not any(word in m.situation for word in options["ignore"])))
        if len(situations) >= options["threshold"]:
            shown = "；".join(situations)
            yield Finding(item=item, pointer="/materials", message=Text(
                f"材料随 {len(situations)} 种情形变化（{shown}），应按情形拆分为子项",
                f"materials depend on {len(situations)} situations ({shown}); split the item "
                "into one child per situation"))


_GUIDE_FIELDS = ("handling_type", "statutory_limit", "committed_limit", "conditions", "materials",
                 "steps", "visits", "channels", "fees", "result", "contacts", "faq")


def guide_fields(item: Item) -> list[str]:
    """The guide fields an item fills in (a parent should fill none)."""
    present = {
        "handling_type": item.handling_type is not None,
        "statutory_limit": item.statutory_limit is not None,
        "committed_limit": item.committed_limit is not None,
        "conditions": bool(item.conditions), "materials": bool(item.materials),
        "steps": bool(item.steps), "visits": item.visits is not None,
        "channels": item.channels.any, "fees": bool(item.fees), "result": item.result is not None,
        "contacts": bool(item.consultation or item.complaint), "faq": bool(item.faq),
    }
    return [name for name in _GUIDE_FIELDS if present[name]]


class ParentWithGuide(Rule):
    """有子项的事项自己又写了材料或办事指南：指南只属于最细的办理项。
    A parent item carries materials or guide fields of its own.

    Bad:
        id: 370000-ga-sfz          # 有子项“首次申领”“换领”“补领”
        materials: [...]
    Good:
        id: 370000-ga-sfz          # 只写名称、编码、类型和法律依据
    """

    code = "G003"
    name = "parent-with-guide"
    severity = Severity.ERROR
    title = Text("上级事项带有办事指南内容", "Parent item carries guide content")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if context.is_leaf(item):
            return
        fields = guide_fields(item)
        if fields:
            shown = "、".join(fields)
            yield Finding(item=item, pointer=f"/{fields[0]}", message=Text(
                f"有子项的事项不应填写办事指南内容（{shown}），请写到各子项中",
                f"a parent item should not carry guide fields ({', '.join(fields)}); "
                "move them to its children"))


class SingleChild(Rule):
    """只有一个子项的上级事项：要么还缺少其他情形，要么不需要拆分。
    A parent with a single child.

    Bad:
        370000-mz-db (主项) → 370000-mz-db-sq (唯一子项)
    Good:
        a main item without children, or with a child per situation
    """

    code = "G004"
    name = "single-child"
    severity = Severity.WARNING
    title = Text("只有一个子项", "Parent with a single child")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        kids = context.children.get(item.id, [])
        if len(kids) == 1:
            yield Finding(item=item, pointer="/name", message=Text(
                f"只有一个子项（{kids[0].id}）：补全其他情形，或取消拆分",
                f"only one child ({kids[0].id}): add the other situations or do not split"))


class ChildrenDoNotCover(Rule):
    """上级事项名称中列举的情形，子项没有全部覆盖。
    The situations a parent's name lists are not all covered by its children.

    Bad:
        parent: 医疗器械经营备案（含第二类、第三类）  children: 第二类医疗器械经营备案
    Good:
        children: 第二类医疗器械经营备案, 第三类医疗器械经营备案
    """

    code = "G005"
    name = "children-do-not-cover"
    severity = Severity.WARNING
    title = Text("子项未覆盖上级事项的情形", "Children do not cover the parent's situations")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        kids = context.children.get(item.id, [])
        if not kids:
            return
        told = " ".join(f"{k.name} {k.situation or ''}" for k in kids)
        for enum in enumerations(item.name, ACTIONS):
            missing = [part for part in enum.parts if part not in told]
            if missing:
                yield Finding(item=item, pointer="/name", message=Text(
                    f"名称列举的情形没有对应的子项：{'、'.join(missing)}",
                    f"no child covers these situations of the name: {', '.join(missing)}"))


class ChildWithoutSituation(Rule):
    """子项没有写明与同级子项相区别的情形，或两个同级子项情形相同。
    A child has no `situation` telling it apart from its siblings, or two siblings share one.

    Bad:
        parent: 370000-gjj-tq
        # situation 缺失
    Good:
        parent: 370000-gjj-tq
        situation: 购买新建商品房
    """

    code = "G006"
    name = "child-without-situation"
    severity = Severity.WARNING
    title = Text("子项缺少区分情形", "Child without a distinguishing situation")

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        for parent, kids in context.children.items():
            if parent not in context.catalogue.items or len(kids) < 2:
                continue
            seen = Counter(k.situation for k in kids if k.situation)
            for kid in kids:
                if not kid.situation:
                    yield Finding(item=kid, pointer="/parent", message=Text(
                        "子项应写明与同级子项相区别的情形（situation）",
                        "a child should say which situation sets it apart (situation)"))
                elif seen[kid.situation] > 1:
                    yield Finding(item=kid, pointer="/situation", message=Text(
                        f"同级子项的情形“{kid.situation}”重复",
                        f"siblings share the situation '{kid.situation}'"))


RULES: tuple[type[Rule], ...] = (UnsplitName, SituationalMaterials, ParentWithGuide, SingleChild,
                                 ChildrenDoNotCover, ChildWithoutSituation)
