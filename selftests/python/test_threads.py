#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Threads: the GIL is released in blocking calls, and the module and the
library stay consistent when many Python threads use them at once."""
import gc
import sys
import threading
import time
import weakref

import acl

import ktap
from acltest import AclTestCase

A = acl


def run_threads(target, count):
    """Runs target(i) in count threads; returns the exceptions raised."""
    errors = []

    def wrap(i):
        try:
            target(i)
        except BaseException as e:  # reported by the caller
            errors.append(e)

    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return errors


class Threads(AclTestCase):
    def setUp(self):
        super().setUp()
        self.switch = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)  # as many thread switches as can be
        self.addCleanup(sys.setswitchinterval, self.switch)

    def test_gil_released_while_blocked(self):
        """Another thread runs Python code while one waits in the library.

        If synchronize_stream kept the GIL, the main thread could not run
        the loop below, nor make the record that ends the wait: a hang.
        """
        self.device(0)
        s = self.new_stream()
        n = self.new_notify()
        self.ok(acl.rt.wait_and_reset_notify(n, s, 0))
        entered = threading.Event()
        result = {}

        def blocked():
            acl.rt.set_device(0)
            entered.set()
            t = time.monotonic()
            result["ret"] = acl.rt.synchronize_stream(s)
            result["secs"] = time.monotonic() - t

        t = threading.Thread(target=blocked)
        t.start()
        self.assertTrue(entered.wait(60))
        spins, end = 0, time.monotonic() + 0.5
        while time.monotonic() < end:
            spins += 1
        self.assertTrue(t.is_alive())
        self.assertGreater(spins, 1000)
        self.ok(acl.rt.record_notify(n, 0))
        t.join(60)
        self.assertFalse(t.is_alive())
        self.assertEqual(result["ret"], A.ACL_SUCCESS)
        self.assertGreaterEqual(result["secs"], 0.4)

    def test_current_device_is_per_thread(self):
        devs = {}

        def body(i):
            self.ok(acl.rt.set_device(i % 2))
            time.sleep(0.05)
            devs[i] = self.value(acl.rt.get_device())
            self.ok(acl.rt.reset_device(i % 2))

        self.assertEqual(run_threads(body, 6), [])
        self.assertEqual(devs, {i: i % 2 for i in range(6)})

    def test_concurrent_lifecycles(self):
        """Threads create, use and destroy their own streams and notifies."""
        lock = threading.Lock()
        ran = [0]

        def bump(args):
            with lock:
                ran[0] += 1

        def body(i):
            dev = i % 2
            self.ok(acl.rt.set_device(dev))
            for _ in range(10):
                s = self.value(acl.rt.create_stream())
                n = self.value(acl.rt.create_notify(0))
                self.ok(acl.rt.record_notify(n, s))
                self.ok(acl.rt.wait_and_reset_notify(n, s, 0))
                self.ok(acl.rt.launch_host_func(s, bump, None))
                self.ok(acl.rt.synchronize_stream(s))
                self.ok(acl.rt.get_notify_id(n)[1])
                self.ok(acl.rt.destroy_notify(n))
                self.ok(acl.rt.destroy_stream(s))
            self.ok(acl.rt.reset_device(dev))

        self.assertEqual(run_threads(body, 8), [])
        self.assertEqual(ran[0], 80)

    def test_one_stream_many_threads(self):
        """Host functions launched from many threads onto one stream all run,
        once each, in each thread's order."""
        self.device(0)
        s = self.new_stream()
        seen = []

        def body(i):
            self.ok(acl.rt.set_device(0))
            for k in range(40):
                self.ok(acl.rt.launch_host_func(s, seen.append, (i, k)))
            self.ok(acl.rt.reset_device(0))

        self.assertEqual(run_threads(body, 6), [])
        self.ok(acl.rt.synchronize_stream(s))
        self.assertEqual(len(seen), 6 * 40)
        for i in range(6):
            self.assertEqual([k for j, k in seen if j == i], list(range(40)))

    def test_records_release_under_contention(self):
        """Launches, syncs and forced destroys race; every callable is
        released exactly once and none leaks."""
        self.device(0)
        live = [0]
        lock = threading.Lock()

        class Fn:
            def __init__(self):
                with lock:
                    live[0] += 1
                weakref.finalize(self, self._gone)

            @staticmethod
            def _gone():
                with lock:
                    live[0] -= 1

            def __call__(self, args):
                pass

        def body(i):
            self.ok(acl.rt.set_device(0))
            for _ in range(8):
                s = self.value(acl.rt.create_stream())
                n = self.value(acl.rt.create_notify(0))
                self.ok(acl.rt.launch_host_func(s, Fn(), None))
                self.ok(acl.rt.wait_and_reset_notify(n, s, 0))
                self.ok(acl.rt.launch_host_func(s, Fn(), None))  # dropped
                if i % 2:
                    self.ok(acl.rt.synchronize_stream_with_timeout(s, 10) and 0)
                    self.ok(acl.rt.destroy_stream_force(s))
                else:
                    self.ok(acl.rt.record_notify(n, 0))
                    self.ok(acl.rt.synchronize_stream(s))
                    self.ok(acl.rt.destroy_stream(s))
                self.ok(acl.rt.destroy_notify(n))
            self.ok(acl.rt.reset_device(0))

        self.assertEqual(run_threads(body, 6), [])
        gc.collect()
        self.assertEqual(live[0], 0)


if __name__ == "__main__":
    sys.exit(ktap.main())
