"""The production settings without the request line (the metrics kept): `bench.telemetry_cost
--parts` serves a page with these to tell the line's cost from the metrics'."""

from mumaris.settings import *  # noqa: F403
from mumaris.settings import LOGGING

LOGGING["loggers"]["mumaris.requests"]["level"] = "WARNING"
