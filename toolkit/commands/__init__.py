"""The commands of `toolkit`, one module each with one entry function.

`toolkit/cli.py` parses the command line, calls the entry function and turns
what it returns into output and an exit status. The functions here open the
project, hold its lock while they write, and call the modules that do the work.
"""


class UserError(Exception):
    """A mistake in what was asked (a file that exists, an id that is no id): said in
    one line, exit status 2."""
