"""`sinergi serve|worker|demo|simulate|manage|import|bench …`: one entry point for officers' machines and servers.

`sinergi X …` for any other X runs the management command `sinergi_X` (apps add their own, e.g.
registry's `sinergi_import`, bench's `sinergi_bench`).
"""

import argparse
import os
import sys


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
    import django

    django.setup()


def _print(msg=""):
    print(msg, flush=True)


def _collect_static():
    """Production's manifest storage answers 500 for every page without its manifest: collect the
    static files at start, unless the files found are exactly those collected last time."""
    import hashlib
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256()
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    for finder in get_finders():
        for path, storage in sorted(finder.list(ignore), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    root = Path(settings.STATIC_ROOT)
    marker = root / ".sinergi-collected"
    if (root / "staticfiles.json").exists() and marker.exists() and marker.read_text() == digest.hexdigest():
        return
    _print(f"Collecting static files into {root} (once per release)")
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(digest.hexdigest())


def cmd_serve(argv):
    parser = argparse.ArgumentParser(
        prog="sinergi serve", description="Run Sinergi: migrate, (demo), web server + job worker."
    )
    parser.add_argument(
        "--demo", action="store_true", help="load the demo data first and print the demo logins"
    )
    parser.add_argument("--host", default=os.environ.get("SINERGI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SINERGI_PORT", "8000")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("SINERGI_THREADS", "8")))
    parser.add_argument("--no-worker", action="store_true", help="do not start the in-process job worker")
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    _print(
        f"Sinergi: data in {settings.SINERGI_HOME}; database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    call_command("migrate", interactive=False, verbosity=0)
    if settings.PRODUCTION:
        _collect_static()
    if args.demo:
        # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
        from sinergi.demo import demo_load

        logins = demo_load(stdout=_print)
        _print("\nDemo logins (demo mode only):")
        for username, password, role, org in logins:
            _print(f"  {username:<22} {password}   {role} · {org}")
    if not args.no_worker:
        # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
        from sinergi.core.worker import start_worker_thread

        start_worker_thread()
        # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
        from sinergi.ops.scheduler import SchedulerLoop

        SchedulerLoop().start()  # heartbeat + the scheduler (it leads when no other worker does)
    from waitress import serve

    # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
    from sinergi.config.wsgi import application

    _print(f"\nSinergi is running at http://{args.host}:{args.port}/  (Ctrl+C to stop)")
    # X-Forwarded-Proto/-For reach Django untouched; sinergi.core.middleware.TrustedProxyMiddleware
    # believes them only from SINERGI_TRUSTED_PROXIES (waitress would otherwise drop them, and
    # SECURE_PROXY_SSL_HEADER, HSTS and the client address for rate limits would never see them).
    serve(
        application,
        host=args.host,
        port=args.port,
        threads=args.threads,
        ident="Sinergi",
        clear_untrusted_proxy_headers=False,
        _quiet=True,
    )


def cmd_worker(argv):
    parser = argparse.ArgumentParser(
        prog="sinergi worker", description="Run a background job worker (many may run at once)."
    )
    parser.add_argument("--batch", action="store_true", help="run the queued jobs and exit")
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not take part in the scheduler's leader election"
    )
    args = parser.parse_args(argv)
    _setup()
    from django.core.management import call_command

    if not args.batch and not args.no_scheduler:
        # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
        from sinergi.ops.scheduler import SchedulerLoop

        SchedulerLoop().start()  # heartbeat (stale-job detection) + the scheduler when this one leads

    opts = ["--interval", str(args.interval), "--queue-name", "*"]
    if args.batch:
        opts.append("--batch")
    call_command("db_worker", *opts)


def cmd_demo(argv):
    argparse.ArgumentParser(
        prog="sinergi demo", description="(Re)load the demo data; safe to run again."
    ).parse_args(argv)
    _setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
    from sinergi.demo import demo_load

    logins = demo_load(stdout=_print)
    _print("\nDemo logins:")
    for username, password, role, org in logins:
        _print(f"  {username:<22} {password}   {role} · {org}")


def cmd_simulate(argv):
    parser = argparse.ArgumentParser(
        prog="sinergi simulate",
        description="Run Sinergi forward month by month through its real services (billing, payments, "
        "hires, job changes, deaths and claims, renewals, aspirations, meetings), checking invariants "
        "after every month. Loads the demo first if the database is empty. Changes the data: use a "
        "copy or a demo database, never production.",
    )
    parser.add_argument("--months", type=int, required=True, help="how many months to simulate (1-600)")
    parser.add_argument(
        "--start", help="first month, YYYY-MM (default: the month after the last billing run)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same run)")
    parser.add_argument(
        "--rate", type=float, default=1.0, help="scale of monthly events (hires, deaths, aspirations …)"
    )
    parser.add_argument(
        "--world",
        choices=["demo", "small"],
        default="demo",
        help="what to load into an empty database: the demo, or a small synthetic province",
    )
    parser.add_argument(
        "--people", type=int, default=120, help="wage earners in the small synthetic province (10-100000)"
    )
    args = parser.parse_args(argv)
    if not 10 <= args.people <= 100_000:
        parser.error("--people must be between 10 and 100000")
    if not 1 <= args.months <= 600:
        parser.error("--months must be between 1 and 600")
    if not 0 <= args.rate <= 100:
        parser.error("--rate must be between 0 and 100")
    # Jobs started by the simulated officers run here, as a worker would run them.
    os.environ.setdefault("SINERGI_TASKS_IMMEDIATE", "1")
    # Simulated officers are notified too; their e-mail stays in memory, never reaches a mail server.
    os.environ["SINERGI_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    # deferred: runs after _setup() (django.setup); the CLI starts before Django is configured
    from sinergi.simulation.cli import run

    if settings.PRODUCTION:
        _print("sinergi simulate: refused in production mode (SINERGI_MODE=production): it writes")
        _print("simulated bills, payments, claims and deaths. Run it on a copy or on the demo.")
        return 2

    call_command("migrate", interactive=False, verbosity=0)
    return run(
        months=args.months,
        start=args.start,
        seed=args.seed,
        rate=args.rate,
        world=args.world,
        people=args.people,
        say=_print,
    )


def cmd_manage(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sinergi manage", *argv])


COMMANDS = {
    "serve": cmd_serve,
    "worker": cmd_worker,
    "demo": cmd_demo,
    "simulate": cmd_simulate,
    "manage": cmd_manage,
}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        _print(__doc__)
        _print(
            "Commands: serve, worker, demo, simulate, manage, import, bench (and `sinergi manage help` for all)"
        )
        return 0
    name, rest = argv[0], argv[1:]
    if name in COMMANDS:
        return COMMANDS[name](rest) or 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sinergi", f"sinergi_{name.replace('-', '_')}", *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
