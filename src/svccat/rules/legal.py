"""Legal basis (D9, D10): every item and every demand rests on a citable, valid provision."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from svccat.model import Item, LegalRef
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Option, Rule

# 优化营商环境条例 §44: only these levels may set a certificate requirement.
CERTIFICATE_LEVELS = ["法律", "行政法规", "国务院决定"]


class NoSettingBasis(Rule):
    """事项没有设定依据。
    An item without a legal basis that sets it.

    Bad:
        legal_basis: {implementing: [...]}
    Good:
        legal_basis:
          setting:
            - {document: jumin-shenfenzhengfa, article: 第十条}
    """

    code = "L001"
    name = "no-setting-basis"
    severity = Severity.ERROR
    title = Text("缺少设定依据", "No setting basis")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        if not item.setting_basis:
            yield Finding(item=item, pointer="/legal_basis", message=Text(
                "事项没有设定依据（legal_basis.setting）", "the item has no setting basis "
                "(legal_basis.setting)"))


def _all_refs(item: Item) -> list[LegalRef]:
    return list(item.legal_refs)


class RepealedBasis(Rule):
    """引用了已废止的法律文件。
    A basis cites a repealed document (the replacing document is named when known).

    Bad:
        - {document: geti-gongshanghu-tiaoli, article: 第八条}   # 《个体工商户条例》已废止
    Good:
        - {document: cujin-geti-gongshanghu-fazhan-tiaoli, article: 第十条}
    """

    code = "L002"
    name = "repealed-basis"
    severity = Severity.ERROR
    title = Text("引用已废止的文件", "Basis cites a repealed document")

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        docs = context.catalogue.legal_documents
        sources: list[tuple[LegalRef, Item | None, str | None]] = []
        for each in context.catalogue.items.values():
            sources += [(ref, each, None) for ref in _all_refs(each)]
        for cert in context.catalogue.retained.values():
            sources += [(ref, None, cert.file) for ref in cert.basis]
        for ref, item, file in sources:
            doc = docs.get(ref.document)
            if doc is None or doc.in_force:
                continue
            replaced = docs.get(doc.replaced_by or "")
            instead_zh = f"，已由《{replaced.title}》替代" if replaced else ""
            instead_en = f"; replaced by {replaced.title}" if replaced else ""
            yield Finding(item=item, file=file, pointer=f"{ref.pointer}/document", message=Text(
                f"《{doc.title}》已于 {doc.repealed or '（日期不详）'} 废止{instead_zh}",
                f"{doc.title} was repealed on {doc.repealed or '(date unknown)'}{instead_en}"))


class BasisWithoutArticle(Rule):
    """依据只写了文件，没有写条款。
    A legal basis names a document but no article.

    Bad:
        - {document: shehui-jiuzhu-zanxing-banfa}
    Good:
        - {document: shehui-jiuzhu-zanxing-banfa, article: 第十一条}
    """

    code = "L003"
    name = "basis-without-article"
    severity = Severity.WARNING
    title = Text("依据缺少条款", "Basis without an article")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for ref in _all_refs(item):
            if not ref.article:
                doc = context.catalogue.legal_documents.get(ref.document)
                title = doc.title if doc else ref.document
                yield Finding(item=item, pointer=f"{ref.pointer}/document", message=Text(
                    f"引用《{title}》未写明条款（article）",
                    f"the reference to {title} gives no article"))


class MaterialWithoutBasis(Rule):
    """要求提交的材料没有依据。
    A material is demanded without a legal basis.

    Bad:
        - {name: 村委会出具的情况说明, necessity: 必要}
    Good:
        - {name: 最低生活保障申请书, necessity: 必要, basis: {document: ..., article: 第十一条}}
    """

    code = "L004"
    name = "material-without-basis"
    severity = Severity.WARNING
    title = Text("材料缺少要求依据", "Material without a basis")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for material in item.materials:
            if material.basis is None:
                yield Finding(item=item, pointer=material.pointer, message=Text(
                    f"材料“{material.name}”没有要求依据（basis）",
                    f"material '{material.name}' is demanded without a basis"))


class CertificateBasisLevel(Rule):
    """证明事项的设定依据层级不够：依《优化营商环境条例》第四十四条，只有法律、行政法规和
    国务院决定可以设定证明事项（可配置）。
    A certificate requirement set by a document whose level may not set one.

    Checked on the certificate register, where certificate requirements are set: an entry
    needs at least one basis of an allowed level. A material that is a certificate must be
    on the register (C001), so it inherits that basis; its own `basis` (often the normative
    document that organises the procedure) is not held to the level.

    Bad:
        basis: [{document: some-county-notice}]     # 规范性文件
    Good:
        basis: [{document: hukou-dengji-tiaoli, article: 第十条}]   # 法律
    """

    code = "L005"
    name = "certificate-basis-level"
    severity = Severity.ERROR
    title = Text("证明事项设定依据层级不足", "Certificate set by a document of too low a level")
    options = {"allowed_levels": Option(list, CERTIFICATE_LEVELS,
                                        "可以设定证明事项的效力层级 / levels that may set one")}

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        allowed = set(options["allowed_levels"])
        docs = context.catalogue.legal_documents
        shown = "、".join(options["allowed_levels"])
        for cert in context.catalogue.retained.values():
            levels = [docs[r.document].level for r in cert.basis if r.document in docs]
            if levels and not allowed.intersection(levels):
                yield Finding(file=cert.file, pointer=f"{cert.pointer}/basis", message=Text(
                    f"证明“{cert.name}”的设定依据层级为{'、'.join(levels)}，只有{shown}可以设定证明事项",
                    f"certificate '{cert.name}' is set by {', '.join(levels)}; only {shown} may "
                    "set one"))


RULES: tuple[type[Rule], ...] = (NoSettingBasis, RepealedBasis, BasisWithoutArticle,
                                 MaterialWithoutBasis, CertificateBasisLevel)
