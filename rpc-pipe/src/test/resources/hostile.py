"""Workers that are too much or half dead, for the overload tests. Standard library only.

Usage: hostile.py MODE [ARG]. Every mode answers "echo" with its params (newline framing).

flood         a thread writes $/progress notifications as fast as the pipe takes them, forever
junk          "junk" [n]: writes n lines that are not JSON without reading stdin, then answers n
close-stdout  closes its stdout after the first request and keeps running
close-stdin   closes its stdin, says {"method":"ready"}, keeps running with stdout open
ask           "ask" [n]: sends n requests "block" to the manager, answers with how many results came back
progress      "work" [token]: three $/progress notifications, then the result, in one write
huge-ids      "huge" []: sends a cancel naming id 1e999 and a request with id 1e999999999 in one
              write, answers with the manager's reply to that request, as text
malformed     "bad" []: answers with a response whose id is fine and whose result is broken JSON
stall-first   the first worker started with this mode in ARG (a lock file path) never reads stdin

Any mode: "later" [ms, token] answers at once, and ms later sends a $/progress notification with token.
"""
import json
import os
import sys
import threading
import time

out_lock = threading.Lock()
stdout = sys.stdout.buffer


def write_raw(text):
    with out_lock:
        stdout.write(text.encode("utf-8"))
        stdout.flush()


def write(message):
    write_raw(json.dumps(message, separators=(",", ":")) + "\n")


def answer(request_id, result):
    write({"jsonrpc": "2.0", "id": request_id, "result": result})


def flood():
    count = 0
    while True:
        count += 1
        write({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "flood", "value": count}})


def requests():
    """Yields (id, method, params) of requests; other messages are skipped."""
    for line in sys.stdin:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and "method" in message and "id" in message:
            yield message["id"], message["method"], message.get("params")


def ask(request_id, count):
    for i in range(count):
        write({"jsonrpc": "2.0", "id": "q%d" % i, "method": "block", "params": [i]})
    answered = 0
    for line in sys.stdin:
        message = json.loads(line)
        if isinstance(message, dict) and str(message.get("id", "")).startswith("q") and "result" in message:
            answered += 1
            if answered == count:
                break
    answer(request_id, answered)


def huge_ids(request_id):
    write_raw('{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1e999}}\n'
              '{"jsonrpc":"2.0","id":1e999999999,"method":"no.such.method"}\n')
    for line in sys.stdin:
        if "1e999999999" in line:
            answer(request_id, line.strip())
            return


def main():
    mode = sys.argv[1]
    if mode == "flood":
        threading.Thread(target=flood, daemon=True).start()
    if mode == "close-stdin":
        os.close(0)
        write({"jsonrpc": "2.0", "method": "ready"})
        time.sleep(3600)
        return
    if mode == "stall-first":
        try:
            os.close(os.open(sys.argv[2], os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            time.sleep(3600)
            return
        except FileExistsError:
            pass
    for request_id, method, params in requests():
        if mode == "close-stdout":
            os.close(1)
            time.sleep(3600)
            return
        if method == "echo":
            answer(request_id, params)
        elif method == "junk":
            with out_lock:
                for i in range(params[0]):
                    stdout.write(b"this is not json %d\n" % i)
                stdout.flush()
            answer(request_id, params[0])
        elif method == "ask":
            ask(request_id, params[0])
        elif method == "work":
            token = params[0]
            lines = [json.dumps({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": token, "value": step}})
                     for step in (1, 2, 3)]
            lines.append(json.dumps({"jsonrpc": "2.0", "id": request_id, "result": token}))
            write_raw("\n".join(lines) + "\n")
        elif method == "later":
            delay, token = params
            answer(request_id, token)
            notice = {"jsonrpc": "2.0", "method": "$/progress", "params": {"token": token, "value": "later"}}
            threading.Timer(delay / 1000.0, write, [notice]).start()
        elif method == "huge":
            huge_ids(request_id)
        elif method == "bad":
            write_raw('{"jsonrpc":"2.0","id":%s,"result":{"a":tru}}\n' % json.dumps(request_id))
        else:
            write({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32601, "message": "Method not found"}})


if __name__ == "__main__":
    main()
