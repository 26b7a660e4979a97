#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Lists that change while the module converts them (issue 20, item 7).

Converting an item runs Python code (its __index__), which may empty the
list being converted. The module converts a snapshot, so such a call sees
the items the list had when it was passed, and never reads freed memory.
Each case runs in a child interpreter: the defect was a segfault.
"""
import sys
import unittest

import acl

import ktap
from acltest import run_python

PRELUDE = """if 1:
    import acl, acl.rt

    class Clear:
        '''An integer whose conversion empties the list holding it.'''
        def __init__(self, victim, value):
            self.victim, self.value = victim, value
        def __index__(self):
            del self.victim[:]
            return self.value

    def doomed(value, *rest):
        victim = []
        victim.extend([Clear(victim, value)] + list(rest))
        return victim

    def doomed_pairs():
        victim = []
        victim.extend([(Clear(victim, 0), 5), (0, 6), (0, 7)])
        return victim
"""


class ListMutation(unittest.TestCase):

    def run_case(self, call):
        r = run_python(PRELUDE + "    print(%s)\n" % call)
        self.assertEqual(r.returncode, 0, "exit %d: %s" % (r.returncode,
                                                            r.stderr))
        # Uninitialised: the library answered, after a full conversion.
        self.assertEqual(r.stdout.strip(), str(acl.ACL_ERROR_UNINITIALIZE))

    def test_notify_batch_reset(self):
        self.run_case("acl.rt.notify_batch_reset(doomed(1, 2, 3, 4))")

    def test_notify_set_import_pid(self):
        self.run_case("acl.rt.notify_set_import_pid(1, doomed(5, 6, 7))")

    def test_inter_server_entry(self):
        self.run_case("acl.rt.notify_set_import_pid_inter_server("
                      "1, [doomed(0, 5)])")

    def test_inter_server_list(self):
        self.run_case("acl.rt.notify_set_import_pid_inter_server("
                      "1, doomed_pairs())")

    def test_inter_server_pid_list(self):
        self.run_case("acl.rt.notify_set_import_pid_inter_server("
                      "1, [(0, doomed(5, 6, 7))])")


if __name__ == "__main__":
    sys.exit(ktap.main())
