import fs from 'node:fs';
import { writeFileAtomicSync } from '../../../lib/fs/write-file-atomic.js';

// mlx-lm.server has no flag for the MLX buffer cache limit (PROTOCOL.md A1),
// so it runs under this wrapper, which sets the limit (process-global, so it
// also covers the generation thread) and then calls mlx-lm.server's main().
// The wrapper also answers --mallex-probe-device with the GPU working set the
// supervisor computes the limit from.
const WRAPPER_SCRIPT = `#!/usr/bin/env python3
# Written by mallex's mlx-manager; rewritten whenever mallex changes it.
# usage: mlx_server_wrapper.py --mallex-cache-limit BYTES -- [mlx_lm.server arguments]
#        mlx_server_wrapper.py --mallex-probe-device
import json
import sys

import mlx.core as mx


def read_device_info():
    # mx.device_info() since MLX 0.25; mx.metal.device_info() before.
    for owner in (mx, getattr(mx, "metal", None)):
        read = getattr(owner, "device_info", None)
        if read is None:
            continue
        try:
            return dict(read())
        except Exception:
            continue
    return {}


def set_cache_limit(limit):
    setter = getattr(mx, "set_cache_limit", None)
    if setter is None:
        setter = mx.metal.set_cache_limit
    setter(limit)


def main():
    args = sys.argv[1:]
    if args[:1] == ["--mallex-probe-device"]:
        info = read_device_info()
        print(json.dumps({key: info.get(key) for key in ("max_recommended_working_set_size", "memory_size")}))
        return 0
    if len(args) < 2 or args[0] != "--mallex-cache-limit":
        print("usage: mlx_server_wrapper.py --mallex-cache-limit BYTES -- [mlx_lm.server arguments]", file=sys.stderr)
        return 2
    limit = int(args[1])
    set_cache_limit(limit)
    print("mallex: MLX cache limit set to %d bytes" % limit, file=sys.stderr, flush=True)
    server_args = args[2:]
    if server_args[:1] == ["--"]:
        server_args = server_args[1:]
    sys.argv = ["mlx_lm.server"] + server_args
    from mlx_lm.server import main as serve

    return serve()


if __name__ == "__main__":
    sys.exit(main())
`;

export function createWrapperScript(): string {
  return WRAPPER_SCRIPT;
}

/** Writes the wrapper only when its content differs, so its mtime says when mallex last changed it. */
export function writeWrapperIfChanged(wrapperPath: string): boolean {
  const content = createWrapperScript();
  try {
    if (fs.readFileSync(wrapperPath, 'utf8') === content) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  writeFileAtomicSync(wrapperPath, content, 0o700);
  return true;
}
