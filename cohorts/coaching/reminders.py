"""Coaching reminders (homework, reviews, follow-ups): producers for accounts.reminders."""


def register() -> None:
    """Called once from CoachingConfig.ready()."""
