"""Handling type and time (D3): limits agree with the handling type, visits and channels."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from svccat.model import Item, TimeLimit
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Option, Rule

INSTANT, COMMITTED = "即办件", "承诺件"


def calendar_days(limit: TimeLimit) -> float:
    """Working days as calendar days (five working days a week), to compare mixed units."""
    return limit.days * 7 / 5 if limit.unit == "工作日" else float(limit.days)


def exceeds(a: TimeLimit, b: TimeLimit) -> bool:
    if a.unit == b.unit:
        return a.days > b.days
    return calendar_days(a) > calendar_days(b)


def show(limit: TimeLimit) -> str:
    return f"{limit.days} 个{limit.unit}"


def show_en(limit: TimeLimit) -> str:
    unit = "working days" if limit.unit == "工作日" else "calendar days"
    return f"{limit.days} {unit}"


class _LeafRule(Rule):
    """Guide rules apply to the finest items only; parents carry no guide."""

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        for item in context.catalogue.items.values():
            if context.is_leaf(item):
                yield from self.check_item(item, context, options)


class InstantWithLongLimit(_LeafRule):
    """即办件却承诺多日办结：即办件应当场办结。
    An instant item (即办件) with a multi-day limit.

    Bad:
        handling_type: 即办件
        committed_limit: {days: 5, unit: 工作日}
    Good:
        handling_type: 承诺件          # 或承诺时限为 0（当场办结）
    """

    code = "H001"
    name = "instant-with-long-limit"
    severity = Severity.ERROR
    title = Text("即办件时限过长", "Instant item with a multi-day limit")
    options = {"max_days": Option(int, 1, "即办件允许的最长天数 / longest limit of an instant item")}

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        limit = item.committed_limit or item.statutory_limit
        if item.handling_type != INSTANT or limit is None:
            return
        if limit.days > options["max_days"]:
            key = "committed_limit" if item.committed_limit else "statutory_limit"
            yield Finding(item=item, pointer=f"/{key}/days", message=Text(
                f"即办件的时限为 {show(limit)}，应当场办结；多日办结的应为承诺件",
                f"an instant item with a limit of {show_en(limit)}; it should be a committed item"))


class CommittedWithoutLimit(_LeafRule):
    """承诺件没有承诺办结时限。
    A committed item (承诺件) without a committed time limit.

    Bad:
        handling_type: 承诺件
    Good:
        handling_type: 承诺件
        committed_limit: {days: 10, unit: 工作日}
    """

    code = "H002"
    name = "committed-without-limit"
    severity = Severity.ERROR
    title = Text("承诺件缺少承诺时限", "Committed item without a committed limit")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.handling_type == COMMITTED and item.committed_limit is None:
            yield Finding(item=item, pointer="/handling_type", message=Text(
                "承诺件应写明承诺办结时限（committed_limit）",
                "a committed item needs a committed time limit (committed_limit)"))


class CommittedOverStatutory(_LeafRule):
    """承诺时限长于法定时限。
    The committed limit is longer than the statutory limit.

    Bad:
        statutory_limit: {days: 20, unit: 工作日}
        committed_limit: {days: 30, unit: 工作日}
    Good:
        committed_limit: {days: 10, unit: 工作日}
    """

    code = "H003"
    name = "committed-over-statutory"
    severity = Severity.ERROR
    title = Text("承诺时限超过法定时限", "Committed limit over the statutory limit")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        committed, statutory = item.committed_limit, item.statutory_limit
        if committed and statutory and exceeds(committed, statutory):
            yield Finding(item=item, pointer="/committed_limit/days", message=Text(
                f"承诺时限 {show(committed)} 超过法定时限 {show(statutory)}",
                f"committed limit {show_en(committed)} is over the statutory "
                f"{show_en(statutory)}"))


class StepsOverCommitted(_LeafRule):
    """各环节时限之和超过承诺时限。
    The steps' limits add up to more than the committed limit.

    Bad:
        committed_limit: {days: 5, unit: 工作日}
        steps: [{name: 受理, limit: {days: 2, unit: 工作日}}, {name: 审查, limit: {days: 5, unit: 工作日}}]
    Good:
        steps: [{name: 受理, limit: {days: 1, unit: 工作日}}, {name: 审查, limit: {days: 4, unit: 工作日}}]
    """

    code = "H004"
    name = "steps-over-committed"
    severity = Severity.ERROR
    title = Text("环节时限之和超过承诺时限", "Steps add up to more than the committed limit")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        committed = item.committed_limit
        limits = [s.limit for s in item.steps if s.limit]
        if committed is None or not limits:
            return
        if all(limit.unit == committed.unit for limit in limits):
            total: float = sum(limit.days for limit in limits)
            over = total > committed.days
            shown = f"{total:g} 个{committed.unit}"
        else:
            total = sum(calendar_days(limit) for limit in limits)
            over = total > calendar_days(committed)
            shown = f"约 {total:g} 个自然日"
        if over:
            yield Finding(item=item, pointer="/steps", message=Text(
                f"各环节时限之和（{shown}）超过承诺时限 {show(committed)}",
                f"the steps add up to more than the committed limit of {show_en(committed)}"))


class VisitsWithoutReason(_LeafRule):
    """需要到现场却没有说明原因。
    Visits above zero without a reason.

    Bad:
        visits: {count: 1}
    Good:
        visits: {count: 1, reason: 须本人到场采集人像和指纹信息}
    """

    code = "H005"
    name = "visits-without-reason"
    severity = Severity.WARNING
    title = Text("到现场次数未说明原因", "Visits without a reason")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.visits and not item.visits_reason:
            yield Finding(item=item, pointer="/visits/count", message=Text(
                f"需要到现场 {item.visits} 次，应说明原因（visits.reason）",
                f"{item.visits} visit(s) needed: give the reason (visits.reason)"))


class DepthFourWithVisits(_LeafRule):
    """网办深度为 IV（全程网办）却仍需到现场。
    Online depth IV (fully online) with visits above zero.

    Bad:
        visits: {count: 1, reason: 核验原件}
        channels: {online: {depth: IV}}
    Good:
        visits: {count: 0}
    """

    code = "H006"
    name = "depth-four-with-visits"
    severity = Severity.ERROR
    title = Text("全程网办仍需到现场", "Fully online yet visits needed")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        online = item.channels.online
        if online and online.depth == "IV" and item.visits:
            yield Finding(item=item, pointer="/visits/count", message=Text(
                f"网办深度为 IV（全程网办），到现场次数应为 0，而不是 {item.visits}",
                f"online depth IV (fully online) means zero visits, not {item.visits}"))


class NoChannel(_LeafRule):
    """没有任何办理渠道。
    No channel at all: neither online, self-service, hall, appointment, home visit, proxy
    nor post.

    Bad:
        # channels 缺失
    Good:
        channels: {halls: [{name: 安丘市政务服务中心, address: …, window: 12 号窗口}]}
    """

    code = "H007"
    name = "no-channel"
    severity = Severity.ERROR
    title = Text("没有办理渠道", "No channel")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if not item.channels.any:
            yield Finding(item=item, pointer="/channels", message=Text(
                "没有任何办理渠道（网上、自助、窗口、预约、上门、代办、邮寄）",
                "no channel at all (online, self-service, hall, appointment, home visit, proxy, "
                "post)"))


def _fully_online(item: Item) -> bool:
    online = item.channels.online
    return online is not None and online.depth in ("III", "IV")


class InstantNotOnline(_LeafRule):
    """即办件既不能网上办理也不能自助办理（改革方向：即办件转向网办和自助办）。
    An instant item neither online (depth III or IV) nor at a self-service terminal.

    Bad:
        handling_type: 即办件
        channels: {halls: [...]}
    Good:
        channels: {online: {depth: IV, url: https://…}, halls: [...]}
    """

    code = "H008"
    name = "instant-not-online"
    severity = Severity.INFO
    title = Text("即办件未实现网办或自助办", "Instant item neither online nor self-service")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.handling_type == INSTANT and not _fully_online(item) \
                and item.channels.self_service is None:
            yield Finding(item=item, pointer="/handling_type", message=Text(
                "即办件可逐步转向网上办理或自助办理", "an instant item could move online or to "
                "self-service terminals"))


class ZeroVisitsNoRoute(_LeafRule):
    """零跑腿却没有网办（III、IV 级）或邮寄渠道，群众拿不到结果。
    Zero visits, yet neither an online route (depth III or IV) nor a postal route.

    Bad:
        visits: {count: 0}
        channels: {halls: [...]}
    Good:
        channels: {halls: [...], express: {note: 结果免费邮寄}}
    """

    code = "H009"
    name = "zero-visits-no-route"
    severity = Severity.WARNING
    title = Text("零跑腿但无网办或邮寄渠道", "Zero visits without an online or postal route")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.visits == 0 and not _fully_online(item) and item.channels.express is None:
            yield Finding(item=item, pointer="/visits/count", message=Text(
                "到现场次数为 0，但没有网上办理（III、IV 级）或邮寄渠道",
                "zero visits, but no online route (depth III or IV) or postal route"))


RULES: tuple[type[Rule], ...] = (InstantWithLongLimit, CommittedWithoutLimit,
                                 CommittedOverStatutory, StepsOverCommitted, VisitsWithoutReason,
                                 DepthFourWithVisits, NoChannel, InstantNotOnline,
                                 ZeroVisitsNoRoute)
