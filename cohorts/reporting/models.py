"""Models: see the app docstring in apps.py."""
