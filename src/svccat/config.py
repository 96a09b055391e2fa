"""svccat.toml or [tool.svccat] in pyproject.toml → a typed Config; mistakes are exit 2."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from svccat.diff.settings import DiffSettings, parse_diff_settings
from svccat.lintconfig import LintSettings, SettingsError, parse_lint_settings
from svccat.loader import DEFAULT_MAX_FILE_SIZE
from svccat.problems import LANGS, Text

DEFAULT_CATALOGUE = "catalogue"
# No catalogue file is a gigabyte; a larger limit only lets one file exhaust the memory.
MAX_FILE_SIZE_LIMIT = 1024 * 1024 * 1024


class ConfigError(Exception):
    """A usage or configuration mistake: reported in one line, exit code 2."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.text = Text(zh, en)


@dataclass(frozen=True, kw_only=True)
class Config:
    catalogue: Path
    lang: str = "zh"
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    source: Path | None = None  # the file the settings came from
    lint: LintSettings = field(default_factory=LintSettings)
    diff: DiffSettings = field(default_factory=DiffSettings)


# key → (type, check, description); one table drives parsing, errors and docs.
_KEYS: dict[str, tuple[type, str]] = {
    "catalogue": (str, "目录文件夹，相对于配置文件 / catalogue folder, relative to the file"),
    "lang": (str, "zh 或 en / zh or en"),
    "max_file_size": (int, "单个文件的最大字节数 / largest file read, in bytes"),
    "lint": (dict, "检查规则的设置 / lint settings ([tool.svccat.lint])"),
    "diff": (dict, "对比的设置 / diff settings ([tool.svccat.diff])"),
}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest svccat.toml, or pyproject.toml with [tool.svccat], from start upwards."""
    for folder in (start, *start.parents):
        own = folder / "svccat.toml"
        if own.is_file():
            return own, _read(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("svccat")
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{pyproject}：[tool.svccat] 应为表",
                                      f"{pyproject}: [tool.svccat] must be a table")
                return pyproject, table
        if (folder / ".git").exists():
            break  # settings never leak in from outside the repository
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}：TOML 格式错误：{e}", f"{path}: invalid TOML: {e}") from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError(f"{path}：TOML 嵌套层次过深", f"{path}: invalid TOML: nested too deep") \
            from None
    except UnicodeDecodeError as e:  # TOML is UTF-8, and tomllib says so by raising this
        raise ConfigError(f"{path}：不是 UTF-8 编码（第 {e.start} 字节）",
                          f"{path}: not UTF-8 (byte {e.start})") from None
    except OSError as e:
        raise ConfigError(f"{path}：无法读取：{e.strerror}", f"{path}: cannot read: {e.strerror}") \
            from None


def load_config(*, cwd: Path, explicit: Path | None = None, catalogue: Path | None = None,
                lang: str | None = None, require_catalogue: bool = True) -> Config:
    """Settings from the file (explicit, or found from cwd), overridden by the command line."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"找不到配置文件 {explicit}", f"config file {explicit} not found")
        table = _read(explicit)
        if explicit.name == "pyproject.toml":
            table = table.get("tool", {}).get("svccat", {})
        found: tuple[Path, dict[str, Any]] | None = (explicit, table)
    else:
        found = find_config(cwd)
    source, table = found if found else (None, {})
    where = str(source) if source else ""
    for key, value in table.items():
        if key not in _KEYS:
            known = "、".join(_KEYS)
            raise ConfigError(f"{where}：未知配置项“{key}”（可用：{known}）",
                              f"{where}: unknown setting '{key}' (known: {', '.join(_KEYS)})")
        expected = _KEYS[key][0]
        if not isinstance(value, expected) or isinstance(value, bool):
            kind_zh = {str: "文本", int: "整数", dict: "表"}[expected]
            kind_en = {str: "text", int: "an integer", dict: "a table"}[expected]
            raise ConfigError(f"{where}：配置项“{key}”应为{kind_zh}",
                              f"{where}: setting '{key}' must be {kind_en}")
    try:
        lint = parse_lint_settings(table.get("lint", {}))
        diff = parse_diff_settings(table.get("diff", {}))
    except SettingsError as e:
        raise ConfigError(f"{where}：{e.zh}", f"{where}: {e.en}") from None
    for given, origin in ((table.get("lang"), where), (lang, "--lang")):
        if given is not None and given not in LANGS:
            raise ConfigError(f"{origin}：lang 只能是 zh 或 en，而不是“{given}”",
                              f"{origin}: lang must be zh or en, not '{given}'")
    chosen_lang = lang or table.get("lang", "zh")
    max_size = table.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if not 0 < max_size <= MAX_FILE_SIZE_LIMIT:
        raise ConfigError(f"{where}：max_file_size 应为 1 到 {MAX_FILE_SIZE_LIMIT} 之间的整数",
                          f"{where}: max_file_size must be between 1 and {MAX_FILE_SIZE_LIMIT}")
    if catalogue is not None:
        folder = catalogue
    elif "catalogue" in table and source is not None:
        folder = source.parent / table["catalogue"]
    else:
        folder = cwd / DEFAULT_CATALOGUE
    if require_catalogue and not folder.is_dir():
        raise ConfigError(f"找不到目录文件夹 {folder}（用 --catalogue 指定）",
                          f"no catalogue found at {folder} (give one with --catalogue)")
    return Config(catalogue=folder, lang=chosen_lang, max_file_size=max_size, source=source,
                  lint=lint, diff=diff)
