#!/usr/bin/env python3
"""Drive the REAL LocalStack licensing client (localstack_cli.pro.core.bootstrap.licensingv2)
against a license server, without starting LocalStack or Docker.

Run with the interpreter of a venv that has the `localstack` package from PyPI installed.
Used by the activation ITs (infra/acceptance/src/test/java/dev/wsl/local/it/LocalStackClient.java).
Inputs (env):
  API_ENDPOINT           required, e.g. http://127.0.0.1:8080/v1 (read by the client at import time)
  LOCALSTACK_AUTH_TOKEN  or LOCALSTACK_API_KEY (setting both is a client-side error)
  CI                     optional; the client sends machine.ci = (CI is set at all)
  LS_DRIVER_ROOT         optional directory for the client's dirs (default: fresh empty temp dir);
                         reuse it across runs to exercise the cached-license / reactivation paths
  LS_DRIVER_CLI=1        optional: run in CLI mode (LOCALSTACK_CLI=1 -> machine.cli=true,
                         cache dir <root>/xdg-cache/localstack-cli)
Output: one JSON line on stdout; exit 0 on success, 1 on failure.
"""
import contextlib
import json
import sys

import lsdriver


def main() -> int:
    # Before localstack_cli is imported: config/constants read the environment at import.
    lsdriver.prepare()

    calls = []
    stage = "import"
    try:
        # The client prints docker errors to stdout (get_system_information_summary) -> keep stdout clean.
        with contextlib.redirect_stdout(sys.stderr):
            from localstack_cli import config, constants
            from localstack_cli.pro.core.bootstrap import licensingv2 as lv2

            lsdriver.make_dirs()

            env = lv2.get_licensed_environment()
            # passive spy on which endpoints were called (does not change behaviour)
            orig = env.client._perform_licensing_request

            def spy(path, payload):
                calls.append(path)
                return orig(path, payload)

            env.client._perform_licensing_request = spy

            stage = "activate"
            env.activate()
            stage = "validate_cached"

            # Independent check with the client's own code: re-read the cached file and validate it
            # exactly like the offline activation path does (status, dates, version, signature, product).
            if isinstance(env, lv2.DevLocalstackEnvironment):
                print(json.dumps({"ok": True, "license_id": None, "license_type": "dev(test)",
                                  "note": "credential 'test' -> DevLocalstackEnvironment, no server contact"}),
                      file=sys.__stdout__)
                return 0
            path = env.get_license_file_write_location()
            with open(path, "rb") as f:
                cached = lv2.LicenseParser().parse(f.read())
            creds = lv2.get_credentials_from_environment()
            lv2.LicenseV1Client().activate_license_offline(creds, cached)
    except Exception as e:  # LicensingError subclasses and anything unexpected
        print(json.dumps({"ok": False, "error_class": type(e).__name__, "message": str(e),
                          "is_licensing_error": lsdriver.is_licensing_error(e), "stage": stage,
                          "calls": calls}))
        return 1

    print(json.dumps({"ok": True, "license_id": env.license.id, "license_type": env.license.license_type,
                      "license_status": env.license.license_status.value,
                      "license_file": path, "calls": calls,
                      "client_version": constants.VERSION, "api_endpoint": constants.API_ENDPOINT,
                      "cache_dir": config.dirs.cache}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
