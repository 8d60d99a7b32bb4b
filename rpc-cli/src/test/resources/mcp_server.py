"""An MCP server on stdio (one JSON text per line), standard library only, for the command line tests.

It keeps to the handshake: until notifications/initialized has followed initialize, any other
request is answered with an error. Its tools are listed over two pages, the second asked for with
the cursor the first gave:

  add {a, b}   sends a notifications/message and a ping request to the client, and once the ping
               is answered, the sum as a text item
  describe {}  a text item, an image item and a resource item; its description is long and has
               control characters in it
  fail {}      a result with isError: true
  hang {}      never answered

Any other tool is answered with the JSON-RPC error -32602.

Options:
  --record FILE                 write each message received to FILE, one JSON line each, at once
  --refuse-initialize           answer initialize with an error
  --ignore-initialize           never answer initialize
"""
import json
import sys

LONG = ("Describes itself at length:\x1b[31m every kind of content item\x07 a tool can return, "
        + "which is why this description goes on and on, well past what fits on one line of a terminal.\n"
        + "Second paragraph.")

PAGES = {
    None: ([{"name": "add", "description": "Adds two numbers.",
             "inputSchema": {"type": "object", "required": ["a", "b"],
                             "properties": {"a": {"type": "number"}, "b": {"type": "number"}}}},
            {"name": "describe", "description": LONG,
             "inputSchema": {"type": "object", "required": ["limit"], "properties": {
                 "tags": {"type": "array", "items": {"type": "string"}},
                 "note": {"type": ["string", "null"]},
                 "limit": {"type": "integer", "minimum": 0.5}}}}], "page-2"),
    "page-2": ([{"name": "fail", "description": "Always fails.", "inputSchema": {"type": "object"}},
                {"name": "hang", "description": "Never answers.", "inputSchema": {"type": "object"}}], None),
}

args = sys.argv[1:]
record = open(args[args.index("--record") + 1], "a", encoding="utf-8") if "--record" in args else None
initialized = False
waiting_for_ping = {}   # the id of our ping -> the id of the tools/call it holds up


def write(message):
    message["jsonrpc"] = "2.0"
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def text(value, is_error=False):
    result = {"content": [{"type": "text", "text": value}]}
    if is_error:
        result["isError"] = True
    return result


def call_tool(request_id, params):
    name = params.get("name")
    arguments = params.get("arguments", {})
    if name == "add":
        write({"method": "notifications/message", "params": {"level": "info", "data": "adding"}})
        ping_id = "ping-" + json.dumps(request_id)
        waiting_for_ping[ping_id] = (request_id, text(str(arguments["a"] + arguments["b"])))
        write({"id": ping_id, "method": "ping"})
    elif name == "describe":
        write({"id": request_id, "result": {"content": [
            {"type": "text", "text": "three items:\nthis text has two lines"},
            {"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
            {"type": "resource", "resource": {"uri": "file:///notes.txt", "mimeType": "text/plain", "text": "notes"}}]}})
    elif name == "fail":
        write({"id": request_id, "result": text("it failed, as it always does", is_error=True)})
    elif name != "hang":
        write({"id": request_id, "error": {"code": -32602, "message": "Unknown tool: " + str(name)}})


for line in sys.stdin:
    if record is not None:
        record.write(line.strip() + "\n")
        record.flush()
    message = json.loads(line)
    method = message.get("method")
    params = message.get("params") or {}
    request_id = message.get("id")
    if method is None:
        if request_id in waiting_for_ping and "result" in message:
            held, result = waiting_for_ping.pop(request_id)
            write({"id": held, "result": result})
    elif method == "initialize":
        if "--refuse-initialize" in args:
            write({"id": request_id, "error": {"code": -32602, "message": "Unsupported protocol version",
                                               "data": {"supported": ["1999-01-01"]}}})
        elif "--ignore-initialize" not in args:
            write({"id": request_id, "result": {"protocolVersion": params["protocolVersion"],
                                                "capabilities": {"tools": {}},
                                                "serverInfo": {"name": "test-mcp-server", "version": "1.0"}}})
    elif method == "notifications/initialized":
        initialized = True
    elif request_id is None:
        pass
    elif not initialized:
        write({"id": request_id, "error": {"code": -32002, "message": "not initialized: " + method}})
    elif method == "tools/list":
        cursor = params.get("cursor")
        if cursor not in PAGES:
            write({"id": request_id, "error": {"code": -32602, "message": "Invalid cursor"}})
        else:
            tools, next_cursor = PAGES[cursor]
            result = {"tools": tools}
            if next_cursor is not None:
                result["nextCursor"] = next_cursor
            write({"id": request_id, "result": result})
    elif method == "tools/call":
        call_tool(request_id, params)
    else:
        write({"id": request_id, "error": {"code": -32601, "message": "Method not found: " + method}})
