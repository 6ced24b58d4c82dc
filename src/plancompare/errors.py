"""Domain exceptions. Every failure the tool can report is one of these.

The CLI translates each to one line on stderr and the class's ``exit_code``;
``--debug`` shows the traceback. Library callers catch :class:`PlanCompareError`.

Exit codes (shared by every command):

* 0 success; 1 a ``check`` rule failed (not an error);
* 2 usage or input error (missing, empty, binary, unreadable, not a plan);
* 3 a comparison could not be made (a side has no tasks);
* 4 output could not be written (a file, or stdout: full disk, closed, /dev/full);
* 70 an internal error (a bug; the CLI prints one line, ``--debug`` the traceback);
* 130 interrupted (Ctrl-C).
"""

from __future__ import annotations


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
