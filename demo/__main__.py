"""Command line: ``python -m demo serve|run|bench``."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from demo.bench import UNSEEN_THEMES
from demo.generator import build_portal
from demo.scalebench import RUNS
from demo.themes import THEMES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo", description="The bundled demo county portal."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="serve a demo portal until interrupted")
    p_serve.add_argument("--port", type=int, default=8765)
    p_serve.add_argument("--seed", type=int, default=1)
    p_serve.add_argument("--theme", choices=sorted(THEMES), default="a")
    p_serve.add_argument(
        "--flaky", type=float, default=0.0, help="fraction of URLs whose first attempt fails"
    )
    p_serve.add_argument("--truth", help="also write the truth (JSON) to this file")
    p_run = sub.add_parser("run", help="serve, crawl, report and compare (make demo)")
    p_run.add_argument("--seed", type=int, default=1)
    p_run.add_argument("--theme", choices=sorted(THEMES), default="a")
    p_bench = sub.add_parser("bench", help="accuracy and cost on unseen portals (make bench)")
    p_bench.add_argument("--seeds", default="11,12,13")
    p_bench.add_argument(
        "--theme",
        default=",".join(UNSEEN_THEMES),
        help="layouts, comma-separated (default: the unseen ones, "
        f"{','.join(UNSEEN_THEMES)}; a and b are the development layouts)",
    )
    p_bench.add_argument("--flaky", type=float, default=0.2)
    p_bench.add_argument(
        "--scale",
        default="500,2000",
        help="column counts of the scale portals crawled against a bare Scrapy spider "
        "(default 500,2000; empty: none)",
    )
    p_bench.add_argument(
        "--scale-only", action="store_true", help="only the scale part (no layouts)"
    )
    p_bench.add_argument(
        "--scale-runs",
        type=int,
        default=RUNS,
        metavar="N",
        help=f"bench each scale portal N times and keep the median (default {RUNS})",
    )
    p_bench.add_argument(
        "--profile",
        action="store_true",
        help="also crawl each scale portal under cProfile (var/bench/scale-N/profile.txt)",
    )
    p_bench.add_argument(
        "--min-items",
        metavar="COUNT/DAYS",
        help="crawl with defaults.min_items {count, days} (the 更新较少 rule), e.g. 1/30",
    )
    p_links = sub.add_parser(
        "links-bench", help="the broken-links check on a crafted portal (recall, cost, politeness)"
    )
    p_links.add_argument("--seed", type=int, default=7)
    p_links.add_argument("--flaky", type=float, default=0.2)
    args = parser.parse_args(argv)

    if args.command == "serve":
        return _serve(args)
    if args.command == "links-bench":
        from demo.linkbench import main as links_bench

        return links_bench(seed=args.seed, flaky=args.flaky)
    if args.command == "run":
        from demo.runner import run_demo

        return run_demo(seed=args.seed, theme=args.theme)
    from demo.bench import run_bench

    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    themes = [t.strip() for t in args.theme.split(",") if t.strip()]
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        parser.error(f"unknown layout {', '.join(unknown)} (choose from {', '.join(THEMES)})")
    rule = None
    if args.min_items:
        try:
            count, days = (int(part) for part in args.min_items.split("/"))
        except ValueError:
            parser.error("--min-items takes COUNT/DAYS, e.g. 1/30")
        rule = (count, days)
    try:
        scale = [int(s) for s in args.scale.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--scale takes column counts such as 500,2000, not {args.scale!r}")
    if args.scale_runs < 1:
        parser.error(f"--scale-runs takes a count of at least 1, not {args.scale_runs}")
    if args.scale_only:
        themes = []
    return run_bench(
        seeds,
        themes,
        args.flaky,
        scale=scale,
        min_items=rule,
        profile=args.profile,
        scale_runs=args.scale_runs,
    )


def _serve(args: argparse.Namespace) -> int:
    from demo.runner import serve_preferred

    portal = build_portal(seed=args.seed, theme=args.theme)
    if args.truth:
        Path(args.truth).write_text(
            json.dumps(portal.truth(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    with serve_preferred(portal, port=args.port, flaky=args.flaky, seed=args.seed) as server:
        print(
            f"{portal.theme.site_name}: {server.url} "
            f"({len(portal.columns_truth())} columns, flaky={args.flaky}); Ctrl-C stops"
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print(f"\n{server.request_count} requests served")
    return 0


if __name__ == "__main__":
    sys.exit(main())
