"""The bits of the Jupyter messaging protocol that the lab's smoke client
(tools/lab/smoke_client.py) and the hub's load test (tools/hub/loadtest.py)
share: an execute (or kernel_info) request, and the fold of a kernel's
replies into a cell's outputs. Standard library only, so either client's
environment can import it, whatever its websocket library.
"""

import uuid

# The output messages a cell's outputs are made of.
OUTPUT_TYPES = ("stream", "display_data", "update_display_data", "execute_result", "error")


def request(session, code="", msg_type="execute_request", username="dlgo"):
    """Returns (msg_id, message) for the kernel's shell channel."""
    msg_id = uuid.uuid4().hex
    content = {}
    if msg_type == "execute_request":
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}
    return msg_id, {
        "header": {"msg_id": msg_id, "msg_type": msg_type, "username": username,
                   "session": session, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "content": content,
    }


class Reply:
    """Collects the messages answering one execute request: the reply's
    status and the outputs, until the kernel is idle again."""

    def __init__(self, msg_id):
        self.msg_id = msg_id
        self.status = None  # "ok", "error", ... from execute_reply
        self.idle = False
        self.outputs = []  # (msg_type, content)

    @property
    def done(self):
        return self.status is not None and self.idle

    def add(self, m):
        """Takes one message from the websocket (decoded JSON); messages of
        other requests are ignored."""
        if m.get("parent_header", {}).get("msg_id") != self.msg_id:
            return
        t = m["header"]["msg_type"]
        if t == "execute_reply":
            self.status = m["content"]["status"]
        elif t == "status" and m["content"]["execution_state"] == "idle":
            self.idle = True
        elif t in OUTPUT_TYPES:
            self.outputs.append((t, m["content"]))


def shown(outputs):
    """What a cell's outputs show: (the number of images, the texts), for
    the checks of the outputs a notebook declares (metadata dlgo.expect)."""
    images, texts = 0, []
    for _, c in outputs:
        data = c.get("data", {})
        if "image/png" in data or "image/svg+xml" in data:
            images += 1
        texts.append(c.get("text", ""))
        for mime in ("text/plain", "text/markdown", "text/html"):
            texts.append(data.get(mime, ""))
    return images, texts
