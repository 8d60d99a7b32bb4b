"""An MCP-server-like peer for the tests of `piperpc send --mcp` (Python standard library only).

Newline-delimited JSON. Appends to the log file named by argv[1]: "recv <method> <id>",
"cancelled <requestId>". Refuses tools/call before notifications/initialized (-32002).
tools/call "wait" runs until notifications/cancelled names it (then, as MCP asks, no answer);
"echo" answers its arguments as text. Ends when stdin ends.
"""
import json
import sys
import threading

log_path = sys.argv[1]
out_lock = threading.Lock()
cancelled = {}
state = {"initialized": False}


def log(line):
    with open(log_path, "a") as f:
        f.write(line + "\n")


def write(message):
    with out_lock:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()


def wait(id):
    event = cancelled.setdefault(json.dumps(id), threading.Event())
    if not event.wait(30):
        write({"jsonrpc": "2.0", "id": id, "result": {"content": [{"type": "text", "text": "not cancelled"}]}})


for line in sys.stdin:
    message = json.loads(line)
    method = message.get("method")
    id = message.get("id")
    log("recv %s %s" % (method, json.dumps(id)))
    if method == "initialize":
        write({"jsonrpc": "2.0", "id": id, "result": {"protocolVersion": message["params"]["protocolVersion"],
                                                      "capabilities": {"tools": {}}, "serverInfo": {"name": "fake-mcp"}}})
    elif method == "notifications/initialized":
        state["initialized"] = True
    elif method == "notifications/cancelled":
        key = json.dumps(message["params"]["requestId"])
        log("cancelled %s" % key)
        cancelled.setdefault(key, threading.Event()).set()
    elif id is None:
        continue
    elif not state["initialized"]:
        write({"jsonrpc": "2.0", "id": id, "error": {"code": -32002, "message": "not initialized"}})
    elif method == "tools/call" and message["params"]["name"] == "wait":
        threading.Thread(target=wait, args=(id,), daemon=True).start()
    elif method == "tools/call":
        text = json.dumps(message["params"].get("arguments", {}))
        write({"jsonrpc": "2.0", "id": id, "result": {"content": [{"type": "text", "text": text}]}})
    else:
        write({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": "Method not found"}})
