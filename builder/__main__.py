"""Command line for staff: ``python -m builder check`` and ``python -m builder render``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from . import preview, sidecar, tables
from .build import Settings, read_settings, render
from .errors import Fix, GongkaiError
from .load import DataResult, defect_message, read_data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m builder", description="政府工作报告任务公开：检查与生成"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查 data/ 下的每份报告，不生成网站")
    check.add_argument("data_dir", nargs="?", default="data", type=Path)
    check.add_argument(
        "--preview",
        type=Path,
        metavar="DIR",
        help="把读表结果（每份表格每一列、每一行怎么读的）写成网页到 DIR，供发布前核对",
    )
    check.add_argument(
        "--write",
        action="store_true",
        help="把建议的 .yml 写到每份表格旁边（保留已写的每一行；待核对的行写成注释）",
    )
    render_cmd = sub.add_parser(
        "render",
        help="不经 MkDocs，把生成的 Markdown 页面和网站上的下载文件、订阅、搜索索引写到一个文件夹",
    )
    render_cmd.add_argument("data_dir", type=Path)
    render_cmd.add_argument("out_dir", type=Path)
    render_cmd.add_argument(
        "--content",
        type=Path,
        help="同时复制这个手写页面文件夹（如 content），并在首页后附上报告一览",
    )
    render_cmd.add_argument(
        "--config",
        type=Path,
        help="网站配置（站名、网址、use_directory_urls）；默认为当前文件夹中的 mkdocs.yml，没有时用默认值",
    )
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.data_dir, args.preview, args.write)
    return _render(args.data_dir, args.out_dir, args.content, args.config)


def _check(data_dir: Path, preview_dir: Path | None = None, write: bool = False) -> int:
    try:
        result = read_data(data_dir)
        if write:
            # A written line can let a table be read further (its task column found), which
            # brings that table's next suggestions: a few passes, until nothing changes.
            for _ in range(3):
                if not _write_yml(result):
                    break
                result = read_data(data_dir)
    except Exception as exc:  # past the tables (each file's own are reported by name)
        print(f"{data_dir}: 错误：{defect_message('读取数据时出错', exc)}")
        return 1
    if preview_dir is not None:
        count = preview.write(result, preview_dir)
        print(f"读表结果：{count} 份表格，打开 {preview_dir / preview.INDEX} 核对")
    for problem in result.problems:
        print(problem)
    warnings_by_path = Counter(p.path for p in result.warnings)
    errors_by_path = Counter(p.path for p in result.errors)
    if result.problems:
        print()
    suggestions = {s.path: s for s in result.suggestions}
    for path in result.paths:
        reports = [r for r in result.reports if r.path == path]
        meta = path.with_suffix(".yml")
        if not reports:
            errors = errors_by_path[path] + errors_by_path[meta]
            print(f"{path}：有 {errors} 处错误（含同名 .yml），不能发布")
            if (suggestion := suggestions.get(meta)) is not None and suggestion.yml:
                print(f"  表头中的任务列没有认出来。在 {meta} 中写下面几行，可能就能发布：")
                print("    " + suggestion.yml.replace("\n", "\n    "))
            elif suggestion is not None:
                print(f"  表头中的任务列没有认出来，从表中看不出是哪一列。在 {meta} 中写其中一行：")
                for name in suggestion.candidates:
                    print(f"    columns: {{{name}: 任务}}    # 如任务在“{name}”列")
            continue
        for report in reports:
            print(
                f"{path}：{len(report.tasks)} 项任务，{report.step_count} 个步骤，"
                f"{len(report.units)} 个责任单位，{warnings_by_path[path] + warnings_by_path[meta]} 条警告"
            )
            for decision in report.reading.decisions if report.reading else ():
                if decision.subject == tables.SUBJECT:
                    print(f"  {decision.evidence}")
    if result.series_notices:
        print()
        print("同一张表的各期（按序号和任务文字对应上一期的任务）和订阅：")
        for line in result.series_notices:
            print(line)
    errors = len(result.errors)
    published = sum(1 for path in result.paths if any(r.path == path for r in result.reports))
    print(
        f"共 {len(result.paths)} 份报告，{errors} 处错误，{len(result.warnings)} 条警告。"
        + (
            "有错误时不发布任何内容。"
            if errors
            else "有警告时 mkdocs build --strict 不会发布。"
            if result.warnings
            else f"{published} 份都可以发布。"
        )
    )
    return 1 if errors else 0


def _write_yml(result: DataResult) -> bool:
    """Write each table's suggested lines into the .yml beside it; whether any changed."""
    changed = False
    suggestions = {s.path: s for s in result.suggestions}
    for path in result.paths:
        meta = path.with_suffix(".yml")
        fixes = [f for p in result.problems if p.path in (path, meta) for f in p.fixes]
        suggestion = suggestions.get(meta)
        if suggestion is not None and suggestion.yml:
            task = suggestion.yml.splitlines()[-1].strip()
            fixes.insert(0, Fix("columns", task, note="从表中看出的任务列：读表结果中核对"))
        elif suggestion is not None:
            fixes[:0] = [
                Fix("columns", f"{n}: 任务", sure=False, note=f"如任务在“{n}”列")
                for n in suggestion.candidates
            ]
        if not fixes:
            continue
        existing = meta.read_text(encoding="utf-8") if meta.exists() else ""
        written = sidecar.updated(existing, fixes)
        if written.text != existing:
            meta.write_text(written.text, encoding="utf-8")
            print(f"已写入 {meta}：{written.sure} 行建议，{written.to_check} 行待核对（注释）")
            changed = True
    return changed


def _render(data_dir: Path, out_dir: Path, content: Path | None, config: Path | None) -> int:
    if config is None and Path("mkdocs.yml").is_file():
        config = Path("mkdocs.yml")
    try:
        settings = read_settings(config) if config is not None else Settings()
        count = render(data_dir, out_dir, settings, content, warn=_warn)
    except GongkaiError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已写出 {count} 个页面以及下载文件、订阅和搜索索引到 {out_dir}")
    return 0


def _warn(message: str) -> None:
    print(message, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
