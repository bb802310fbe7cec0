"""A tiny authoritative DNS server on loopback, for the local runtime and the tests (dev.wsl.local.LocalDns).

Domain verification (docs/trust-and-consent.md, "Verified domains") looks up TXT records in real DNS. In AWS
the function asks its resolver; locally and in the tests it asks this server, over the DNS protocol (UDP, and
TCP on the same port), through the same client code. It answers every name from one JSON zone file that the
runtime rewrites when a record is published or removed (``{"name": ["value", ...]}``, names lower-case without
the final dot): TXT records for a name in the file, NOERROR without answers for another type of such a name,
NXDOMAIN for any other name. The file is read again whenever it changes, so a record published a moment ago is
answered at once: nothing is cached.

Usage: python serve.py --zone FILE [--host 127.0.0.1] [--port 0] [--parent-pid PID]
Prints "listening HOST PORT" once both sockets are bound (port 0: a free port, the same for UDP and TCP).
With --parent-pid the server exits when that process is gone, so a killed JVM leaves no orphan.
"""

import argparse
import json
import os
import socketserver
import sys
import threading
import time

from dnslib import QTYPE, RCODE, RR, TXT
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer


class ZoneFileResolver(BaseResolver):
    """Answers from the zone file, re-read when its modification time or size changes."""

    def __init__(self, path):
        self._path = path
        self._lock = threading.Lock()
        self._stamp = None
        self._records = {}

    def _load(self):
        try:
            stat = os.stat(self._path)
        except FileNotFoundError:
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                with open(self._path, encoding="utf-8") as f:
                    text = f.read()
                self._records = json.loads(text) if text.strip() else {}
                self._stamp = stamp
            return self._records

    def resolve(self, request, handler):
        reply = request.reply()
        reply.header.aa = 1
        name = str(request.q.qname).rstrip(".").lower()
        records = self._load()
        if name not in records:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if request.q.qtype in (QTYPE.TXT, QTYPE.ANY):
            for value in records[name]:
                # A TXT record's strings are at most 255 bytes each; a longer value is split, as DNS requires.
                data = value.encode("utf-8")
                chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, ttl=0, rdata=TXT(chunks)))
        return reply


def watch_parent(pid, servers):
    while True:
        try:
            os.kill(pid, 0)
        except OSError:
            for server in servers:
                server.server.shutdown()
            os._exit(0)
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zone", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args()

    resolver = ZoneFileResolver(args.zone)
    logger = DNSLogger("-request,-reply,-truncated,-error,-data,-recv,-send", prefix=False)
    socketserver.UDPServer.allow_reuse_address = True
    udp = None
    tcp = None
    for _ in range(20):
        udp = DNSServer(resolver, address=args.host, port=args.port, logger=logger)
        port = udp.server.server_address[1]
        try:
            tcp = DNSServer(resolver, address=args.host, port=port, tcp=True, logger=logger)
            break
        except OSError:
            # The TCP port of that number is taken: another free UDP port, unless a fixed one was asked for.
            udp.server.server_close()
            if args.port:
                raise
    if tcp is None:
        sys.exit("no port free for both UDP and TCP")
    udp.start_thread()
    tcp.start_thread()
    if args.parent_pid:
        threading.Thread(target=watch_parent, args=(args.parent_pid, [udp, tcp]), daemon=True).start()
    print("listening %s %d" % (args.host, port), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
