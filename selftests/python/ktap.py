# SPDX-License-Identifier: GPL-2.0
"""Runs a module's unittest tests and prints kselftest-style TAP.

    if __name__ == "__main__":
        sys.exit(ktap.main())

Output, on stdout, as the kselftest harness prints it, so that
scripts/summarize counts it like the C suites:

    TAP version 13
    1..N
    # Starting N tests from M test cases.
    #  RUN           Case.test_name ...
    #            OK  Case.test_name
    ok 1 Case.test_name
    ...
    # Totals: pass:N fail:N xfail:0 xpass:0 skip:N error:0

Failures and errors are both "not ok" (and count as fail); a skipped test
is "ok N name # SKIP reason"; tracebacks go to stdout as "#" lines. Each
test gets a deadline (ACL_TEST_TIMEOUT seconds, default 120, generous for
the emulated guest): when it passes, faulthandler dumps every thread's
stack and the program exits, so a hang is a failure and not a stuck run.
Exits 1 if anything failed, else 0 (4, kselftest's skip code, if every
test was skipped).
"""
import faulthandler
import os
import sys
import time
import traceback
import unittest

TIMEOUT = float(os.environ.get("ACL_TEST_TIMEOUT", "120"))


def _say(line=""):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _diag(text):
    for line in text.rstrip("\n").splitlines():
        _say("# " + line)


class KtapResult(unittest.TestResult):
    """Prints one TAP line per test as it finishes."""

    def __init__(self):
        super().__init__()
        self.n = 0
        self.n_pass = self.n_fail = self.n_skip = 0
        self._outcome = None
        self._started = 0.0

    @staticmethod
    def _name(test):
        return "%s.%s" % (type(test).__name__, test._testMethodName)

    def startTest(self, test):
        super().startTest(test)
        self._outcome = ("ok", None)
        self._started = time.monotonic()
        _say("#  RUN           %s ..." % self._name(test))
        faulthandler.dump_traceback_later(TIMEOUT, exit=True)

    def stopTest(self, test):
        faulthandler.cancel_dump_traceback_later()
        super().stopTest(test)
        self.n += 1
        kind, detail = self._outcome
        name = self._name(test)
        secs = time.monotonic() - self._started
        if kind == "ok":
            self.n_pass += 1
            _say("#            OK  %s (%.2f s)" % (name, secs))
            _say("ok %d %s" % (self.n, name))
        elif kind == "skip":
            self.n_skip += 1
            _say("#      SKIP      %s" % detail)
            _say("ok %d %s # SKIP %s" % (self.n, name, detail))
        else:
            self.n_fail += 1
            _diag(detail)
            _say("#          FAIL  %s (%.2f s)" % (name, secs))
            _say("not ok %d %s" % (self.n, name))

    def _fail(self, err):
        self._outcome = ("fail", "".join(traceback.format_exception(*err)))

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._outcome = ("skip", reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._outcome = ("fail", "unexpected success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._fail(err)


def _flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _flatten(t)
        else:
            yield t


def main(module="__main__"):
    """Runs the tests of @module; returns the exit status."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(
        sys.modules[module])
    tests = list(_flatten(suite))
    cases = {type(t) for t in tests}
    _say("TAP version 13")
    _say("1..%d" % len(tests))
    _say("# Starting %d tests from %d test cases." % (len(tests), len(cases)))
    result = KtapResult()
    suite.run(result)
    # A failed class or module fixture leaves its tests unrun: failures.
    missing = len(tests) - result.n
    fail = result.n_fail + missing
    if missing:
        _say("# %d tests did not run (a class or module fixture failed)"
             % missing)
        for _, err in result.errors[-1:]:
            _diag(err)
    _say("# %s: %d / %d tests passed." %
         ("PASSED" if not fail else "FAILED", result.n_pass, len(tests)))
    _say("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0" %
         (result.n_pass, fail, result.n_skip))
    if fail:
        return 1
    if tests and result.n_skip == len(tests):
        return 4
    return 0
