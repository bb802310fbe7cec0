#!/usr/bin/env python3
"""Run the REAL LocalStack client's host-side licensing step of `localstack start`
(`localstack_cli.pro.core.plugins.activate_pro_key_on_host`, a prepare-host hook) against a license
server, without Docker: it activates, and when activation fails it posts
`{API_ENDPOINT}/license/grace-period-check` and exits with a reason: the generic "LocalStack
requires an account" text if that check answered 2xx, else the activation's own refusal.

Run with the interpreter of a venv that has the `localstack` package from PyPI installed.
Used by the token authorizer's ITs (infra/acceptance/src/test/java/dev/wsl/local/it/LocalStackClient.java).
Inputs (env): API_ENDPOINT, LOCALSTACK_AUTH_TOKEN or LOCALSTACK_API_KEY, CI, LS_DRIVER_ROOT (as
for activate.py).
Output: one JSON line on stdout: whether start-up would go on (`started`), else the exit `reason`
and `code`, and the status of every POST the client made (path and status, passive spy).
"""
import contextlib
import sys

import lsdriver


def main() -> int:
    lsdriver.prepare()
    posts = []
    try:
        with contextlib.redirect_stdout(sys.stderr):
            import requests
            from localstack_cli.pro.core import plugins
            from localstack_cli.runtime.exceptions import LocalstackExit

            lsdriver.make_dirs()
            original = requests.post

            def spy(url, *args, **kwargs):  # passive: records what the client posted and the answer's status
                response = original(url, *args, **kwargs)
                posts.append({"url": url, "status": response.status_code})
                return response

            requests.post = spy
            try:
                plugins.activate_pro_key_on_host()
            except LocalstackExit as e:
                lsdriver.emit({"ok": True, "started": False, "reason": e.reason, "code": e.code, "posts": posts})
                return 0
    except Exception as e:
        lsdriver.emit({"ok": False, "error_class": type(e).__name__, "message": str(e), "posts": posts})
        return 1
    lsdriver.emit({"ok": True, "started": True, "posts": posts})
    return 0


if __name__ == "__main__":
    sys.exit(main())
