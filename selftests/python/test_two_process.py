#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The two-process IPC-notify flow from Python: the example script, the
trustlist seen from a second process, and the same flow with
multiprocessing."""
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import unittest

import acl

import ktap
from acltest import AclTestCase, child_env, have_device

A = acl
EXAMPLE = os.path.join(os.environ.get("ACL_REPO", ""), "python", "examples",
                       "notify_pair.py")

# Process B for the tests below: on device 1, reports its bare TGID, then
# for each line "KEY" imports it, prints ret, and records if it could.
IMPORTER = """if 1:
    import sys, time, acl
    assert acl.init() == 0 and acl.rt.set_device(1) == 0
    pid, ret = acl.rt.device_get_bare_tgid()
    print(pid, flush=True)
    for line in sys.stdin:
        n, ret = acl.rt.notify_import_by_key(
            line.strip(), acl.ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS)
        if ret == 0:
            ret = acl.rt.record_notify(n, 0) or acl.rt.synchronize_stream(0) \\
                or acl.rt.destroy_notify(n)
        print(ret, time.monotonic_ns(), flush=True)
    assert acl.finalize() == 0
"""


class Importer:
    """Process B, running IMPORTER."""

    def __init__(self):
        self.p = subprocess.Popen([sys.executable, "-c", IMPORTER],
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True,
                                  env=child_env())
        self.pid = int(self.p.stdout.readline())

    def try_import(self, key):
        """(ret, CLOCK_MONOTONIC ns after B's record) of B's import."""
        self.p.stdin.write(key + "\n")
        self.p.stdin.flush()
        ret, when = self.p.stdout.readline().split()
        return int(ret), int(when)

    def close(self):
        self.p.stdin.close()
        return self.p.wait(timeout=60)


def spawned_importer(key, conn):
    """multiprocessing child: import on device 1 and record after 200 ms."""
    assert acl.init() == 0 and acl.rt.set_device(1) == 0
    n, ret = acl.rt.notify_import_by_key(
        key, A.ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS)
    time.sleep(0.2)
    recorded = time.monotonic_ns()
    rets = [ret, acl.rt.record_notify(n, 0), acl.rt.synchronize_stream(0),
            acl.rt.destroy_notify(n), acl.finalize()]
    conn.send((rets, recorded))
    conn.close()


class Example(unittest.TestCase):
    def setUp(self):
        if not have_device():
            self.skipTest("no /dev/ascend_notify")
        if not os.path.exists(EXAMPLE):
            self.skipTest("%s not found (set ACL_REPO)" % EXAMPLE)

    def run_example(self, *args):
        r = subprocess.run([sys.executable, EXAMPLE] + list(args),
                           env=child_env(), capture_output=True, text=True,
                           timeout=120)
        sys.stdout.write("".join("# " + l + "\n"
                                 for l in r.stderr.splitlines()))
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stderr.splitlines()
        record = [i for i, l in enumerate(lines) if l.endswith("B: record")]
        host = [i for i, l in enumerate(lines) if "A: host function" in l]
        self.assertEqual(len(record), 1)
        self.assertEqual(len(host), 1)
        self.assertLess(record[0], host[0])

    def test_pair_with_trustlist(self):
        self.run_example()

    def test_pair_without_pid_validation(self):
        self.run_example("--no-pid-check")


class TwoProcesses(AclTestCase):
    def setUp(self):
        super().setUp()
        self.device(0)
        self.stream = self.new_stream()
        self.notify = self.new_notify()

    def test_trustlist(self):
        key = self.value(acl.rt.notify_get_export_key(self.notify, 65, 0))
        b = Importer()
        try:
            # Not trusted yet.
            self.assertEqual(b.try_import(key)[0], A.ACL_ERROR_RT_NO_PERMISSION)
            self.ok(acl.rt.notify_set_import_pid(self.notify, [b.pid]))
            self.ok(acl.rt.wait_and_reset_notify(self.notify, self.stream, 0))
            ret, recorded = b.try_import(key)
            self.assertEqual(ret, A.ACL_SUCCESS)
            self.ok(acl.rt.synchronize_stream(self.stream))
            # The creator's destroy withdraws the key.
            self.ok(acl.rt.destroy_notify(self.notify))
            self.assertEqual(b.try_import(key)[0], A.ACL_ERROR_RT_PARAM_INVALID)
        finally:
            self.assertEqual(b.close(), 0)

    def test_importer_killed(self):
        key = self.value(acl.rt.notify_get_export_key(
            self.notify, 65, A.ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION))
        code = """if 1:
            import sys, time, acl
            assert acl.init() == 0 and acl.rt.set_device(1) == 0
            n, ret = acl.rt.notify_import_by_key(sys.argv[1], 2)
            print(ret, flush=True)
            time.sleep(60)
        """
        p = subprocess.Popen([sys.executable, "-c", code, key],
                             stdout=subprocess.PIPE, text=True, env=child_env())
        self.assertEqual(int(p.stdout.readline()), A.ACL_SUCCESS)
        p.send_signal(signal.SIGKILL)
        self.assertEqual(p.wait(timeout=60), -signal.SIGKILL)
        # The notify is still the creator's to use and to destroy.
        self.ok(acl.rt.record_notify(self.notify, self.stream))
        self.ok(acl.rt.wait_and_reset_notify(self.notify, self.stream, 0))
        self.ok(acl.rt.synchronize_stream(self.stream))
        self.ok(acl.rt.destroy_notify(self.notify))

    def test_multiprocessing_spawn(self):
        key = self.value(acl.rt.notify_get_export_key(
            self.notify, 65, A.ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION))
        ran = []
        self.ok(acl.rt.wait_and_reset_notify(self.notify, self.stream, 0))
        self.ok(acl.rt.launch_host_func(
            self.stream, lambda args: ran.append(time.monotonic_ns()), None))
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        p = ctx.Process(target=spawned_importer, args=(key, child))
        p.start()
        self.ok(acl.rt.synchronize_stream(self.stream))
        rets, recorded = parent.recv()
        p.join(60)
        self.assertEqual(p.exitcode, 0)
        self.assertEqual(rets, [0] * 5)
        self.assertEqual(len(ran), 1)
        self.assertGreaterEqual(ran[0], recorded)


if __name__ == "__main__":
    sys.exit(ktap.main())
