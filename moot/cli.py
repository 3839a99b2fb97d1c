"""The ``moot`` command: serve, migrate, worker, bench."""

from __future__ import annotations

import argparse
import sys

from moot.config import ConfigError, Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(host=getattr(args, "host", None), port=getattr(args, "port", None),
                         processes=getattr(args, "processes", None))


def prepare_database(settings: Settings) -> None:
    """Create or migrate the database, then create the site and setup admin if needed."""
    from moot.actions.site import do_bootstrap
    from moot.db.engine import Database, make_engine
    from moot.db.migrate import upgrade

    db = Database(make_engine(settings.database_url, pool_size=1))
    try:
        upgrade(db)
        do_bootstrap(db, settings)
    finally:
        db.dispose()


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    prepare_database(settings)
    print(f"database at {settings.database_url.split('@')[-1]} is up to date")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from moot.serve import serve

    settings = _settings(args)
    prepare_database(settings)
    serve(settings)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import threading

    from moot.app import create_app
    from moot.federation.runner import run_forever

    settings = _settings(args)
    prepare_database(settings)
    ctx = create_app(settings).state.ctx
    try:
        run_forever(ctx, threading.Event())
    except KeyboardInterrupt:
        pass
    return 0


def cmd_bench_seed(args: argparse.Namespace) -> int:
    from moot.bench.forum import SCALES
    from moot.bench.seed import SeedError, seed

    settings = _settings(args)
    try:
        report = seed(settings, SCALES[args.scale], args.seed, show_progress=not args.quiet)
    except SeedError as exc:
        print(f"moot: {exc}", file=sys.stderr)
        return 1
    total = sum(report.rows.values())
    print(f"seeded scale {report.scale} (seed {report.seed}) on {report.database}: "
          f"{total:,} rows in {report.seconds:.1f} s")
    for name, rows in report.rows.items():
        print(f"  {name:<20} {rows:>12,}")
    return 0


def cmd_bench_run(args: argparse.Namespace) -> int:
    from moot.bench.run import run_benchmark

    return run_benchmark(_settings(args), scale=args.scale, seconds=args.seconds,
                         connections=args.connections, note=args.note)


def _add_bench(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from moot.bench.forum import SCALES

    bench = sub.add_parser("bench", help="fill a database with a synthetic forum; measure it")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    seed = bench_sub.add_parser("seed", help="fill the configured (fresh) database")
    seed.add_argument("--scale", choices=list(SCALES), default="S")
    seed.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    seed.add_argument("--quiet", action="store_true", help="no progress bar")
    seed.set_defaults(func=cmd_bench_seed)
    run = bench_sub.add_parser("run", help="serve the seeded database and measure it")
    run.add_argument("--scale", choices=list(SCALES), required=True,
                     help="the scale the database was seeded with (names the result file)")
    run.add_argument("--seconds", type=float, default=5.0, help="duration of each measurement")
    run.add_argument("--connections", type=int, default=8, help="concurrent client connections")
    run.add_argument("--note", default="", help="recorded with the result, e.g. machine shared")
    run.set_defaults(func=cmd_bench_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="moot", description="Moot: a federated forum server")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="create or migrate the database and serve")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default 8536)")
    serve.add_argument("--processes", type=int,
                       help="server processes sharing the port (default 1; one per core)")
    serve.set_defaults(func=cmd_serve)
    migrate = sub.add_parser("migrate", help="create or migrate the database, then exit")
    migrate.set_defaults(func=cmd_migrate)
    worker = sub.add_parser("worker", help="process received activities and deliver sent ones")
    worker.set_defaults(func=cmd_worker)
    _add_bench(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"moot: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
