"""Packaging shim: scrapyd-deploy runs ``setup.py bdist_egg`` and writes a bare setup.py
(without package data) when none exists. All metadata lives in pyproject.toml."""

from setuptools import setup

setup()
