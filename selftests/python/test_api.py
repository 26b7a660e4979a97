#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The acl module in one process: conventions, argument checking, and the
CANN error codes of every call, returned as ret and never raised."""
import inspect
import os
import sys
import unittest

import acl
import acl.rt

import ktap
from acltest import AclTestCase, have_device

A = acl  # error codes and flags live on the module

PUBLIC_RT = [
    "set_device", "reset_device", "reset_device_force", "get_device",
    "get_device_count", "device_can_access_peer",
    "device_enable_peer_access", "device_disable_peer_access",
    "device_get_bare_tgid", "synchronize_device", "create_stream",
    "destroy_stream", "destroy_stream_force", "synchronize_stream",
    "synchronize_stream_with_timeout", "set_stream_failure_mode",
    "stream_query", "launch_host_func",
    "create_notify", "destroy_notify", "record_notify",
    "wait_and_reset_notify", "get_notify_id", "notify_batch_reset",
    "notify_get_export_key", "notify_set_import_pid",
    "notify_set_import_pid_inter_server", "notify_import_by_key",
]


class Module(unittest.TestCase):
    """What needs no device."""

    def test_submodule(self):
        from acl import rt
        self.assertIs(rt, acl.rt)
        self.assertIs(sys.modules["acl.rt"], acl.rt)

    def test_functions_and_docstrings(self):
        for mod, names in ((acl, ["init", "finalize"]), (acl.rt, PUBLIC_RT)):
            for name in names:
                fn = getattr(mod, name)
                self.assertTrue(callable(fn), name)
                doc = fn.__doc__ or ""
                self.assertIn("ret", doc, name)
                self.assertGreater(len(doc.splitlines()), 1, name)
                inspect.signature(fn)  # from the text signature
        self.assertIn("notify_get_export_key(notify, len, flags)",
                      "%s%s" % (acl.rt.notify_get_export_key.__name__,
                                inspect.signature(
                                    acl.rt.notify_get_export_key)))

    def test_constants(self):
        expect = {
            "ACL_SUCCESS": 0,
            "ACL_ERROR_INVALID_PARAM": 100000,
            "ACL_ERROR_UNINITIALIZE": 100001,
            "ACL_ERROR_REPEAT_INITIALIZE": 100002,
            "ACL_ERROR_REPEAT_FINALIZE": 100037,
            "ACL_ERROR_FEATURE_UNSUPPORTED": 200006,
            "ACL_ERROR_RT_PARAM_INVALID": 107000,
            "ACL_ERROR_RT_INVALID_DEVICEID": 107001,
            "ACL_ERROR_RT_CONTEXT_NULL": 107002,
            "ACL_ERROR_RT_STREAM_CONTEXT": 107003,
            "ACL_ERROR_RT_INVALID_HANDLE": 107017,
            "ACL_ERROR_RT_TASK_TIMEOUT": 107020,
            "ACL_ERROR_RT_FEATURE_NOT_SUPPORT": 207000,
            "ACL_ERROR_RT_MEMORY_ALLOCATION": 207001,
            "ACL_ERROR_RT_NO_PERMISSION": 207006,
            "ACL_ERROR_RT_NO_NOTIFY_RESOURCE": 207009,
            "ACL_ERROR_RT_INTERNAL_ERROR": 507000,
            "ACL_ERROR_RT_STREAM_SYNC_TIMEOUT": 507046,
            "ACL_NOTIFY_DEFAULT": 0,
            "ACL_NOTIFY_DEVICE_USE_ONLY": 1,
            "ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT": 0,
            "ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION": 2,
            "ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT": 0,
            "ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS": 2,
            "ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION": 1,
            "ACL_RT_IPC_MEM_IMPORT_FLAG_ENABLE_PEER_ACCESS": 1,
            "ACL_STREAM_STATUS_COMPLETE": 0,
            "ACL_STREAM_STATUS_NOT_READY": 1,
        }
        for name, value in expect.items():
            self.assertEqual(getattr(acl, name), value, name)
        self.assertTrue(acl.__version__)

    def test_type_errors(self):
        rt = acl.rt
        bad = [
            (acl.init, (5,)),
            (rt.set_device, ("0",)),
            (rt.set_device, (1.5,)),
            (rt.set_device, ()),
            (rt.reset_device, (None,)),
            (rt.device_can_access_peer, (0,)),
            (rt.device_enable_peer_access, ("1", 0)),
            (rt.create_notify, ()),
            (rt.create_notify, ("0",)),
            (rt.destroy_notify, (None,)),
            (rt.destroy_notify, ("1",)),
            (rt.record_notify, (1, "0")),
            (rt.wait_and_reset_notify, (1, 0, 1.0)),
            (rt.get_notify_id, ([],)),
            (rt.notify_batch_reset, (1,)),
            (rt.notify_batch_reset, (["1"],)),
            (rt.notify_batch_reset, ({1, 2},)),
            (rt.notify_get_export_key, (1, "65", 0)),
            (rt.notify_set_import_pid, (1, 5)),
            (rt.notify_set_import_pid, (1, ["5"])),
            (rt.notify_set_import_pid, (1, "5")),
            (rt.notify_set_import_pid_inter_server, (1, [5])),
            (rt.notify_set_import_pid_inter_server, (1, [(0,)])),
            (rt.notify_set_import_pid_inter_server, (1, [("0", 5)])),
            (rt.notify_import_by_key, (123, 0)),
            (rt.notify_import_by_key, ("k",)),
            (rt.launch_host_func, (0, 42)),
            (rt.launch_host_func, (0,)),
            (rt.synchronize_stream_with_timeout, (0, "1")),
            (rt.stream_query, (1.0,)),
            (rt.create_stream, (0,)),
            (rt.get_device, (0,)),
        ]
        for fn, args in bad:
            with self.assertRaises(TypeError, msg="%s%r" % (fn.__name__, args)):
                fn(*args)

    def test_range_and_value_errors(self):
        rt = acl.rt
        for fn, args in [(rt.set_device, (2 ** 31,)),
                         (rt.set_device, (-2 ** 31 - 1,)),
                         (rt.create_notify, (-1,)),
                         (rt.create_notify, (2 ** 64,)),
                         (rt.destroy_notify, (-1,)),
                         (rt.wait_and_reset_notify, (1, 0, 2 ** 32)),
                         (rt.notify_set_import_pid, (1, [2 ** 31])),
                         (rt.synchronize_stream_with_timeout, (0, 2 ** 31))]:
            with self.assertRaises(OverflowError, msg="%s%r" % (fn.__name__, args)):
                fn(*args)
        with self.assertRaises(ValueError):
            rt.notify_import_by_key("a\0b", 0)

    def test_keywords(self):
        # Keyword names are pyACL's parameter names; nothing is done here
        # but the parsing (the calls fail with ret: not initialized).
        self.assertIsInstance(acl.rt.set_device(device_id=0), int)
        self.assertIsInstance(
            acl.rt.notify_get_export_key(notify=1, len=65, flags=0), tuple)


class Uninitialized(unittest.TestCase):
    def setUp(self):
        if not have_device():
            self.skipTest("no /dev/ascend_notify")

    def test_before_init(self):
        self.assertEqual(acl.rt.set_device(0), A.ACL_ERROR_UNINITIALIZE)
        self.assertEqual(acl.rt.create_notify(0), (0, A.ACL_ERROR_UNINITIALIZE))
        self.assertEqual(acl.finalize(), A.ACL_ERROR_REPEAT_FINALIZE)

    def test_init_twice_and_config_path(self):
        self.assertEqual(acl.init(), A.ACL_SUCCESS)
        try:
            self.assertEqual(acl.init(None), A.ACL_ERROR_REPEAT_INITIALIZE)
        finally:
            self.assertEqual(acl.finalize(), A.ACL_SUCCESS)
        self.assertEqual(acl.init("/nonexistent/acl.json"),
                         A.ACL_ERROR_INVALID_FILE)
        self.assertEqual(acl.init(os.devnull), A.ACL_SUCCESS)
        self.assertEqual(acl.finalize(), A.ACL_SUCCESS)
        self.assertEqual(acl.finalize(), A.ACL_ERROR_REPEAT_FINALIZE)


class Devices(AclTestCase):
    def test_current_device(self):
        self.assertEqual(acl.rt.get_device(), (0, A.ACL_ERROR_RT_CONTEXT_NULL))
        count = self.value(acl.rt.get_device_count())
        self.assertEqual(acl.rt.set_device(count), A.ACL_ERROR_RT_INVALID_DEVICEID)
        self.assertEqual(acl.rt.set_device(-1), A.ACL_ERROR_RT_INVALID_DEVICEID)
        self.device(1)
        self.assertEqual(self.value(acl.rt.get_device()), 1)
        self.ok(acl.rt.reset_device(1))
        self.assertEqual(acl.rt.get_device()[1], A.ACL_ERROR_RT_CONTEXT_NULL)
        self.device(0)
        self.device(0)
        self.ok(acl.rt.reset_device_force(0))
        self.assertEqual(acl.rt.get_device()[1], A.ACL_ERROR_RT_CONTEXT_NULL)

    def test_peers(self):
        self.assertEqual(self.value(acl.rt.device_can_access_peer(0, 1)), 1)
        self.assertEqual(acl.rt.device_can_access_peer(0, 0),
                         (0, A.ACL_ERROR_INVALID_PARAM))
        self.assertEqual(acl.rt.device_enable_peer_access(1, 0),
                         A.ACL_ERROR_RT_CONTEXT_NULL)
        self.device(0)
        self.assertEqual(acl.rt.device_enable_peer_access(1, 1),
                         A.ACL_ERROR_FEATURE_UNSUPPORTED)
        self.ok(acl.rt.device_enable_peer_access(1, 0))
        self.ok(acl.rt.device_enable_peer_access(peer_device_id=1))
        self.ok(acl.rt.device_disable_peer_access(1))
        self.ok(acl.rt.synchronize_device())

    def test_bare_tgid(self):
        pid = self.value(acl.rt.device_get_bare_tgid())
        self.assertGreater(pid, 0)
        # The guest runs in the initial PID namespace.
        self.assertEqual(pid, os.getpid())


class Streams(AclTestCase):
    def test_stream_errors(self):
        self.assertEqual(acl.rt.create_stream(), (0, A.ACL_ERROR_RT_CONTEXT_NULL))
        self.device(0)
        s = self.new_stream()
        self.assertEqual(self.value(acl.rt.stream_query(s)),
                         A.ACL_STREAM_STATUS_COMPLETE)
        self.ok(acl.rt.synchronize_stream(s))
        self.ok(acl.rt.synchronize_stream(None))
        self.ok(acl.rt.synchronize_stream_with_timeout(s, -1))
        self.ok(acl.rt.synchronize_stream_with_timeout(s, 1000))
        for t in (0, -2):
            self.assertEqual(acl.rt.synchronize_stream_with_timeout(s, t),
                             A.ACL_ERROR_RT_PARAM_INVALID)
        self.assertEqual(acl.rt.destroy_stream(0), A.ACL_ERROR_INVALID_PARAM)
        self.ok(acl.rt.destroy_stream(s))
        self.assertEqual(acl.rt.destroy_stream(s), A.ACL_ERROR_RT_INVALID_HANDLE)
        self.assertEqual(acl.rt.synchronize_stream(s), A.ACL_ERROR_RT_INVALID_HANDLE)
        self.assertEqual(acl.rt.stream_query(s), (0, A.ACL_ERROR_RT_INVALID_HANDLE))
        self.assertEqual(acl.rt.destroy_stream_force(12345),
                         A.ACL_ERROR_RT_INVALID_HANDLE)
        # A stream of device 1 used while device 0 is current.
        self.device(1)
        s1 = self.new_stream()
        self.device(0)
        self.assertEqual(acl.rt.synchronize_stream(s1), A.ACL_ERROR_RT_STREAM_CONTEXT)

    def test_sync_timeout_and_query(self):
        self.device(0)
        s = self.new_stream()
        n = self.new_notify()
        self.ok(acl.rt.wait_and_reset_notify(n, s, 0))
        self.assertEqual(self.value(acl.rt.stream_query(s)),
                         A.ACL_STREAM_STATUS_NOT_READY)
        self.assertEqual(acl.rt.synchronize_stream_with_timeout(s, 100),
                         A.ACL_ERROR_RT_STREAM_SYNC_TIMEOUT)
        self.ok(acl.rt.record_notify(n, 0))
        self.ok(acl.rt.synchronize_stream_with_timeout(s, 20000))
        self.assertEqual(self.value(acl.rt.stream_query(s)),
                         A.ACL_STREAM_STATUS_COMPLETE)
        self.ok(acl.rt.destroy_stream_force(s))

    def test_failure_mode(self):
        self.device(0)
        s = self.new_stream()
        n = self.new_notify()
        self.assertEqual((A.ACL_CONTINUE_ON_FAILURE, A.ACL_STOP_ON_FAILURE),
                         (0, 1))
        self.assertEqual(acl.rt.set_stream_failure_mode(s, 2),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.ok(acl.rt.set_stream_failure_mode(None,
                                               A.ACL_CONTINUE_ON_FAILURE))
        ran = []
        for mode, runs in ((None, 1), (A.ACL_STOP_ON_FAILURE, 0)):
            if mode is not None:
                self.ok(acl.rt.set_stream_failure_mode(s, mode))
            ran.clear()
            # A wait that times out after a second, a host function behind.
            self.ok(acl.rt.wait_and_reset_notify(n, s, 1))
            self.ok(acl.rt.launch_host_func(s, ran.append, 1))
            self.assertEqual(acl.rt.synchronize_stream(s),
                             A.ACL_ERROR_RT_TASK_TIMEOUT)
            self.assertEqual(len(ran), runs, "mode %r" % mode)
        self.ok(acl.rt.destroy_stream(s))


class Notifies(AclTestCase):
    def test_record_then_wait(self):
        self.device(0)
        s = self.new_stream()
        n = self.new_notify()
        self.assertIsInstance(n, int)
        self.ok(acl.rt.record_notify(n, s))
        self.ok(acl.rt.record_notify(n, s))  # coalesces
        self.ok(acl.rt.wait_and_reset_notify(n, s, 0))
        self.ok(acl.rt.synchronize_stream(s))
        # The bit is clear again: a second wait times out (1 second).
        self.ok(acl.rt.wait_and_reset_notify(n, s, 1))
        self.assertEqual(acl.rt.synchronize_stream(s), A.ACL_ERROR_RT_TASK_TIMEOUT)
        self.ok(acl.rt.synchronize_stream(s))
        self.ok(acl.rt.destroy_notify(n))

    def test_create_and_handles(self):
        self.assertEqual(acl.rt.create_notify(0), (0, A.ACL_ERROR_RT_CONTEXT_NULL))
        self.device(0)
        self.assertEqual(acl.rt.create_notify(5)[1], A.ACL_ERROR_RT_PARAM_INVALID)
        n = self.value(acl.rt.create_notify(A.ACL_NOTIFY_DEVICE_USE_ONLY))
        ids = {self.value(acl.rt.get_notify_id(n))}
        m = self.new_notify()
        ids.add(self.value(acl.rt.get_notify_id(m)))
        self.assertEqual(len(ids), 2)
        self.ok(acl.rt.destroy_notify(n))
        for call in (lambda: acl.rt.destroy_notify(n),
                     lambda: acl.rt.record_notify(n, 0),
                     lambda: acl.rt.wait_and_reset_notify(n, 0, 0),
                     lambda: acl.rt.get_notify_id(n)[1],
                     lambda: acl.rt.notify_get_export_key(n, 65, 0)[1]):
            self.assertEqual(call(), A.ACL_ERROR_RT_INVALID_HANDLE)
        self.assertEqual(acl.rt.destroy_notify(0), A.ACL_ERROR_INVALID_PARAM)
        self.assertEqual(acl.rt.destroy_notify(2 ** 64 - 1),
                         A.ACL_ERROR_RT_INVALID_HANDLE)
        self.ok(acl.rt.destroy_notify(m))

    def test_batch_reset(self):
        self.device(0)
        s = self.new_stream()
        n1, n2 = self.new_notify(), self.new_notify()
        self.ok(acl.rt.record_notify(n1, s))
        self.ok(acl.rt.record_notify(n2, s))
        self.ok(acl.rt.synchronize_stream(s))
        self.assertEqual(acl.rt.notify_batch_reset([]), A.ACL_ERROR_RT_PARAM_INVALID)
        dead = self.new_notify()
        self.ok(acl.rt.destroy_notify(dead))
        # One invalid handle: nothing changes, n1 stays set.
        self.assertEqual(acl.rt.notify_batch_reset([n1, dead]),
                         A.ACL_ERROR_RT_INVALID_HANDLE)
        self.ok(acl.rt.wait_and_reset_notify(n1, s, 0))
        self.ok(acl.rt.synchronize_stream(s))
        # A real reset: n2 was set, now a wait times out.
        self.ok(acl.rt.notify_batch_reset((n2,)))
        self.ok(acl.rt.wait_and_reset_notify(n2, s, 1))
        self.assertEqual(acl.rt.synchronize_stream(s), A.ACL_ERROR_RT_TASK_TIMEOUT)

    def test_export(self):
        self.device(0)
        n = self.new_notify()
        self.assertEqual(acl.rt.notify_get_export_key(n, 64, 0),
                         ("", A.ACL_ERROR_RT_PARAM_INVALID))
        self.assertEqual(acl.rt.notify_get_export_key(n, 0, 0),
                         ("", A.ACL_ERROR_RT_PARAM_INVALID))
        self.assertEqual(acl.rt.notify_get_export_key(n, 65, 1),
                         ("", A.ACL_ERROR_RT_PARAM_INVALID))
        self.assertEqual(acl.rt.notify_set_import_pid(n, [os.getpid()]),
                         A.ACL_ERROR_RT_PARAM_INVALID)  # not exported yet
        key = self.value(acl.rt.notify_get_export_key(n, 1 << 20, 0))
        self.assertIsInstance(key, str)
        self.assertEqual(len(key), 64)
        self.assertTrue(key.isprintable())
        self.assertEqual(acl.rt.notify_get_export_key(n, 65, 0),
                         ("", A.ACL_ERROR_RT_INTERNAL_ERROR))
        self.assertEqual(acl.rt.notify_set_import_pid(n, []),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.assertEqual(acl.rt.notify_set_import_pid(n, [0x7ffffffe]),
                         A.ACL_ERROR_RT_PARAM_INVALID)  # no such process
        self.ok(acl.rt.notify_set_import_pid(n, [os.getpid(), os.getppid()]))
        m = self.new_notify()
        self.value(acl.rt.notify_get_export_key(
            m, 65, A.ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION))
        self.assertEqual(acl.rt.notify_set_import_pid(m, [os.getpid()]),
                         A.ACL_ERROR_RT_NO_PERMISSION)

    def test_inter_server(self):
        self.device(0)
        n = self.new_notify()
        self.value(acl.rt.notify_get_export_key(n, 65, 0))
        pid = os.getpid()
        sdid = int(os.environ.get("ACL_TEST_SDID_BASE", "0"))
        set_pids = acl.rt.notify_set_import_pid_inter_server
        self.ok(set_pids(n, [(sdid, pid)]))
        self.ok(set_pids(n, [(sdid + 1, [pid])]))
        self.assertEqual(set_pids(n, []), A.ACL_ERROR_RT_PARAM_INVALID)
        self.assertEqual(set_pids(n, [(sdid, [pid, pid])]),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.assertEqual(set_pids(n, [(sdid + 4096, pid)]),
                         A.ACL_ERROR_RT_FEATURE_NOT_SUPPORT)

    def test_import_in_process(self):
        """Export on device 0, import on device 1, record there, wait on 0."""
        self.device(0)
        s = self.new_stream()
        n = self.new_notify()
        key = self.value(acl.rt.notify_get_export_key(
            n, 65, A.ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION))
        self.device(1)
        self.assertEqual(acl.rt.notify_import_by_key("x" * 64, 0),
                         (0, A.ACL_ERROR_RT_PARAM_INVALID))
        self.assertEqual(acl.rt.notify_import_by_key("short", 0),
                         (0, A.ACL_ERROR_RT_PARAM_INVALID))
        self.assertEqual(acl.rt.notify_import_by_key(key, 1),
                         (0, A.ACL_ERROR_RT_PARAM_INVALID))
        imp = self.value(acl.rt.notify_import_by_key(
            key.encode(), A.ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS))
        self.assertNotEqual(imp, n)
        self.assertEqual(self.value(acl.rt.get_notify_id(imp)),
                         self.value(acl.rt.get_notify_id(n)))
        # An importer on another device cannot wait.
        self.assertEqual(acl.rt.wait_and_reset_notify(imp, 0, 0),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.ok(acl.rt.record_notify(imp, 0))
        self.ok(acl.rt.synchronize_stream(0))
        self.device(0)
        self.ok(acl.rt.wait_and_reset_notify(n, s, 0))
        self.ok(acl.rt.synchronize_stream(s))
        # The creator's destroy withdraws the key.
        self.ok(acl.rt.destroy_notify(n))
        self.device(1)
        self.assertEqual(acl.rt.notify_import_by_key(key, 2),
                         (0, A.ACL_ERROR_RT_PARAM_INVALID))
        self.ok(acl.rt.destroy_notify(imp))


if __name__ == "__main__":
    sys.exit(ktap.main())
