"""Fake mlx-lm for mallex's tests (stdlib only). The real one: https://github.com/ml-explore/mlx-lm"""
try:
    from importlib.metadata import version as _version

    __version__ = _version("mlx-lm")
except Exception:
    __version__ = "0.0.0"
