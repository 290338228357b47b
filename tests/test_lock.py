"""The lock files pin every dependency pyproject.toml asks for, within its bounds: a dependency added without
`make lock` fails here, not on a fresh machine."""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lock: str) -> dict[str, str]:
    """The versions a lock file installs on this Python, by canonical name."""
    found: dict[str, str] = {}
    for line in (ROOT / lock).read_text().splitlines():
        if not line or line[0] in " #-":
            continue
        req = Requirement(line.removesuffix("\\").strip())
        if req.marker is None or req.marker.evaluate():
            (spec,) = req.specifier
            found[canonicalize_name(req.name)] = spec.version
    return found


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        ("requirements-dev.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_the_lock_pins_every_dependency_within_its_bounds(lock, wanted):
    pinned = pins(lock)
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not in {lock}: run `make lock`"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {req.name}=={pinned[name]}, outside {req.specifier}: run `make lock`"
        )


def test_running_and_testing_install_the_same_versions():
    run, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in run} == run
