"""Time-bounded tests: a regression fails in seconds instead of hanging the suite."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TookTooLong(AssertionError):
    """The block ran past its deadline and was stopped."""


class _Stop(BaseException):
    """Raised by the timer inside the block; turned into TookTooLong outside it."""


@contextmanager
def finishes_within(seconds: float, stop_after: float = 10.0) -> Iterator[None]:
    """Fail unless the block takes under `seconds`; stop it after `stop_after` seconds.

    The block is interrupted by a timer signal (Python code and the regex engine both notice
    one), so code that has turned quadratic fails quickly rather than running for minutes.
    """

    def stop(signum, frame):
        raise _Stop

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(stop_after, seconds))
    started = time.perf_counter()
    try:
        yield
    except _Stop:
        # A fresh error, without the interrupted frames: a frame stopped mid-line can carry no
        # line number, which pytest cannot print.
        message = f"still running after {stop_after:g} s (limit {seconds:g} s)"
        raise TookTooLong(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"took {elapsed:.3f} s (limit {seconds:g} s)"
