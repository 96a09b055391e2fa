"""The domain as frozen structs, built from schema-valid documents.

Every object that a problem may point at keeps `pointer`, the JSON Pointer of its value in
its file, so that rules report lines without knowing about YAML. A province's catalogue has
millions of these objects, made as its files are loaded: msgspec Structs are frozen, typed
and slotted like frozen slotted dataclasses, and made in less than half the time (an item
and its parts: 24 µs against 57 µs). The Catalogue, made once, stays a dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from msgspec import Struct


class LegalRef(Struct, frozen=True, kw_only=True):
    document: str
    article: str | None
    text: str | None
    pointer: str

    @classmethod
    def of(cls, data: dict[str, Any], pointer: str) -> LegalRef:
        return cls(document=data["document"], article=data.get("article"),
                   text=data.get("text"), pointer=pointer)


def _refs(data: list[dict[str, Any]] | None, pointer: str) -> tuple[LegalRef, ...]:
    return tuple(LegalRef.of(r, f"{pointer}/{i}") for i, r in enumerate(data or ()))


def _ref(data: dict[str, Any] | None, pointer: str) -> LegalRef | None:
    return LegalRef.of(data, pointer) if data else None


class TimeLimit(Struct, frozen=True, kw_only=True):
    days: int
    unit: str
    note: str | None = None

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> TimeLimit | None:
        if not data:
            return None
        return cls(days=data["days"], unit=data["unit"], note=data.get("note"))


class Region(Struct, frozen=True, kw_only=True):
    code: str
    name: str
    level: str
    parent: str | None
    file: str
    pointer: str


class Department(Struct, frozen=True, kw_only=True):
    id: str
    name: str
    region: str
    system: str
    credit_code: str | None
    address: str | None
    phone: str | None
    file: str
    pointer: str


class LegalDocument(Struct, frozen=True, kw_only=True):
    id: str
    title: str
    number: str | None
    issuer: str
    level: str
    status: str
    issued: str | None
    effective: str | None
    amended: tuple[str, ...]
    repealed: str | None
    replaced_by: str | None
    url: str | None
    file: str
    pointer: str

    @property
    def in_force(self) -> bool:
        return self.status != "repealed"


class RetainedCertificate(Struct, frozen=True, kw_only=True):
    id: str
    name: str
    basis: tuple[LegalRef, ...]
    demanding_unit: str
    issuing_unit: str
    guide: str | None
    area: str | None
    commitment: bool
    data_holder: str | None
    data_channel: str | None
    file: str
    pointer: str


class CancelledCertificate(Struct, frozen=True, kw_only=True):
    id: str
    name: str
    category: str
    reason: str
    cancelled_by: LegalRef
    date: str | None
    file: str
    pointer: str


class Material(Struct, frozen=True, kw_only=True):
    name: str
    necessity: str
    form: str | None
    material_type: str | None
    source: str | None
    originals: int | None
    copies: int | None
    basis: LegalRef | None
    certificate: str | None
    commitment: bool
    data_sharing: bool
    situation: str | None
    acceptance_standard: str | None
    blank_form: str | None
    sample: str | None
    note: str | None
    pointer: str


class Step(Struct, frozen=True, kw_only=True):
    name: str
    limit: TimeLimit | None
    description: str | None


class Hall(Struct, frozen=True, kw_only=True):
    name: str
    address: str
    window: str | None
    hours: str | None
    phone: str | None


class OnlineChannel(Struct, frozen=True, kw_only=True):
    depth: str
    url: str | None
    payment: bool


class Channels(Struct, frozen=True, kw_only=True):
    online: OnlineChannel | None = None
    self_service: tuple[str, ...] | None = None  # None: not offered; () offered, places unknown
    halls: tuple[Hall, ...] = ()
    appointment: dict[str, str] | None = None
    home_visit: dict[str, str] | None = None
    proxy: dict[str, str] | None = None
    express: dict[str, str] | None = None

    @property
    def any(self) -> bool:
        return bool(self.online or self.self_service is not None or self.halls
                    or self.appointment is not None or self.home_visit is not None
                    or self.proxy is not None or self.express is not None)


class Fee(Struct, frozen=True, kw_only=True):
    name: str
    standard: str
    basis: LegalRef | None
    waivable: bool | None


class Result(Struct, frozen=True, kw_only=True):
    type: str
    name: str | None
    sample: str | None


class Question(Struct, frozen=True, kw_only=True):
    question: str
    answer: str


class LegalReview(Struct, frozen=True, kw_only=True):
    date: str
    reviewer: str
    conclusion: str
    reference: str | None


class PublicComment(Struct, frozen=True, kw_only=True):
    start: str
    end: str
    url: str | None
    comments: int | None
    response: str | None


class Item(Struct, frozen=True, kw_only=True):
    id: str
    file: str
    name: str
    type: str
    region: str
    department: str
    tier: str
    status: str
    basic_code: str | None = None
    implementation_code: str | None = None
    handling_code: str | None = None
    renamed_from: tuple[str, ...] = ()
    exercise_level: str | None = None
    parent: str | None = None
    situation: str | None = None
    implements: str | None = None
    implementing_levels: tuple[str, ...] = ()
    handling_type: str | None = None
    statutory_limit: TimeLimit | None = None
    committed_limit: TimeLimit | None = None
    setting_basis: tuple[LegalRef, ...] = ()
    implementing_basis: tuple[LegalRef, ...] = ()
    service_object: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    steps: tuple[Step, ...] = ()
    visits: int | None = None
    visits_reason: str | None = None
    channels: Channels = msgspec.field(default_factory=Channels)
    fees: tuple[Fee, ...] = ()
    result: Result | None = None
    consultation: tuple[str, ...] = ()
    complaint: tuple[str, ...] = ()
    faq: tuple[Question, ...] = ()
    scope: str | None = None
    themes: tuple[str, ...] = ()
    legal_review: LegalReview | None = None
    public_comment: PublicComment | None = None

    @property
    def legal_refs(self) -> tuple[LegalRef, ...]:
        """Every legal reference the item makes, with its pointer."""
        refs = [*self.setting_basis, *self.implementing_basis]
        refs += [m.basis for m in self.materials if m.basis]
        refs += [f.basis for f in self.fees if f.basis]
        return tuple(refs)


def _material(data: dict[str, Any], pointer: str) -> Material:
    return Material(
        name=data["name"], necessity=data["necessity"], form=data.get("form"),
        material_type=data.get("material_type"), source=data.get("source"),
        originals=data.get("originals"), copies=data.get("copies"),
        basis=_ref(data.get("basis"), f"{pointer}/basis"), certificate=data.get("certificate"),
        commitment=bool(data.get("commitment", False)),
        data_sharing=bool(data.get("data_sharing", False)), situation=data.get("situation"),
        acceptance_standard=data.get("acceptance_standard"), blank_form=data.get("blank_form"),
        sample=data.get("sample"), note=data.get("note"), pointer=pointer)


def _channels(data: dict[str, Any] | None) -> Channels:
    if not data:
        return Channels()
    online = data.get("online")
    self_service = data.get("self_service")
    return Channels(
        online=OnlineChannel(depth=online["depth"], url=online.get("url"),
                             payment=bool(online.get("payment", False))) if online else None,
        self_service=tuple(self_service.get("locations", ())) if self_service is not None
        else None,
        halls=tuple(Hall(name=h["name"], address=h["address"], window=h.get("window"),
                         hours=h.get("hours"), phone=h.get("phone"))
                    for h in data.get("halls", ())),
        appointment=data.get("appointment"), home_visit=data.get("home_visit"),
        proxy=data.get("proxy"), express=data.get("express"))


def item_from_data(data: dict[str, Any], file: str) -> Item:
    """An Item from a document that passed the item schema."""
    codes = data.get("codes", {})
    basis = data.get("legal_basis", {})
    visits = data.get("visits")
    result = data.get("result")
    contacts = data.get("contacts", {})
    review = data.get("review", {})
    legal_review = review.get("legal_review")
    comment = review.get("public_comment")
    return Item(
        id=data["id"], file=file, name=data["name"], type=data["type"], region=data["region"],
        department=data["department"], tier=data["tier"], status=data["status"],
        basic_code=codes.get("basic"), implementation_code=codes.get("implementation"),
        handling_code=codes.get("handling"), renamed_from=tuple(data.get("renamed_from", ())),
        exercise_level=data.get("exercise_level"), parent=data.get("parent"),
        situation=data.get("situation"), implements=data.get("implements"),
        implementing_levels=tuple(data.get("implementing_levels", ())),
        handling_type=data.get("handling_type"),
        statutory_limit=TimeLimit.of(data.get("statutory_limit")),
        committed_limit=TimeLimit.of(data.get("committed_limit")),
        setting_basis=_refs(basis.get("setting"), "/legal_basis/setting"),
        implementing_basis=_refs(basis.get("implementing"), "/legal_basis/implementing"),
        service_object=tuple(data.get("service_object", ())),
        conditions=tuple(data.get("conditions", ())),
        materials=tuple(_material(m, f"/materials/{i}")
                        for i, m in enumerate(data.get("materials", ()))),
        steps=tuple(Step(name=s["name"], limit=TimeLimit.of(s.get("limit")),
                         description=s.get("description")) for s in data.get("steps", ())),
        visits=visits["count"] if visits else None,
        visits_reason=visits.get("reason") if visits else None,
        channels=_channels(data.get("channels")),
        fees=tuple(Fee(name=f["name"], standard=f["standard"],
                       basis=_ref(f.get("basis"), f"/fees/{i}/basis"), waivable=f.get("waivable"))
                   for i, f in enumerate(data.get("fees") or ())),
        result=Result(type=result["type"], name=result.get("name"), sample=result.get("sample"))
        if result else None,
        consultation=tuple(contacts.get("consultation", ())),
        complaint=tuple(contacts.get("complaint", ())),
        faq=tuple(Question(question=q["question"], answer=q["answer"])
                  for q in data.get("faq", ())),
        scope=data.get("scope"), themes=tuple(data.get("themes", ())),
        legal_review=LegalReview(date=legal_review["date"], reviewer=legal_review["reviewer"],
                                 conclusion=legal_review["conclusion"],
                                 reference=legal_review.get("reference"))
        if legal_review else None,
        public_comment=PublicComment(start=comment["start"], end=comment["end"],
                                     url=comment.get("url"), comments=comment.get("comments"),
                                     response=comment.get("response")) if comment else None,
    )


def region_from_data(data: dict[str, Any], file: str, pointer: str) -> Region:
    return Region(code=data["code"], name=data["name"], level=data["level"],
                  parent=data.get("parent"), file=file, pointer=pointer)


def department_from_data(data: dict[str, Any], file: str, pointer: str) -> Department:
    return Department(id=data["id"], name=data["name"], region=data["region"],
                      system=data["system"], credit_code=data.get("credit_code"),
                      address=data.get("address"), phone=data.get("phone"), file=file,
                      pointer=pointer)


def legal_document_from_data(data: dict[str, Any], file: str, pointer: str) -> LegalDocument:
    return LegalDocument(
        id=data["id"], title=data["title"], number=data.get("number"), issuer=data["issuer"],
        level=data["level"], status=data["status"], issued=data.get("issued"),
        effective=data.get("effective"), amended=tuple(data.get("amended", ())),
        repealed=data.get("repealed"), replaced_by=data.get("replaced_by"), url=data.get("url"),
        file=file, pointer=pointer)


def retained_from_data(data: dict[str, Any], file: str, pointer: str) -> RetainedCertificate:
    sharing = data.get("data_sharing") or {}
    return RetainedCertificate(
        id=data["id"], name=data["name"], basis=_refs(data["basis"], f"{pointer}/basis"),
        demanding_unit=data["demanding_unit"], issuing_unit=data["issuing_unit"],
        guide=data.get("guide"), area=data.get("area"),
        commitment=bool(data.get("commitment", False)), data_holder=sharing.get("holder"),
        data_channel=sharing.get("channel"), file=file, pointer=pointer)


def cancelled_from_data(data: dict[str, Any], file: str, pointer: str) -> CancelledCertificate:
    return CancelledCertificate(
        id=data["id"], name=data["name"], category=data["category"], reason=data["reason"],
        cancelled_by=LegalRef.of(data["cancelled_by"], f"{pointer}/cancelled_by"),
        date=data.get("date"), file=file, pointer=pointer)


@dataclass(frozen=True, kw_only=True, slots=True)
class Catalogue:
    """Everything that loaded and passed its schema, indexed by id."""

    regions: dict[str, Region]
    departments: dict[str, Department]
    legal_documents: dict[str, LegalDocument]
    retained: dict[str, RetainedCertificate]
    cancelled: dict[str, CancelledCertificate]
    items: dict[str, Item]
    # Ids of item files that exist but did not load or validate: known, so references to
    # them are not reported a second time as unknown.
    broken_item_ids: frozenset[str] = frozenset()

    def children(self) -> dict[str, list[Item]]:
        found: dict[str, list[Item]] = {}
        for item in self.items.values():
            if item.parent:
                found.setdefault(item.parent, []).append(item)
        return found
