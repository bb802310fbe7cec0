"""What every driver of the REAL LocalStack client needs before it imports `localstack_cli`.

The client reads its configuration from the environment at import time, so `prepare()` must run
first. Shared by activate.py, platform_call.py and prepare_host.py; no logic of the client here.
"""
import json
import os
import sys
import tempfile


def prepare() -> str:
    """Point the client's directories at a scratch root (LS_DRIVER_ROOT, else a fresh temp dir)."""
    if not os.environ.get("API_ENDPOINT"):
        emit({"ok": False, "error_class": "DriverError",
              "message": "API_ENDPOINT must be set (refusing to talk to api.localstack.cloud)"})
        sys.exit(1)
    root = os.environ.get("LS_DRIVER_ROOT") or tempfile.mkdtemp(prefix="lsdriver-")
    os.makedirs(root, exist_ok=True)
    os.environ["OVERRIDE_IN_DOCKER"] = "0"          # else dirs.cache is hard-wired to /var/lib/localstack/cache
    os.environ["CONFIG_DIR"] = os.path.join(root, "config")  # auth.json (CLI token cache), profiles
    if os.environ.get("LS_DRIVER_CLI") == "1":
        os.environ["LOCALSTACK_CLI"] = "1"          # Directories.for_cli(): cache = $XDG_CACHE_HOME/localstack-cli
        os.environ["XDG_CACHE_HOME"] = os.path.join(root, "xdg-cache")
    else:
        os.environ.pop("LOCALSTACK_CLI", None)      # Directories.for_host(): everything under FILESYSTEM_ROOT
        os.environ["FILESYSTEM_ROOT"] = os.path.join(root, "fs")
    return root


def make_dirs():
    """The client's metadata code lists dirs.static_libs (host mode): create the directory tree."""
    from localstack_cli import config
    for d in (config.dirs.cache, config.dirs.config, config.dirs.static_libs):
        if d:
            os.makedirs(d, exist_ok=True)


def emit(result: dict):
    """The one JSON line on the real stdout (the client prints docker errors to stdout)."""
    print(json.dumps(result), file=sys.__stdout__)


def is_licensing_error(e) -> bool:
    try:
        from localstack_cli.pro.core.bootstrap.licensingv2 import LicensingError
        return isinstance(e, LicensingError)
    except Exception:
        return False
