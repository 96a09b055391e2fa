"""`svccat new`: one item file, from flags, from answers to questions, or from a baseline item.

The command decides nothing here: this module asks its questions through an `Ask` function
the command supplies (prompts on a terminal), or, without one, names every missing flag. What
it writes is checked against the item schema before it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from svccat import emit
from svccat.atomic import write_atomically
from svccat.catalogue import load_catalogue
from svccat.config import Config, ConfigError
from svccat.fmt import format_text
from svccat.init import EXERCISE_LEVEL
from svccat.loader import load_text
from svccat.model import Catalogue, Item
from svccat.problems import Text
from svccat.schema import Kind, load_schemas, validate
from svccat.site.labels import LABELS

ITEMS_FOLDER = "items"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/item.schema.json"
# A department id that is certainly not registered, so that lint's X003 points at it.
TODO_DEPARTMENT = "todo-department"

# What a county adopts from its baseline item, in the item schema's order of keys (the rest
# is local: department, channels, contacts, local codes, review, and baseline-only keys).
ADOPTED = ("name", "type", "tier", "situation", "handling_type", "statutory_limit",
           "committed_limit", "legal_basis", "service_object", "conditions", "materials",
           "steps", "visits", "fees", "result", "scope", "themes")
LOCAL_TODO = Text(
    "请补充本地内容：办理渠道（channels：窗口地址、电话、网上办理）、咨询和投诉电话（contacts）、"
    "实施编码（codes.implementation）和业务办理项编码（codes.handling）",
    "fill in what is local: channels (halls, phones, online), contacts, and the local "
    "codes (codes.implementation, codes.handling)")
NEW_TODO = Text(
    "请补充：法律依据（legal_basis）、受理条件（conditions）、申请材料（materials）、"
    "办理渠道（channels）、办理结果（result）；svccat lint 会指出缺少的内容",
    "fill in: legal_basis, conditions, materials, channels, result; svccat lint points at "
    "what is missing")


@cache
def _item_schema() -> dict[str, Any]:
    schema: dict[str, Any] = load_schemas()[Kind.ITEM.schema_file]
    return schema


def _enum(key: str) -> tuple[str, ...]:
    return tuple(_item_schema()["properties"][key]["enum"])


def item_types() -> tuple[str, ...]:
    """The seven 事项类型, from the item schema (their one true list)."""
    return _enum("type")


def handling_types() -> tuple[str, ...]:
    return _enum("handling_type")


def tiers() -> tuple[str, ...]:
    return _enum("tier")


def valid_id(ident: str) -> bool:
    """Whether an id passes the common schema's definition of one (pattern, length, names
    Windows reserves): that definition is the only one."""
    definition = load_schemas()["common.schema.json"]["$defs"]["id"]
    return bool(Draft202012Validator(definition).is_valid(ident))


def id_rule() -> Text:
    """What an id may be, in the common schema's own words."""
    zh, _, en = load_schemas()["common.schema.json"]["$defs"]["id"]["description"].partition(" / ")
    return Text(zh, en or zh)


def name_limit() -> int:
    return int(_item_schema()["properties"]["name"]["maxLength"])


def limit_units() -> tuple[str, ...]:
    common = load_schemas()["common.schema.json"]
    return tuple(common["$defs"]["timeLimit"]["properties"]["unit"]["enum"])


def tier_label(tier: str) -> Text:
    zh, en = LABELS[f"tier_{tier}"]
    return Text(zh, en)


def key_order() -> tuple[str, ...]:
    return tuple(_item_schema()["properties"])


@dataclass(frozen=True, kw_only=True)
class NewRequest:
    """What the flags said; None is "not given"."""

    name: str | None = None
    type: str | None = None
    region: str | None = None
    department: str | None = None
    tier: str | None = None
    parent: str | None = None
    situation: str | None = None
    id: str | None = None
    handling_type: str | None = None
    statutory_days: int | None = None
    committed_days: int | None = None
    unit: str | None = None
    implements: str | None = None

    def complete(self) -> bool:
        """Whether the flags give everything required, so that nothing need be asked."""
        if self.implements is not None:
            return self.region is not None
        return None not in (self.name, self.type, self.region, self.department)


Check = Callable[[str], Text | None]


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question of the interactive mode; `flag` is the option that answers it instead."""

    flag: str
    text: Text
    choices: tuple[tuple[str, str], ...] = ()  # (value, what is shown)
    default: str | None = None
    required: bool = True
    check: Check = field(default=lambda _: None)


# Returns the answer, or "" when an optional question is left empty.
Ask = Callable[[Question], str]


@dataclass(frozen=True, kw_only=True)
class Created:
    path: Path
    id: str
    todo: Text


class _Answers:
    """Values from the flags, else from the Ask function; without one, the missing required
    flags are collected so that the error names all of them at once."""

    def __init__(self, ask: Ask | None) -> None:
        self.ask = ask
        self.missing: list[tuple[str, tuple[str, ...]]] = []  # flag, what it may be

    def get(self, given: str | None, question: Question) -> str | None:
        if given is not None:
            problem = question.check(given)
            if problem is not None:
                raise ConfigError(f"{question.flag}：{problem.zh}", f"{question.flag}: {problem.en}")
            return given
        if self.ask is None:
            if question.required and question.default is None:
                self.missing.append((question.flag, tuple(v for v, _ in question.choices)))
            return question.default
        answer = self.ask(question).strip()
        return answer or None

    def stop_if_missing(self) -> None:
        if self.missing:
            zh = "、".join(f"{flag}（{' | '.join(values)}）" if values else flag
                          for flag, values in self.missing)
            en = ", ".join(f"{flag} ({' | '.join(values)})" if values else flag
                           for flag, values in self.missing)
            raise ConfigError(f"缺少必需的选项：{zh}（标准输入不是终端，或给了 --yes，所以不提问）",
                              f"missing required options: {en} (no questions are asked: "
                              "standard input is not a terminal, or --yes)")


def _choice_check(values: Iterable[str], what: Text) -> Check:
    allowed = tuple(values)

    def check(value: str) -> Text | None:
        if value in allowed:
            return None
        return Text(f"“{value}”不是{what.zh}，可选：{'、'.join(allowed)}",
                    f"'{value}' is not {what.en}; choose one of: {', '.join(allowed)}")

    return check


def _text_check(limit: int) -> Check:
    def check(value: str) -> Text | None:
        if not value.strip():
            return Text("不能为空", "must not be empty")
        if len(value) > limit:
            return Text(f"不能超过 {limit} 个字符", f"at most {limit} characters")
        return None

    return check


def _days_check(value: str) -> Text | None:
    if value.isdigit() and int(value) <= 3650:
        return None
    return Text("应为 0 到 3650 之间的整数天数", "must be a whole number of days from 0 to 3650")


class _Scaffold:
    """One run of `svccat new` against one loaded catalogue."""

    def __init__(self, config: Config, ask: Ask | None) -> None:
        self.config = config
        loaded = load_catalogue(config.catalogue, max_file_size=config.max_file_size)
        self.catalogue: Catalogue = loaded.catalogue
        self.documents = loaded.documents
        self.answers = _Answers(ask)

    # --- shared questions ----------------------------------------------------------------

    def region(self, given: str | None, *, not_this: str | None = None) -> str | None:
        regions = self.catalogue.regions

        def check(code: str) -> Text | None:
            if code not in regions:
                return Text(f"区划“{code}”不在区划登记簿中", f"region '{code}' is not in the "
                            "regions registry")
            if code == not_this:
                return Text("基本目录事项已属于该区划", "the baseline item belongs to this region")
            return None

        choices = tuple((r.code, f"{r.code} {r.name}") for r in regions.values()
                        if r.code != not_this)
        default = choices[0][0] if len(choices) == 1 else None
        return self.answers.get(given, Question(
            flag="--region", text=Text("实施区划", "Region"), choices=choices, default=default,
            check=check))

    def department_question(self, region: str | None, candidates: list[str]) -> Question:
        departments = self.catalogue.departments

        def check(ident: str) -> Text | None:
            found = departments.get(ident)
            if found is None:
                return Text(f"部门“{ident}”不在部门登记簿中",
                            f"department '{ident}' is not in the departments registry")
            if region is not None and found.region != region:
                return Text(f"部门“{ident}”属于区划 {found.region}，不属于 {region}",
                            f"department '{ident}' belongs to region {found.region}, not {region}")
            return None

        choices = tuple((d, f"{d} {departments[d].name}") for d in candidates)
        return Question(flag="--department", text=Text("实施部门", "Department"), choices=choices,
                        default=candidates[0] if len(candidates) == 1 else None, check=check)

    def item_id(self, given: str | None, region: str, suggested: str) -> str:
        def check(ident: str) -> Text | None:
            if not valid_id(ident):
                return id_rule()
            if ident in self.catalogue.items or ident in self.catalogue.broken_item_ids:
                return Text(f"标识“{ident}”已被其他事项使用", f"id '{ident}' is already used")
            if item_path(self.config, region, ident).exists():
                return Text(f"{item_path(self.config, region, ident)} 已存在",
                            f"{item_path(self.config, region, ident)} already exists")
            return None

        chosen = self.answers.get(given, Question(
            flag="--id", text=Text("事项标识", "Item id"), default=suggested, check=check))
        return chosen or suggested

    def free_id(self, stem: str) -> str:
        """stem-1, stem-2, ...: the first id no item has."""
        taken = set(self.catalogue.items) | self.catalogue.broken_item_ids
        number = 1
        while f"{stem}-{number}" in taken:
            number += 1
        return f"{stem}-{number}"

    def exercise_level(self, region: str) -> str:
        return EXERCISE_LEVEL[self.catalogue.regions[region].level]

    # --- a new item from scratch ------------------------------------------------------------

    def from_answers(self, request: NewRequest) -> tuple[dict[str, Any], list[str], Text]:
        a = self.answers
        name = a.get(request.name, Question(flag="--name", text=Text("事项名称", "Item name"),
                                            check=_text_check(name_limit())))
        item_type = a.get(request.type, Question(
            flag="--type", text=Text("事项类型", "Item type"),
            choices=tuple((t, t) for t in item_types()),
            check=_choice_check(item_types(), Text("事项类型", "an item type"))))
        region = self.region(request.region)
        candidates = [] if region is None else sorted(
            d.id for d in self.catalogue.departments.values() if d.region == region)
        if region is not None and not candidates:
            raise ConfigError(f"区划 {region} 在部门登记簿中还没有部门，请先登记",
                              f"region {region} has no department in the registry yet; "
                              "register one first")
        department = a.get(request.department, self.department_question(region, candidates))
        tier = self.tier(request)
        parent = situation = None
        if tier not in (None, "main"):
            parent = a.get(request.parent, Question(
                flag="--parent", text=Text("上级事项标识", "Parent item id"),
                check=self.parent_check(region)))
            situation = a.get(request.situation, Question(
                flag="--situation", text=Text("区分情形（如“居民身份证丢失”）",
                                              "Situation (what sets it apart from its siblings)"),
                required=False, check=_text_check(name_limit())))
        elif request.parent is not None or request.situation is not None:
            raise ConfigError("主项没有上级事项和区分情形：用 --tier sub 或 --tier handling",
                              "a main item has no parent or situation: use --tier sub or "
                              "--tier handling")
        handling_type = a.get(request.handling_type, Question(
            flag="--handling-type", text=Text("办件类型", "Handling type"),
            choices=tuple((h, h) for h in handling_types()), required=False,
            check=_choice_check(handling_types(), Text("办件类型", "a handling type"))))
        statutory = self.days(request.statutory_days, "--statutory-days",
                              Text("法定办结时限（天数，可留空）", "Statutory limit in days (may be empty)"))
        committed = None
        if handling_type != "即办件" or request.committed_days is not None:
            committed = self.days(request.committed_days, "--committed-days", Text(
                "承诺办结时限（天数，可留空）", "Committed limit in days (may be empty)"))
        unit = None
        if statutory is not None or committed is not None:
            unit = a.get(request.unit, Question(
                flag="--unit", text=Text("时限单位", "Unit of the limits"),
                choices=tuple((u, u) for u in limit_units()), default=limit_units()[0],
                check=_choice_check(limit_units(), Text("时限单位", "a unit"))))
        a.stop_if_missing()
        assert region is not None and department is not None and name is not None
        assert item_type is not None and tier is not None
        stem = parent or f"{region}-{department.removeprefix(region + '-')}"
        ident = self.item_id(request.id, region, self.free_id(stem))
        data: dict[str, Any] = {
            "id": ident, "name": name, "type": item_type, "region": region,
            "department": department, "exercise_level": self.exercise_level(region),
            "tier": tier, "parent": parent, "situation": situation,
            "handling_type": handling_type,
            "statutory_limit": {"days": statutory, "unit": unit} if statutory is not None else None,
            "committed_limit": {"days": committed, "unit": unit} if committed is not None else None,
            "status": "draft",
        }
        return data, [], NEW_TODO

    def tier(self, request: NewRequest) -> str | None:
        labels = {t: tier_label(t) for t in tiers()}
        aliases = {labels[t].zh: t for t in tiers()}
        given = aliases.get(request.tier or "", request.tier)
        default = "main" if request.parent is None else None
        return self.answers.get(given, Question(
            flag="--tier", text=Text("事项层级", "Tier"),
            choices=tuple((t, f"{t} {labels[t].zh}") for t in tiers()), default=default,
            check=_choice_check(tiers(), Text("事项层级（main、sub、handling）", "a tier"))))

    def parent_check(self, region: str | None) -> Check:
        items = self.catalogue.items

        def check(ident: str) -> Text | None:
            found = items.get(ident)
            if found is None:
                return Text(f"事项“{ident}”不存在", f"item '{ident}' does not exist")
            if found.tier == "handling":
                return Text("业务办理项不能作为上级事项", "a handling item cannot be a parent")
            if region is not None and found.region != region:
                return Text(f"事项“{ident}”属于区划 {found.region}",
                            f"item '{ident}' belongs to region {found.region}")
            return None

        return check

    def days(self, given: int | None, flag: str, text: Text) -> int | None:
        answer = self.answers.get(None if given is None else str(given), Question(
            flag=flag, text=text, required=False, check=_days_check))
        return None if answer is None else int(answer)

    # --- a county's implementation of a baseline item --------------------------------------

    def implementation(self, request: NewRequest) -> tuple[dict[str, Any], list[str], Text]:
        assert request.implements is not None
        copied = [flag for flag, value in (
            ("--name", request.name), ("--type", request.type), ("--tier", request.tier),
            ("--situation", request.situation), ("--handling-type", request.handling_type),
            ("--statutory-days", request.statutory_days),
            ("--committed-days", request.committed_days), ("--unit", request.unit))
            if value is not None]
        if copied:
            raise ConfigError(f"--implements 从基本目录事项复制这些内容，不能同时给出：{'、'.join(copied)}",
                              f"--implements copies these from the baseline item; do not give "
                              f"{', '.join(copied)}")
        baseline = self.catalogue.items.get(request.implements)
        if baseline is None:
            raise ConfigError(f"基本目录事项“{request.implements}”不存在",
                              f"baseline item '{request.implements}' does not exist")
        region = self.region(request.region, not_this=baseline.region)
        self.answers.stop_if_missing()
        assert region is not None
        existing = self.local_parent(baseline.id, region)
        if existing is not None:
            raise ConfigError(f"区划 {region} 已经实施了 {baseline.id}：{existing}",
                              f"region {region} already implements {baseline.id}: {existing}")
        notes: list[str] = []
        department = self.local_department(request.department, baseline, region, notes)
        parent = request.parent
        if parent is not None:
            problem = self.parent_check(region)(parent)
            if problem is not None:
                raise ConfigError(f"--parent：{problem.zh}", f"--parent: {problem.en}")
        elif baseline.parent is not None:
            parent = self.local_parent(baseline.parent, region)
            if parent is None:
                notes.append(f"TODO 上级事项：本区划尚未实施 {baseline.parent}，先运行 svccat new "
                             f"--implements {baseline.parent} --region {region}，再填写 parent / "
                             f"parent: this region does not implement {baseline.parent} yet")
        suggested = self.implementation_id(baseline, region)
        ident = self.item_id(request.id, region, suggested)
        source = self.documents[baseline.file].data
        data: dict[str, Any] = {"id": ident}
        basic = (source.get("codes") or {}).get("basic")
        if basic:
            data["codes"] = {"basic": basic}
        data.update({"region": region, "department": department,
                     "exercise_level": self.exercise_level(region), "parent": parent,
                     "implements": baseline.id, "status": "draft"})
        data.update({key: source[key] for key in ADOPTED if key in source})
        return data, notes, LOCAL_TODO

    def local_department(self, given: str | None, baseline: Item, region: str,
                         notes: list[str]) -> str:
        """The region's department of the baseline department's system (公安 → 公安)."""
        home = self.catalogue.departments.get(baseline.department)
        system = home.system if home is not None else None
        candidates = sorted(d.id for d in self.catalogue.departments.values()
                            if d.region == region and d.system == system)
        if given is None and not candidates:
            notes.append(f"TODO 实施部门：区划 {region} 没有“{system}”系统的部门，请在部门登记簿中"
                         f"登记后填写 department / department: register the region's "
                         f"department of this system, then fill it in")
            return TODO_DEPARTMENT
        question = self.department_question(region, candidates)
        chosen = self.answers.get(given, question)
        self.answers.stop_if_missing()
        assert chosen is not None
        return chosen

    def local_parent(self, baseline_id: str, region: str) -> str | None:
        """The region's own implementation of a baseline item, if it has one."""
        found = sorted(i.id for i in self.catalogue.items.values()
                       if i.region == region and i.implements == baseline_id)
        return found[0] if found else None

    def implementation_id(self, baseline: Item, region: str) -> str:
        rest = baseline.id.removeprefix(f"{baseline.region}-")
        suggested = f"{region}-{rest}"
        taken = set(self.catalogue.items) | self.catalogue.broken_item_ids
        return suggested if suggested not in taken else self.free_id(suggested)


def item_path(config: Config, region: str, ident: str) -> Path:
    """Where the layout puts an item: catalogue/items/<region>/<id>.yaml."""
    return config.catalogue / ITEMS_FOLDER / region / f"{ident}.yaml"


def render(data: dict[str, Any], notes: Iterable[str], todo: Text) -> str:
    """The file's text: the editor's schema line, what is left to do, then the item with
    keys in the item schema's order and no empty key."""
    order = {key: index for index, key in enumerate(key_order())}
    kept = {k: v for k, v in sorted(data.items(), key=lambda kv: order[kv[0]]) if v is not None}
    lines = [SCHEMA_LINE, f"# {todo.zh}", f"# {todo.en}", *(f"# {n}" for n in notes)]
    body = emit.dump(kept)
    if kept.get("department") == TODO_DEPARTMENT:
        body = body.replace(f"department: {TODO_DEPARTMENT}\n",
                            f"department: {TODO_DEPARTMENT}  # TODO 本区划的实施部门 / "
                            "the region's department\n", 1)
    return "\n".join(lines) + "\n" + body


def new_item(config: Config, request: NewRequest, *, ask: Ask | None) -> Created:
    """Write one new item file where the layout says, never over an existing file."""
    run = _Scaffold(config, ask)
    if request.implements is not None:
        data, notes, todo = run.implementation(request)
    else:
        data, notes, todo = run.from_answers(request)
    text = render(data, notes, todo)
    path = item_path(config, data["region"], data["id"])
    canonical = format_text(text, Kind.ITEM, file=str(path)).text
    text = canonical if canonical is not None else text
    loaded = load_text(text, str(path))
    problems = [*loaded.problems,
                *(validate(loaded.document, Kind.ITEM, item=data["id"]) if loaded.document else [])]
    if problems:
        first = problems[0]
        raise ConfigError(f"生成的事项不符合模式：{first.path} {first.message.zh}",
                          f"the new item would not be valid: {first.path} {first.message.en}")
    if path.exists() or path.is_symlink():
        raise ConfigError(f"{path} 已存在，未覆盖", f"{path} already exists; not overwritten")
    write_atomically(path, text)
    return Created(path=path, id=data["id"], todo=todo)
