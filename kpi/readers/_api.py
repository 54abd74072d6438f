"""The public entry points: detect, read, preview, formats."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial

from kpi.facts import empty_facts
from kpi.readers._context import Columns, ReadContext, strip_currency_suffix
from kpi.readers._generic import columns_for, read_generic
from kpi.readers._markets import marketplace_from_filename
from kpi.readers._model import (
    DEFAULT_MAX_BYTES,
    ColumnMapping,
    Detection,
    FormatInfo,
    Mode,
    Period,
    Preview,
    ReadOptions,
    ReadResult,
    ReasonCode,
    RowError,
    Severity,
)
from kpi.readers._period import guess_period
from kpi.readers._problems import problem
from kpi.readers._registry import (
    FORMATS,
    GENERIC_INFO,
    HeaderMatch,
    find_spec,
    match_header,
)
from kpi.readers._source import (
    Grid,
    Raw,
    RawProblem,
    Source,
    grid_from_rows,
    head_rows,
    load,
    normalise_header,
)
from kpi.readers._spec import FormatSpec, ReaderOutput

__all__ = ["detect", "escape_cell", "formats", "preview", "read"]

_ACCEPT = 0.7
Heads = list[tuple[str, list[list[str]]]]


def formats() -> tuple[FormatInfo, ...]:
    """Every format a user can pick, the generic (mapped) one last."""
    return (*(spec.info for spec in FORMATS), GENERIC_INFO)


def escape_cell(value: str) -> str:
    """Text for a spreadsheet export: a leading = + - @ is quoted so it never runs."""
    if value and value[0] in "=+-@\t\r" and not re.fullmatch(r"[-+]?\d[\d.,]*", value):
        return "'" + value
    return value


def _best_matches(
    heads: Heads, specs: tuple[FormatSpec, ...]
) -> list[tuple[str, HeaderMatch]]:
    best: dict[str, tuple[str, HeaderMatch]] = {}
    for sheet, rows in heads:
        for spec in specs:
            for index, row in enumerate(rows[: spec.max_header_row]):
                if not any(cell.strip() for cell in row):
                    continue
                match = match_header(spec, row, index)
                current = best.get(spec.info.key)
                if current is None or match.confidence > current[1].confidence:
                    best[spec.info.key] = (sheet, match)
    return sorted(best.values(), key=lambda item: -item[1].confidence)


def _detect(
    raw: Raw, specs: tuple[FormatSpec, ...] = FORMATS
) -> tuple[Detection, Heads]:
    heads, encoding, delimiter = head_rows(raw)
    errors: list[RowError] = []
    if not any(any(c.strip() for c in row) for _, rows in heads for row in rows):
        raise RawProblem(problem(ReasonCode.EMPTY_FILE))
    ranked = _best_matches(heads, specs)
    period_hint = guess_period(raw.name)
    market_hint = marketplace_from_filename(raw.name)
    candidates = tuple(
        (m.spec.info.key, m.confidence) for _, m in ranked if m.confidence > 0
    )[:5]
    if ranked and ranked[0][1].confidence >= _ACCEPT:
        sheet, match = ranked[0]
        info = match.spec.info
        shown = ", ".join(f"'{a}'" for a in _shown_columns(match))
        reason = (
            f"row {match.row_index + 1} is the header of {info.label_en}: "
            f"{match.known} of {match.width} columns known ({shown})"
        )
        reason_zh = (
            f"第 {match.row_index + 1} 行是“{info.label_zh}”的表头："
            f"{match.width} 列中认识 {match.known} 列（{shown}）"
        )
        return (
            Detection(
                format=info.key,
                confidence=match.confidence,
                reason=reason,
                reason_zh=reason_zh,
                encoding=encoding,
                delimiter=delimiter,
                header_row=match.row_index + 1,
                sheet=sheet or None,
                period_hint=period_hint,
                marketplace_hint=market_hint,
                candidates=candidates,
            ),
            heads,
        )
    widths = [len([c for c in row if c.strip()]) for _, rows in heads for row in rows]
    if widths and max(widths) <= 1:
        errors.append(problem(ReasonCode.SINGLE_COLUMN))
    if ranked and ranked[0][1].confidence > 0:
        closest = ranked[0][1]
        detail = f"closest is {closest.spec.info.label_en}, missing " + ", ".join(
            closest.spec.columns.aliases[n][0] for n in closest.missing
        )
        detail_zh = f"最接近“{closest.spec.info.label_zh}”，缺少 " + "、".join(
            closest.spec.columns.aliases[n][0] for n in closest.missing
        )
    else:
        detail = "no known header found"
        detail_zh = "没有找到已知的表头"
    errors.append(problem(ReasonCode.UNKNOWN_FORMAT, detail=detail))
    first_sheet = heads[0][0] if heads else ""
    return (
        Detection(
            format=None,
            confidence=0.0,
            reason=detail,
            reason_zh=detail_zh,
            encoding=encoding,
            delimiter=delimiter,
            header_row=_first_header_row(heads),
            sheet=first_sheet or None,
            period_hint=period_hint,
            marketplace_hint=market_hint,
            candidates=candidates,
            errors=tuple(errors),
        ),
        heads,
    )


def _shown_columns(match: HeaderMatch) -> list[str]:
    return [match.spec.columns.aliases[n][0] for n in match.spec.columns.required[:3]]


def _first_header_row(heads: Heads) -> int | None:
    """The first row of the first sheet with two or more non-numeric cells."""
    for _, rows in heads[:1]:
        for index, row in enumerate(rows):
            cells = [c for c in row if c.strip()]
            texty = [c for c in cells if not re.fullmatch(r"[-+$€£¥%.,\d\s]+", c)]
            if len(cells) >= 2 and len(texty) >= len(cells) / 2:
                return index + 1
    return None


def _undetected(errors: list[RowError]) -> Detection:
    return Detection(
        format=None,
        confidence=0.0,
        reason=errors[0].message_en if errors else "",
        reason_zh=errors[0].message_zh if errors else "",
        encoding="",
        delimiter="",
        header_row=None,
        errors=tuple(errors),
    )


def detect(
    source: Source, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Detection:
    """Guess the format from the header rows (never from the file name)."""
    try:
        raw = load(source, name, max_bytes)
        return _detect(raw)[0]
    except RawProblem as exc:
        return _undetected([exc.error])
    except Exception as exc:  # never a traceback for a bad upload
        return _undetected(
            [problem(ReasonCode.INTERNAL_ERROR, detail=type(exc).__name__)]
        )


def _failed(
    error: RowError,
    mode: Mode,
    fmt: str | None = None,
    detection: Detection | None = None,
    encoding: str = "",
    period: Period | None = None,
) -> ReadResult:
    return ReadResult(
        facts=empty_facts(),
        format=fmt,
        encoding=encoding,
        period=period,
        row_count=0,
        errors=[error],
        warnings=[],
        mode=mode,
        detection=detection,
        error_count=1,
        fatal=True,
    )


def read(
    source: Source,
    format: str | None = None,
    period: Period | str | None = None,
    mapping: ColumnMapping | Mapping[str, object] | None = None,
    *,
    mode: Mode = Mode.STRICT,
    options: ReadOptions | None = None,
    name: str | None = None,
) -> ReadResult:
    """Read one export into facts; never raises for bad input, reports it instead.

    ``format`` overrides detection (a key from :func:`formats`); ``mapping`` reads
    any table through a saved column mapping. ``period`` is required by reports
    without a date column; when missing it is taken from the file name if it says.
    """
    opts = options or ReadOptions()
    state: dict[str, object] = {}
    try:
        return _read(source, format, period, mapping, mode, opts, name, state)
    except RawProblem as exc:
        detection = state.get("detection")
        return _failed(
            exc.error,
            mode,
            fmt=str(state["format"]) if state.get("format") else None,
            detection=detection if isinstance(detection, Detection) else None,
            encoding=str(state.get("encoding", "")),
            period=p if isinstance(p := state.get("period"), Period) else None,
        )
    except Exception as exc:  # never a traceback for a bad upload
        return _failed(
            problem(ReasonCode.INTERNAL_ERROR, detail=f"{type(exc).__name__}: {exc}"),
            mode,
        )


def _parse_period(period: Period | str | None) -> Period | None:
    if period is None or isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except ValueError:
        raise RawProblem(problem(ReasonCode.BAD_PERIOD, value=period)) from None


def _drop_description_row(grid: Grid, spec: FormatSpec) -> None:
    """TikTok Shop puts a sentence per column in row 2; it is not an order."""
    if not spec.description_row or len(grid.body) == 0:
        return
    aliases = spec.columns.normalised(spec.description_row)
    for pos, head in enumerate(grid.header):
        if normalise_header(head) in aliases:
            cell = str(grid.body.iloc[0, pos]).strip()
            if cell and not re.fullmatch(r"[\w\-]+", cell):
                grid.body = grid.body.iloc[1:].reset_index(drop=True)
                grid.rows = grid.rows[1:]
            return


def _read(
    source: Source,
    format_key: str | None,
    period_arg: Period | str | None,
    mapping_arg: ColumnMapping | Mapping[str, object] | None,
    mode: Mode,
    opts: ReadOptions,
    name: str | None,
    state: dict[str, object],
) -> ReadResult:
    period = _parse_period(period_arg)
    state["period"] = period
    raw = load(source, name, opts.max_bytes)
    mapping: ColumnMapping | None = None
    if mapping_arg:  # None or an empty saved mapping ({}) means "no mapping"
        if isinstance(mapping_arg, ColumnMapping):
            mapping = mapping_arg
        else:
            try:
                mapping = ColumnMapping.from_dict(mapping_arg)
            except (ValueError, TypeError) as exc:
                raise RawProblem(
                    problem(ReasonCode.BAD_MAPPING, detail=str(exc))
                ) from None
    notes: list[str] = []
    spec: FormatSpec | None = None
    if mapping is not None:
        detection, heads = _detect(raw)
        state["detection"] = detection
        state["format"] = GENERIC_INFO.key
        sheet = mapping.sheet or (heads[0][0] if heads else "")
        header_index = max(mapping.header_row - 1, 0)
        needs_period = not mapping.date_column
        fmt = GENERIC_INFO.key
    else:
        if format_key is not None and format_key != GENERIC_INFO.key:
            spec = find_spec(format_key)
            if spec is None:
                raise RawProblem(
                    problem(ReasonCode.UNKNOWN_FORMAT_KEY, value=format_key)
                )
            detection, heads = _detect(raw, (spec,))
            state["detection"] = detection
            if detection.format is None:
                ranked = _best_matches(heads, (spec,))
                missing = ranked[0][1].missing if ranked else spec.columns.required
                names = " / ".join(spec.columns.aliases[n][0] for n in missing)
                raise RawProblem(problem(ReasonCode.MISSING_COLUMN, value=names))
        else:
            detection, heads = _detect(raw)
            state["detection"] = detection
            if detection.format is None:
                raise RawProblem(detection.errors[0])
            spec = find_spec(detection.format)
            assert spec is not None
        state["format"] = spec.info.key
        sheet = detection.sheet or ""
        header_index = (detection.header_row or 1) - 1
        needs_period = spec.info.needs_period
        fmt = spec.info.key
    state["encoding"] = detection.encoding
    if period is None and needs_period and detection.period_hint is not None:
        period = detection.period_hint
        state["period"] = period
        notes.append(f"period {period} taken from the file name")
    columns: Columns
    run: Callable[[ReadContext], ReaderOutput]
    if mapping is not None:
        columns, run = columns_for(mapping), partial(read_generic, mapping=mapping)
    else:
        assert spec is not None
        columns, run = spec.columns, spec.read
    grid = grid_from_rows(raw, sheet or None, header_index, _wanted(columns))
    if spec is not None:
        _drop_description_row(grid, spec)
    if len(grid.body) == 0 and not grid.problems:
        raise RawProblem(problem(ReasonCode.HEADER_ONLY))
    ctx = ReadContext(grid, columns, opts, period, raw.name)
    return _result(ctx, run(ctx), fmt, detection, mode, opts, notes)


def _wanted(columns: Columns) -> Callable[[list[str]], tuple[set[int], set[int]]]:
    """Header positions a reader may ask for (plus the first, for summary rows),
    and those of its plain-number columns."""
    aliases = {a for name in columns.aliases for a in columns.normalised(name)}
    numbers = {a for name in columns.numeric for a in columns.normalised(name)}

    def pick(header: list[str]) -> tuple[set[int], set[int]]:
        keep, numeric = {0}, set()
        for pos, head in enumerate(header):
            key = normalise_header(head)
            if key in aliases or strip_currency_suffix(key) in aliases:
                keep.add(pos)
            if key in numbers:
                numeric.add(pos)
        return keep, numeric

    return pick


def _duplicate_warnings(grid: Grid) -> list[RowError]:
    seen: dict[str, int] = {}
    warnings: list[RowError] = []
    for head in grid.header:
        key = normalise_header(head)
        if not key:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            warnings.append(
                problem(
                    ReasonCode.DUPLICATE_HEADER_IGNORED,
                    column=head,
                    value=head,
                    severity=Severity.WARNING,
                )
            )
    return warnings


def _result(
    ctx: ReadContext,
    out: ReaderOutput,
    fmt: str,
    detection: Detection,
    mode: Mode,
    opts: ReadOptions,
    notes: list[str],
) -> ReadResult:
    errors = sorted(ctx.errors, key=lambda e: (e.row or 0, e.column))
    if ctx.error_count > len(errors):
        errors.append(
            problem(
                ReasonCode.TOO_MANY_ERRORS,
                value=str(ctx.error_count),
                detail=str(len(errors)),
            )
        )
    rejected = {int(r) for r in ctx.grid.rows[ctx.bad]}
    rejected |= {int(e.row) for e in ctx.errors if e.row is not None}
    facts = out.facts if (mode is Mode.SKIP_BAD_ROWS or not errors) else empty_facts()
    row_count = len(ctx.grid.body) + len(
        [p for p in ctx.grid.problems if p.row is not None]
    )
    return ReadResult(
        facts=facts,
        format=fmt,
        encoding=detection.encoding,
        period=out.period or ctx.period,
        row_count=row_count,
        errors=errors,
        warnings=[*_duplicate_warnings(ctx.grid), *ctx.warnings],
        mode=mode,
        detection=detection,
        rejected_rows=tuple(sorted(rejected)),
        error_count=ctx.error_count,
        fx_rates=out.fx_rates if (mode is Mode.SKIP_BAD_ROWS or not errors) else None,
        catalog=out.catalog if (mode is Mode.SKIP_BAD_ROWS or not errors) else None,
        lines=out.lines if opts.keep_lines else None,
        notes=(*notes, *ctx.notes),
    )


def preview(
    source: Source,
    rows: int = 20,
    *,
    name: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Preview:
    """The header and first rows as text, with the detection, for the mapping page."""
    try:
        raw = load(source, name, max_bytes)
        detection, heads = _detect(raw)
    except RawProblem as exc:
        return Preview(_undetected([exc.error]), (), (), errors=(exc.error,))
    except Exception as exc:  # never a traceback for a bad upload
        error = problem(ReasonCode.INTERNAL_ERROR, detail=type(exc).__name__)
        return Preview(_undetected([error]), (), (), errors=(error,))
    sheets = tuple(s for s, _ in heads if s)
    chosen = sheet or detection.sheet or (heads[0][0] if heads else "")
    index = (header_row or detection.header_row or 1) - 1
    try:
        grid = grid_from_rows(raw, chosen or None, index)
    except RawProblem as exc:
        return Preview(detection, (), (), sheets, (exc.error,))
    body = grid.body.head(rows).astype(object).fillna("").astype(str)
    table = tuple(tuple(str(v) for v in record) for record in body.to_numpy().tolist())
    return Preview(
        detection=detection,
        header=tuple(grid.header),
        rows=table,
        sheets=sheets,
        errors=tuple(grid.problems[:rows]),
    )
