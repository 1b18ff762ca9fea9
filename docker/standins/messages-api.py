#!/usr/bin/env python3
"""An HTTPS stand-in for the Anthropic Messages API, for the demo and the end-to-end tests.

POST /v1/messages (any query, such as ?beta=true) replies like the real API: with
"stream": true, a server-sent event stream (message_start, content_block_start, ping,
content_block_delta..., content_block_stop, message_delta, message_stop); otherwise one JSON
message. Every request must carry the expected token, as `Authorization: Bearer <token>` or
`x-api-key: <token>`; one without it gets 401 and a line on standard error. Any other path
gets 200 with a short JSON body, so the stand-in also serves as an allowed host for curl.

A tool call can be scripted from the prompt: when a user text contains
`standin-tool: NAME {JSON}` and the request offers a tool called NAME, the reply is a
`tool_use` block for NAME with that JSON as its input (stop reason "tool_use"). When NAME is
not offered but Claude Code's ToolSearch is (it defers MCP tools), the reply first calls
ToolSearch with `select:NAME`. When the last user message carries the result of the
scripted tool, the reply is "The tool answered: " and the result's text, so a test can read
the tool's result in the client's output.

Each request is recorded as one JSON line in /var/log/standin/requests.jsonl: method, path,
whether the token matched, body size and SHA-256, and the model and last user text of a
Messages request, the names of the tools it offered, the tool a reply asked for and the
first 500 characters of a tool result. Token values and bodies are never written.

Configuration (files, so that `docker inspect` shows no token):
  /standin/token    the expected token (trailing newline ignored)
  /standin/tls.pem  the server certificate chain, PEM
  /standin/tls.key  its private key, PEM
Environment: STANDIN_PORT (default 443), STANDIN_REPLY (the text streamed back).
"""
import hashlib
import hmac
import json
import os
import re
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECORD = "/var/log/standin/requests.jsonl"
REPLY = os.environ.get("STANDIN_REPLY", "Hello from the Messages API stand-in. The bottle works.")
MAX_BODY = 64 * 1024 * 1024
TOOL_DIRECTIVE = re.compile(r"standin-tool:\s*(\S+)\s*(\{.*\})", re.DOTALL)
TOOL_RESULT_CHARS = 500
record_lock = threading.Lock()


def expected_token():
    with open("/standin/token", encoding="utf-8") as f:
        return f.read().strip()


def log(message):
    print("messages-api: " + message, file=sys.stderr, flush=True)


def record(entry):
    with record_lock, open(RECORD, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, sort_keys=True) + "\n")


def last_user_text(request):
    for message in reversed(request.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        texts = [part.get("text", "") for part in content or [] if isinstance(part, dict) and part.get("type") == "text"]
        if texts:
            return texts[-1]
    return None


def last_user_message(request):
    for message in reversed(request.get("messages") or []):
        if message.get("role") == "user":
            return message
    return None


def tool_result(request):
    """Returns (tool_use_id, text) of the tool result in the last user message, or None."""
    message = last_user_message(request) or {}
    content = message.get("content")
    if not isinstance(content, list):
        return None
    for part in content:
        if isinstance(part, dict) and part.get("type") == "tool_result":
            inner = part.get("content")
            if isinstance(inner, str):
                return part.get("tool_use_id"), inner
            return part.get("tool_use_id"), "".join(
                item.get("text", "") for item in inner or [] if isinstance(item, dict) and item.get("type") == "text")
    return None


def offered_tools(request):
    return [tool.get("name") for tool in request.get("tools") or [] if isinstance(tool, dict)]


def tool_directive(request):
    """Returns the first `standin-tool:` directive in the user texts of the conversation, or None."""
    for message in request.get("messages") or []:
        if message.get("role") != "user":
            continue
        content = message.get("content")
        parts = [content] if isinstance(content, str) else [
            part.get("text", "") for part in content or [] if isinstance(part, dict) and part.get("type") == "text"]
        for text in parts:
            match = TOOL_DIRECTIVE.search(text)
            if match:
                return match
    return None


def tool_use(prefix, name, tool_input):
    tool_id = "toolu_%s%012d" % (prefix, int(time.time() * 1000 % 10**12))
    return [{"type": "tool_use", "id": tool_id, "name": name, "input": tool_input}], "tool_use"


def text_reply(text):
    return [{"type": "text", "text": text}], "end_turn"


def plan_reply(request):
    """Returns the content blocks and stop reason of the reply to a Messages request.

    Claude Code may defer MCP tools behind its ToolSearch tool. Then the stand-in first calls
    ToolSearch to load the tool, as a model would, and calls the tool once it is offered.
    """
    result = tool_result(request)
    searched = result is not None and str(result[0]).startswith("toolu_standinsearch")
    if result is not None and not searched:
        return text_reply("The tool answered: " + result[1][:TOOL_RESULT_CHARS])
    directive = tool_directive(request)
    if directive is None:
        return text_reply(REPLY)
    name = directive.group(1)
    try:
        tool_input = json.loads(directive.group(2))
    except ValueError:
        return text_reply("stand-in: the input of %s is not JSON" % name)
    offered = offered_tools(request)
    if name in offered:
        return tool_use("standin", name, tool_input)
    if "ToolSearch" in offered and not searched:
        return tool_use("standinsearch", "ToolSearch", {"query": "select:" + name, "max_results": 5})
    return text_reply("stand-in: the request offers no tool named %s; it offers: %s"
                      % (name, ", ".join(offered) or "none"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "messages-api-standin"

    def log_message(self, fmt, *args):
        log("%s %s" % (self.address_string(), fmt % args))

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("body larger than %d bytes" % MAX_BODY)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body larger than %d bytes" % MAX_BODY)
        return self.rfile.read(length)

    def token_matches(self):
        token = expected_token().encode()
        authorization = self.headers.get("Authorization", "")
        presented = b""
        if authorization.startswith("Bearer "):
            presented = authorization[len("Bearer "):].strip().encode()
        elif self.headers.get("x-api-key"):
            presented = self.headers.get("x-api-key").strip().encode()
        return bool(presented) and hmac.compare_digest(presented, token)

    def handle_any(self):
        body = self.read_body()
        authorized = self.token_matches()
        entry = {
            "time": time.time(),
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host"),
            "authorized": authorized,
            "auth_header": "authorization" if self.headers.get("Authorization") else
                           ("x-api-key" if self.headers.get("x-api-key") else None),
            "body_bytes": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
        is_messages = self.command == "POST" and self.path.split("?")[0] == "/v1/messages"
        request = {}
        if is_messages:
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                request = {}
            entry["model"] = request.get("model")
            entry["stream"] = bool(request.get("stream"))
            entry["user_text"] = (last_user_text(request) or "")[:200]
            entry["tools"] = offered_tools(request)
            content, stop_reason = plan_reply(request)
            if content[0]["type"] == "tool_use":
                entry["tool_use"] = content[0]["name"]
            result = tool_result(request)
            if result is not None:
                entry["tool_result"] = result[1][:TOOL_RESULT_CHARS]
        record(entry)

        if not authorized:
            log("REJECTED %s %s: no valid token (Authorization: Bearer or x-api-key); was it injected?"
                % (self.command, self.path))
            self.send_json(401, {"type": "error", "error": {"type": "authentication_error",
                                                            "message": "stand-in: missing or wrong token"}})
        elif not is_messages:
            self.send_json(200, {"standin": "messages-api", "path": self.path})
        elif request.get("stream"):
            self.stream_reply(request, content, stop_reason)
        else:
            self.send_json(200, self.message(request, content, stop_reason))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    def send_json(self, status, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    @staticmethod
    def message(request, content, stop_reason):
        return {"id": "msg_standin%012d" % int(time.time() * 1000 % 10**12), "type": "message",
                "role": "assistant", "model": request.get("model") or "claude-standin", "content": content,
                "stop_reason": stop_reason, "stop_sequence": None,
                "usage": {"input_tokens": 12, "output_tokens": 1 if not content else 12}}

    def stream_reply(self, request, content, stop_reason):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.event("message_start", {"type": "message_start", "message": self.message(request, [], None)})
        self.event("ping", {"type": "ping"})
        deltas = 0
        for index, block in enumerate(content):
            if block["type"] == "tool_use":
                start = dict(block, input={})
                pieces = [json.dumps(block["input"])]
                delta_type, field = "input_json_delta", "partial_json"
            else:
                start = {"type": "text", "text": ""}
                words = block["text"].split(" ")
                pieces = [word if i == 0 else " " + word for i, word in enumerate(words)]
                delta_type, field = "text_delta", "text"
            self.event("content_block_start", {"type": "content_block_start", "index": index,
                                               "content_block": start})
            for piece in pieces:
                self.event("content_block_delta", {"type": "content_block_delta", "index": index,
                                                   "delta": {"type": delta_type, field: piece}})
                deltas += 1
            self.event("content_block_stop", {"type": "content_block_stop", "index": index})
        self.event("message_delta", {"type": "message_delta",
                                     "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                                     "usage": {"output_tokens": deltas}})
        self.event("message_stop", {"type": "message_stop"})
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def event(self, name, data):
        payload = ("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))
        self.wfile.flush()


def main():
    expected_token()  # fail at start, not on the first request, when the token file is missing
    port = int(os.environ.get("STANDIN_PORT", "443"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain("/standin/tls.pem", "/standin/tls.key")
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    open(RECORD, "a").close()
    log("listening on %d" % port)
    server.serve_forever()


if __name__ == "__main__":
    main()
