"""The `toolkit` command: thin, it parses arguments and calls the modules that do the work."""

from __future__ import annotations

import argparse
import errno
import json
import shutil
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from toolkit import __version__
from toolkit.content.model import ID_PATTERN, KINDS
from toolkit.content.text import slugify
from toolkit.lock import project_lock
from toolkit.problems import Problem, ProblemError, by_place, count, quote
from toolkit.project import CONTENT_DIR, Project, open_project
from toolkit.settings import SETTINGS_FILE
from toolkit.templates import TEMPLATES_DIR, defaults_dir

# A stage with fewer steps than this ends too soon to need a progress bar.
PROGRESS_FROM = 50
PROGRESS_WIDTH = 30


class UserError(Exception):
    """A mistake on the command line: said in one line, without a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 problems found, 2 usage)."""
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
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
    target: Path = args.directory
    if (target / SETTINGS_FILE).exists():
        raise UserError(f"{target / SETTINGS_FILE} exists already; nothing was changed")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(defaults_dir() / SETTINGS_FILE, target / SETTINGS_FILE)
    shutil.copytree(defaults_dir() / TEMPLATES_DIR, target / TEMPLATES_DIR, dirs_exist_ok=True)
    (target / CONTENT_DIR).mkdir(exist_ok=True)
    print(f"made a project in {target}: edit {SETTINGS_FILE}, then: toolkit new procedure \"...\"")
    return 0


def run_new(args: argparse.Namespace) -> int:
    """Write content/<id>.md with every field of its kind, explained."""
    project = open_project(args.project)
    unit_id = _id_for(args.unit_id, args.title)
    path = _write_new_unit(project, unit_id, _scaffold(project, args.kind, unit_id, args.title),
                           "choose another title or pass --id")
    print(path.relative_to(project.root).as_posix())
    return 0


def _id_for(given: str | None, title: str) -> str:
    """The id a new unit gets: the one given, else one made from its title."""
    unit_id = given or slugify(title)
    if not unit_id:
        raise UserError("the title has no letters to make an id from; pass --id")
    return unit_id


def _write_new_unit(project: Project, unit_id: str, text: str, if_taken: str) -> Path:
    """Write content/<id>.md, never over an existing file."""
    path = project.content_dir / f"{unit_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise UserError(f"{path} exists already; {if_taken}") from None
    return path


def _scaffold(project: Project, kind: str, unit_id: str, title: str) -> str:
    text = (defaults_dir() / "new" / f"{kind}.md").read_text(encoding="utf-8")
    today = datetime.now(project.settings.zone).date().isoformat()
    values = {"{id}": unit_id, "{title}": json.dumps(title, ensure_ascii=False),
              "{publish}": today, "{hotline}": project.settings.organisation.hotline}
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def run_check(args: argparse.Namespace) -> int:
    """Report every problem of every unit, one line each; 1 if there are any."""
    from toolkit.build import check

    content, problems = check(open_project(args.project), args.today)
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
    from toolkit.build import Options, build, default_jobs
    from toolkit.channels import AVAILABLE, CHANNEL_MODULES

    channels = tuple(args.channels or AVAILABLE)
    for channel in channels:
        if channel not in CHANNEL_MODULES:
            raise UserError(f"--channel {channel}: not a channel; choose from "
                            + ", ".join(CHANNEL_MODULES))
        if channel not in AVAILABLE:
            raise UserError(f"--channel {channel}: made by its own command, "
                            f"toolkit {channel}; the build makes " + ", ".join(AVAILABLE))
    if args.jobs is not None and args.jobs < 1:
        raise UserError("--jobs must be 1 or more")
    options = Options(channels, frozenset(args.only), args.jobs or default_jobs(), args.force,
                      args.today)
    project = open_project(args.project)
    with project_lock(project.root, "build"):
        report = build(project, options, terminal_progress)
    _report(report.problems)
    print(report.summary())
    return 0 if report.ok else 1


def run_bulletin(args: argparse.Namespace) -> int:
    """Make the bulletin of one week, or of a special edition's period."""
    from toolkit.build import ANNOUNCING_CHANNELS, Options, build, bulletin
    from toolkit.periods import span, week, week_of

    project = open_project(args.project)
    if (args.start is None) != (args.end is None):
        raise UserError("--from and --to go together")
    if args.start is not None:
        if args.week or args.end < args.start:
            raise UserError("give either --week, or --from and --to with --from first")
        period = span(args.start, args.end)
    elif args.week:
        try:
            period = week(args.week)
        except ValueError:
            raise UserError(f"--week {args.week}: not an ISO week like 2021-W06") from None
    else:
        period = week_of(datetime.now(project.settings.zone).date())
    with project_lock(project.root, "bulletin"):
        report = bulletin(project, period, args.force)
    _report(report.problems)
    folder = f"outbox/bulletin/{period.name}/"
    print(f"{folder}: {report.summary()}" if report.built or report.current else "nothing made")
    if not report.built:
        return 0 if report.ok else 1
    # The feed and the SMS list announce the new bulletin.
    with project_lock(project.root, "bulletin"):
        announced = build(project, Options(ANNOUNCING_CHANNELS, jobs=1), terminal_progress)
    print(f"feed and SMS: {announced.summary()}")
    return 0 if report.ok and announced.ok else 1


def run_import(args: argparse.Namespace) -> int:
    """Write content/<id>.md from a Word file; say what is missing for `check` to pass."""
    from toolkit.content.load import read_unit
    from toolkit.content.word import read_docx, unit_text

    project = open_project(args.project)
    draft = read_docx(args.file)
    if not draft.title:
        raise UserError(f"{args.file.name}: no Heading 1 to take the title from; "
                        "give the title the style Heading 1 in Word")
    unit_id = _id_for(args.unit_id, draft.title)
    today = datetime.now(project.settings.zone).date()
    text = unit_text(draft, args.kind, unit_id, today)
    path = _write_new_unit(project, unit_id, text, "pass --id to import under another name")
    name = path.relative_to(project.root).as_posix()
    for note in draft.notes:
        print(f"{args.file.name}: {note}", file=sys.stderr)
    _, problems = read_unit(text.encode("utf-8"), name, unit_id)
    _report(problems)
    print(name if not problems else f"{name}: written; fill in what is missing, then check")
    return 1 if problems else 0


def run_deliver_sms(args: argparse.Namespace) -> int:
    """Send every message to every recipient not yet sent to; 1 if any failed."""
    from toolkit.deliver.sms import deliver

    project = open_project(args.project)
    with project_lock(project.root, "deliver sms"):
        tally = deliver(project, args.recipients, args.dry_run,
                        lambda line: print(line, file=sys.stderr, flush=True))
    _report(tally.problems)
    print(tally.summary(args.dry_run))
    return tally.exit_status


def run_serve(args: argparse.Namespace) -> int:
    """Serve outbox/ until Ctrl+C."""
    from toolkit.serve import make_server

    project = open_project(args.project)
    server = make_server(project, args.host, args.port)
    host, port = server.server_address[:2]
    print(f"serving {project.outbox_dir} at http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Write outbox/report/<quarter>/report-<quarter>.docx."""
    from toolkit.outbox import ChannelOutbox
    from toolkit.periods import quarter, quarter_of
    from toolkit.report import report

    project = open_project(args.project)
    try:
        period = quarter(args.quarter) if args.quarter else \
            quarter_of(datetime.now(project.settings.zone).date())
    except ValueError:
        raise UserError(f"--quarter {args.quarter}: not a quarter like 2021-Q1") from None
    with project_lock(project.root, "report"):
        path, data, content = report(project, period)
        outbox = ChannelOutbox(project.outbox_dir, "report")
        outbox.write(path, data, None, "")
        outbox.save()
    _report(content.problems)
    print(f"outbox/report/{path}")
    return 0


def terminal_progress(stage: str, done: int, total: int) -> None:
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
