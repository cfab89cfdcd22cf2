"""What the visitors were answered, and the figures read from it: one recorder, one percentile.

Every drill and benchmark hands a `Recorder` to its `Visitor`s (bench/loadstack.py); the recorder
keeps one `Answer` per request, from any number of threads, tagged with the phase the drill is in.
"""

import dataclasses
import math
import threading


@dataclasses.dataclass(frozen=True)
class Answer:
    """One request: when it started (Unix time), what was asked, what came back, how long it took."""

    started: float
    method: str
    path: str
    status: int | None  # None: no answer (connection refused, reset or timed out)
    traceback: bool  # the body shows a Python traceback
    seconds: float
    phase: str = ""

    @property
    def failed(self):
        """A 5xx, no answer at all, or a traceback: what no drill accepts."""
        return self.status is None or self.status >= 500 or self.traceback


class Recorder:
    """Collects every `Answer`, thread-safe; `phase` tags the answers recorded from now on."""

    def __init__(self, phase=""):
        self.answers = []
        self.phase = phase
        self._lock = threading.Lock()

    def __call__(self, answer):
        with self._lock:
            self.answers.append(dataclasses.replace(answer, phase=self.phase))

    def between(self, first, last):
        """The answers to requests started in [first, last) (Unix times)."""
        return [answer for answer in self.answers if first <= answer.started < last]


def percentile(values, fraction):
    """The nearest-rank percentile: the smallest value with at least `fraction` of them at or
    below it (0.5 is the median of an odd count, 0.95 the p95); NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def print_table(rows):
    """Print rows (dicts with the same keys and string values) as aligned columns."""
    columns = list(rows[0])
    widths = {column: max(len(column), *(len(row[column]) for row in rows)) for column in columns}
    print("  ".join(column.ljust(widths[column]) for column in columns))
    for row in rows:
        print("  ".join(row[column].ljust(widths[column]) for column in columns))
