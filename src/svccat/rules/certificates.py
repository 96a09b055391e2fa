"""Certificates (D4, D6, D10): nothing outside the register (清单之外无证明)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from svccat.model import Item, Material
from svccat.problems import Severity, Text
from svccat.rules.base import Context, Finding, Option, Rule

# 国办发〔2020〕42号: notification-commitment does not apply in these areas.
COMMITMENT_EXEMPT_AREAS = ["国家安全", "公共安全", "金融审慎监管", "生态环境保护", "生命健康财产", "重要涉外"]
PROVED_BY_ID = ["户籍证明", "户口证明", "年龄证明", "出生日期证明", "住址证明", "身份关系证明"]


class UnregisteredCertificate(Rule):
    """材料是一项证明，却没有对应证明事项清单（清单之外无证明）。
    A material that is a certificate is not linked to the retained register.

    A material counts as a certificate when its name contains one of `patterns` (default
    “证明”), it is not a form (material_type 申请表格文书, such as 证明事项告知承诺书), its
    name contains none of `exempt`, and it is not linked with `certificate:`. Link it to the
    register, or drop it.

    Bad:
        - {name: 村委会出具的家庭困难证明, necessity: 必要}
    Good:
        - {name: 居民家庭经济状况核对报告, necessity: 必要, certificate: jiating-jingji-hedui}
    """

    code = "C001"
    name = "unregistered-certificate"
    severity = Severity.ERROR
    title = Text("证明不在证明事项清单中", "Certificate not on the register")
    options = {
        "patterns": Option(list, ["证明"], "表明材料是证明的名称片段 / name parts of a certificate"),
        "exempt": Option(list, ["身份证明", "医学证明", "承诺书"],
                         "不视为证明事项的名称片段 / name parts that are no certificate"),
    }

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for m in item.materials:
            if m.certificate or m.material_type == "申请表格文书" \
                    or any(word in m.name for word in options["exempt"]):
                continue
            if any(word in m.name for word in options["patterns"]):
                yield Finding(item=item, pointer=f"{m.pointer}/name", message=Text(
                    f"“{m.name}”是证明，但不在证明事项清单中（清单之外无证明）",
                    f"'{m.name}' is a certificate that is not on the register"))


class CancelledCertificate(Rule):
    """要求提交已取消的证明。
    A material demands a cancelled certificate (the message names its category and the
    cancelling document).

    Bad:
        - {name: 居住证明, necessity: 必要, certificate: juzhu-zhengming}   # 已取消
    Good:
        # 删除该材料，由办理单位核验居住证信息
    """

    code = "C002"
    name = "cancelled-certificate"
    severity = Severity.ERROR
    title = Text("要求已取消的证明", "Cancelled certificate demanded")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for m in item.materials:
            cancelled = context.catalogue.cancelled.get(m.certificate or "")
            if cancelled is None:
                continue
            doc = context.catalogue.legal_documents.get(cancelled.cancelled_by.document)
            by = f"{doc.title}{f'（{doc.number}）' if doc.number else ''}" if doc else \
                cancelled.cancelled_by.document
            yield Finding(item=item, pointer=f"{m.pointer}/certificate", message=Text(
                f"“{cancelled.name}”已取消（{cancelled.category}证明，{by}）：{cancelled.reason}",
                f"'{cancelled.name}' was cancelled ({cancelled.category}, by {by}): "
                f"{cancelled.reason}"))


def _retained(material: Material, context: Context) -> Any:
    return context.catalogue.retained.get(material.certificate or "")


class ShareableCertificate(Rule):
    """证明可以通过数据共享获取，却仍要申请人自己去开（变群众跑腿为信息跑腿）。
    The applicant must fetch a certificate that the office can obtain by data sharing.

    Bad:
        - {name: 婚姻登记记录证明, certificate: hunyin-dengji-jilu, data_sharing: false}
    Good:
        - {name: 婚姻登记记录证明, certificate: hunyin-dengji-jilu, data_sharing: true}
    """

    code = "C003"
    name = "shareable-certificate"
    severity = Severity.WARNING
    title = Text("可共享获取的证明仍由申请人提交", "Shareable certificate fetched by the applicant")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for m in item.materials:
            cert = _retained(m, context)
            if cert is None or not cert.data_holder or m.data_sharing:
                continue
            holder = context.catalogue.departments.get(cert.data_holder)
            name = holder.name if holder else cert.data_holder
            yield Finding(item=item, pointer=f"{m.pointer}/certificate", message=Text(
                f"“{cert.name}”可从{name}通过数据共享获取，不应要求申请人提交",
                f"'{cert.name}' can be obtained from {name} by data sharing; do not make the "
                "applicant bring it"))


class ProvedByLegalId(Rule):
    """证明的内容已能由身份证、户口簿、驾驶证、社保卡等法定证件证明。
    A certificate demands what a legal ID (身份证, 户口簿, 驾驶证, 社保卡) already proves.

    Bad:
        - {name: 户籍证明, necessity: 必要, certificate: huji-zhengming}
    Good:
        - {name: 居民户口簿, necessity: 必要}
    """

    code = "C004"
    name = "proved-by-legal-id"
    severity = Severity.WARNING
    title = Text("法定证件已能证明", "A legal ID already proves it")
    options = {"patterns": Option(list, PROVED_BY_ID,
                                  "法定证件已能证明的证明名称 / certificates a legal ID proves")}

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for m in item.materials:
            if m.data_sharing:  # the office looks it up; nothing is demanded of the applicant
                continue
            cert = _retained(m, context)
            names = [m.name, cert.name] if cert else [m.name]
            hit = next((p for p in options["patterns"] for n in names if p in n), None)
            if hit:
                yield Finding(item=item, pointer=f"{m.pointer}/name", message=Text(
                    f"“{m.name}”（{hit}）已能由身份证、户口簿等法定证件证明，不应另行要求",
                    f"'{m.name}' ({hit}) is already proved by a legal ID (ID card, household "
                    "register); do not demand it"))


class CommitmentNotOffered(Rule):
    """可以实行告知承诺的证明，没有提供承诺替代（国办发〔2020〕42号）。
    A commitment-eligible certificate is not offered notification-commitment, outside the
    exempt areas (national security, public safety, prudential financial supervision,
    ecology, health/life/property, important foreign matters).

    Bad:
        - {name: 无犯罪记录证明, certificate: wufanzui, commitment: false}
    Good:
        - {name: 无犯罪记录证明, certificate: wufanzui, commitment: true}
    """

    code = "C005"
    name = "commitment-not-offered"
    severity = Severity.WARNING
    title = Text("未实行告知承诺", "Notification-commitment not offered")
    options = {"exempt_areas": Option(list, COMMITMENT_EXEMPT_AREAS,
                                      "不适用告知承诺的领域 / areas exempt from commitment")}

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        for m in item.materials:
            cert = _retained(m, context)
            if cert is None or not cert.commitment or m.commitment or m.data_sharing:
                continue
            if cert.area in options["exempt_areas"]:
                continue
            yield Finding(item=item, pointer=f"{m.pointer}/certificate", message=Text(
                f"“{cert.name}”可以实行告知承诺，应允许申请人以书面承诺替代",
                f"'{cert.name}' is eligible for notification-commitment; offer it"))


class CircularCertificate(Rule):
    """证明由办理单位自己开具：应由办理单位自行核验，不得转嫁给申请人（循环证明）。
    A certificate issued by the handling unit itself.

    Bad:
        department: 370784-gaj (安丘市公安局)
        materials: [{name: 户籍证明, certificate: x}]   # issuing_unit: 安丘市公安局
    Good:
        # 办理单位自行查询户籍信息
    """

    code = "C006"
    name = "circular-certificate"
    severity = Severity.ERROR
    title = Text("办理单位自己开具的证明", "Certificate issued by the handling unit")

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        unit = context.department_name(item)
        if not unit:
            return
        for m in item.materials:
            cert = _retained(m, context)
            if m.data_sharing:  # the unit already checks its own records
                continue
            if cert is not None and (unit in cert.issuing_unit or cert.issuing_unit in unit):
                yield Finding(item=item, pointer=f"{m.pointer}/certificate", message=Text(
                    f"“{cert.name}”由{cert.issuing_unit}开具，正是办理单位{unit}：应自行核验",
                    f"'{cert.name}' is issued by {cert.issuing_unit}, the handling unit "
                    f"itself ({unit}): check it yourself"))


RULES: tuple[type[Rule], ...] = (UnregisteredCertificate, CancelledCertificate,
                                 ShareableCertificate, ProvedByLegalId, CommitmentNotOffered,
                                 CircularCertificate)
