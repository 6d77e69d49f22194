"""Fake mlx.core: records the cache limit mallex's wrapper sets and reports a GPU working set.

With "oldApi": true in the control file it looks like MLX before 0.25: no
top-level set_cache_limit/device_info, only mx.metal.*.
"""
import _fake_mlx_control as control

from . import metal

_limits = {"cache": 0, "wired": 0, "memory": 0}


def set_cache_limit(limit):
    previous, _limits["cache"] = _limits["cache"], int(limit)
    control.record("set_cache_limit", api="mx.set_cache_limit", value=int(limit))
    return previous


def set_wired_limit(limit):
    previous, _limits["wired"] = _limits["wired"], int(limit)
    return previous


def set_memory_limit(limit):
    previous, _limits["memory"] = _limits["memory"], int(limit)
    return previous


def device_info():
    return metal.device_info()


if control.read_control().get("oldApi"):
    del set_cache_limit
    del device_info
