"""Shared by the fake mlx.core and the fake mlx_lm.server: what the test asked for, and what happened.

Files live in FAKE_MLX_DIR, or else in the folder that holds the venv (the
venv is $MALLEX_HOME/venv, so that folder is MALLEX_HOME):
  fake-mlx-control.json  written by the test: {"workingSetBytes", "oldApi", "starts": [behaviour, ...]}
  fake-mlx-record.jsonl  appended here: one JSON event per line (start, set_cache_limit, generate)
  fake-mlx-state.json    the number of server starts so far
"""
import json
import os
import sys
import time


def folder():
    return os.environ.get("FAKE_MLX_DIR") or os.path.dirname(os.path.abspath(sys.prefix))


def _path(name):
    return os.path.join(folder(), name)


def read_control():
    try:
        with open(_path("fake-mlx-control.json"), encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError):
        return {}


def record(event, **fields):
    fields.update(event=event, pid=os.getpid(), time=time.time())
    with open(_path("fake-mlx-record.jsonl"), "a", encoding="utf-8") as file:
        file.write(json.dumps(fields) + "\n")


def count_start():
    """1 for the first start after the test wrote its control file, 2 for the next..."""
    path = _path("fake-mlx-state.json")
    try:
        with open(path, encoding="utf-8") as file:
            starts = int(json.load(file).get("starts", 0))
    except (OSError, ValueError):
        starts = 0
    starts += 1
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"starts": starts}, file)
    return starts


def behaviour_for(start):
    """The behaviour for this start: starts[start - 1], the last entry repeating."""
    starts = read_control().get("starts") or [{}]
    return starts[min(start, len(starts)) - 1]
