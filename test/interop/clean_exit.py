"""Ends a Python helper of the tests as soon as its work is done.

pyarrow's thread pools can abort the interpreter while it tears down, after every line of the
script has run and printed ("terminate called without an active exception", SIGABRT: apache/arrow
issues 34314 and 38352). A test then fails on a crash that says nothing about the code under test.
`run` runs the script's main function, flushes what it printed, and leaves with os._exit, which
skips the teardown, keeping the exit code: 0 when main returns, SystemExit's code, 1 with the
traceback on stderr for any other exception.
"""
import os
import sys
import traceback


def run(main, *args):
    code = 0
    try:
        main(*args)
    except SystemExit as stop:
        if isinstance(stop.code, int):
            code = stop.code
        elif stop.code is not None:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 - reported as Python would, then the same exit code
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
