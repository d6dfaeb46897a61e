"""One error tree: every StudioError lives in studio/errors.py or in its package's errors.py, is drawn in
the tree of studio/errors.py's docstring, and says which HTTP status the API answers it with."""

from __future__ import annotations

import importlib
import pkgutil

import studio
from studio import errors
from studio.errors import StudioError


def every_studio_error() -> list[type[StudioError]]:
    for module in pkgutil.walk_packages(studio.__path__, "studio."):
        if not module.name.endswith("__main__"):  # every module, so every error class is defined
            importlib.import_module(module.name)
    found, todo = [], [StudioError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += [sub for sub in cls.__subclasses__() if sub.__module__.startswith("studio.")]
    return found


def test_every_error_lives_in_an_errors_module_and_is_in_the_tree():
    classes = every_studio_error()
    assert len(classes) > 15
    for cls in classes:
        assert cls.__module__ == "studio.errors" or cls.__module__.endswith(".errors"), cls
        assert f" {cls.__name__} " in errors.__doc__, f"{cls.__name__} is missing from the tree in errors.py"
        assert isinstance(cls.http_status, int) and 400 <= cls.http_status < 600, cls
