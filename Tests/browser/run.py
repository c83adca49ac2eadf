#!/usr/bin/python3
"""Runs every browser test module (Tests/browser/test_*.py) and closes with one
line `N passed, N failed` for all of them; exits non-zero when anything failed.

Each module has `main() -> (passed, failed)`: it starts its own server
(ROADSHOW_BIN, default .build/debug/roadshow) and its own headless Chromium.
Uses Debian's /usr/bin/python3 with python3-selenium, chromium, chromium-driver.

    /usr/bin/python3 Tests/browser/run.py            # all modules
    /usr/bin/python3 Tests/browser/run.py test_page  # some of them
"""
import glob
import importlib
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main(argv):
    names = argv or sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "test_*.py")))
    passed = failed = 0
    for name in names:
        print("== %s" % name, flush=True)
        try:
            p, f = importlib.import_module(name).main()
        except Exception:  # noqa: BLE001 — a module that cannot even start counts as one failure
            traceback.print_exc()
            p, f = 0, 1
        passed += p
        failed += f
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
