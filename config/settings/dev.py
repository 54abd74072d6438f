"""Local development and `make run`: DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import _env_bool

DEBUG = _env_bool("DEBUG", default=True)
