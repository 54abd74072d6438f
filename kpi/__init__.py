"""Lodestar's KPI engine: plain Python, no Django."""

from __future__ import annotations
