"""Pinstudio: an open-source content studio for Pinterest."""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs ~50 ms at every CLI start otherwise.
    if name != "__version__":
        raise AttributeError(f"module 'studio' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("pinstudio")
    except PackageNotFoundError:  # running from a source tree without an install
        value = "0.0.0+local"
    globals()["__version__"] = value
    return value
