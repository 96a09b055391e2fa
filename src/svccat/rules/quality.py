"""Guide quality: what reviewers on provincial portals check in every guide."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from svccat.model import Item
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Rule
from svccat.rules.handling import _LeafRule


class SamePhone(_LeafRule):
    """咨询电话与投诉电话相同：投诉应能找到办理单位之外的人。
    The consultation phone equals the complaint phone.

    Bad:
        contacts: {consultation: ["0536-4221234"], complaint: ["0536-4221234"]}
    Good:
        contacts: {consultation: ["0536-4221234"], complaint: ["12345"]}
    """

    code = "Q001"
    name = "same-phone"
    severity = Severity.WARNING
    title = Text("咨询电话与投诉电话相同", "Consultation phone equals complaint phone")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for phone in sorted(set(item.consultation) & set(item.complaint)):
            index = item.complaint.index(phone)
            yield Finding(item=item, pointer=f"/contacts/complaint/{index}", message=Text(
                f"投诉电话 {phone} 与咨询电话相同", f"complaint phone {phone} is also the "
                "consultation phone"))


class HallWithoutWindow(_LeafRule):
    """办理地点没有精确到窗口。
    A hall address not precise to the window.

    Bad:
        halls: [{name: 安丘市政务服务中心, address: 安丘市新安街道…}]
    Good:
        halls: [{name: 安丘市政务服务中心, address: 安丘市新安街道…, window: 二楼 12 号窗口}]
    """

    code = "Q002"
    name = "hall-without-window"
    severity = Severity.WARNING
    title = Text("办理地点未精确到窗口", "Hall address not precise to the window")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for index, hall in enumerate(item.channels.halls):
            if not hall.window:
                yield Finding(item=item, pointer=f"/channels/halls/{index}", message=Text(
                    f"办理地点“{hall.name}”没有写明窗口（window）",
                    f"hall '{hall.name}' does not name the window"))


class LicenceWithoutSample(_LeafRule):
    """结果为证件执照，却没有样本。
    A result of type 证件执照 without a sample.

    Bad:
        result: {type: 证件执照, name: 营业执照}
    Good:
        result: {type: 证件执照, name: 营业执照, sample: https://…/yangben.jpg}
    """

    code = "Q003"
    name = "licence-without-sample"
    severity = Severity.WARNING
    title = Text("证件执照没有样本", "Licence result without a sample")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.result and item.result.type == "证件执照" and not item.result.sample:
            yield Finding(item=item, pointer="/result", message=Text(
                "结果类型为证件执照，应提供结果样本（result.sample）",
                "a licence result should come with a sample (result.sample)"))


class FreeWithPayment(_LeafRule):
    """不收费的事项却提供网上支付。
    A free item offers online payment.

    Bad:
        fees: []
        channels: {online: {depth: IV, payment: true}}
    Good:
        channels: {online: {depth: IV, payment: false}}
    """

    code = "Q004"
    name = "free-with-payment"
    severity = Severity.WARNING
    title = Text("免费事项提供网上支付", "Free item offers online payment")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        online = item.channels.online
        if not item.fees and online is not None and online.payment:
            yield Finding(item=item, pointer="/channels/online/payment", message=Text(
                "事项不收费，却标明支持网上支付", "the item is free but offers online payment"))


class EmptyConditions(_LeafRule):
    """没有写明受理条件。
    No acceptance conditions.

    Bad:
        conditions: []
    Good:
        conditions: [户籍在本县（市、区）的城乡居民]
    """

    code = "Q005"
    name = "empty-conditions"
    severity = Severity.WARNING
    title = Text("受理条件为空", "Empty acceptance conditions")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if not item.conditions:
            yield Finding(item=item, pointer="/conditions", message=Text(
                "没有写明受理条件（conditions）", "no acceptance conditions (conditions)"))


RULES: tuple[type[Rule], ...] = (SamePhone, HallWithoutWindow, LicenceWithoutSample,
                                 FreeWithPayment, EmptyConditions)
