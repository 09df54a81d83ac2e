"""`sinergi bench NAME --size N`: run bench/benchmarks/NAME.py on a scratch database, record the row."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import sinergi


def _harness():
    root = Path(sinergi.__file__).resolve().parents[2]
    if not (root / "bench" / "harness.py").exists():
        raise CommandError(
            f"No bench/ folder beside the source tree ({root}); run from a source checkout (pip install -e .)."
        )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from bench import harness

    return harness


class Command(BaseCommand):
    help = (
        "Run a benchmark from bench/benchmarks/ on a scratch database and append a row to bench/RESULTS.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="benchmark name (file stem in bench/benchmarks/)")
        parser.add_argument("--size", type=int, default=None, help="problem size (default: the benchmark's)")
        parser.add_argument(
            "--no-record", action="store_true", help="print only; do not append to RESULTS.md"
        )
        parser.add_argument("--list", action="store_true", help="list the benchmarks")

    def handle(self, *args, **options):
        harness = _harness()
        names = harness.available()
        if options["list"] or not options["name"]:
            self.stdout.write("Benchmarks: " + ", ".join(names))
            return
        if options["name"] not in names:
            raise CommandError(f"Unknown benchmark {options['name']!r}. Available: {', '.join(names)}")
        if options["size"] is not None and options["size"] <= 0:
            raise CommandError("--size must be a positive number")

        def say(text):
            self.stdout.write(text)
            self.stdout.flush()

        harness.run(options["name"], options["size"], record=not options["no_record"], say=say)
