"""Fake mlx.core.metal (the pre-0.25 home of the memory functions)."""
import _fake_mlx_control as control


def is_available():
    return True


def device_info():
    info = {"architecture": "applegpu_g15s", "max_buffer_length": 9_663_676_416, "memory_size": 17_179_869_184, "resource_limit": 499_000}
    working_set = control.read_control().get("workingSetBytes", 12_713_115_648)
    if working_set is not None:
        info["max_recommended_working_set_size"] = working_set
    return info


def set_cache_limit(limit):
    control.record("set_cache_limit", api="mx.metal.set_cache_limit", value=int(limit))
    return 0
