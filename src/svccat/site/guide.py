"""An item's service guide (办事指南), in the standard order of GB/T 36114 and the seed (D2).

Basic information, legal basis, conditions, materials, process, time limits, fees, channels,
visits, contacts, FAQ, result; a parent item leads to its children; a local item leads to its
baseline item and its peers in other regions (D7).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from svccat.model import Channels, Hall, Item, Material, Question
from svccat.site import paths
from svccat.site.data import Data
from svccat.site.labels import Labels
from svccat.site.published import Link, Published
from svccat.site.views import (
    Fact,
    LegalCitation,
    citation,
    compression_percent,
    fact,
    facts,
    limit_text,
    status_tag,
)


class MaterialRow(Data, frozen=True):
    name: str
    necessity: str
    form: str
    copies: str
    source: str
    certificate: Link | None
    commitment: bool
    data_sharing: bool
    situation: str | None
    standard: str | None
    note: str | None
    basis: LegalCitation | None
    blank_form: str | None
    sample: str | None


class StepRow(Data, frozen=True):
    name: str
    limit: str
    description: str


class Limits(Data, frozen=True):
    statutory: str
    statutory_note: str | None
    committed: str
    committed_note: str | None
    compression: str | None


class FeeRow(Data, frozen=True):
    name: str
    standard: str
    basis: LegalCitation | None
    waivable: Markup | None


class Online(Data, frozen=True):
    depth: Markup
    url: str | None
    payment: bool


class Appointment(Data, frozen=True):
    how: str | None
    phone: str | None
    url: str | None


class ChannelsView(Data, frozen=True):
    online: Online | None
    self_service: tuple[str, ...] | None
    halls: tuple[Hall, ...]
    appointment: Appointment | None
    home_visit: str | None
    proxy: str | None
    express: str | None
    any: bool


class ResultView(Data, frozen=True):
    type: str
    name: str | None
    sample: str | None


class TreeNode(Data, frozen=True):
    link: Link
    situation: str | None
    leaf: bool
    children: tuple[TreeNode, ...]


class Review(Data, frozen=True):
    legal: str | None
    comment: str | None
    comments: str | None
    response: str | None
    url: str | None


class Guide(Data, frozen=True, tag=True):
    id: str
    name: str
    leaf: bool
    status: Markup | None
    basic: tuple[Fact, ...]
    setting_basis: tuple[LegalCitation, ...]
    implementing_basis: tuple[LegalCitation, ...]
    conditions: tuple[str, ...]
    materials: tuple[MaterialRow, ...]
    materials_summary: Markup | None
    steps: tuple[StepRow, ...]
    limits: Limits
    fees: tuple[FeeRow, ...]
    channels: ChannelsView
    visits: str
    visits_reason: str | None
    consultation: tuple[str, ...]
    complaint: tuple[str, ...]
    faq: tuple[Question, ...]
    result: ResultView | None
    children: tuple[TreeNode, ...]
    baseline: Link | None
    # Lists of the same item in other regions, and of the regions implementing this one:
    # their entries' markup, made once a build (svccat.site.html).
    peers: Markup
    implementations: Markup
    review: Review | None


def guide(site: Published, labels: Labels, item: Item, *, root: str) -> Guide:
    """The guide of an item, for its page at `root` (svccat.site.paths.root_for)."""
    leaf = site.is_leaf(item)
    shared = sum(1 for m in item.materials if m.data_sharing)
    commitment = sum(1 for m in item.materials if m.commitment)
    return Guide(
        id=item.id, name=item.name, leaf=leaf, status=status_tag(labels, item.status),
        basic=_basic(site, labels, item),
        setting_basis=tuple(citation(site, r) for r in item.setting_basis),
        implementing_basis=tuple(citation(site, r) for r in item.implementing_basis),
        conditions=item.conditions,
        materials=tuple(_material(site, labels, m) for m in item.materials),
        materials_summary=labels.html("materials_summary", total=len(item.materials),
                                      shared=shared, commitment=commitment)
        if item.materials else None,
        steps=tuple(StepRow(s.name, limit_text(labels, s.limit) if s.limit else "",
                            s.description or "") for s in item.steps),
        limits=_limits(labels, item),
        fees=tuple(FeeRow(f.name, f.standard, citation(site, f.basis) if f.basis else None,
                          None if f.waivable is None
                          else labels.html("yes" if f.waivable else "no")) for f in item.fees),
        channels=_channels(labels, item.channels),
        visits=_visits(labels, item.visits), visits_reason=item.visits_reason,
        consultation=item.consultation, complaint=item.complaint, faq=item.faq,
        result=ResultView(item.result.type, item.result.name, item.result.sample)
        if item.result else None,
        children=_tree(site, item.id, {item.id}),
        baseline=site.item_link(item.implements),
        peers=Markup("".join(entry for peer, entry in site.related(item.implements, root)
                             if peer != item.id) if item.implements else ""),
        implementations=Markup("".join(entry for _, entry in site.related(item.id, root))),
        review=_review(labels, item),
    )


def _basic(site: Published, labels: Labels, item: Item) -> tuple[Fact, ...]:
    l = labels.html  # noqa: E741 - read as "label"
    exercise, tier = f"exercise_{item.exercise_level}", f"tier_{item.tier}"
    return facts(
        fact(l("field_basic_code"), item.basic_code),
        fact(l("field_implementation_code"), item.implementation_code),
        fact(l("field_handling_code"), item.handling_code),
        fact(l("field_type"), Link(item.type, paths.item_type(item.type))),
        fact(l("field_department"), site.department_link(item.department)),
        fact(l("field_region"), site.region_link(item.region)),
        fact(l("field_exercise_level"), labels.text(exercise) if labels.has(exercise)
             else item.exercise_level),
        fact(l("field_tier"), labels.text(tier) if labels.has(tier) else item.tier),
        fact(l("field_parent"), site.item_link(item.parent)),
        fact(l("field_situation"), item.situation),
        fact(l("field_service_object"), *item.service_object),
        fact(l("field_handling_type"), item.handling_type),
        fact(l("field_scope"), item.scope),
        fact(l("field_themes"), *(Link(t, paths.theme(t)) for t in item.themes)),
    )


def _material(site: Published, labels: Labels, material: Material) -> MaterialRow:
    certificate = None
    if material.certificate:
        known = site.catalogue.retained.get(material.certificate) \
            or site.catalogue.cancelled.get(material.certificate)
        certificate = Link(known.name if known else material.certificate,
                           paths.certificate(material.certificate) if known else None)
    copies = ""
    if material.originals is not None or material.copies is not None:
        copies = labels.text("mat_copies_value", originals=material.originals or 0,
                             copies=material.copies or 0)
    return MaterialRow(
        name=material.name, necessity=material.necessity, form=material.form or "",
        copies=copies, source=material.source or "", certificate=certificate,
        commitment=material.commitment, data_sharing=material.data_sharing,
        situation=material.situation, standard=material.acceptance_standard, note=material.note,
        basis=citation(site, material.basis) if material.basis else None,
        blank_form=material.blank_form, sample=material.sample)


def _limits(labels: Labels, item: Item) -> Limits:
    statutory, committed = item.statutory_limit, item.committed_limit
    percent = compression_percent(statutory, committed)
    return Limits(
        statutory=limit_text(labels, statutory),
        statutory_note=statutory.note if statutory else None,
        committed=limit_text(labels, committed),
        committed_note=committed.note if committed else None,
        compression=labels.text("limit_compression", percent=percent) if percent else None)


def _channels(labels: Labels, channels: Channels) -> ChannelsView:
    online = channels.online
    appointment = channels.appointment
    offered = labels.text("ch_offered")

    def described(entry: dict[str, str] | None, key: str) -> str | None:
        # An empty mapping means the channel is offered without further conditions.
        return None if entry is None else entry.get(key) or offered

    return ChannelsView(
        online=Online(labels.html(f"depth_{online.depth}") if labels.has(f"depth_{online.depth}")
                      else escape(online.depth), online.url, online.payment) if online else None,
        self_service=channels.self_service, halls=channels.halls,
        appointment=Appointment(appointment.get("how"), appointment.get("phone"),
                                appointment.get("url")) if appointment is not None else None,
        home_visit=described(channels.home_visit, "conditions"),
        proxy=described(channels.proxy, "conditions"),
        express=described(channels.express, "note"), any=channels.any)


def _visits(labels: Labels, visits: int | None) -> str:
    if visits is None:
        return labels.text("visits_unknown")
    return labels.text("visits_zero") if visits == 0 else labels.text("visits_value", count=visits)


def _tree(site: Published, item_id: str, seen: set[str]) -> tuple[TreeNode, ...]:
    nodes = []
    for child in site.children.get(item_id, ()):
        if child.id in seen:  # a parent loop, only reachable under --force
            continue
        below = _tree(site, child.id, seen | {child.id})
        nodes.append(TreeNode(Link(child.name, paths.item(child.id)), child.situation,
                              site.is_leaf(child), below))
    return tuple(nodes)


def _review(labels: Labels, item: Item) -> Review | None:
    legal, comment = item.legal_review, item.public_comment
    if legal is None and comment is None:
        return None
    return Review(
        legal=labels.text("review_legal_value", date=legal.date, reviewer=legal.reviewer,
                          conclusion=legal.conclusion)
        + (labels.text("review_reference", reference=legal.reference) if legal.reference
           else "") if legal else None,
        comment=labels.text("review_comment_value", start=comment.start, end=comment.end)
        if comment else None,
        comments=labels.text("review_comments", count=comment.comments)
        if comment and comment.comments is not None else None,
        response=comment.response if comment else None,
        url=comment.url if comment else None)
