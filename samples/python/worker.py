#!/usr/bin/env python3
"""A JSON-RPC 2.0 worker using only Python's standard library: methods in any language.

Reads one JSON text per line on stdin and answers on stdout (newline framing). Requests run on
threads, so a slow call does not hold back a fast one and responses leave in completion order.
It can also ask the manager something ("ask") and send it progress notifications ("progress").

Run it under a piperpc manager, e.g.:  ./piperpc call echo '[1, "x"]' -- python3 samples/python/worker.py
"""
import json
import os
import sys
import threading
import time

out_lock = threading.Lock()
answered = threading.Condition(out_lock)
answered_count = [0]
pending_up = {}
pending_up_lock = threading.Lock()
next_up_id = [0]


def write(message):
    data = json.dumps(message, separators=(",", ":")) + "\n"
    with out_lock:
        sys.stdout.write(data)
        sys.stdout.flush()
        if "id" in message and "method" not in message:
            answered_count[0] += 1
            answered.notify_all()


def after(count, answered_at_arrival):
    """Returns once this worker has answered `count` other calls since this one arrived."""
    target = answered_at_arrival + count
    with out_lock:
        if not answered.wait_for(lambda: answered_count[0] >= target, timeout=30):
            raise RuntimeError("only %d of %d other calls were answered" % (answered_count[0] - target + count, count))
    return count


def ask_manager(method, params):
    """Sends a request to the manager and waits for its response."""
    with pending_up_lock:
        next_up_id[0] += 1
        request_id = "up-%d" % next_up_id[0]
        event = threading.Event()
        pending_up[request_id] = [event, None]
    write({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
    event.wait(30)
    with pending_up_lock:
        return pending_up.pop(request_id)[1]


def handle(method, params, answered_at_arrival):
    if method == "echo":
        return params
    if method == "add":
        return params[0] + params[1]
    if method == "after":
        return after(params[0], answered_at_arrival)
    if method == "sleep":
        time.sleep(params[0] / 1000.0)
        return params[0]
    if method == "pid":
        return os.getpid()
    if method == "env":
        return os.environ.get(params[0])
    if method == "cwd":
        return os.getcwd()
    if method == "log":
        sys.stderr.write(params[0] + "\n")
        sys.stderr.flush()
        return True
    if method == "progress":
        for step in range(params[0]):
            write({"jsonrpc": "2.0", "method": "progress", "params": {"step": step}})
        return "done"
    if method == "ask":
        answer = ask_manager(params[0], params[1:])
        return {"manager said": answer}
    if method == "fail":
        raise RuntimeError(params[0])
    if method == "exit":
        sys.stderr.write("exiting with %d on request\n" % params[0])
        sys.stderr.flush()
        os._exit(params[0])
    raise KeyError(method)


def run(message, answered_at_arrival):
    request_id = message.get("id")
    try:
        result = handle(message.get("method"), message.get("params", []), answered_at_arrival)
        response = {"jsonrpc": "2.0", "id": request_id, "result": result}
    except KeyError as missing:
        response = {"jsonrpc": "2.0", "id": request_id,
                    "error": {"code": -32601, "message": "Method not found", "data": str(missing)}}
    except Exception as error:  # the worker reports every failure as an error object
        response = {"jsonrpc": "2.0", "id": request_id, "error": {"code": -32000, "message": str(error)}}
    if request_id is not None:
        write(response)


def main():
    threads = []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            write({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}})
            continue
        if "method" not in message:
            with pending_up_lock:
                entry = pending_up.get(message.get("id"))
                if entry is not None:
                    entry[1] = message.get("result", message.get("error"))
                    entry[0].set()
            continue
        with out_lock:
            answered_at_arrival = answered_count[0]
        thread = threading.Thread(target=run, args=(message, answered_at_arrival), daemon=True)
        thread.start()
        threads.append(thread)
        threads = [t for t in threads if t.is_alive()]
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
