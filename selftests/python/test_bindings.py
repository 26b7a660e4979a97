#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The bindings of events, IPC events, memory and IPC memory: each kind of
argument (ints of each width, handles, streams, addresses, host buffers,
keys, lists, IPC event handles) and of output, and the error conventions
(CANN errors as ret with zero outputs; TypeError, OverflowError and
ValueError for misuse of the binding)."""
import os
import subprocess
import sys
import unittest

import acl

import ktap
from acltest import AclTestCase, child_env, have_device, run_python

A = acl
rt = acl.rt
SIZE = 4096


class Misuse(unittest.TestCase):
    """Argument conversion: raised before anything reaches the library."""

    def test_type_errors(self):
        bad = [
            (rt.create_event, (0,)),
            (rt.create_event_with_flag, ("1",)),
            (rt.record_event, (None, 0)),
            (rt.stream_wait_event, (0, "1")),
            (rt.ipc_open_event_handle, (5,)),
            (rt.malloc, (1.5, 0)),
            (rt.free, ("0",)),
            (rt.memcpy, ("dst", 4, 1, 4, 0)),
            (rt.memcpy, (b"read-only", 9, 1, 9, 0)),
            (rt.memcpy, (bytearray(4), 4, 1.0, 4, 0)),
            (rt.memcpy_async, (bytearray(4), 4, 1, 4, 0, 0)),
            (rt.memset, (bytearray(4), 4, 0, 4)),
            (rt.get_mem_info, ()),
            (rt.ipc_mem_get_export_key, (1, 1, "65", 0)),
            (rt.ipc_mem_set_import_pid, ("k", 5)),
            (rt.ipc_mem_import_by_key, (5, 0)),
            (rt.ipc_mem_close, (None,)),
            (acl.util.ptr_to_bytes, ("1", 1)),
            (acl.util.bytes_to_ptr, (5,)),
        ]
        for fn, args in bad:
            with self.assertRaises(TypeError, msg="%s%r" % (fn.__name__, args)):
                fn(*args)

    def test_range_errors(self):
        for fn, args in [(rt.malloc, (2 ** 64, 0)),
                         (rt.malloc, (-1, 0)),
                         (rt.malloc, (1, 2 ** 31)),
                         (rt.create_event_with_flag, (2 ** 32,)),
                         (rt.memset, (1, 4, 2 ** 31, 4)),
                         (rt.synchronize_event_with_timeout, (1, -2 ** 31 - 1)),
                         (rt.ipc_mem_set_import_pid, ("k", [-2 ** 31 - 1]))]:
            with self.assertRaises(OverflowError, msg="%s%r" % (fn.__name__, args)):
                fn(*args)

    def test_value_errors(self):
        with self.assertRaises(ValueError):
            rt.ipc_mem_close("a\0b")
        with self.assertRaises(ValueError):
            rt.ipc_open_event_handle(b"\0" * (A.ACL_IPC_EVENT_HANDLE_SIZE - 1))
        with self.assertRaises(ValueError):
            acl.util.ptr_to_bytes(0, 1)

    def test_buffer_held_while_converting(self):
        # Converting count runs Python code (__index__) after dst was
        # taken: dst cannot be resized under the call meanwhile.
        dst = bytearray(16)

        class Count:
            def __index__(self):
                dst.extend(b"x" * 4096)
                return 16

        with self.assertRaises(BufferError):
            rt.memcpy(dst, 16, b"\0" * 16, Count(), A.ACL_MEMCPY_HOST_TO_HOST)
        self.assertEqual(len(dst), 16)
        dst.extend(b"ok")  # released again
        self.assertEqual(len(dst), 18)

    def test_util_round_trip(self):
        data = bytearray(b"pointer")
        ptr = acl.util.bytes_to_ptr(data)
        self.assertIsInstance(ptr, int)
        self.assertNotEqual(ptr, 0)
        self.assertEqual(acl.util.ptr_to_bytes(ptr, len(data)), b"pointer")
        self.assertEqual(acl.util.ptr_to_bytes(ptr, 0), b"")

    def test_uninitialized_outputs_are_zero(self):
        if not have_device():
            self.skipTest("no /dev/ascend_notify")
        u = A.ACL_ERROR_UNINITIALIZE
        self.assertEqual(rt.create_event(), (0, u))
        self.assertEqual(rt.malloc(64, 0), (0, u))
        self.assertEqual(rt.get_mem_info(A.ACL_HBM_MEM), (0, 0, u))
        self.assertEqual(rt.ipc_get_event_handle(1), (b"", u))
        self.assertEqual(rt.ipc_mem_get_export_key(1, 64, 65, 0), ("", u))


class Events(AclTestCase):
    devices = 1

    def setUp(self):
        super().setUp()
        self.device(0)
        self.stream = self.new_stream()

    def event(self, flag=None):
        pair = rt.create_event() if flag is None else \
            rt.create_event_with_flag(flag)
        event = self.value(pair)
        self.assertNotEqual(event, 0)
        self.addCleanup(rt.destroy_event, event)
        return event

    def test_record_query_synchronize(self):
        event = self.event()
        # Never recorded: nothing captured, complete (CANN).
        self.assertEqual(rt.query_event_status(event),
                         (A.ACL_EVENT_RECORDED_STATUS_COMPLETE, 0))
        self.ok(rt.record_event(event, self.stream))
        self.ok(rt.synchronize_event(event))
        self.assertEqual(rt.query_event_status(event),
                         (A.ACL_EVENT_RECORDED_STATUS_COMPLETE, 0))
        self.ok(rt.synchronize_event_with_timeout(event, 1000))
        self.ok(rt.reset_event(event, self.stream))
        self.ok(rt.synchronize_stream(self.stream))

    def test_wait_orders_streams(self):
        event = self.event(A.ACL_EVENT_SYNC)
        other = self.new_stream()
        seen = []
        self.ok(rt.stream_wait_event(other, event))
        self.ok(rt.launch_host_func(other, seen.append, "after"))
        self.ok(rt.launch_host_func(self.stream, seen.append, "before"))
        self.ok(rt.record_event(event, self.stream))
        self.ok(rt.synchronize_stream(other))
        self.assertEqual(seen, ["before", "after"])
        self.ok(rt.stream_wait_event_with_timeout(other, event, 0))
        self.ok(rt.synchronize_stream(other))
        self.ok(rt.destroy_stream(other))

    def test_errors(self):
        event = self.event()
        self.assertEqual(rt.destroy_event(0), A.ACL_ERROR_INVALID_PARAM)
        self.assertEqual(rt.query_event_status(0),
                         (0, A.ACL_ERROR_INVALID_PARAM))
        self.assertEqual(rt.record_event(event + 8, self.stream),
                         A.ACL_ERROR_RT_INVALID_HANDLE)
        self.assertEqual(rt.synchronize_event_with_timeout(event, 0),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.assertEqual(rt.stream_wait_event_with_timeout(self.stream,
                                                           event, -1),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        # Not an IPC event: no handle, and the output is b"".
        self.assertEqual(rt.ipc_get_event_handle(event),
                         (b"", A.ACL_ERROR_RT_PARAM_INVALID))

    def test_ipc_event_across_processes(self):
        event = self.value(rt.create_event_ex_with_flag(A.ACL_EVENT_IPC))
        self.addCleanup(rt.destroy_event, event)
        handle = self.value(rt.ipc_get_event_handle(event))
        self.assertIsInstance(handle, bytes)
        self.assertEqual(len(handle), A.ACL_IPC_EVENT_HANDLE_SIZE)
        # The peer opens it from the bytes and records it; our stream
        # waits for that record.
        self.ok(rt.stream_wait_event(self.stream, event))
        child = run_python("""if 1:
            import sys, acl
            assert acl.init() == 0 and acl.rt.set_device(0) == 0
            ev, ret = acl.rt.ipc_open_event_handle(bytes.fromhex(sys.argv[1]))
            assert ret == 0 and ev != 0, ret
            assert acl.rt.record_event(ev, 0) == 0
            assert acl.rt.synchronize_stream(0) == 0
            assert acl.rt.destroy_event(ev) == 0
            assert acl.finalize() == 0
            print("recorded")
            """, handle.hex())
        self.assertEqual(child.returncode, 0, child.stderr)
        self.assertEqual(child.stdout.strip(), "recorded")
        self.ok(rt.synchronize_stream_with_timeout(self.stream, 10000))


class Memory(AclTestCase):
    devices = 1

    def setUp(self):
        super().setUp()
        self.device(0)

    def alloc(self, size=SIZE):
        ptr = self.value(rt.malloc(size, A.ACL_MEM_MALLOC_HUGE_FIRST))
        self.assertNotEqual(ptr, 0)
        self.addCleanup(rt.free, ptr)
        return ptr

    def test_host_buffers_and_addresses(self):
        dev = self.alloc()
        self.ok(rt.memset(dev, SIZE, 0x5A, SIZE))
        self.assertEqual(acl.util.ptr_to_bytes(dev, SIZE), b"\x5a" * SIZE)
        # bytes in, bytearray out, through the buffer protocol.
        self.ok(rt.memcpy(dev, SIZE, b"abc", 3, A.ACL_MEMCPY_HOST_TO_DEVICE))
        out = bytearray(5)
        self.ok(rt.memcpy(out, 5, dev, 5, A.ACL_MEMCPY_DEVICE_TO_HOST))
        self.assertEqual(out, b"abcZZ")
        view = memoryview(out)[1:4]
        self.ok(rt.memcpy(view, 3, b"xyz", 3, A.ACL_MEMCPY_HOST_TO_HOST))
        self.assertEqual(out, b"axyzZ")
        # An address from bytes_to_ptr is a host address like any other.
        src = bytearray(b"12345678")
        self.ok(rt.memcpy(dev, SIZE, acl.util.bytes_to_ptr(src), 8,
                          A.ACL_MEMCPY_HOST_TO_DEVICE))
        self.assertEqual(acl.util.ptr_to_bytes(dev, 8), b"12345678")

    def test_async(self):
        stream = self.new_stream()
        a, b = self.alloc(), self.alloc()
        self.ok(rt.memset_async(a, SIZE, 7, SIZE, stream))
        self.ok(rt.memcpy_async(b, SIZE, a, SIZE,
                                A.ACL_MEMCPY_DEVICE_TO_DEVICE, stream))
        self.ok(rt.synchronize_stream(stream))
        self.assertEqual(acl.util.ptr_to_bytes(b, SIZE), b"\x07" * SIZE)
        self.ok(rt.destroy_stream(stream))

    def test_errors(self):
        dev = self.alloc()
        host = bytearray(8)
        self.assertEqual(rt.memcpy(host, 4, dev, 8,
                                   A.ACL_MEMCPY_DEVICE_TO_HOST),
                         A.ACL_ERROR_RT_PARAM_INVALID)  # count > dest_max
        self.assertEqual(rt.memcpy(host, 8, dev, 8, 99),
                         A.ACL_ERROR_INVALID_PARAM)
        self.assertEqual(rt.memset(0, 8, 0, 8), A.ACL_ERROR_INVALID_PARAM)
        self.assertEqual(rt.malloc(0, A.ACL_MEM_MALLOC_HUGE_FIRST),
                         (0, A.ACL_ERROR_INVALID_PARAM))
        self.assertEqual(rt.free(0), A.ACL_ERROR_INVALID_PARAM)

    def test_mem_info(self):
        free, total, ret = rt.get_mem_info(A.ACL_HBM_MEM)
        self.ok(ret)
        self.assertGreater(total, 0)
        self.assertLessEqual(free, total)
        self.alloc(1 << 20)
        self.assertLess(rt.get_mem_info(A.ACL_HBM_MEM)[0], free)
        self.assertEqual(rt.get_mem_info(-1), (0, 0, A.ACL_ERROR_RT_PARAM_INVALID))

    def test_ipc_memory_across_processes(self):
        dev = self.alloc()
        self.ok(rt.memcpy(dev, SIZE, b"shared!", 7,
                          A.ACL_MEMCPY_HOST_TO_DEVICE))
        # The importer reports its bare TGID, then imports the key it
        # reads, prints what it sees and writes one byte.
        child = subprocess.Popen([sys.executable, "-c", """if 1:
            import sys, acl
            assert acl.init() == 0 and acl.rt.set_device(0) == 0
            print(acl.rt.device_get_bare_tgid()[0], flush=True)
            key = sys.stdin.readline().strip()
            ptr, ret = acl.rt.ipc_mem_import_by_key(key, 0)
            assert ret == 0 and ptr != 0, ret
            print(acl.util.ptr_to_bytes(ptr, 7).decode(), flush=True)
            assert acl.rt.memset(ptr, 7, ord("-"), 1) == 0
            assert acl.rt.ipc_mem_close(key) == 0
            assert acl.finalize() == 0
            """], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True,
                                 env=child_env())
        self.addCleanup(child.kill)
        pid = int(child.stdout.readline())
        key = self.value(rt.ipc_mem_get_export_key(dev, SIZE, 65, 0))
        self.assertIsInstance(key, str)
        self.assertTrue(0 < len(key) < 65)
        self.ok(rt.ipc_mem_set_import_pid(key, [pid]))
        out, err = child.communicate(key + "\n", timeout=60)
        self.assertEqual(child.returncode, 0, err)
        self.assertEqual(out.strip(), "shared!")
        self.assertEqual(acl.util.ptr_to_bytes(dev, 7), b"-hared!")
        self.ok(rt.ipc_mem_close(key))

    def test_ipc_memory_errors(self):
        dev = self.alloc()
        self.assertEqual(rt.ipc_mem_get_export_key(dev, SIZE, 10, 0),
                         ("", A.ACL_ERROR_RT_PARAM_INVALID))
        key = self.value(rt.ipc_mem_get_export_key(
            dev, SIZE, 65, A.ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION))
        # No trustlist on a key exported without PID validation.
        self.assertEqual(rt.ipc_mem_set_import_pid(key, [os.getpid()]),
                         A.ACL_ERROR_RT_NO_PERMISSION)
        # The empty list reaches the library as num == 0.
        self.assertEqual(rt.ipc_mem_set_import_pid(key, []),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.ok(rt.ipc_mem_close(key))


if __name__ == "__main__":
    import sys
    sys.exit(ktap.main())
