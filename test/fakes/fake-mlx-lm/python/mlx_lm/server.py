"""Fake mlx_lm.server: the flags and HTTP API of mlx-lm 0.32 (mallex docs/PROTOCOL.md A1-A8), no model.

What each start does comes from the control file (see _fake_mlx_control):
  downloadSteps, downloadStepSeconds  print Hugging Face progress bars first
  loadSeconds                          the model "loads" this long (HTTP is up meanwhile)
  onLoad                               after loading: crash | oom | die-thread | hang
  onGenerate, afterGenerations         at generation afterGenerations+1 and later: crash | oom | die-thread | hang
  reply                                the text generated, one word per token
"""
import argparse
import json
import logging
import os
import queue
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _fake_mlx_control as control
import mlx.core as mx

from . import __version__

OOM_MESSAGE = (
    "libc++abi: terminating due to uncaught exception of type std::runtime_error: "
    "[METAL] Command buffer execution failed: Insufficient Memory "
    "(00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)"
)


def build_parser():
    parser = argparse.ArgumentParser(prog="mlx_lm.server", description="fake MLX HTTP server")
    parser.add_argument("--model", type=str)
    parser.add_argument("--adapter-path", type=str)
    parser.add_argument("--host", type=str, default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--draft-model", type=str)
    parser.add_argument("--num-draft-tokens", type=int, default=3)
    parser.add_argument("--trust-remote-code", action="store_true")
    parser.add_argument("--log-level", type=str, default="INFO")
    parser.add_argument("--chat-template", type=str, default="")
    parser.add_argument("--use-default-chat-template", action="store_true")
    parser.add_argument("--temp", type=float, default=0.0)
    parser.add_argument("--top-p", type=float, default=1.0)
    parser.add_argument("--top-k", type=int, default=0)
    parser.add_argument("--min-p", type=float, default=0.0)
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--chat-template-args", type=json.loads, default="{}")
    parser.add_argument("--decode-concurrency", type=int, default=32)
    parser.add_argument("--prompt-concurrency", type=int, default=8)
    parser.add_argument("--prefill-step-size", type=int, default=2048)
    parser.add_argument("--prompt-cache-size", type=int, default=10)
    parser.add_argument("--prompt-cache-bytes", type=str)
    return parser


def misbehave(kind):
    if kind == "oom":
        print(OOM_MESSAGE, file=sys.stderr, flush=True)
        os.abort()  # SIGABRT: a shell reports "Abort trap: 6", exit 134
    if kind == "crash":
        print("Traceback (most recent call last):\nRuntimeError: fake mlx-lm crashed", file=sys.stderr, flush=True)
        os._exit(1)
    if kind == "die-thread":
        # Raised in the generation thread: threading prints "Exception in thread Thread-1 (_generate):"
        # and the traceback; HTTP stays up and completions hang (mlx-lm #1505).
        raise RuntimeError("[metal::malloc] Resource limit (499000) exceeded.")
    if kind == "hang":
        while True:
            time.sleep(3600)


def print_download(steps, step_seconds):
    total = 4.29
    print("Fetching 3 files:   0%|          | 0/3 [00:00<?, ?it/s]", end="\r", file=sys.stderr, flush=True)
    for step in range(1, steps + 1):
        done = total * step / steps
        percent = int(100 * step / steps)
        bar = ("█" * (percent // 10)).ljust(10)
        print(f"model.safetensors: {percent:3d}%|{bar}| {done:.2f}G/{total:.2f}G [00:01<00:01, 1.00GB/s]", end="\r", file=sys.stderr, flush=True)
        time.sleep(step_seconds)
    print("Fetching 3 files: 100%|██████████| 3/3 [00:02<00:00,  1.50it/s]", file=sys.stderr, flush=True)


class Job:
    def __init__(self, body, max_tokens):
        self.body = body
        self.max_tokens = max_tokens
        self.tokens = queue.Queue()
        # Set once a streamed answer's headers and first keepalive are out (at once for the others):
        # a real server fails during generation, after prefill has opened the stream, and the
        # handler thread must not lose that race to the generation thread.
        self.opened = threading.Event()
        if not body.get("stream"):
            self.opened.set()


class Generator:
    """The single generation thread: loads the model, then serves jobs one at a time."""

    def __init__(self, behaviour, start):
        self.behaviour = behaviour
        self.start = start
        self.jobs = queue.Queue()
        self.generations = 0
        self.thread = threading.Thread(target=self._generate, daemon=True)

    def _generate(self):
        steps = int(self.behaviour.get("downloadSteps", 0))
        if steps:
            print_download(steps, float(self.behaviour.get("downloadStepSeconds", 0.1)))
        time.sleep(float(self.behaviour.get("loadSeconds", 0)))
        if self.behaviour.get("onLoad"):
            misbehave(self.behaviour["onLoad"])
        reply = str(self.behaviour.get("reply", "Hello from the fake mlx-lm."))
        while True:
            job = self.jobs.get()
            self.generations += 1
            control.record("generate", start=self.start, number=self.generations, max_tokens=job.max_tokens, stream=bool(job.body.get("stream")))
            if self.behaviour.get("onGenerate") and self.generations > int(self.behaviour.get("afterGenerations", 0)):
                job.opened.wait(5)
                misbehave(self.behaviour["onGenerate"])
            words = reply.split(" ")
            for index, word in enumerate(words[: job.max_tokens]):
                job.tokens.put(word if index == 0 else " " + word)
            job.tokens.put(None if job.max_tokens >= len(words) else "length")


def make_handler(args, generator):
    fingerprint = f"{__version__}-fake"

    class Handler(BaseHTTPRequestHandler):
        def _send_json(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def _not_found(self):
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"Not Found")

        def do_OPTIONS(self):
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()

        def do_GET(self):
            if self.path == "/health":
                return self._send_json(200, {"status": "ok"})
            if self.path == "/v1/models" or self.path.startswith("/v1/models/"):
                model = {"id": args.model, "object": "model", "created": int(time.time())}
                return self._send_json(200, {"object": "list", "data": [model]})
            self._not_found()

        def do_POST(self):
            if self.path not in ("/v1/chat/completions", "/chat/completions"):
                return self._not_found()
            if "Content-Length" not in self.headers:
                return self._send_json(411, {"error": "Content-Length header is required"})
            try:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            except ValueError as error:
                return self._send_json(400, {"error": f"Invalid JSON in request body: {error}"})
            if not isinstance(body, dict):
                return self._send_json(400, {"error": "Request should be dict"})
            assert "messages" in body  # uncaught, as in mlx-lm: no response, the socket is closed
            if body.get("model", "default_model") not in ("default_model", args.model):
                return self._send_json(404, {"error": f"Repository Not Found for {body['model']}"})
            stream_options = body.get("stream_options")
            include_usage = stream_options["include_usage"] if stream_options is not None else False
            max_tokens = int(body.get("max_completion_tokens", body.get("max_tokens", args.max_tokens)))
            job = Job(body, max_tokens)
            generator.jobs.put(job)
            prompt_tokens = sum(len(str(message.get("content") or "").split()) for message in body["messages"])
            if body.get("stream"):
                self._stream(job, include_usage, prompt_tokens)
            else:
                self._complete(job, prompt_tokens)

        def _base(self, kind):
            return {"id": f"chatcmpl-{uuid.uuid4()}", "system_fingerprint": fingerprint, "object": kind, "model": "default_model", "created": int(time.time())}

        def _read_tokens(self, job):
            while True:
                token = job.tokens.get()
                if token is None or token == "length":
                    return "stop" if token is None else "length"
                yield token

        def _stream(self, job, include_usage, prompt_tokens):
            self.send_response(200)
            self.send_header("Content-type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(f": keepalive {prompt_tokens}/{prompt_tokens}\n\n".encode())
            self.wfile.flush()
            job.opened.set()
            tokens = self._read_tokens(job)
            count = 0
            while True:
                try:
                    token = next(tokens)
                except StopIteration as finished:
                    finish_reason = finished.value
                    break
                count += 1
                chunk = self._base("chat.completion.chunk")
                chunk["choices"] = [{"index": 0, "finish_reason": None, "delta": {"role": "assistant", "content": token}}]
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            final = self._base("chat.completion.chunk")
            final["choices"] = [{"index": 0, "finish_reason": finish_reason, "delta": {"role": "assistant"}}]
            self.wfile.write(f"data: {json.dumps(final)}\n\n".encode())
            if include_usage:
                usage = self._base("chat.completion")
                usage["choices"] = []
                usage["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": count, "total_tokens": prompt_tokens + count, "prompt_tokens_details": {"cached_tokens": 0}}
                self.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def _complete(self, job, prompt_tokens):
            tokens = self._read_tokens(job)
            text = []
            while True:
                try:
                    text.append(next(tokens))
                except StopIteration as finished:
                    finish_reason = finished.value
                    break
            response = self._base("chat.completion")
            response["choices"] = [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": "".join(text) or None}}]
            response["usage"] = {"prompt_tokens": prompt_tokens, "completion_tokens": len(text), "total_tokens": prompt_tokens + len(text), "prompt_tokens_details": {"cached_tokens": 0}}
            self._send_json(200, response)

    return Handler


def main():
    args = build_parser().parse_args()
    logging.basicConfig(level=getattr(logging, args.log_level.upper(), logging.INFO), format="%(asctime)s - %(levelname)s - %(message)s")
    start = control.count_start()
    behaviour = control.behaviour_for(start)
    control.record("start", start=start, argv=sys.argv[1:], version=__version__)
    if mx.metal.is_available():
        mx.set_wired_limit(mx.metal.device_info().get("max_recommended_working_set_size", 0))
    generator = Generator(behaviour, start)
    generator.thread.start()
    httpd = ThreadingHTTPServer((args.host, args.port), make_handler(args, generator))
    logging.info(f"Starting httpd at {args.host} on port {args.port}...")
    httpd.serve_forever()


if __name__ == "__main__":
    main()
