"""Workflow (D8): lists are published only after legal review and public comment."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from svccat.model import Item
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Rule

PUBLISHED = "published"


class PublishedWithoutReview(Rule):
    """已公布的事项没有合法性审查记录，或审查结论为不予通过。
    A published item without a legal-review record, or one that the review rejected.

    Bad:
        status: published
    Good:
        status: published
        review: {legal_review: {date: "2023-05-10", reviewer: 安丘市司法局, conclusion: 通过}}
    """

    code = "W001"
    name = "published-without-review"
    severity = Severity.ERROR
    title = Text("公布前未经合法性审查", "Published without legal review")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.status != PUBLISHED:
            return
        review = item.legal_review
        if review is None:
            yield Finding(item=item, pointer="/status", message=Text(
                "事项已公布，但没有合法性审查记录（review.legal_review）",
                "the item is published without a legal-review record (review.legal_review)"))
        elif review.conclusion == "不予通过":
            yield Finding(item=item, pointer="/review/legal_review/conclusion", message=Text(
                f"合法性审查结论为不予通过（{review.reviewer}，{review.date}），不能公布",
                f"the legal review rejected it ({review.reviewer}, {review.date}); it cannot be "
                "published"))


class PublishedWithoutComment(Rule):
    """已公布的事项没有公开征求意见记录，或征求意见期结束日期早于开始日期。
    A published item whose public comment was not held (or whose dates are reversed).

    Bad:
        status: published
        review: {legal_review: {...}}
    Good:
        review: {legal_review: {...}, public_comment: {start: "2023-04-01", end: "2023-04-30"}}
    """

    code = "W002"
    name = "published-without-comment"
    severity = Severity.WARNING
    title = Text("公布前未公开征求意见", "Published without public comment")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if item.status != PUBLISHED:
            return
        comment = item.public_comment
        if comment is None:
            yield Finding(item=item, pointer="/status", message=Text(
                "事项已公布，但没有公开征求意见记录（review.public_comment）",
                "the item is published without a public-comment record (review.public_comment)"))
        elif comment.end < comment.start:
            yield Finding(item=item, pointer="/review/public_comment/end", message=Text(
                f"征求意见结束日期 {comment.end} 早于开始日期 {comment.start}",
                f"public comment ends ({comment.end}) before it starts ({comment.start})"))


RULES: tuple[type[Rule], ...] = (PublishedWithoutReview, PublishedWithoutComment)
