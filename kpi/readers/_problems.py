"""The bilingual message table behind every :class:`RowError`."""

from __future__ import annotations

from kpi.readers._model import ReasonCode, RowError, Severity

__all__ = ["problem"]

# code -> (Chinese, English); ``{value}`` and ``{detail}`` are filled in.
_MESSAGES: dict[ReasonCode, tuple[str, str]] = {
    ReasonCode.EMPTY_FILE: ("文件是空的。", "The file is empty."),
    ReasonCode.HEADER_ONLY: (
        "文件只有表头，没有数据行。",
        "The file has a header but no data rows.",
    ),
    ReasonCode.TOO_LARGE: (
        "文件过大（{value}），上限为 {detail}。",
        "The file is too large ({value}); the limit is {detail}.",
    ),
    ReasonCode.NOT_FOUND: ("找不到文件：{value}", "File not found: {value}"),
    ReasonCode.UNKNOWN_FORMAT: (
        "无法识别文件格式：{detail}。请选择格式或使用列映射。",
        "Unrecognised file format: {detail}. Choose a format or map the columns.",
    ),
    ReasonCode.UNKNOWN_FORMAT_KEY: (
        "没有名为 “{value}” 的格式。",
        "There is no format called '{value}'.",
    ),
    ReasonCode.UNDECODABLE: (
        "无法识别文件的文字编码（已尝试 UTF-8、UTF-16、GB18030）。",
        "Could not decode the text (tried UTF-8, UTF-16, GB18030).",
    ),
    ReasonCode.BINARY_FILE: (
        "这不是文本或 XLSX 文件。",
        "This is neither a text file nor an XLSX workbook.",
    ),
    ReasonCode.SINGLE_COLUMN: (
        "表头只有一列，分隔符可能不对（支持逗号、制表符、分号、竖线）。",
        "The header has a single column: wrong delimiter? "
        "(comma, tab, semicolon and pipe are supported)",
    ),
    ReasonCode.UNPARSABLE_TEXT: (
        "无法解析此行：{detail}",
        "This line cannot be parsed: {detail}",
    ),
    ReasonCode.CORRUPT_XLSX: (
        "XLSX 文件已损坏或不完整，无法打开：{detail}",
        "The XLSX file is damaged or incomplete and cannot be opened: {detail}",
    ),
    ReasonCode.ENCRYPTED_XLSX: (
        "文件受密码保护，或是旧版 .xls 格式。请在 Excel 中取消密码并另存为 .xlsx。",
        "The workbook is password-protected or an old .xls file. "
        "Remove the password in Excel and save it as .xlsx.",
    ),
    ReasonCode.MISSING_COLUMN: (
        "缺少必需的列：{value}",
        "A required column is missing: {value}",
    ),
    ReasonCode.DUPLICATE_COLUMN: (
        "列名重复，无法确定使用哪一列：{value}",
        "The column name appears more than once, so it is ambiguous: {value}",
    ),
    ReasonCode.PERIOD_REQUIRED: (
        "此报表没有日期列，请选择报表覆盖的时间段（例如 2026-05）。",
        "This report has no date column: give the period it covers (e.g. 2026-05).",
    ),
    ReasonCode.BAD_PERIOD: (
        "时间段无法识别：“{value}”（示例：2026-05、2026-Q2、2026-05-01..2026-05-31）。",
        "Unreadable period '{value}' (e.g. 2026-05, 2026-Q2, 2026-05-01..2026-05-31).",
    ),
    ReasonCode.BAD_MAPPING: (
        "列映射有误：{detail}",
        "The column mapping is wrong: {detail}",
    ),
    ReasonCode.TRUNCATED_ROW: (
        "该行字段不足（{detail}），可能被截断。",
        "The row has too few fields ({detail}); it may be truncated.",
    ),
    ReasonCode.EXTRA_FIELDS: (
        "该行字段过多（{detail}），分隔符或引号可能有误。",
        "The row has too many fields ({detail}): a stray delimiter or quote?",
    ),
    ReasonCode.BAD_NUMBER: (
        "“{value}” 不是有效的数字。",
        "'{value}' is not a valid number.",
    ),
    ReasonCode.BAD_DATE: (
        "“{value}” 不是有效的日期（应为 {detail}）。",
        "'{value}' is not a valid date (expected {detail}).",
    ),
    ReasonCode.FUTURE_DATE: (
        "日期 {value} 晚于今天（{detail}）。",
        "The date {value} is in the future (today is {detail}).",
    ),
    ReasonCode.MISSING_VALUE: ("此处不能为空。", "This cell must not be empty."),
    ReasonCode.UNKNOWN_MARKETPLACE: (
        "无法识别的站点：“{value}”。",
        "Unknown marketplace '{value}'.",
    ),
    ReasonCode.ORDER_HAS_BAD_ROW: (
        "订单 {value} 的另一行有错误，整单一起排除，以免订单数和金额对不上。",
        "Another row of order {value} is bad: the whole order is left out so that "
        "order counts and amounts stay consistent.",
    ),
    ReasonCode.PRICE_NOT_YET_KNOWN: (
        "订单尚未确定价格（待处理），销售额按 0 计入，件数照计；订单确认后请重新导入。",
        "No price yet (pending order): sales count as 0, units still count; "
        "import again once the order is settled.",
    ),
    ReasonCode.DUPLICATE_RATE: (
        "同一月份和币种的汇率出现了不止一次：{value}",
        "A second rate for the same month and currency: {value}",
    ),
    ReasonCode.BAD_CURRENCY: (
        "无法识别的币种：“{value}”。",
        "Unknown currency '{value}'.",
    ),
    ReasonCode.FORMULA_TEXT: (
        "单元格以 = + - @ 开头，已按文本保存，不会作为公式执行。",
        "The cell starts with = + - or @; it is kept as text and never run as a formula.",
    ),
    ReasonCode.DUPLICATE_HEADER_IGNORED: (
        "列名重复：{value}（未使用此列）。",
        "Duplicate column name: {value} (the column is not used).",
    ),
    ReasonCode.INTERNAL_ERROR: (
        "读取时发生内部错误（{detail}），请把文件发给我们。",
        "The reader failed unexpectedly ({detail}); please send us the file.",
    ),
    ReasonCode.TOO_MANY_ERRORS: (
        "错误过多，仅列出前 {detail} 条；共 {value} 条。",
        "Too many problems: the first {detail} of {value} are listed.",
    ),
}


def problem(
    code: ReasonCode,
    row: int | None = None,
    column: str = "",
    value: str = "",
    detail: str = "",
    severity: Severity = Severity.ERROR,
) -> RowError:
    zh, en = _MESSAGES[code]
    shown = value if len(value) <= 80 else value[:77] + "..."
    return RowError(
        row=row,
        column=column,
        reason_code=code,
        message_zh=zh.format(value=shown, detail=detail),
        message_en=en.format(value=shown, detail=detail),
        value=value,
        severity=severity,
    )
