#!/usr/bin/env python3
"""Call a platform API of a server with the headers the REAL LocalStack client builds for the
platform's APIs (Cloud Pods, ephemeral instances): `localstack_cli.pro.core.bootstrap.auth.
get_platform_auth_headers()`, sent with `requests` as the client's own commands send them. No
LocalStack, no Docker.

Run with the interpreter of a venv that has the `localstack` package from PyPI installed.
Used by the token authorizer's ITs (infra/acceptance/src/test/java/dev/wsl/local/it/LocalStackClient.java).
Inputs (env):
  API_ENDPOINT           required, e.g. http://127.0.0.1:8080/v1 (read by the client at import time)
  LOCALSTACK_AUTH_TOKEN  or LOCALSTACK_API_KEY (setting both is a client-side error)
  LS_DRIVER_METHOD       optional, default GET
  LS_DRIVER_PATH         optional, appended to API_ENDPOINT; default /license/info
  LS_DRIVER_ROOT         optional directory for the client's dirs (default: fresh empty temp dir)
Output: one JSON line on stdout: the answer's status and body, the names (never the values) of the
headers the client built, and their form; exit 0 when the call was made, 1 when it could not be.
"""
import base64
import contextlib
import json
import os
import sys

import lsdriver


def main() -> int:
    lsdriver.prepare()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            import requests
            from localstack_cli import constants
            from localstack_cli.pro.core.bootstrap import auth

            lsdriver.make_dirs()
            headers = auth.get_platform_auth_headers()
            url = constants.API_ENDPOINT + os.environ.get("LS_DRIVER_PATH", "/license/info")
            response = requests.request(os.environ.get("LS_DRIVER_METHOD", "GET"), url, headers=headers, timeout=10)
    except Exception as e:
        lsdriver.emit({"ok": False, "error_class": type(e).__name__, "message": str(e)})
        return 1
    try:
        body = response.json()
    except ValueError:
        body = response.text
    lsdriver.emit({"ok": response.ok, "status": response.status_code, "body": body,
                   "header_names": sorted(headers), "form": _form(headers),
                   "content_type": response.headers.get("content-type")})
    return 0


def _form(headers: dict) -> str:
    """Which of the client's forms it used: basic-empty-user, basic-with-user, api-key, or other."""
    value = headers.get("Authorization") or headers.get("authorization")
    if value and value.startswith("Basic "):
        user = base64.b64decode(value[len("Basic "):]).decode().split(":", 1)[0]
        return "basic-empty-user" if user == "" else "basic-with-user"
    if "ls-api-key" in headers and "ls-version" in headers:
        return "api-key"
    return "other"


if __name__ == "__main__":
    sys.exit(main())
