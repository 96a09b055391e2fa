"""What `svccat diff` compares, decided from its arguments, and the comparison itself."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from svccat.config import Config, ConfigError
from svccat.diff.changed import load_changed, load_changed_worktree
from svccat.diff.compare import CatalogueDiff, diff_catalogues
from svccat.diff.kinds import KINDS, Effect
from svccat.diff.matrix import Matrix, consistency_matrix
from svccat.diff.sources import check_revision, load_folder, load_revision

_REGION = re.compile(r"[0-9]{6}(?:[0-9]{3}(?:[0-9]{3})?)?")


@dataclass(frozen=True)
class Request:
    args: tuple[str, ...]
    base: str | None = None
    matrix: bool = False
    threshold: float | None = None


def compare(config: Config, request: Request) -> CatalogueDiff | Matrix:
    """Two regions, a region and its baseline, two folders, or two git revisions."""
    settings = config.diff if request.threshold is None else replace(
        config.diff, threshold=request.threshold)
    args = request.args
    if request.matrix:
        loaded = load_folder(config.catalogue, max_file_size=config.max_file_size)
        unknown = [a for a in args if a not in loaded.catalogue.regions]
        if len(args) < 2 or unknown:
            raise ConfigError(f"--matrix 需要两个以上已登记的区划代码（未知：{'、'.join(unknown)}）",
                              f"--matrix needs two or more registered region codes (unknown: "
                              f"{', '.join(unknown)})")
        return consistency_matrix(loaded.catalogue, list(args))
    if request.base is not None:
        if args:
            raise ConfigError("--base 不能与其他比较对象同时使用",
                              "--base takes no other arguments")
        worktree = "工作区" if config.lang == "zh" else "working tree"
        # As between two revisions: only what differs, else the full reading.
        changed = load_changed_worktree(config.catalogue, request.base,
                                        max_file_size=config.max_file_size,
                                        threshold=settings.threshold)
        if changed is not None:
            return diff_catalogues(changed.old, changed.new, old_label=request.base,
                                   new_label=worktree, settings=settings)
        old = load_revision(config.catalogue, request.base, max_file_size=config.max_file_size)
        new = load_folder(config.catalogue, max_file_size=config.max_file_size)
        return diff_catalogues(old.catalogue, new.catalogue, old_label=request.base,
                               new_label=worktree, settings=settings)
    if len(args) == 1 and ".." in args[0]:
        first, _, second = args[0].partition("..")
        first, second = check_revision(first or "HEAD"), check_revision(second or "HEAD")
        # Read only the files that differ; the full reading when that cannot give the same
        # diff (see svccat.diff.changed).
        changed = load_changed(config.catalogue, first, second,
                               max_file_size=config.max_file_size, threshold=settings.threshold)
        if changed is not None:
            return diff_catalogues(changed.old, changed.new, old_label=first, new_label=second,
                                   settings=settings)
        old = load_revision(config.catalogue, first, max_file_size=config.max_file_size)
        new = load_revision(config.catalogue, second, max_file_size=config.max_file_size)
        return diff_catalogues(old.catalogue, new.catalogue, old_label=first, new_label=second,
                               settings=settings)
    if len(args) != 2:
        raise ConfigError("用法：svccat diff 区划A 区划B | 文件夹A 文件夹B | 版本1..版本2 | --base 版本",
                          "usage: svccat diff REGION_A REGION_B | DIR_A DIR_B | REV1..REV2 | "
                          "--base REV")
    left, right = args
    if all(_REGION.fullmatch(a) for a in args):
        loaded = load_folder(config.catalogue, max_file_size=config.max_file_size)
        cat = loaded.catalogue
        for code in args:
            if code not in cat.regions:
                raise ConfigError(f"区划“{code}”不在区划登记簿中",
                                  f"region '{code}' is not in the regions registry")
        items = {code: [i for i in cat.items.values() if i.region == code] for code in args}
        return diff_catalogues(cat, cat, old_label=f"{cat.regions[left].name}（{left}）",
                               new_label=f"{cat.regions[right].name}（{right}）", settings=settings,
                               old_items=items[left], new_items=items[right], by_baseline=True)
    if all(Path(a).is_dir() for a in args):
        old = load_folder(Path(left), max_file_size=config.max_file_size)
        new = load_folder(Path(right), max_file_size=config.max_file_size)
        return diff_catalogues(old.catalogue, new.catalogue, old_label=left, new_label=right,
                               settings=settings)
    raise ConfigError(f"无法比较“{left}”和“{right}”：应为两个区划代码或两个文件夹",
                      f"cannot compare '{left}' and '{right}': give two region codes or two "
                      "folders")


def failing(diff: CatalogueDiff, fail_on: Sequence[str]) -> bool:
    """Whether any change is of a kind named in fail_on, or of an effect at or above one
    named there (in the order of Effect: burden up first, editorial last)."""
    for name in fail_on:
        if name not in KINDS and name not in {e.value for e in Effect}:
            raise ConfigError(f"--fail-on 的取值“{name}”既不是变化类别也不是变化类型",
                              f"--fail-on '{name}' is neither an effect nor a change kind")
    chosen = set(fail_on)
    lowest = max((e.rank for e in Effect if e.value in chosen), default=-1)
    return any(c.kind in chosen or c.effect.rank <= lowest for c in diff.changes)
