"""JUnit XML: one test case per problem, so CI test views list them."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from svccat.lint import LintResult
from svccat.report.base import Reporter, code_name, printable


class JunitReporter(Reporter):
    name = "junit"
    suffix = ".xml"

    def render(self, result: LintResult) -> str:
        failing = [p for p in result.problems if p.severity.rank >= self.fail_on.rank]
        suites = ET.Element("testsuites", name="svccat", tests=str(max(len(result.problems), 1)),
                            failures=str(len(failing)))
        suite = ET.SubElement(suites, "testsuite", name="svccat lint",
                              tests=str(max(len(result.problems), 1)), failures=str(len(failing)),
                              errors="0", skipped="0")
        if not result.problems:
            ET.SubElement(suite, "testcase", classname="svccat", name="catalogue")
        for p in result.problems:
            # XML 1.0 cannot hold most control characters, even escaped: shown as \u001b.
            file = printable(p.file)
            where = f"{file}:{p.line}" if p.line else file
            case = ET.SubElement(suite, "testcase", classname=file,
                                 name=f"{p.code} {code_name(p.code)} {where}", file=file)
            if p.line:
                case.set("line", str(p.line))
            message = printable(p.message.get(self.lang))
            if p.severity.rank >= self.fail_on.rank:
                failure = ET.SubElement(case, "failure", message=message, type=p.severity.value)
                failure.text = f"{where}: {p.code} {message}"
            else:
                out = ET.SubElement(case, "system-out")
                out.text = f"{p.severity.value}: {where}: {p.code} {message}"
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
