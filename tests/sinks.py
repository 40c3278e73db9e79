"""Receivers on loopback that count what the worker delivers: an SMTP sink and an LRS sink."""

from __future__ import annotations

import json
import socket
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller

from tests.loopback import JsonHandler, LoopbackServer


class SmtpSink:
    """An SMTP server (aiosmtpd) that keeps every message; it can hold one RCPT until released."""

    def __init__(self, port: int = 0):
        self.messages: list = []
        self.lock = threading.Lock()
        #: Hold the RCPT of the message after this many have arrived (None: never).
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):
                if (
                    sink.hold_after is not None
                    and len(sink.messages) >= sink.hold_after
                ):
                    sink.hold_after = None
                    sink.holding.set()
                    while not sink.release.is_set():  # the worker waits on our answer
                        await _sleep(0.01)
                    return "451 try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.messages.append(message_from_bytes(envelope.content))
                return "250 queued"

        self.port = port or free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.controller.stop()

    def counts(self, header: str = "To") -> Counter:
        """Return how many messages arrived per value of `header`."""
        with self.lock:
            return Counter(m[header] for m in self.messages)


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class LrsSink(LoopbackServer):
    """A Learning Record Store that counts every statement POSTed to /statements by id."""

    def __init__(self, port: int = 0):
        self.received: Counter = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler(JsonHandler):
            def do_POST(self):
                statement = json.loads(self.body())
                with sink.lock:
                    sink.received[statement["id"]] += 1
                self._answer(200, [statement["id"]])

        super().__init__(Handler, port)

    def snapshot(self) -> Counter:
        """Return a copy of the counts (the server's threads go on adding)."""
        with self.lock:
            return Counter(self.received)
