"""Cross-file checks: every reference resolves, ids are unique, parents do not loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from svccat.catalogue import Loaded
from svccat.loader import Document
from svccat.model import LegalRef
from svccat.problems import Problem, make


class _Reporter:
    def __init__(self, loaded: Loaded) -> None:
        self.documents = loaded.documents

    def at(self, code: str, zh: str, en: str, file: str, pointer: str,
           item: str | None = None) -> Problem:
        document: Document | None = self.documents.get(file)
        mark = document.mark(pointer) if document else None
        return make(code, zh, en, file=file, line=mark.line if mark else None,
                    column=mark.column if mark else None, path=pointer, item=item)


def check_references(loaded: Loaded) -> list[Problem]:
    return list(_check(loaded))


def _check(loaded: Loaded) -> Iterator[Problem]:
    cat = loaded.catalogue
    r = _Reporter(loaded)
    known_items = set(cat.items) | cat.broken_item_ids

    def legal(ref: LegalRef, file: str, item: str | None = None) -> Iterator[Problem]:
        if ref.document not in cat.legal_documents:
            yield r.at("X004", f"法律文件“{ref.document}”不在法律文件登记簿中",
                       f"legal document '{ref.document}' is not in the legal register",
                       file, f"{ref.pointer}/document", item)

    def region(code: str | None, file: str, pointer: str, item: str | None = None
               ) -> Iterator[Problem]:
        if code is not None and code not in cat.regions:
            yield r.at("X002", f"行政区划“{code}”不在区划登记簿中",
                       f"region '{code}' is not in the regions registry", file, pointer, item)

    def department(ident: str | None, file: str, pointer: str, item: str | None = None
                   ) -> Iterator[Problem]:
        if ident is not None and ident not in cat.departments:
            yield r.at("X003", f"部门“{ident}”不在部门登记簿中",
                       f"department '{ident}' is not in the departments registry",
                       file, pointer, item)

    for reg in cat.regions.values():
        yield from region(reg.parent, reg.file, f"{reg.pointer}/parent")
    for dep in cat.departments.values():
        yield from region(dep.region, dep.file, f"{dep.pointer}/region")
    for doc in cat.legal_documents.values():
        if doc.replaced_by and doc.replaced_by not in cat.legal_documents:
            yield r.at("X004", f"替代文件“{doc.replaced_by}”不在法律文件登记簿中",
                       f"replacing document '{doc.replaced_by}' is not in the legal register",
                       doc.file, f"{doc.pointer}/replaced_by")
    for cert in cat.retained.values():
        for ref in cert.basis:
            yield from legal(ref, cert.file)
        yield from department(cert.data_holder, cert.file, f"{cert.pointer}/data_sharing/holder")
    for cancelled in cat.cancelled.values():
        yield from legal(cancelled.cancelled_by, cancelled.file)

    for item in cat.items.values():
        f, i = item.file, item.id
        if PurePosixPath(f).stem != i:
            yield r.at("X009", f"文件名应为“{i}.yaml”，与事项标识一致",
                       f"file should be named '{i}.yaml' after the item's id", f, "/id", i)
        yield from region(item.region, f, "/region", i)
        yield from department(item.department, f, "/department", i)
        for ref in item.legal_refs:
            yield from legal(ref, f, i)
        for material in item.materials:
            cert_id = material.certificate
            if cert_id and cert_id not in cat.retained and cert_id not in cat.cancelled:
                yield r.at("X005", f"证明事项“{cert_id}”不在证明事项清单中",
                           f"certificate '{cert_id}' is not in the certificate register",
                           f, f"{material.pointer}/certificate", i)
        if item.parent and item.parent not in known_items:
            yield r.at("X006", f"上级事项“{item.parent}”不存在", f"parent item '{item.parent}' "
                       "does not exist", f, "/parent", i)
        if item.implements and item.implements not in known_items:
            yield r.at("X007", f"对应的基本目录事项“{item.implements}”不存在",
                       f"baseline item '{item.implements}' does not exist", f, "/implements", i)
    yield from _cycles(loaded, r)


def _cycles(loaded: Loaded, r: _Reporter) -> Iterator[Problem]:
    items = loaded.catalogue.items
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(items):
        path: list[str] = []
        current: str | None = start
        while current is not None and current in items and state.get(current) is None:
            state[current] = 1
            path.append(current)
            current = items[current].parent
        if current is not None and state.get(current) == 1:
            loop = path[path.index(current):]
            shown = " → ".join([*loop, current])
            for ident in loop:  # every member is told, since any of them may be the mistake
                yield r.at("X008", f"上级事项形成循环：{shown}", f"parent cycle: {shown}",
                           items[ident].file, "/parent", ident)
        for ident in path:
            state[ident] = 2
