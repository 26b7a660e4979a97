#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host functions: Python callables run by a stream's library thread."""
import gc
import sys
import threading
import time
import unittest
import weakref

import acl

import ktap
from acltest import AclTestCase, have_device, run_python

A = acl


class Callable:
    """A callable whose lifetime a weakref can watch."""

    def __init__(self):
        self.calls = []

    def __call__(self, args):
        self.calls.append((args, threading.get_ident(), time.monotonic()))


class HostFunc(AclTestCase):
    devices = 1

    def setUp(self):
        super().setUp()
        self.device(0)
        self.stream = self.new_stream()

    def test_runs_in_stream_order(self):
        n = self.new_notify()
        fn = Callable()
        arg = object()
        self.ok(acl.rt.wait_and_reset_notify(n, self.stream, 0))
        self.ok(acl.rt.launch_host_func(self.stream, fn, arg))
        time.sleep(0.3)
        self.assertEqual(fn.calls, [])  # behind the wait
        self.assertEqual(self.value(acl.rt.stream_query(self.stream)),
                         A.ACL_STREAM_STATUS_NOT_READY)
        recorded = time.monotonic()
        self.ok(acl.rt.record_notify(n, 0))
        self.ok(acl.rt.synchronize_stream(self.stream))
        self.assertEqual(len(fn.calls), 1)
        got, tid, when = fn.calls[0]
        self.assertIs(got, arg)
        self.assertNotEqual(tid, threading.get_ident())
        self.assertGreaterEqual(when, recorded)

    def test_order_and_default_args(self):
        seen = []
        for i in range(100):
            self.ok(acl.rt.launch_host_func(self.stream, seen.append, i))
        self.ok(acl.rt.launch_host_func(self.stream, seen.append))
        self.ok(acl.rt.launch_host_func(stream=self.stream, fn=seen.append,
                                        args="kw"))
        self.ok(acl.rt.synchronize_stream(self.stream))
        self.assertEqual(seen, list(range(100)) + [None, "kw"])

    def test_default_stream(self):
        seen = []
        self.ok(acl.rt.launch_host_func(0, seen.append, 1))
        self.ok(acl.rt.launch_host_func(None, seen.append, 2))
        self.ok(acl.rt.synchronize_stream(0))
        self.assertEqual(seen, [1, 2])

    def test_references_kept_until_run(self):
        n = self.new_notify()
        fn, arg = Callable(), Callable()
        fn_ref, arg_ref = weakref.ref(fn), weakref.ref(arg)
        self.ok(acl.rt.wait_and_reset_notify(n, self.stream, 0))
        self.ok(acl.rt.launch_host_func(self.stream, fn, arg))
        del fn, arg
        gc.collect()
        self.assertIsNotNone(fn_ref())
        self.assertIsNotNone(arg_ref())
        self.ok(acl.rt.record_notify(n, 0))
        self.ok(acl.rt.synchronize_stream(self.stream))
        gc.collect()
        self.assertIsNone(fn_ref())
        self.assertIsNone(arg_ref())

    def test_exception_is_unraisable(self):
        caught = []
        old = sys.unraisablehook
        sys.unraisablehook = caught.append
        try:
            def boom(args):
                raise ValueError("from a host function %s" % args)
            seen = []
            self.ok(acl.rt.launch_host_func(self.stream, boom, "x"))
            self.ok(acl.rt.launch_host_func(self.stream, seen.append, "after"))
            self.ok(acl.rt.synchronize_stream(self.stream))
        finally:
            sys.unraisablehook = old
        self.assertEqual(len(caught), 1)
        self.assertIs(caught[0].exc_type, ValueError)
        self.assertIn("from a host function x", str(caught[0].exc_value))
        self.assertIs(caught[0].object, boom)
        self.assertEqual(seen, ["after"])  # the stream went on

    def test_discarded_by_destroy_force(self):
        n = self.new_notify()
        fn = Callable()
        ref = weakref.ref(fn)
        self.ok(acl.rt.wait_and_reset_notify(n, self.stream, 0))
        self.ok(acl.rt.launch_host_func(self.stream, fn, None))
        calls = fn.calls
        del fn
        self.ok(acl.rt.destroy_stream_force(self.stream))
        gc.collect()
        self.assertEqual(calls, [])
        self.assertIsNone(ref())  # released, not leaked

    def test_discarded_by_failed_wait(self):
        # Discarding is ACL_STOP_ON_FAILURE's; CANN's default runs it
        # (test_api's Streams.test_failure_mode).
        self.ok(acl.rt.set_stream_failure_mode(self.stream,
                                               A.ACL_STOP_ON_FAILURE))
        n = self.new_notify()
        fn = Callable()
        ref = weakref.ref(fn)
        self.ok(acl.rt.wait_and_reset_notify(n, self.stream, 1))
        self.ok(acl.rt.launch_host_func(self.stream, fn, None))
        calls = fn.calls
        del fn
        self.assertEqual(acl.rt.synchronize_stream(self.stream),
                         A.ACL_ERROR_RT_TASK_TIMEOUT)
        gc.collect()
        self.assertEqual(calls, [])
        self.assertIsNone(ref())

    def test_released_by_finalize(self):
        n = self.new_notify()
        fn = Callable()
        ref = weakref.ref(fn)
        self.ok(acl.rt.wait_and_reset_notify(n, 0, 0))
        self.ok(acl.rt.launch_host_func(0, fn, None))
        del fn
        self.ok(acl.finalize())
        gc.collect()
        self.assertIsNone(ref())

    def test_launch_errors(self):
        fn = Callable()
        ref = weakref.ref(fn)
        self.assertEqual(acl.rt.launch_host_func(12345, fn, None),
                         A.ACL_ERROR_RT_INVALID_HANDLE)
        del fn
        gc.collect()
        self.assertIsNone(ref())  # a failed launch keeps nothing

    def test_calls_back_into_acl(self):
        """A host function records a notify that another stream waits on.

        It runs on a library thread, which has no current device until it
        sets one, as any new thread.
        """
        other, third = self.new_stream(), self.new_stream()
        n = self.new_notify()
        rets = {}

        def fn(args):
            rets["no_device"] = acl.rt.record_notify(n, third)
            rets["set_device"] = acl.rt.set_device(0)
            rets["record"] = acl.rt.record_notify(n, third)
            rets["count"] = acl.rt.get_device_count()
            # Its own stream: refused, not a deadlock.
            rets["sync_own"] = acl.rt.synchronize_stream(self.stream)
            rets["destroy_own"] = acl.rt.destroy_stream(self.stream)
            rets["finalize"] = acl.finalize()
            rets["reset"] = acl.rt.reset_device(0)
            rets["launch"] = acl.rt.launch_host_func(self.stream,
                                                     rets.setdefault,
                                                     "nested")

        self.ok(acl.rt.wait_and_reset_notify(n, other, 0))
        self.ok(acl.rt.launch_host_func(self.stream, fn, None))
        self.ok(acl.rt.synchronize_stream(other))
        # A synchronisation covers the tasks queued before it began: the
        # first one ends after fn, which queued "nested" while it ran (on a
        # slow guest, after that synchronisation began); the second one
        # covers "nested".
        self.ok(acl.rt.synchronize_stream(self.stream))
        self.ok(acl.rt.synchronize_stream(self.stream))
        self.assertEqual(rets["no_device"], A.ACL_ERROR_RT_CONTEXT_NULL)
        self.assertEqual(rets["set_device"], A.ACL_SUCCESS)
        self.assertEqual(rets["record"], A.ACL_SUCCESS)
        self.assertEqual(rets["count"][1], A.ACL_SUCCESS)
        for what in ("sync_own", "destroy_own", "finalize", "reset"):
            self.assertEqual(rets[what], A.ACL_ERROR_RT_PARAM_INVALID, what)
        self.assertEqual(rets["launch"], A.ACL_SUCCESS)
        self.assertIn("nested", rets)

    def test_many_streams_at_once(self):
        streams = [self.new_stream() for _ in range(8)]
        lock = threading.Lock()
        count = [0]
        threads = set()

        def fn(args):
            with lock:
                count[0] += 1
                threads.add(threading.get_ident())

        for _ in range(20):
            for s in streams:
                self.ok(acl.rt.launch_host_func(s, fn, None))
        self.ok(acl.rt.synchronize_device())
        self.assertEqual(count[0], 20 * len(streams))
        self.assertEqual(len(threads), len(streams))
        for s in streams:
            self.ok(acl.rt.destroy_stream(s))


class Exit(unittest.TestCase):
    """The interpreter exits with host functions pending or running."""

    def setUp(self):
        if not have_device():
            self.skipTest("no /dev/ascend_notify")

    def test_exit_with_pending_host_func(self):
        code = """if 1:
            import acl
            assert acl.init() == 0 and acl.rt.set_device(0) == 0
            n, ret = acl.rt.create_notify(0)
            assert acl.rt.wait_and_reset_notify(n, 0, 0) == 0
            assert acl.rt.launch_host_func(0, print, "never") == 0
            print("exiting")
        """
        r = run_python(code)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "exiting\n")

    def test_exit_while_host_func_runs(self):
        code = """if 1:
            import acl, time
            assert acl.init() == 0 and acl.rt.set_device(0) == 0
            def slow(args):
                print("started", flush=True)
                t = time.monotonic()
                while time.monotonic() - t < 1.0:
                    pass
            assert acl.rt.launch_host_func(0, slow, None) == 0
            time.sleep(0.3)
            print("exiting", flush=True)
        """
        r = run_python(code)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("exiting", r.stdout)


if __name__ == "__main__":
    sys.exit(ktap.main())
