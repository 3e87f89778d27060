"""The `toolkit` command: thin, it parses arguments and calls the modules that do the work.

Everything it says is in the user's language, argparse's own words included: the
language is settled first (`--lang`, wherever it stands, else the environment; see
toolkit.i18n), then argparse is pointed at the toolkit's catalog and the parser is
built, so that its help is in that language too. `--project` and `--lang` may come
before or after the command.
"""

from __future__ import annotations

import argparse
import errno
import functools
import io
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from toolkit import __version__, i18n
from toolkit.commands import UserError
from toolkit.content.fields import ID_PATTERN, KINDS
from toolkit.i18n import N_, _, ngettext
from toolkit.problems import Problem, ProblemError, by_place, quote

if TYPE_CHECKING:
    from toolkit.deliver import social
    from toolkit.deliver.plan import Plan

PROG = "toolkit"
LANG_OPTION = "--lang"
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

# argparse's own messages, as this Python spells them (3.11 to 3.13), for the catalog:
# argparse looks `_` and `ngettext` up in its module when it speaks, and
# `_speak_argparse` points them at the toolkit's. Messages only a programmer meets
# (a parser built wrong) are left out.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("options"), N_("positional arguments"), N_("%(heading)s:"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_(" (default: %(default)s)"), N_("subcommands"),
    N_("%(prog)s: error: %(message)s\n"), N_("%(prog)s: warning: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"), N_("expected at most one argument"),
    N_("expected at least one argument"), N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"), N_("one of the arguments %s is required"),
    N_("unexpected option string: %s"), N_("can't open '%(filename)s': %(error)s"),
    N_("argument '%(argument_name)s' is deprecated"), N_("option '%(option)s' is deprecated"),
    N_("command '%(parser_name)s' is deprecated"),
)
ARGPARSE_PLURALS = (
    lambda n: ngettext("expected %s argument", "expected %s arguments", n),
)

# The examples each command's help ends with: (command line, what it does).
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    PROG: (
        ("toolkit init ho-tich", N_("make a new project in the folder ho-tich")),
        ("toolkit check", N_("check every unit of the project in this folder")),
        ("toolkit build", N_("make the leaflets, posters, videos, feeds and SMS")),
        ("toolkit build --help", N_("what a command can do, with examples")),
    ),
    "init": (
        ("toolkit init ho-tich", N_("make a new project in the folder ho-tich")),
    ),
    "new": (
        ('toolkit new procedure "Đăng ký khai sinh"',
         N_("a new procedure; its id is made from the title: dang-ky-khai-sinh")),
        ('toolkit new notice "Lịch tiếp công dân" --id lich-tiep-dan',
         N_("a new notice with the id you choose")),
    ),
    "check": (
        ("toolkit check", N_("check the project in this folder")),
        ("toolkit check --project ho-tich", N_("check the project in the folder ho-tich")),
        ("toolkit check --today 2021-03-15", N_("check as if today were 15/03/2021")),
    ),
    "build": (
        ("toolkit build", N_("make whatever is not up to date")),
        ("toolkit build --only dang-ky-khai-sinh", N_("only the unit dang-ky-khai-sinh")),
        ("toolkit build --channel sms --channel rss", N_("only the SMS list and the feed")),
        ("toolkit build --force", N_("make everything again")),
        ("toolkit build --executor dask --scheduler tcp://192.168.1.10:8786",
         N_("make them on the computers of a Dask cluster (README: Building on a cluster)")),
    ),
    "bulletin": (
        ("toolkit bulletin", N_("the bulletin of this week")),
        ("toolkit bulletin --week 2021-W06", N_("the bulletin of week 6 of 2021")),
        ("toolkit bulletin --from 2021-02-01 --to 2021-02-14",
         N_("a special edition for 01/02/2021 to 14/02/2021")),
    ),
    "import": (
        ("toolkit import dang-ky-khai-sinh.docx", N_("a procedure from a Word file")),
        ("toolkit import tan-phong.docx --kind example --id tan-phong",
         N_("a model example, with the id you choose")),
    ),
    "deliver": (
        ("toolkit deliver sms --to nguoi-nhan.csv --dry-run",
         N_("see what would be sent to whom; nothing is sent")),
        ("toolkit deliver social --dry-run",
         N_("see what would be posted where and when; nothing is posted")),
    ),
    "deliver sms": (
        ("toolkit deliver sms --to nguoi-nhan.csv --dry-run",
         N_("see what would be sent to whom; nothing is sent")),
        ("toolkit deliver sms --to nguoi-nhan.csv", N_("send, once you have confirmed")),
        ("toolkit deliver sms --to nguoi-nhan.csv --yes",
         N_("send without asking (for a scheduled task)")),
    ),
    "deliver social": (
        ("toolkit deliver social --dry-run",
         N_("see what would be posted where and when; nothing is posted")),
        ("toolkit deliver social", N_("post to the Facebook Page and the Zalo OA, once you "
                                      "have confirmed")),
        ("toolkit deliver social --platform facebook --only dang-ky-khai-sinh",
         N_("only the post of dang-ky-khai-sinh, only to the Facebook Page")),
        ("toolkit deliver social --yes", N_("post without asking (for a scheduled task)")),
    ),
    "serve": (
        ("toolkit serve", N_("review the outbox at http://127.0.0.1:8000/")),
        ("toolkit serve --host 0.0.0.0 --port 8080",
         N_("let the other computers of the office see it too")),
        ("toolkit serve --no-watch", N_("only serve the outbox, as for a portal")),
    ),
    "report": (
        ("toolkit report", N_("the report of this quarter")),
        ("toolkit report --quarter 2021-Q1", N_("the report of the first quarter of 2021")),
    ),
    "sms": (
        ('toolkit sms count "Gọi 1022 để được hướng dẫn"', N_("how many SMS a text takes")),
    ),
    "sms count": (
        ('toolkit sms count "Gọi 1022 để được hướng dẫn"', N_("how many SMS a text takes")),
        ('toolkit sms count --plain "Gọi 1022 để được hướng dẫn"',
         N_("the same text, sent without diacritics")),
    ),
}
# The pages `toolkit deliver social` posts to (the names of toolkit/deliver/social.py's
# adapters, spelled here so that building the parser imports none of them).
SOCIAL_PLATFORMS = ("facebook", "zalo")
# Answers that confirm a send, in either language.
YES = frozenset({"y", "yes", "c", "có", "co"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 problems found, 2 usage)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")  # a name with no glyph must not crash
    arguments = list(sys.argv[1:] if argv is None else argv)
    i18n.use(i18n.choose(language_asked(arguments)))
    _speak_argparse()
    args = _parser().parse_args(arguments)
    if args.lang and args.lang != i18n.language():  # abbreviated (--la en): unseen before
        i18n.use(args.lang)
    try:
        return int(args.run(args))
    except ProblemError as err:
        _report(list(err.problems))
        return 1
    except UserError as err:
        _error(str(err))
        return 2
    except KeyboardInterrupt:
        _error(_("interrupted; the outbox holds only complete files"))
        return 130
    except OSError as err:
        _error(_os_error(err))
        return 1


def language_asked(arguments: Sequence[str]) -> str | None:
    """The language `--lang` asks for, before or after the command, read before the
    parser is built (its help is in that language). A value that is no language is
    left for the parser to refuse."""
    asked = None
    for i, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == LANG_OPTION and i + 1 < len(arguments):
            asked = arguments[i + 1]
        elif argument.startswith(LANG_OPTION + "="):
            asked = argument.partition("=")[2]
    return asked if asked in i18n.LANGUAGES else None


def _speak_argparse() -> None:
    """Make argparse's own words (usage, errors, "show this help message") come from the
    toolkit's catalog, in the language chosen."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def _error(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _os_error(err: OSError) -> str:
    """A failure of the system (a disk, a folder), said as what and where."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        full = _("the disk is full -> free some space, then run this again")
        return f"{err.filename}: {full}" if err.filename else full
    what = err.strerror or str(err)
    return f"{err.filename}: {what}" if err.filename else what


# --- the parser -------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    """The whole command line, in the language chosen: build it after i18n.use()."""
    parser = _command_parser(None, PROG, _("Write a content unit once; get feeds, SMS, "
                                           "leaflets, videos and bulletins."))
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help=_("show the version of the toolkit and exit"))
    _add_common(parser, top=True)
    commands = _commands(parser)
    _add_init(commands)
    _add_new(commands)
    _add_check(commands)
    _add_build(commands)
    _add_bulletin(commands)
    _add_import(commands)
    _add_deliver(commands)
    _add_serve(commands)
    _add_report(commands)
    _add_sms(commands)
    return parser


def _command_parser(commands: Commands | None, name: str,
                    help_text: str) -> argparse.ArgumentParser:
    """The parser of command `name` ("deliver sms"), or of the whole command when
    `commands` is None, ending its help with its examples; given no command of its own,
    it prints its help."""
    epilog = _examples(EXAMPLES[name]) if name in EXAMPLES else None
    formatter = argparse.RawDescriptionHelpFormatter  # the examples, as written
    if commands is None:
        parser = argparse.ArgumentParser(prog=name, description=help_text, epilog=epilog,
                                         formatter_class=formatter)
    else:
        parser = commands.add_parser(name.rpartition(" ")[2], help=help_text,
                                     description=help_text, epilog=epilog,
                                     formatter_class=formatter)
        # Listed in the help as it is typed: "toolkit deliver sms", not "sms".
        commands._choices_actions[-1].metavar = f"{PROG} {name}"
    parser.set_defaults(run=functools.partial(_show_help, parser))
    return parser


def _examples(examples: tuple[tuple[str, str], ...]) -> str:
    lines = [_("examples:")]
    for command, what in examples:
        lines += [f"  {command}", f"      {_(what)}"]
    return "\n".join(lines)


def _show_help(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """A command given without what it needs (bare `toolkit`): its help, exit status 2."""
    parser.print_help()
    return 2


def _commands(parser: argparse.ArgumentParser) -> Commands:
    return parser.add_subparsers(metavar=_("COMMAND"), title=_("commands"))


def _add_common(parser: argparse.ArgumentParser, top: bool = False,
                project: bool = True) -> None:
    """--project and --lang, on the whole command and again on each command, so they may
    come before or after it; a command's copy has no default, which would undo the one
    given before the command."""
    default: object = Path(".") if top else argparse.SUPPRESS
    if project:
        parser.add_argument("--project", type=Path, default=default, metavar=_("DIR"),
                            help=_("the project folder (default: the current folder)"))
    parser.add_argument(LANG_OPTION, choices=i18n.LANGUAGES, default=None if top else
                        argparse.SUPPRESS, help=_("the language of messages: vi or en "
                                                  "(default: Vietnamese, or TOOLKIT_LANG, "
                                                  "or an English LANG)"))


def _add_init(commands: Commands) -> None:
    init = _command_parser(commands, "init", _("make a new project with the default "
                                               "templates"))
    init.add_argument("directory", type=Path, metavar=_("DIR"),
                      help=_("the folder to make the project in"))
    _add_common(init, project=False)
    init.set_defaults(run=run_init)


def _add_new(commands: Commands) -> None:
    new = _command_parser(commands, "new", _("write a new unit under content/"))
    new.add_argument("kind", choices=KINDS, metavar=_("KIND"),
                     help=_("the kind of unit: {kinds}").format(kinds=", ".join(KINDS)))
    new.add_argument("title", metavar=_("TITLE"), help=_("its title, in quotes"))
    new.add_argument("--id", dest="unit_id", type=_unit_id, metavar="ID",
                     help=_("the unit's id (default: made from the title)"))
    _add_common(new)
    new.set_defaults(run=run_new)


def _add_check(commands: Commands) -> None:
    check = _command_parser(commands, "check", _("validate every unit"))
    check.add_argument("--today", type=_date, metavar=_("DATE"),
                       help=_("check as if today were DATE, written YYYY-MM-DD "
                              "(default: today)"))
    _add_common(check)
    check.set_defaults(run=run_check)


def _add_build(commands: Commands) -> None:
    build = _command_parser(commands, "build", _("render units to channels"))
    build.add_argument("--channel", action="append", dest="channels", metavar=_("CHANNEL"),
                       help=_("only this channel; repeat it for several (default: every "
                              "channel)"))
    build.add_argument("--only", action="append", default=[], metavar="ID",
                       help=_("only this unit; repeat it for several (default: every unit)"))
    build.add_argument("--jobs", type=_whole_number, default=None, metavar="N",
                       help=_("worker processes (default: one per core)"))
    build.add_argument("--force", action="store_true",
                       help=_("make again even what is up to date"))
    build.add_argument("--today", type=_date, metavar=_("DATE"),
                       help=_("build as if today were DATE, written YYYY-MM-DD "
                              "(default: today)"))
    build.add_argument("--executor", choices=("local", "dask"), default=None,
                       help=_("where the files are made: on this computer (local) or on the "
                              "workers of a Dask cluster (dask); default: [build] in "
                              "toolkit.toml, else local"))
    build.add_argument("--scheduler", metavar=_("ADDRESS"),
                       help=_("the Dask scheduler's address, like tcp://192.168.1.10:8786 "
                              "(implies --executor dask; default: [build] in toolkit.toml)"))
    _add_common(build)
    build.set_defaults(run=run_build)


def _add_bulletin(commands: Commands) -> None:
    bulletin = _command_parser(commands, "bulletin",
                               _("make the bulletin of a week or a period"))
    bulletin.add_argument("--week", metavar=_("WEEK"),
                          help=_("an ISO week like 2021-W06 (default: this week)"))
    bulletin.add_argument("--from", dest="start", type=_date, metavar=_("DATE"),
                          help=_("first day of a special edition, with --to"))
    bulletin.add_argument("--to", dest="end", type=_date, metavar=_("DATE"),
                          help=_("last day of a special edition"))
    bulletin.add_argument("--force", action="store_true",
                          help=_("make it even if it is up to date"))
    _add_common(bulletin)
    bulletin.set_defaults(run=run_bulletin)


def _add_import(commands: Commands) -> None:
    word = _command_parser(commands, "import", _("turn a Word .docx into a unit under "
                                                 "content/"))
    word.add_argument("file", type=Path, metavar=_("FILE"), help=_("the Word file (.docx)"))
    word.add_argument("--kind", choices=KINDS, default="procedure",
                      help=_("the kind of unit (default: %(default)s)"))
    word.add_argument("--id", dest="unit_id", type=_unit_id, metavar="ID",
                      help=_("the unit's id (default: made from the title)"))
    _add_common(word)
    word.set_defaults(run=run_import)


def _add_deliver(commands: Commands) -> None:
    deliver = _command_parser(commands, "deliver", _("send outbox items to outside services"))
    _add_common(deliver)
    channels = deliver.add_subparsers(metavar=_("CHANNEL"), title=_("channels"))
    sms = _command_parser(channels, "deliver sms", _("send outbox/sms to every recipient, once "
                                                     "each"))
    sms.add_argument("--to", dest="recipients", type=Path, required=True, metavar=_("FILE"),
                     help=_("the recipients: a CSV file with a phone (or SĐT) column"))
    sms.add_argument("--dry-run", action="store_true",
                     help=_("show what would be sent to whom; send nothing"))
    sms.add_argument("--yes", action="store_true",
                     help=_("send without asking first (asked only on a terminal)"))
    _add_common(sms)
    sms.set_defaults(run=run_deliver_sms)
    _add_deliver_social(channels)


def _add_deliver_social(channels: Commands) -> None:
    social = _command_parser(channels, "deliver social", _(
        "post outbox/social to the Facebook Page and the Zalo OA, once each"))
    social.add_argument("--dry-run", action="store_true",
                        help=_("show what would be posted where and when; post nothing"))
    social.add_argument("--yes", action="store_true",
                        help=_("post without asking first (asked only on a terminal)"))
    social.add_argument("--only", action="append", default=[], type=_unit_id, metavar="ID",
                        help=_("only the post of this unit; repeat it for several (default: "
                               "every post)"))
    social.add_argument("--platform", action="append", dest="platforms",
                        choices=SOCIAL_PLATFORMS, help=_(
                            "only this page: facebook or zalo; repeat it for both (default: "
                            "every page set in the environment)"))
    _add_common(social)
    social.set_defaults(run=run_deliver_social)


def _add_serve(commands: Commands) -> None:
    serve = _command_parser(commands, "serve",
                            _("serve the outbox read-only, with a review page at /"))
    serve.add_argument("--host", default="127.0.0.1", metavar=_("ADDRESS"),
                       help=_("the address to listen on; 0.0.0.0 lets other computers in "
                              "(default: %(default)s)"))
    serve.add_argument("--port", type=_whole_number, default=8000, metavar=_("PORT"),
                       help=_("the port to listen on (default: %(default)s)"))
    serve.add_argument("--no-watch", dest="watch", action="store_false",
                       help=_("only serve: do not rebuild when a file changes (for a portal)"))
    serve.add_argument("--channel", action="append", dest="channels", metavar=_("CHANNEL"),
                       help=_("rebuild only this channel; repeat it for several (default: "
                              "every channel)"))
    serve.add_argument("--today", type=_date, metavar=_("DATE"),
                       help=_("rebuild as if today were DATE, written YYYY-MM-DD (default: "
                              "today)"))
    _add_common(serve)
    serve.set_defaults(run=run_serve)


def _add_report(commands: Commands) -> None:
    quarterly = _command_parser(commands, "report",
                                _("write the quarterly report of what was published"))
    quarterly.add_argument("--quarter", metavar=_("QUARTER"),
                           help=_("a quarter like 2021-Q1 (default: this quarter)"))
    _add_common(quarterly)
    quarterly.set_defaults(run=run_report)


def _add_sms(commands: Commands) -> None:
    sms = _command_parser(commands, "sms", _("SMS tools"))
    _add_common(sms, project=False)
    counter = _command_parser(_commands(sms), "sms count", _("what a text costs as an SMS"))
    counter.add_argument("text", metavar=_("TEXT"), help=_("the text, in quotes"))
    counter.add_argument("--json", action="store_true", help=_("print JSON"))
    counter.add_argument("--plain", action="store_true",
                         help=_("count the text as sent without diacritics"))
    _add_common(counter, project=False)
    counter.set_defaults(run=run_sms_count)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2021-02-15").format(
            value=quote(text))) from None


def _whole_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(_("{value} is not a whole number like 4").format(
            value=quote(text)))
    return int(text)


def _unit_id(text: str) -> str:
    """An id given on the command line follows the rule of ids in front matter, so it
    names a file inside content/ and nowhere else."""
    if not ID_PATTERN.match(text):
        raise argparse.ArgumentTypeError(_(
            "{value} is not an id: use lowercase letters a-z, digits and hyphens, e.g. "
            "dang-ky-khai-sinh").format(value=quote(text)))
    return text


# --- the commands -----------------------------------------------------------------


def _report(problems: list[Problem]) -> None:
    """Problems one a line on stderr, errors first, then warnings."""
    ordered = by_place(problems)
    for problem in [p for p in ordered if not p.warning] + [p for p in ordered if p.warning]:
        print(problem, file=sys.stderr)


def run_init(args: argparse.Namespace) -> int:
    """Make a project folder: toolkit.toml, templates/ to edit, an empty content/."""
    from toolkit.commands.init import init

    init(args.directory)
    print(_("Made a project in {folder}. Next:\n"
            "  1. edit {folder}/toolkit.toml: the name of your office, its hotline, its "
            "address and its website;\n"
            "  2. write a first unit: cd {folder}, then toolkit new procedure \"Đăng ký "
            "khai sinh\";\n"
            "  3. fill in the unit's file under content/, then check it: toolkit check;\n"
            "  4. make the leaflets, posters, videos, feeds and SMS: toolkit build;\n"
            "  5. review them in a browser: toolkit serve").format(folder=args.directory))
    return 0


def run_new(args: argparse.Namespace) -> int:
    """Write content/<id>.md with every field of its kind, explained."""
    from toolkit.commands.new import new

    print(new(args.project, args.kind, args.title, args.unit_id).as_posix())
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Report every problem of every unit, one line each; 1 if there are any (warnings
    are said, and counted apart, but fail nothing)."""
    from toolkit.commands.check import check, errors, fine_units

    content, problems = check(args.project, args.today)
    _report(problems)
    failing = errors(problems)
    print(check_summary(len(content.units), fine_units(content, problems), failing,
                        len(problems) - len(failing)))
    return 1 if failing else 0


def check_summary(units: int, fine: int, failing: list[Problem], warnings: int) -> str:
    """The line `check` ends with: "2 problems in 1 file; 3 units are fine", and the
    warnings counted apart."""
    if failing:
        files = len({p.file for p in failing})
        line = _("{problems} in {files}; {fine}").format(
            problems=ngettext("{n} problem", "{n} problems", len(failing)).format(
                n=len(failing)),
            files=ngettext("{n} file", "{n} files", files).format(n=files),
            fine=ngettext("{n} unit is fine", "{n} units are fine", fine).format(n=fine))
    else:
        line = ngettext("{n} unit, no problems", "{n} units, no problems", units).format(
            n=units)
    if warnings:
        line = _("{summary}; {warnings}").format(summary=line, warnings=ngettext(
            "{n} warning", "{n} warnings", warnings).format(n=warnings))
    return line


def run_build(args: argparse.Namespace) -> int:
    """Build the outbox; 1 if any unit or channel was skipped for a problem."""
    from toolkit.commands.build import build
    from toolkit.options import Options
    from toolkit.progress import progress_on
    from toolkit.workers import cores

    options = Options(tuple(args.channels or ()), frozenset(args.only),
                      cores() if args.jobs is None else args.jobs, args.force, args.today)
    with progress_on(sys.stderr) as progress:
        report = build(args.project, options, progress, args.executor, args.scheduler)
    _report(report.problems)
    print(report.summary())
    return 0 if report.ok else 1


def run_bulletin(args: argparse.Namespace) -> int:
    """Make the bulletin of one week, or of a special edition's period."""
    from toolkit.commands.bulletin import bulletin
    from toolkit.i18n import day
    from toolkit.periods import span, week
    from toolkit.progress import progress_on

    if (args.start is None) != (args.end is None):
        raise UserError(_("--from and --to go together"))
    period = None
    if args.start is not None:
        if args.week or args.end < args.start:
            raise UserError(_("give either --week, or --from and --to with --from first"))
        period = span(args.start, args.end)
    elif args.week:
        try:
            period = week(args.week)
        except ValueError:
            raise UserError(_("--week {week}: not an ISO week like 2021-W06").format(
                week=args.week)) from None
    with progress_on(sys.stderr) as progress:
        period, report = bulletin(args.project, period, args.force, progress)
    _report(report.problems)
    print(_("{period} ({start} – {end}): {summary}").format(
        period=period.name, start=day(period.start), end=day(period.end),
        summary=report.summary()))
    return 0 if report.ok else 1


def run_import(args: argparse.Namespace) -> int:
    """Write content/<id>.md from a Word file; say what is missing for `check` to pass."""
    from toolkit.commands.import_word import import_word

    made = import_word(args.project, args.file, args.kind, args.unit_id)
    for note in made.notes:
        print(f"{args.file.name}: {note}", file=sys.stderr)
    _report(made.problems)
    name = made.path.as_posix()
    print(name if not made.problems else _("{file}: written; fill in what is missing, then "
                                           "run toolkit check").format(file=name))
    return 1 if made.problems else 0


def run_deliver_sms(args: argparse.Namespace) -> int:
    """Send every message to every recipient not yet sent to; 1 if any failed. A dry run
    lists what would go to whom; a send on a terminal asks first, unless --yes."""
    from toolkit.commands.deliver import deliver_sms
    from toolkit.deliver.plan import dry_run_lines

    ask = not (args.yes or args.dry_run) and sys.stdin.isatty()
    tally = deliver_sms(args.project, args.recipients, args.dry_run,
                        lambda line: print(line, file=sys.stderr, flush=True),
                        confirm_send if ask else None)
    _report(tally.problems)
    if args.dry_run and tally.plan is not None:
        for line in dry_run_lines(tally.plan):
            print(line)
    print(tally.summary(args.dry_run))
    return tally.exit_status


def run_deliver_social(args: argparse.Namespace) -> int:
    """Post every post to every page it is not on yet; 1 if any failed or is left for
    later. A dry run lists every post: where, what, when, its files; a real run on a
    terminal asks first, unless --yes."""
    from toolkit.commands.deliver import deliver_social
    from toolkit.deliver.social import plan_lines

    ask = not (args.yes or args.dry_run) and sys.stdin.isatty()
    tally = deliver_social(args.project, args.dry_run,
                           lambda line: print(line, file=sys.stderr, flush=True),
                           frozenset(args.only), tuple(args.platforms or ()),
                           confirm_posts if ask else None)
    _report(tally.problems)
    if args.dry_run and tally.plan is not None:
        for line in plan_lines(tally.plan):
            print(line)
    print(tally.summary(args.dry_run))
    return tally.exit_status


def confirm_posts(plan: social.Plan) -> bool:
    """Show what is about to be posted where, and ask; True to post."""
    from toolkit.deliver.social import plan_lines, totals_lines

    for line in [*plan_lines(plan), *totals_lines(plan)]:
        print(line, file=sys.stderr)
    print(_("Post them now? Type y to post, anything else to stop: "), end="",
          file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().casefold() in YES


def confirm_send(plan: Plan) -> bool:
    """Show what is about to be sent to how many, and ask; True to send."""
    from toolkit.deliver.plan import merged_lines, message_lines, totals_line

    for line in [*message_lines(plan), *merged_lines(plan), totals_line(plan)]:
        print(line, file=sys.stderr)
    # On stderr, like the rest of what is said: stdout may be going to a log.
    print(_("Send them now? Type y to send, anything else to stop: "), end="",
          file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().casefold() in YES


def run_serve(args: argparse.Namespace) -> int:
    """Serve outbox/ and the review page until Ctrl+C, rebuilding on each saved edit
    unless --no-watch."""
    from toolkit.commands.serve import serve

    serve(args.project, args.host, args.port, lambda line: print(line, flush=True),
          watch=args.watch, channels=tuple(args.channels or ()), today=args.today)
    return 0


def run_report(args: argparse.Namespace) -> int:
    """Write outbox/report/<quarter>/report-<quarter>.docx."""
    from toolkit.commands.report import report
    from toolkit.periods import quarter

    try:
        period = quarter(args.quarter) if args.quarter else None
    except ValueError:
        raise UserError(_("--quarter {quarter}: not a quarter like 2021-Q1").format(
            quarter=args.quarter)) from None
    path, problems = report(args.project, period)
    _report(problems)
    print(path)
    return 0


def run_sms_count(args: argparse.Namespace) -> int:
    """Print the encoding, size and number of parts of a text sent as SMS."""
    from toolkit.smstext import cost, to_gsm7

    text = to_gsm7(args.text) if args.plain else args.text
    price = cost(text)
    if args.json:
        print(json.dumps(price.as_dict()))
    elif price.encoding == "GSM-7":
        print(_("{encoding}, {units} septets, {segments} segment(s)").format(
            encoding=price.encoding, units=price.units, segments=price.segments))
    else:
        print(_("{encoding}, {units} UTF-16 units, {segments} segment(s)").format(
            encoding=price.encoding, units=price.units, segments=price.segments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
