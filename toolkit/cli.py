"""The `toolkit` command: thin, it parses arguments and calls the modules that do the work."""

from __future__ import annotations

import argparse
import errno
import io
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from toolkit import __version__
from toolkit.commands import UserError
from toolkit.content.model import ID_PATTERN, KINDS
from toolkit.problems import Problem, ProblemError, by_place, count, quote

# A stage with fewer steps than this ends too soon to need a progress bar.
PROGRESS_FROM = 50
PROGRESS_WIDTH = 30


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 problems found, 2 usage)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")  # a name with no glyph must not crash
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ProblemError as err:
        _report(list(err.problems))
        return 1
    except UserError as err:
        print(f"toolkit: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("toolkit: interrupted; the outbox holds only complete files", file=sys.stderr)
        return 130
    except OSError as err:
        print(f"toolkit: {_os_error(err)}", file=sys.stderr)
        return 1


def _os_error(err: OSError) -> str:
    """A failure of the system (a disk, a folder), said as what and where."""
    where = f"{err.filename}: " if err.filename else ""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"{where}the disk is full -> free some space, then run this again"
    return f"{where}{err.strerror or err}"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                        help="the project folder (default: the current folder)")
    parser = argparse.ArgumentParser(prog="toolkit", description="Write a content unit once; "
                                     "get feeds, SMS, leaflets, videos and bulletins.")
    parser.add_argument("--version", action="version", version=f"toolkit {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="make a new project with the default templates")
    init.add_argument("directory", type=Path)
    init.set_defaults(run=run_init)

    new = commands.add_parser("new", parents=[common], help="write a new unit under content/")
    new.add_argument("kind", choices=KINDS)
    new.add_argument("title")
    new.add_argument("--id", dest="unit_id", type=_unit_id, metavar="ID",
                     help="the unit's id (default: made from the title)")
    new.set_defaults(run=run_new)

    check = commands.add_parser("check", parents=[common], help="validate every unit")
    check.add_argument("--today", type=_date, help="check as if today were DATE (YYYY-MM-DD)")
    check.set_defaults(run=run_check)

    build = commands.add_parser("build", parents=[common], help="render units to channels")
    build.add_argument("--channel", action="append", dest="channels", metavar="C",
                       help="only this channel (repeatable)")
    build.add_argument("--only", action="append", default=[], metavar="ID",
                       help="only this unit (repeatable)")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes (default: one per core)")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument("--today", type=_date, help="build as if today were DATE (YYYY-MM-DD)")
    build.set_defaults(run=run_build)

    bulletin = commands.add_parser("bulletin", parents=[common],
                                   help="make the bulletin of a week or a period")
    bulletin.add_argument("--week", help="an ISO week like 2021-W06 (default: this week)")
    bulletin.add_argument("--from", dest="start", type=_date, metavar="DATE",
                          help="first day of a special edition (with --to)")
    bulletin.add_argument("--to", dest="end", type=_date, metavar="DATE",
                          help="last day of a special edition")
    bulletin.add_argument("--force", action="store_true", help="make it even if up to date")
    bulletin.set_defaults(run=run_bulletin)

    word = commands.add_parser("import", parents=[common],
                               help="turn a Word .docx into a unit under content/")
    word.add_argument("file", type=Path)
    word.add_argument("--kind", choices=KINDS, default="procedure")
    word.add_argument("--id", dest="unit_id", type=_unit_id, metavar="ID",
                      help="the unit's id (default: made from the title)")
    word.set_defaults(run=run_import)

    deliver = commands.add_parser("deliver", help="send outbox items to outside services")
    deliver_to = deliver.add_subparsers(required=True, metavar="CHANNEL")
    deliver_sms = deliver_to.add_parser("sms", parents=[common],
                                        help="send outbox/sms to every recipient, once each")
    deliver_sms.add_argument("--to", dest="recipients", type=Path, required=True,
                             metavar="FILE", help="UTF-8 CSV with a phone column")
    deliver_sms.add_argument("--dry-run", action="store_true",
                             help="say what would be sent; send nothing")
    deliver_sms.set_defaults(run=run_deliver_sms)

    serve = commands.add_parser("serve", parents=[common],
                                help="serve the outbox read-only, with a review page at /")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)

    quarterly = commands.add_parser("report", parents=[common],
                                    help="write the quarterly report of what was published")
    quarterly.add_argument("--quarter", help="a quarter like 2021-Q1 (default: this quarter)")
    quarterly.set_defaults(run=run_report)

    sms = commands.add_parser("sms", help="SMS tools").add_subparsers(required=True,
                                                                      metavar="COMMAND")
    counter = sms.add_parser("count", help="what a text costs as an SMS")
    counter.add_argument("text")
    counter.add_argument("--json", action="store_true", help="print JSON")
    counter.add_argument("--plain", action="store_true",
                       help="count the text as sent without diacritics")
    counter.set_defaults(run=run_sms_count)
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2021-02-15") from None


def _unit_id(text: str) -> str:
    """An id given on the command line follows the rule of ids in front matter, so it
    names a file inside content/ and nowhere else."""
    if not ID_PATTERN.match(text):
        raise argparse.ArgumentTypeError(f"{quote(text)} is not an id: use lowercase letters "
                                         "a-z, digits and hyphens, e.g. dang-ky-khai-sinh")
    return text


def _report(problems: list[Problem]) -> None:
    for problem in by_place(problems):
        print(problem, file=sys.stderr)


def run_init(args: argparse.Namespace) -> int:
    """Make a project folder: toolkit.toml, templates/ to edit, an empty content/."""
    from toolkit.commands.init import init

    init(args.directory)
    print(f"made a project in {args.directory}: edit toolkit.toml, "
          "then: toolkit new procedure \"...\"")
    return 0


def run_new(args: argparse.Namespace) -> int:
    """Write content/<id>.md with every field of its kind, explained."""
    from toolkit.commands.new import new

    print(new(args.project, args.kind, args.title, args.unit_id).as_posix())
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Report every problem of every unit, one line each; 1 if there are any."""
    from toolkit.commands.check import check

    content, problems = check(args.project, args.today)
    _report(problems)
    files = len({p.file for p in problems})
    if problems:
        fine = len(content.units)
        print(f"{count(len(problems), 'problem')} in {count(files, 'file')}; "
              f"{count(fine, 'unit')} {'is' if fine == 1 else 'are'} fine")
        return 1
    print(f"{count(len(content.units), 'unit')}, no problems")
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Build the outbox; 1 if any unit or channel was skipped for a problem."""
    from toolkit.build import Options, default_jobs
    from toolkit.commands.build import build

    options = Options(tuple(args.channels or ()), frozenset(args.only),
                      default_jobs() if args.jobs is None else args.jobs, args.force, args.today)
    report = build(args.project, options, terminal_progress)
    _report(report.problems)
    print(report.summary())
    return 0 if report.ok else 1


def run_bulletin(args: argparse.Namespace) -> int:
    """Make the bulletin of one week, or of a special edition's period."""
    from toolkit.commands.bulletin import bulletin
    from toolkit.periods import span, week

    if (args.start is None) != (args.end is None):
        raise UserError("--from and --to go together")
    period = None
    if args.start is not None:
        if args.week or args.end < args.start:
            raise UserError("give either --week, or --from and --to with --from first")
        period = span(args.start, args.end)
    elif args.week:
        try:
            period = week(args.week)
        except ValueError:
            raise UserError(f"--week {args.week}: not an ISO week like 2021-W06") from None
    period, report = bulletin(args.project, period, args.force, terminal_progress)
    _report(report.problems)
    print(f"{period.name} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}): {report.summary()}")
    return 0 if report.ok else 1


def run_import(args: argparse.Namespace) -> int:
    """Write content/<id>.md from a Word file; say what is missing for `check` to pass."""
    from toolkit.commands.import_word import import_word

    made = import_word(args.project, args.file, args.kind, args.unit_id)
    for note in made.notes:
        print(f"{args.file.name}: {note}", file=sys.stderr)
    _report(made.problems)
    name = made.path.as_posix()
    print(name if not made.problems else f"{name}: written; fill in what is missing, then check")
    return 1 if made.problems else 0


def run_deliver_sms(args: argparse.Namespace) -> int:
    """Send every message to every recipient not yet sent to; 1 if any failed."""
    from toolkit.commands.deliver import deliver_sms

    tally = deliver_sms(args.project, args.recipients, args.dry_run,
                        lambda line: print(line, file=sys.stderr, flush=True))
    _report(tally.problems)
    print(tally.summary(args.dry_run))
    return tally.exit_status


def run_serve(args: argparse.Namespace) -> int:
    """Serve outbox/ until Ctrl+C."""
    from toolkit.commands.serve import serve

    serve(args.project, args.host, args.port, lambda line: print(line, flush=True))
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Write outbox/report/<quarter>/report-<quarter>.docx."""
    from toolkit.commands.report import report
    from toolkit.periods import quarter

    try:
        period = quarter(args.quarter) if args.quarter else None
    except ValueError:
        raise UserError(f"--quarter {args.quarter}: not a quarter like 2021-Q1") from None
    path, problems = report(args.project, period)
    _report(problems)
    print(path)
    return 0


def terminal_progress(stage: str, done: int, total: int, current: str = "") -> None:
    """A progress bar on a terminal for long stages; nothing when output is piped."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return
    if done < total and done * 100 // total == (done - 1) * 100 // total:
        return
    filled = PROGRESS_WIDTH * done // total
    bar = "#" * filled + "." * (PROGRESS_WIDTH - filled)
    end = "\n" if done == total else ""
    sys.stderr.write(f"\r{stage:>8} [{bar}] {done}/{total}{end}")
    sys.stderr.flush()


def run_sms_count(args: argparse.Namespace) -> int:
    """Print the encoding, size and number of parts of a text sent as SMS."""
    from toolkit.smstext import cost, to_gsm7

    text = to_gsm7(args.text) if args.plain else args.text
    price = cost(text)
    if args.json:
        print(json.dumps(price.as_dict()))
    else:
        unit = "septets" if price.encoding == "GSM-7" else "UTF-16 units"
        print(f"{price.encoding}, {price.units} {unit}, {price.segments} segment(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
