"""Domain exceptions. Every failure the tool can report is one of these.

The CLI translates each to one line on stderr and the class's ``exit_code``;
``--debug`` shows the traceback. Library callers catch :class:`PlanCompareError`.

Exit codes are shared by every command and listed once, in :data:`EXIT_CODES` (the README's
table is generated from it by ``python -m plancompare.regen docs``); ``--debug`` never changes them.
"""

from __future__ import annotations

# exit code -> what it means (the README's table; tests/test_output.py checks each per command)
EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "`check`: a rule failed (by default: a parent task the draft leaves out without a waiver)",
    2: "usage or input error: missing, empty, binary or unreadable file, not a plan, a file beyond a [limit](docs/limits.md) (size, pages, unpacked size, parse time), bad option or config (an unknown command, a missing argument: one line, `--help` for the usage)",
    3: "the comparison cannot be made (a side has no tasks)",
    4: "an output cannot be written: an output file (also into a folder that does not exist: folders are never created), or stdout (full disk, `> /dev/full`, closed)",
    70: "internal error (a bug: please report it with the `--debug` traceback)",
    130: "interrupted (Ctrl-C)",
}
EXIT_RULE_FAILED = 1
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class PlanCompareError(Exception):
    """Base class. ``str(err)`` is the one-line message shown to users."""

    exit_code = 2
    code = "error"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(message)


class InputError(PlanCompareError):
    """Anything wrong with an input file."""

    code = "input"


class MissingFileError(InputError):
    code = "missing_file"


class EmptyFileError(InputError):
    code = "empty_file"


class BinaryFileError(InputError):
    code = "binary_file"


class UnsupportedFormatError(InputError):
    code = "unsupported_format"


class NoTextLayerError(InputError):
    """A PDF whose pages carry no text (a scan): it needs OCR first."""

    code = "no_text_layer"


class CorruptFileError(InputError):
    """A .docx, .pdf or .html file that is damaged or is not what its suffix says."""

    code = "corrupt_file"


class LimitError(InputError):
    """An input beyond a resource limit (file size, unpacked size, pages, text length;
    see docs/limits.md). Exit code 2, like every input error."""

    code = "too_large"


class TimeLimitError(LimitError):
    """Parsing one file took longer than the per-file time limit (``corpus scan``)."""

    code = "time_limit"


class DecodeError(InputError):
    code = "undecodable"


class NotAPlanError(InputError):
    """The text has no recognisable plan structure."""

    code = "not_a_plan"


class ComparisonError(PlanCompareError):
    """A comparison cannot be made (for example, a side has no tasks)."""

    exit_code = 3
    code = "comparison"


class OutputError(PlanCompareError):
    exit_code = 4
    code = "output"


class ConfigError(PlanCompareError):
    """A configuration file (plancheck.yaml, corpus manifest) is invalid."""

    code = "config"


class UsageError(PlanCompareError):
    """A bad option value or combination (exit code 2)."""

    code = "usage"

class MissingToolError(InputError):
    """A system program a reader needs (Tesseract and its Vietnamese data, LibreOffice) is not installed.

    The message names the package and the install command."""

    code = "missing_tool"
