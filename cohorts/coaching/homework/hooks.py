"""Navigation entries, home panels and reminders this part registers at start-up."""


def register() -> None:
    """Called once from CoachingConfig.ready()."""
