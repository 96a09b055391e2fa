"""`svccat init`: a new catalogue repository from the templates that ship in the package.

The files come from `templates/init/` (inside the wheel, or at the top of a source checkout).
A path part starting with `dot-` is written with a leading dot (`dot-github` → `.github`), so
that no packaging tool or git ignore rule ever skips a template. Templates are Jinja with
`@{ name }@` delimiters: workflow files are full of GitHub's own `${{ }}`, which stays as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jinja2 import Environment, StrictUndefined
from jsonschema import Draft202012Validator

from svccat import __version__, emit
from svccat.atomic import write_atomically
from svccat.config import ConfigError
from svccat.resources import schemas_dir, templates_dir
from svccat.schema import load_schemas

INIT_TEMPLATES = "init"
DOT_PREFIX = "dot-"
SCHEMAS_FOLDER = "schemas"

# The region written when none is given: valid, and obviously to be replaced.
PLACEHOLDER_CODE = "000000"
PLACEHOLDER_NAME = "示例地区（请修改）"

# regions.schema.json's `level` → item.schema.json's `exercise_level` (行使层级).
EXERCISE_LEVEL = {"province": "province", "city": "city", "county": "county", "town": "town",
                  "community": "village"}


@dataclass(frozen=True, kw_only=True)
class RegionSpec:
    code: str
    name: str

    @property
    def level(self) -> str:
        return region_level(self.code)


def region_level(code: str) -> str:
    """The level a GB/T 2260 code denotes: 12 digits a community, 9 a town; of six digits,
    xx0000 a province, xxxx00 a city, anything else a county."""
    if len(code) == 12:
        return "community"
    if len(code) == 9:
        return "town"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def parse_region(code: str | None, name: str | None) -> RegionSpec | None:
    """--region and --region-name go together; a code must be a GB/T 2260 code."""
    if code is None and name is None:
        return None
    if code is None or not name or not name.strip():
        raise ConfigError("--region 和 --region-name 需要同时给出",
                          "give --region and --region-name together")
    definition = load_schemas()["common.schema.json"]["$defs"]["regionCode"]
    if not Draft202012Validator(definition).is_valid(code):
        raise ConfigError(f"“{code}”不是行政区划代码（6 位，乡镇 9 位，村居 12 位）",
                          f"'{code}' is not a region code (6 digits; 9 for a town, 12 for a "
                          "community)")
    return RegionSpec(code=code, name=name.strip())


def _office_name(region: RegionSpec) -> str:
    return {"province": f"{region.name}人民政府办公厅", "town": f"{region.name}人民政府",
            "community": f"{region.name}居民委员会"}.get(region.level,
                                                    f"{region.name}人民政府办公室")


def template_context(region: RegionSpec | None) -> dict[str, str]:
    """Everything the templates print; all of it is decided here, none in the templates."""
    chosen = region or RegionSpec(code=PLACEHOLDER_CODE, name=PLACEHOLDER_NAME)
    return {
        "version": __version__,
        "region_code": chosen.code,
        "region_name": chosen.name,
        "region_level": chosen.level,
        "exercise_level": EXERCISE_LEVEL[chosen.level],
        "department_id": f"{chosen.code}-zfb",
        "department_name": _office_name(chosen),
        "item_id": f"{chosen.code}-zwgk-ysqgk",
        "hall_name": f"{chosen.name}政务服务中心",
    }


def _environment() -> Environment:
    env = Environment(
        variable_start_string="@{", variable_end_string="}@",
        block_start_string="@%", block_end_string="%@",
        comment_start_string="@#", comment_end_string="#@",
        undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = emit.scalar  # a name given on the command line, quoted if it must be
    return env


def target_path(relative: PurePosixPath) -> PurePosixPath:
    """Where a template file goes: `dot-github/workflows/x.yml` → `.github/workflows/x.yml`."""
    return PurePosixPath(*("." + part.removeprefix(DOT_PREFIX) if part.startswith(DOT_PREFIX)
                           else part for part in relative.parts))


def planned_files(region: RegionSpec | None) -> dict[PurePosixPath, str]:
    """Every file init writes, by its path inside the new repository, with its text."""
    env = _environment()
    context = template_context(region)
    root = templates_dir() / INIT_TEMPLATES
    files: dict[PurePosixPath, str] = {}
    for source in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = PurePosixPath(source.relative_to(root).as_posix())
        name = env.from_string(str(target_path(relative))).render(context)
        text = env.from_string(source.read_text(encoding="utf-8")).render(context)
        files[PurePosixPath(name)] = text
    for name, text in schema_files().items():
        files[PurePosixPath(SCHEMAS_FOLDER, name)] = text
    return files


def schema_files() -> dict[str, str]:
    """The bundled JSON Schemas by file name, exactly as shipped (their `$id`s are stable)."""
    return {p.name: p.read_text(encoding="utf-8")
            for p in sorted(schemas_dir().glob("*.schema.json"))}


def write_schemas(out: Path, names: list[str] | None = None) -> list[Path]:
    """Write the bundled schemas (all, or the named ones) into out; existing copies are
    replaced, since a schema file is svccat's, never the user's."""
    available = schema_files()
    chosen = names or list(available)
    written = []
    for name in chosen:
        path = out / name
        if path.exists() and path.is_dir():
            raise ConfigError(f"{path} 是文件夹", f"{path} is a folder")
        write_atomically(path, available[name])
        written.append(path)
    return written


def schema_name(name: str) -> str:
    """`item`, `item.schema.json` → `item.schema.json`; an unknown name is a usage error."""
    available = schema_files()
    full = name if name.endswith(".schema.json") else f"{name}.schema.json"
    if full not in available:
        known = [n.removesuffix(".schema.json") for n in available]
        raise ConfigError(f"没有名为“{name}”的模式（可用：{'、'.join(known)}）",
                          f"no schema named '{name}' (known: {', '.join(known)})")
    return full


@dataclass(frozen=True, kw_only=True)
class InitResult:
    root: Path
    written: tuple[PurePosixPath, ...]
    placeholder_region: bool


def init_repository(root: Path, *, region: RegionSpec | None, force: bool = False) -> InitResult:
    """Write a new catalogue repository into root; existing files are a usage error unless
    force, and then nothing at all has been written."""
    files = planned_files(region)
    clashes = [name for name in files if (root / name).exists() or (root / name).is_symlink()]
    folders = [name for name in clashes if (root / name).is_dir()]
    if folders:
        listed = ", ".join(str(f) for f in folders)
        raise ConfigError(f"无法写入，这些位置是文件夹：{listed}",
                          f"cannot write files where folders are: {listed}")
    if clashes and not force:
        listed = ", ".join(str(c) for c in clashes)
        raise ConfigError(f"{root} 中已有这些文件，未写入任何文件（用 --force 覆盖）：{listed}",
                          f"these files already exist in {root}; nothing was written (use "
                          f"--force to overwrite): {listed}")
    if root.exists() and not root.is_dir():
        raise ConfigError(f"{root} 不是文件夹", f"{root} is not a folder")
    _write_all(root, files)
    return InitResult(root=root, written=tuple(files), placeholder_region=region is None)


def _write_all(root: Path, files: Mapping[PurePosixPath, str]) -> None:
    for name, text in files.items():
        path = root / name
        if path.is_symlink():  # replace the link itself, never the file it points at
            path.unlink()
        write_atomically(path, text)
