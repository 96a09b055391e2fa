"""Kinds of change, each with a stable name and a default class (its effect on citizens).

The classes order what reviewers read first: burden up, legal, structure, burden down,
editorial.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from svccat.problems import Text


class Effect(StrEnum):
    BURDEN_UP = "burden-up"
    LEGAL = "legal"
    STRUCTURE = "structure"
    BURDEN_DOWN = "burden-down"
    EDITORIAL = "editorial"

    @property
    def rank(self) -> int:
        return list(Effect).index(self)


EFFECT_LABELS: dict[Effect, Text] = {
    Effect.BURDEN_UP: Text("群众负担增加", "Burden up"),
    Effect.LEGAL: Text("法律依据变化", "Legal"),
    Effect.STRUCTURE: Text("结构变化", "Structure"),
    Effect.BURDEN_DOWN: Text("群众负担减轻", "Burden down"),
    Effect.EDITORIAL: Text("文字调整", "Editorial"),
}


@dataclass(frozen=True)
class ChangeKind:
    name: str
    effect: Effect
    title: Text


def _k(name: str, effect: Effect, zh: str, en: str) -> ChangeKind:
    return ChangeKind(name, effect, Text(zh, en))


U, D, L, S, E = (Effect.BURDEN_UP, Effect.BURDEN_DOWN, Effect.LEGAL, Effect.STRUCTURE,
                 Effect.EDITORIAL)

KINDS: dict[str, ChangeKind] = {k.name: k for k in (
    # structure
    _k("item-added", S, "新增事项", "Item added"),
    _k("item-removed", S, "删除事项", "Item removed"),
    _k("item-moved", S, "上级事项改变", "Item moved to another parent"),
    _k("item-split", S, "事项拆分为子项", "Item split into children"),
    _k("item-merged", S, "子项合并", "Children merged into the item"),
    _k("item-renamed-match", S, "按曾用名匹配", "Matched through renamed_from"),
    _k("item-probable-match", S, "按名称相似度匹配", "Matched by name similarity"),
    # burden up / down
    _k("material-added", U, "增加材料", "Material added"),
    _k("material-removed", D, "减少材料", "Material removed"),
    _k("material-required", U, "材料改为必要", "Material now required"),
    _k("material-relaxed", D, "材料改为非必要或容缺后补", "Material now optional or deferrable"),
    _k("copies-increased", U, "份数增加", "More originals or copies"),
    _k("copies-decreased", D, "份数减少", "Fewer originals or copies"),
    _k("certificate-added", U, "材料成为证明", "Material became a certificate"),
    _k("certificate-removed", D, "材料不再是证明", "Material no longer a certificate"),
    _k("commitment-withdrawn", U, "取消承诺替代", "Written commitment withdrawn"),
    _k("commitment-offered", D, "可用承诺替代", "Written commitment offered"),
    _k("data-sharing-withdrawn", U, "取消数据共享获取", "No longer obtained by data sharing"),
    _k("data-sharing-offered", D, "改为数据共享获取", "Now obtained by data sharing"),
    _k("limit-longer", U, "时限延长", "Time limit longer"),
    _k("limit-shorter", D, "时限缩短", "Time limit shorter"),
    _k("fee-added", U, "新增收费", "Fee added"),
    _k("fee-removed", D, "取消收费", "Fee removed"),
    _k("fee-higher", U, "收费提高", "Fee higher"),
    _k("fee-lower", D, "收费降低", "Fee lower"),
    _k("channel-removed", U, "减少办理渠道", "Channel removed"),
    _k("channel-added", D, "增加办理渠道", "Channel added"),
    _k("online-depth-lower", U, "网办深度降低", "Online depth lower"),
    _k("online-depth-higher", D, "网办深度提高", "Online depth higher"),
    _k("visits-more", U, "跑动次数增加", "More visits"),
    _k("visits-fewer", D, "跑动次数减少", "Fewer visits"),
    _k("condition-added", U, "增加受理条件", "Condition added"),
    _k("condition-removed", D, "减少受理条件", "Condition removed"),
    _k("handling-slower", U, "即办件改为承诺件", "Instant item became committed"),
    _k("handling-faster", D, "承诺件改为即办件", "Committed item became instant"),
    # legal
    _k("basis-added", L, "增加法律依据", "Legal basis added"),
    _k("basis-removed", L, "删除法律依据", "Legal basis removed"),
    _k("basis-changed", L, "法律依据条款变化", "Article of a legal basis changed"),
    _k("type-changed", L, "事项类型变化", "Item type changed"),
    # editorial
    _k("name-changed", E, "名称变化", "Name changed"),
    _k("code-changed", E, "编码变化", "Code changed"),
    _k("material-changed", E, "材料要素变化", "Material detail changed"),
    _k("step-changed", E, "办理流程变化", "Process steps changed"),
    _k("contact-changed", E, "联系电话变化", "Contact changed"),
    _k("hall-changed", E, "办理地点变化", "Hall details changed"),
    _k("status-changed", E, "状态变化", "Workflow status changed"),
    _k("text-changed", E, "其他文字变化", "Other text changed"),
)}
