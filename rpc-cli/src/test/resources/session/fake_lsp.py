"""A language-server-like peer for the tests of `piperpc send --lsp` (Python standard library only).

LSP framing (Content-Length). Appends what happens to the log file named by argv[1], one line each:
"start", "recv <method> <id>", "answer <id>", "cancel <id>", "exit <code>".
Refuses requests before `initialize` was answered and `initialized` received (-32002), as LSP asks.
Methods: echo (params back), slow (until cancelled: -32800), ask (asks the client
workspace/configuration under id "srv-1", answers with what the client said), crash (exits 3),
shutdown, and the notifications initialized, exit, $/cancelRequest.
"""
import json
import sys
import threading

log_path = sys.argv[1]
out_lock = threading.Lock()
cancelled = {}
pending_client = {}
state = {"initialized": False, "shutdown": False}


def log(line):
    with open(log_path, "a") as f:
        f.write(line + "\n")


def write(message):
    body = json.dumps(message).encode("utf-8")
    with out_lock:
        sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        sys.stdout.buffer.flush()


def answer(id, result=None, error=None):
    message = {"jsonrpc": "2.0", "id": id}
    if error is not None:
        message["error"] = error
    else:
        message["result"] = result
    log("answer %s" % json.dumps(id))
    write(message)


def read():
    headers = {}
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, value = line.split(b":", 1)
        headers[name.strip().lower()] = value.strip()
    return json.loads(sys.stdin.buffer.read(int(headers[b"content-length"])))


def slow(id):
    event = cancelled.setdefault(json.dumps(id), threading.Event())
    if event.wait(30):
        answer(id, error={"code": -32800, "message": "Request cancelled"})
    else:
        answer(id, "not cancelled")


def ask(id):
    event = threading.Event()
    pending_client["srv-1"] = (event, [])
    write({"jsonrpc": "2.0", "id": "srv-1", "method": "workspace/configuration", "params": {"items": [{"section": "x"}]}})
    if event.wait(30):
        answer(id, {"client said": pending_client["srv-1"][1][0]})
    else:
        answer(id, error={"code": -32603, "message": "the client never answered"})


log("start")
while True:
    message = read()
    if message is None:
        log("exit %d" % (0 if state["shutdown"] else 1))
        sys.exit(0 if state["shutdown"] else 1)
    method = message.get("method")
    id = message.get("id")
    if method is None:
        waiting = pending_client.get(id)
        if waiting:
            waiting[1].append(message.get("result", message.get("error")))
            waiting[0].set()
        continue
    log("recv %s %s" % (method, json.dumps(id)))
    if method == "initialize":
        answer(id, {"capabilities": {}, "serverInfo": {"name": "fake-lsp"}, "root": message["params"].get("rootUri")})
    elif method == "initialized":
        state["initialized"] = True
    elif method == "exit":
        code = 0 if state["shutdown"] else 1
        log("exit %d" % code)
        sys.exit(code)
    elif method == "$/cancelRequest":
        key = json.dumps(message["params"]["id"])
        log("cancel %s" % key)
        cancelled.setdefault(key, threading.Event()).set()
    elif id is None:
        continue
    elif not state["initialized"]:
        answer(id, error={"code": -32002, "message": "not initialized"})
    elif method == "shutdown":
        state["shutdown"] = True
        answer(id, None)
    elif method == "echo":
        if isinstance(message.get("params"), list) and message["params"] and message["params"][0] == "slowly":
            threading.Event().wait(0.3)
        answer(id, message.get("params"))
    elif method == "slow":
        threading.Thread(target=slow, args=(id,), daemon=True).start()
    elif method == "ask":
        threading.Thread(target=ask, args=(id,), daemon=True).start()
    elif method == "crash":
        log("exit 3")
        sys.exit(3)
    else:
        answer(id, error={"code": -32601, "message": "Method not found"})
