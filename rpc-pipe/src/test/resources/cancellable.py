"""A worker that keeps requests running until they are cancelled, in either dialect, and tells
the manager each cancellation it saw. Standard library only; newline framing.

"hold" []    says {"method":"started","params":{"id":<its id>}}, then runs until a cancellation
             names it (at most 30 s). Cancelled by $/cancelRequest it answers -32800, as LSP asks;
             by notifications/cancelled it stops without answering, as MCP asks.

Each cancellation, once the request it names has stopped (and answered, if it does), is told as
{"method":"saw","params":{"method", "id", "reason", "stopped"}}, where "stopped" says whether it
named a running request.
"""
import json
import sys
import threading

out_lock = threading.Lock()
running = {}        # id (as JSON text) -> (event, cancelled-how holder)


def write(message):
    with out_lock:
        sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
        sys.stdout.flush()


def hold(request_id):
    event = threading.Event()
    how = {}
    key = json.dumps(request_id)
    running[key] = (event, how)
    write({"jsonrpc": "2.0", "method": "started", "params": {"id": request_id}})

    def run():
        event.wait(30)
        running.pop(key, None)
        if how.get("method") == "$/cancelRequest":
            write({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32800, "message": "cancelled"}})
        elif not how:
            write({"jsonrpc": "2.0", "id": request_id, "result": "not cancelled"})

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


threads = {}
for line in sys.stdin:
    message = json.loads(line)
    method = message.get("method")
    params = message.get("params") or {}
    if method in ("$/cancelRequest", "notifications/cancelled"):
        target = params.get("id") if method == "$/cancelRequest" else params.get("requestId")
        key = json.dumps(target)
        entry = running.get(key)
        if entry is not None:
            entry[1]["method"] = method
            entry[0].set()
            threads.pop(key).join(10)   # its answer, if any, leaves before the news of the cancellation
        saw = {"method": method, "id": target, "reason": params.get("reason"), "stopped": entry is not None}
        write({"jsonrpc": "2.0", "method": "saw", "params": saw})
    elif method == "hold":
        threads[json.dumps(message["id"])] = hold(message["id"])
    elif "id" in message:
        write({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": "Method not found"}})
