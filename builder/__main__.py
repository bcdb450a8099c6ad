"""Command line for staff: ``python -m builder check`` and ``python -m builder render``."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .errors import GongkaiError
from .load import defect_message, load_site, read_data
from .paths import HOME
from .render import Renderer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m builder", description="政府工作报告任务公开：检查与生成"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查 data/ 下的每份报告，不生成网站")
    check.add_argument("data_dir", nargs="?", default="data", type=Path)
    render = sub.add_parser("render", help="把生成的 Markdown 页面写到一个文件夹")
    render.add_argument("data_dir", type=Path)
    render.add_argument("out_dir", type=Path)
    render.add_argument(
        "--content",
        type=Path,
        help="同时复制这个手写页面文件夹（如 content），并在首页后附上报告一览",
    )
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.data_dir)
    return _render(args.data_dir, args.out_dir, args.content)


def _check(data_dir: Path) -> int:
    try:
        result = read_data(data_dir)
    except Exception as exc:  # past the tables (each file's own are reported by name)
        print(f"{data_dir}: 错误：{defect_message('读取数据时出错', exc)}")
        return 1
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
            if (suggestion := suggestions.get(meta)) is not None:
                print(f"  表头中的任务列没有认出来。在 {meta} 中写下面几行，可能就能发布：")
                print("    " + suggestion.yml.replace("\n", "\n    "))
            continue
        for report in reports:
            print(
                f"{path}：{len(report.tasks)} 项任务，{report.step_count} 个步骤，"
                f"{len(report.units)} 个责任单位，{warnings_by_path[path] + warnings_by_path[meta]} 条警告"
            )
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


def _render(data_dir: Path, out_dir: Path, content: Path | None) -> int:
    try:
        loaded = load_site(data_dir)
    except GongkaiError as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in loaded.warnings:
        print(warning, file=sys.stderr)
    if content is not None:
        shutil.copytree(content, out_dir, dirs_exist_ok=True)
    renderer = Renderer(loaded.site)
    count = 0
    for page in renderer.pages():
        target = out_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        count += 1
    for asset in renderer.assets():
        target = out_dir / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.content)
    if content is not None and (out_dir / HOME).exists():
        home = out_dir / HOME
        home.write_text(
            home.read_text(encoding="utf-8").rstrip() + "\n\n" + renderer.home_overview(),
            encoding="utf-8",
        )
    print(f"已写出 {count} 个页面到 {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
