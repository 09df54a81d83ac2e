"""`sinergi serve|worker|demo|manage|import|bench …`: one entry point for officers' machines and servers.

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
    if args.demo:
        from sinergi.core.demo import demo_load

        logins = demo_load(stdout=_print)
        _print("\nDemo logins (demo mode only):")
        for username, password, role, org in logins:
            _print(f"  {username:<22} {password}   {role} · {org}")
    if not args.no_worker:
        from sinergi.core.worker import start_worker_thread

        start_worker_thread()
        from sinergi.ops.scheduler import SchedulerLoop

        SchedulerLoop().start()  # heartbeat + the scheduler (it leads when no other worker does)
    from waitress import serve

    from sinergi.config.wsgi import application

    _print(f"\nSinergi is running at http://{args.host}:{args.port}/  (Ctrl+C to stop)")
    serve(application, host=args.host, port=args.port, threads=args.threads, ident="Sinergi", _quiet=True)


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
    from sinergi.core.demo import demo_load

    logins = demo_load(stdout=_print)
    _print("\nDemo logins:")
    for username, password, role, org in logins:
        _print(f"  {username:<22} {password}   {role} · {org}")


def cmd_manage(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sinergi manage", *argv])


COMMANDS = {"serve": cmd_serve, "worker": cmd_worker, "demo": cmd_demo, "manage": cmd_manage}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        _print(__doc__)
        _print("Commands: serve, worker, demo, manage, import, bench (and `sinergi manage help` for all)")
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
