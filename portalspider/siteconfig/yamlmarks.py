"""Reading a site config file into plain values plus the line of every key path.

The file is parsed once into a YAML node tree (which keeps line numbers) and then
constructed into plain Python values; the checker looks the line of each key path up in
the ``Marks`` table built from the nodes. Everything that can go wrong before the values
exist (no such file, a device or a huge file, not UTF-8, YAML syntax, duplicate keys,
impossible dates) is a ``ConfigError`` here.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from portalspider.siteconfig.errors import ConfigError, KeyPath, format_path

# A site config is a few KB; anything this large is the wrong file (or a hostile one).
MAX_CONFIG_BYTES = 2 * 1024 * 1024


@dataclass
class Marks:
    """Line numbers (1-based) of keys and values by key path, from the YAML node tree."""

    key_lines: dict[KeyPath, int] = field(default_factory=dict)
    value_lines: dict[KeyPath, int] = field(default_factory=dict)


def read_config(file: str) -> tuple[Any, Marks]:
    """The file's YAML document as plain values, with the line marks of its keys."""
    return parse_yaml(read_text(file), file)


def read_text(file: str) -> str:
    # stat first: opening a FIFO would block and /dev/zero never ends.
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise ConfigError("file not found", file=file) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror or exc})", file=file) from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError("is a directory, not a YAML file", file=file)
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError("is not a regular file (give the path of a YAML file)", file=file)
    try:
        with open(file, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read the file ({exc.strerror or exc})", file=file) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"is larger than {MAX_CONFIG_BYTES // (1024 * 1024)} MB: not a site config",
            file=file,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Windows editors often save GBK; say so instead of showing mojibake later.
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            "the file is not UTF-8 text (save it as UTF-8; GBK/ANSI is not supported)",
            file=file,
            line=line,
        ) from None


def parse_yaml(text: str, file: str) -> tuple[Any, Marks]:
    loader = yaml.SafeLoader(text)
    marks = Marks()
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            raise _yaml_error(exc, file) from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"YAML syntax error: {exc}", file=file) from None
        if node is None:
            raise ConfigError(
                "the file is empty (it needs at least site.name and site.url)", file=file
            )
        timestamps: list[tuple[KeyPath, yaml.ScalarNode]] = []
        _walk(node, (), marks, timestamps, file, set())
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            raise _yaml_error(exc, file) from None
        except (ValueError, TypeError, OverflowError) as exc:
            # PyYAML lets e.g. an impossible date (2026-02-30) escape as ValueError.
            _raise_bad_timestamp(timestamps, file)
            raise ConfigError(f"invalid value ({exc})", file=file) from None
    except RecursionError:
        raise ConfigError("YAML nested too deeply", file=file) from None
    finally:
        loader.dispose()
    return data, marks


def _yaml_error(exc: yaml.MarkedYAMLError, file: str) -> ConfigError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    detail = f"YAML syntax error: {problem}"
    if exc.context and exc.problem:
        detail += f" ({exc.context})"
    if mark is not None:
        detail += f" at column {mark.column + 1}"
        if "\t" in problem or "'\\t'" in problem:
            detail += "; indent with spaces, not tabs"
    return ConfigError(detail, file=file, line=mark.line + 1 if mark else None)


def _walk(
    node: yaml.Node,
    path: KeyPath,
    marks: Marks,
    timestamps: list[tuple[KeyPath, yaml.ScalarNode]],
    file: str,
    seen: set[int],
) -> None:
    """Record the line of every key path, reject duplicate keys, collect timestamps."""
    marks.value_lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:  # an alias to a node already walked (or a recursive one)
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys_here: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            line = key_node.start_mark.line + 1
            if key in keys_here:
                raise ConfigError(
                    f"duplicate key (first at line {keys_here[key]}; the second would "
                    "silently win)",
                    file=file,
                    line=line,
                    key=format_path((*path, key)),
                )
            keys_here[key] = line
            marks.key_lines.setdefault((*path, key), line)
            _walk(value_node, (*path, key), marks, timestamps, file, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks.key_lines.setdefault((*path, index), item.start_mark.line + 1)
            _walk(item, (*path, index), marks, timestamps, file, seen)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
        timestamps.append((path, node))


def _raise_bad_timestamp(timestamps: list[tuple[KeyPath, yaml.ScalarNode]], file: str) -> None:
    for path, node in timestamps:
        try:
            yaml.SafeLoader("").construct_yaml_timestamp(node)
        except (ValueError, TypeError, OverflowError):
            raise ConfigError(
                f"{node.value!r} is not a real date (write YYYY-MM-DD)",
                file=file,
                line=node.start_mark.line + 1,
                key=format_path(path),
            ) from None
