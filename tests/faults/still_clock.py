"""The project's WSGI application with the API throttles' clock standing still, for gunicorn in the fault
tests (``tests.faults.still_clock:application``): every request counts in the same window of the rate's
period, however long the test takes and wherever the wall clock is in its minute. Only the throttles'
clock is replaced (``_Counting.timer``, the one they read); everything else runs as in production."""

from api.throttling import _Counting
from config.wsgi import application

# Ten seconds into a minute, as the in-process throttle tests' clock (tests/api/conftest.py).
STILL = 1_800_000_000 - 1_800_000_000 % 60 + 10

_Counting.timer = staticmethod(lambda: STILL)

__all__ = ["application"]
