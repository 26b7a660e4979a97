# SPDX-License-Identifier: GPL-2.0
"""What the Python tests of the acl module share.

run_tests puts the in-tree module (build/python) and this directory on
PYTHONPATH; ACL_PYTHONPATH overrides the former to test an installed copy.
"""
import os
import subprocess
import sys
import unittest

import acl

DEVICE_NODE = "/dev/ascend_notify"
HERE = os.path.dirname(os.path.abspath(__file__))


def have_device():
    return os.path.exists(DEVICE_NODE)


def child_env():
    """The environment for a child Python that must import the same acl."""
    env = dict(os.environ)
    path = os.path.dirname(os.path.abspath(acl.__file__))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (path, HERE, env.get("PYTHONPATH")) if p)
    return env


def run_python(code, *args, timeout=60, **kw):
    """Runs `python3 -c CODE ARGS...` with the same acl; CompletedProcess."""
    return subprocess.run([sys.executable, "-c", code] + [str(a) for a in args],
                          env=child_env(), capture_output=True, text=True,
                          timeout=timeout, **kw)


class AclTestCase(unittest.TestCase):
    """Each test runs between acl.init() and acl.finalize()."""

    devices = 2

    def setUp(self):
        if not have_device():
            self.skipTest("%s missing: run in the guest (scripts/vmtest) "
                          "with the module loaded" % DEVICE_NODE)
        self.assertEqual(acl.init(), acl.ACL_SUCCESS)
        self.addCleanup(self._finalize)
        count, ret = acl.rt.get_device_count()
        self.assertEqual(ret, acl.ACL_SUCCESS)
        if count < self.devices:
            self.skipTest("needs %d devices, the module has %d"
                          % (self.devices, count))

    @staticmethod
    def _finalize():
        ret = acl.finalize()
        assert ret in (acl.ACL_SUCCESS, acl.ACL_ERROR_REPEAT_FINALIZE), ret

    def ok(self, ret, what=""):
        """Asserts a CANN call succeeded."""
        self.assertEqual(ret, acl.ACL_SUCCESS, what)

    def value(self, pair, what=""):
        """Returns the value of a (value, ret) pair after checking ret."""
        self.assertIsInstance(pair, tuple)
        self.assertEqual(len(pair), 2)
        value, ret = pair
        self.assertEqual(ret, acl.ACL_SUCCESS, what)
        return value

    def device(self, dev=0):
        self.ok(acl.rt.set_device(dev), "set_device(%d)" % dev)

    def new_stream(self):
        stream = self.value(acl.rt.create_stream())
        self.assertNotEqual(stream, 0)
        return stream

    def new_notify(self):
        notify = self.value(acl.rt.create_notify(acl.ACL_NOTIFY_DEFAULT))
        self.assertNotEqual(notify, 0)
        return notify
