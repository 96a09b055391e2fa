"""Problems as values: what every stage reports, and the table of stable problem codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


LANGS = ("zh", "en")


@dataclass(frozen=True)
class Text:
    """A message for people, Chinese first, English on request."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, kw_only=True)
class Problem:
    code: str
    severity: Severity
    message: Text
    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    item: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.code)


@dataclass(frozen=True, kw_only=True)
class CodeInfo:
    """Metadata of a problem code: the code never changes once published."""

    code: str
    name: str
    severity: Severity
    title: Text
    doc: str


def _c(code: str, name: str, severity: Severity, zh: str, en: str, doc: str) -> CodeInfo:
    return CodeInfo(code=code, name=name, severity=severity, title=Text(zh, en), doc=doc)


E, W = Severity.ERROR, Severity.WARNING

# Y: a file cannot be read as YAML the way an editor meant it.
# S: a file does not follow its JSON Schema.
# X: a reference between files does not resolve.
# N: suppressions and baselines themselves.
CODES: dict[str, CodeInfo] = {c.code: c for c in (
    _c("Y001", "yaml-syntax", E, "YAML 语法错误", "YAML syntax error",
       "The parser rejected the file. The message gives the parser's own words and position."),
    _c("Y002", "yaml-tab", E, "使用制表符缩进", "Tab used for indentation",
       "YAML forbids tab characters in indentation; use spaces."),
    _c("Y003", "encoding", E, "文件不是 UTF-8 编码", "File is not UTF-8",
       "Item and registry files must be UTF-8. UTF-16 and GBK files are reported at the first "
       "byte that is not UTF-8."),
    _c("Y004", "byte-order-mark", E, "文件以字节顺序标记（BOM）开头", "File starts with a byte-order mark",
       "Save the file as UTF-8 without BOM. The rest of the file is still checked."),
    _c("Y005", "empty-file", E, "文件为空", "Empty file",
       "The file holds no YAML document (only white space or comments)."),
    _c("Y006", "multiple-documents", E, "一个文件包含多个 YAML 文档", "Several documents in one file",
       "Each file holds exactly one item or one registry; remove the second `---` document."),
    _c("Y007", "top-level-not-mapping", E, "顶层不是键值映射", "Top level is not a mapping",
       "The top level of a file must be a mapping of keys to values."),
    _c("Y008", "yaml-alias", E, "不允许使用 YAML 别名", "YAML aliases are not allowed",
       "Aliases (`*name`) repeat content invisibly and can expand without bound; write the "
       "content out."),
    _c("Y009", "file-too-large", E, "文件过大", "File too large",
       "The file is larger than `max_file_size` (configurable) and was not read."),
    _c("Y010", "duplicate-key", E, "重复的键", "Duplicate key",
       "A key appears twice in one mapping. Plain YAML parsers silently keep the last value; "
       "svccat reports it and keeps the first."),
    _c("Y011", "nesting-too-deep", E, "嵌套层次过深", "Nesting too deep",
       "The document nests deeper than any catalogue file needs (64 levels)."),
    _c("Y012", "binary-file", E, "文件包含 NUL 字节（二进制文件）", "File contains NUL bytes (binary)",
       "The file is not text."),
    _c("Y013", "unreadable-file", E, "文件无法读取", "File cannot be read",
       "The operating system refused to read the file (permissions, a dangling link, a folder "
       "named like a file)."),
    _c("Y014", "complex-key", E, "键不是文本", "Key is not text",
       "Keys must be plain text; sequences, mappings and null cannot be keys."),
    _c("Y015", "yaml-tag", E, "不允许使用 YAML 标签", "YAML tags are not allowed",
       "Explicit tags such as `!!python/object` or `!!binary` are refused: a catalogue holds "
       "plain text, numbers, booleans, lists and mappings only."),
    _c("Y016", "link-outside", E, "符号链接指向目录之外", "Link points outside the catalogue",
       "A symbolic link inside the catalogue points outside it; it is not followed."),
    _c("S001", "missing-key", E, "缺少必填字段", "Missing required key",
       "A required key is missing. Reported at the line of the mapping that lacks it."),
    _c("S002", "unknown-key", E, "未知字段", "Unknown key",
       "The key is not part of the format (often a typo). Reported at the key's line."),
    _c("S003", "wrong-type", E, "类型错误", "Wrong type",
       "The value has the wrong type, e.g. text where a number is expected. Unquoted words "
       "like `yes`/`no` are text, not booleans: write `true`/`false`."),
    _c("S004", "value-not-allowed", E, "取值不在允许范围内", "Value not allowed",
       "The value is not one of the allowed values of the field."),
    _c("S005", "bad-format", E, "格式不正确", "Bad format",
       "The text does not have the required form (code pattern, date, address)."),
    _c("S006", "out-of-range", E, "长度或数值超出范围", "Out of range",
       "Too short, too long, too few or too many entries, or a number out of range."),
    _c("S007", "schema-violation", E, "不符合模式", "Schema violation",
       "Any other violation of the JSON Schema (e.g. repeated entries in a list that must be "
       "unique)."),
    _c("X001", "duplicate-id", E, "标识重复", "Duplicate id",
       "Two items, or two entries of one registry, have the same id or code."),
    _c("X002", "unknown-region", E, "未知的行政区划", "Unknown region",
       "The region code is not in the regions registry."),
    _c("X003", "unknown-department", E, "未知的部门", "Unknown department",
       "The department id is not in the departments registry."),
    _c("X004", "unknown-legal-document", E, "未知的法律文件", "Unknown legal document",
       "The document id is not in the legal register."),
    _c("X005", "unknown-certificate", E, "未知的证明事项", "Unknown certificate",
       "The certificate id is in neither the retained nor the cancelled part of the certificate "
       "register."),
    _c("X006", "unknown-parent", E, "未知的上级事项", "Unknown parent item",
       "The parent id names no item of the catalogue."),
    _c("X007", "unknown-baseline", E, "未知的基本目录事项", "Unknown baseline item",
       "`implements` names no item of the catalogue."),
    _c("X008", "parent-cycle", E, "上级事项形成循环", "Parent cycle",
       "Following `parent` from this item comes back to it."),
    _c("X009", "file-name-mismatch", W, "文件名与事项标识不一致", "File name differs from id",
       "An item file is named after its id (`ID.yaml`), so that anyone can find an item's file."),
    _c("N001", "suppression-without-reason", E, "抑制注释缺少理由", "Suppression without a reason",
       "`# svccat: disable=CODE -- reason`: the reason after `--` is required, so that the "
       "catalogue keeps an audit trail. A suppression without one does not apply."),
    _c("N002", "unused-suppression", W, "抑制注释没有抑制任何问题", "Suppression suppresses nothing",
       "The problem it was written for is gone (or never was): remove the comment."),
    _c("N003", "unknown-code-in-suppression", E, "抑制注释中的代码未知", "Unknown code in a suppression",
       "The code named in `disable=` is no problem code of svccat."),
    _c("N004", "stale-baseline-entry", Severity.INFO, "基线中的问题已不存在", "Stale baseline entry",
       "A problem recorded in the baseline file (`--baseline`) no longer occurs: it was fixed. "
       "Rewrite the baseline with `--write-baseline` to drop it."),
    _c("X010", "unknown-registry", E, "未知的登记簿文件", "Unknown registry file",
       "A file under `registries/` is not one of regions, departments, legal-documents or "
       "certificates (as `NAME.yaml` or `NAME/*.yaml`)."),
)}


def make(code: str, zh: str, en: str, *, file: str, line: int | None = None,
         column: int | None = None, path: str = "", item: str | None = None) -> Problem:
    """A problem with the default severity of its code."""
    return Problem(code=code, severity=CODES[code].severity, message=Text(zh, en), file=file,
                   line=line, column=column, path=path, item=item)
