"""Serves moto for the local runtime (dev.wsl.local.MotoServer), one request at a time.

Why not the stock ``moto_server``: moto's DynamoDB ``transact_write_items`` deep-copies the
tables it touches and, when the transaction fails (e.g. a ConditionCheck), restores that copy.
Nothing locks the table meanwhile, so with the threaded server a failing transaction can put
back a snapshot taken before a concurrent, successful write and silently erase it (or let two
conditional writes both succeed). Real DynamoDB makes every transaction atomic and isolated; the
simplest faithful emulation is to serialise requests with one global lock. The app's handlers
run in parallel locally, so without this the tests would see lost writes that cannot happen in AWS.

Second, since requests are serialised anyway, a transaction does not need moto's whole-table
deep copy to roll back: that copy costs about 0.1 ms per item and stream record already in the
table, so in a long test run every transaction gets slower and, behind the lock, so does every
request. With moto 5.x (checked at start) we journal instead: before a transaction changes an
item we keep a copy of that one item, and the stream's length; on failure we put those back.

Third, moto answers every Query by sorting the whole table; DynamoDB reads one page of one partition.
install_partition_queries (partition_queries.py) hands moto's query code only the partition (or index bucket) it asks for, so
that local latencies grow with a page, not with everything else in the table.

Usage: python3 serve.py --port PORT [--host 127.0.0.1] [--parent-pid PID]
With --parent-pid the server exits when that process is gone, so a killed JVM leaves no orphan.
"""

import argparse
import copy
import logging
import os
import sys
import threading
import time

import moto
from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from partition_queries import install_partition_queries  # beside this file (MotoServer copies both)


class SerialisingMiddleware:
    """Runs each WSGI request to completion, response body included, under one lock."""

    def __init__(self, app):
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            captured["exc_info"] = exc_info
            return lambda data: captured.setdefault("written", []).append(data)

        with self._lock:
            result = self._app(environ, capture)
            try:
                # The body may be produced lazily; it must be produced while the lock is held.
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        body = b"".join(captured.get("written", [])) + body
        start_response(captured["status"], captured["headers"], captured["exc_info"])
        return [body]


class SentMailEndpoint:
    """``GET /wsl-api/ses/messages``: what SES sent, as ``{"Message": [{"destinations", "subject", "body"}, ...]}``.

    moto's own ``/moto-api/data.json`` serialises every model of every backend, every DynamoDB item
    included, so reading the sent mail there costs time in proportion to the table. This reads the SES
    backends' sent messages alone. Anything else passes to moto.
    """

    PATH = "/wsl-api/ses/messages"

    def __init__(self, app):
        self._app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != self.PATH:
            return self._app(environ, start_response)
        import json
        from moto.ses.models import ses_backends

        messages = []
        for account in ses_backends.values():
            for backend in account.values():
                for m in backend.sent_messages:
                    if hasattr(m, "destinations"):
                        messages.append({"destinations": m.destinations, "subject": getattr(m, "subject", ""),
                                         "body": getattr(m, "body", "")})
        body = json.dumps({"Message": messages}).encode("utf-8")
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


def install_transaction_journal():
    """Replaces moto's whole-table snapshot in transact_write_items by an undo journal.

    Only valid because SerialisingMiddleware runs one request at a time. Returns False (and
    changes nothing) for a moto whose internals this was not written against.
    """
    if not moto.__version__.startswith("5."):
        return False
    import moto.dynamodb.models as ddb
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    state = {"journal": None}  # the undo steps of the running transaction, or None

    def remember_slot(table, hash_value, range_value):
        try:
            saved = copy.deepcopy(table.get_item(hash_value, range_value))
        except MockValidationException:
            return  # a malformed key: moto rejects the operation before changing anything

        def undo():
            if table.range_key_attr is not None:
                bucket = table.items[hash_value]
                if saved is None:
                    bucket.pop(range_value, None)
                else:
                    bucket[range_value] = saved
            elif saved is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = saved

        state["journal"].append(undo)

    def key_values(table, attrs):
        hash_value = DynamoType(attrs[table.hash_key_attr]) if table.hash_key_attr in attrs else None
        range_value = (DynamoType(attrs[table.range_key_attr])
                       if table.range_key_attr is not None and table.range_key_attr in attrs else None)
        return hash_value, range_value

    original_put = Table.put_item

    def put_item(self, item_attrs, *args, **kwargs):
        if state["journal"] is not None:
            hash_value, range_value = key_values(self, item_attrs)
            if hash_value is not None:
                remember_slot(self, hash_value, range_value)
        return original_put(self, item_attrs, *args, **kwargs)

    original_delete = Table.delete_item

    def delete_item(self, hash_key, range_key, *args, **kwargs):
        if state["journal"] is not None:
            remember_slot(self, hash_key, range_key)
        return original_delete(self, hash_key, range_key, *args, **kwargs)

    original_update = ddb.DynamoDBBackend.update_item

    def update_item(self, table_name, key, *args, **kwargs):
        # Updates change the stored item in place, so the copy must be taken before.
        if state["journal"] is not None and table_name in self.tables and isinstance(key, dict):
            table = self.tables[table_name]
            hash_value, range_value = key_values(table, key)
            if hash_value is not None:
                remember_slot(table, hash_value, range_value)
        return original_update(self, table_name, key, *args, **kwargs)

    original_transact = ddb.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        streams = []
        for entry in transact_items:
            for op in entry.values():
                table = self.tables.get(op.get("TableName")) if isinstance(op, dict) else None
                if table is not None and table.stream_shard is not None:
                    streams.append((table.stream_shard, len(table.stream_shard.items)))
        state["journal"] = []
        try:
            return original_transact(self, transact_items)
        except Exception:
            for undo in reversed(state["journal"]):
                undo()
            for shard, length in streams:
                del shard.items[length:]  # the stream never shows a cancelled transaction
            raise
        finally:
            state["journal"] = None

    class SnapshotFreeCopy:
        """moto.dynamodb.models' "copy" module, minus the whole-table copy during a transaction."""

        def __getattr__(self, name):
            return getattr(copy, name)

        @staticmethod
        def deepcopy(value, memo=None):
            if state["journal"] is not None and isinstance(value, Table):
                return value  # rolled back by the journal instead
            return copy.deepcopy(value, memo)

    Table.put_item = put_item
    Table.delete_item = delete_item
    ddb.DynamoDBBackend.update_item = update_item
    ddb.DynamoDBBackend.transact_write_items = transact_write_items
    ddb.copy = SnapshotFreeCopy()
    return True


def exit_when_parent_dies(parent_pid):
    while True:
        time.sleep(1)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass  # it exists but is not ours to signal


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args()

    # moto builds some URLs (e.g. SQS queue URLs) from this.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    # One access-log line per request is noise for a long-running local server.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    if args.parent_pid:
        threading.Thread(target=exit_when_parent_dies, args=(args.parent_pid,), daemon=True).start()

    if not install_transaction_journal():
        print(f"moto {moto.__version__}: keeping its whole-table transaction snapshots (slow on big tables)",
              file=sys.stderr, flush=True)
    if not install_partition_queries():
        print(f"moto {moto.__version__}: queries sort the whole table (slow on big tables)", file=sys.stderr, flush=True)
    app = SerialisingMiddleware(SentMailEndpoint(DomainDispatcherApplication(create_backend_app)))
    print(f"moto {moto.__version__} serving on http://{args.host}:{args.port}", file=sys.stderr, flush=True)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
