#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The bindings of issue 14's second round, one real flow per area:
contexts, host memory, report callbacks, exception and stream state
callbacks, event timing, value ops, host kernels, device queries, errors,
base types; and each new argument kind (float in/out, int64/uint64 out,
str in/out, dicts, lists, values returned without ret)."""
import os
import struct
import sys
import threading
import weakref
import unittest

import acl
import acl.rt
import acl.util

import ktap
from acltest import AclTestCase

A = acl
REPO = os.environ.get("ACL_REPO") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
KERNELS = os.path.join(REPO, "build", "selftests", "acl", "api_kernel_bin.so")
INVALID_INFO = 0xFFFFFFFF


class Kinds(unittest.TestCase):
    """The kinds that need no device: values returned alone, floats,
    strings, lists, pointers as ints."""

    def test_float16_round_trip(self):
        self.assertEqual(acl.float_to_float16(1.0), 0x3C00)
        self.assertEqual(acl.float_to_float16(value=-2), 0xC000)
        self.assertEqual(acl.float16_to_float(0x3C00), 1.0)
        self.assertEqual(acl.float16_to_float(0x3555), 0.333251953125)
        self.assertRaises(OverflowError, acl.float16_to_float, 0x10000)
        self.assertRaises(TypeError, acl.float_to_float16, "1.0")
        self.assertRaises(OverflowError, acl.float_to_float16, 1e300)
        # inf reaches the library, which saturates (lib/base.c).
        self.assertEqual(acl.float_to_float16(float("inf")), 0x7BFF)

    def test_data_type_size(self):
        self.assertEqual(acl.data_type_size(A.ACL_FLOAT), 4)
        self.assertEqual(acl.data_type_size(A.ACL_FLOAT16), 2)
        self.assertEqual(acl.data_type_size(A.ACL_INT64), 8)

    def test_data_buffer(self):
        mem = bytearray(16)
        addr = acl.util.bytes_to_ptr(mem)
        buf = acl.create_data_buffer(addr, 16)
        self.assertIsInstance(buf, int)
        self.assertNotEqual(buf, 0)
        self.assertEqual(acl.get_data_buffer_addr(buf), addr)
        self.assertEqual(acl.get_data_buffer_size(buf), 16)
        self.assertEqual(acl.get_data_buffer_size_v2(buf), 16)
        self.assertEqual(acl.update_data_buffer(buf, addr + 8, 8),
                         A.ACL_SUCCESS)
        self.assertEqual(acl.get_data_buffer_addr(data_buffer=buf), addr + 8)
        self.assertEqual(acl.get_data_buffer_size_v2(buf), 8)
        self.assertEqual(acl.destroy_data_buffer(buf), A.ACL_SUCCESS)
        self.assertEqual(acl.get_data_buffer_addr(0), 0)
        self.assertEqual(acl.destroy_data_buffer(0), A.ACL_ERROR_INVALID_PARAM)

    def test_cann_attributes(self):
        attrs, ret = acl.get_cann_attribute_list()
        self.assertEqual(ret, A.ACL_SUCCESS)
        self.assertIsInstance(attrs, list)
        self.assertGreater(len(attrs), 0)
        for a in attrs:
            value, ret = acl.get_cann_attribute(a)
            self.assertEqual(ret, A.ACL_SUCCESS)
            self.assertIn(value, (0, 1))

    def test_version_strings(self):
        s, ret = acl.sys_get_version_str("runtime")
        self.assertEqual(ret, A.ACL_SUCCESS)
        self.assertIsInstance(s, str)
        self.assertNotEqual(s, "")
        n, ret = acl.sys_get_version_num("runtime")
        self.assertEqual(ret, A.ACL_SUCCESS)
        self.assertGreater(n, 0)
        s, ret = acl.sys_get_version_str("no such package")
        self.assertNotEqual(ret, A.ACL_SUCCESS)
        self.assertEqual(s, "")
        self.assertRaises(ValueError, acl.sys_get_version_str, "a\0b")
        self.assertRaises(TypeError, acl.sys_get_version_num, 1)

    def test_recent_err_msg(self):
        # A failed call leaves a message; reading it clears it.
        self.assertEqual(acl.destroy_data_buffer(0), A.ACL_ERROR_INVALID_PARAM)
        msg = acl.get_recent_err_msg()
        self.assertIsInstance(msg, str)
        self.assertNotEqual(msg, "")
        self.assertEqual(acl.get_recent_err_msg(), "")

    def test_exception_info_getters_of_null(self):
        for fn in (acl.rt.get_task_id_from_exception_info,
                   acl.rt.get_stream_id_from_exception_info,
                   acl.rt.get_thread_id_from_exception_info,
                   acl.rt.get_device_id_from_exception_info,
                   acl.rt.get_error_code_from_exception_info):
            self.assertEqual(fn(0), INVALID_INFO, fn.__name__)
        # The kernel ones return an aclError: INVALID_EXCEPTION_INFO.
        self.assertEqual(acl.rt.get_args_from_exception_info(0),
                         (0, 0, acl.ACL_ERROR_INVALID_EXCEPTION_INFO))
        self.assertEqual(acl.rt.get_func_handle_from_exception_info(0),
                         (0, acl.ACL_ERROR_INVALID_EXCEPTION_INFO))

    def test_callback_arguments_are_checked(self):
        self.assertRaises(TypeError, acl.rt.launch_callback, 1, None, 0, 0)
        self.assertRaises(TypeError, acl.rt.set_exception_info_callback, 1)
        self.assertRaises(TypeError,
                          acl.rt.exception_info_callback_register, None)
        self.assertRaises(TypeError, acl.rt.reg_stream_state_callback,
                          "n", 5)
        self.assertRaises(TypeError, acl.rt.reg_stream_state_callback,
                          b"n", None)
        self.assertRaises(ValueError, acl.rt.reg_stream_state_callback,
                          "a\0b", None)

    def test_unregistering_an_unknown_callback(self):
        self.assertEqual(acl.rt.exception_info_callback_unregister(print),
                         A.ACL_SUCCESS)


class Contexts(AclTestCase):
    def test_context_and_its_default_stream(self):
        ctx = self.value(acl.rt.create_context(0))
        self.assertNotEqual(ctx, 0)
        self.assertEqual(self.value(acl.rt.get_current_context()), ctx)
        # ascend-notify's default streams have no handle of their own: 0
        # (user guide, aclrtCtxGetCurrentDefaultStream), which every
        # stream argument takes as the current context's default stream.
        stream = self.value(acl.rt.ctx_get_current_default_stream())
        self.assertEqual(stream, 0)
        ran = []
        self.ok(acl.rt.launch_host_func(stream, ran.append, "ran"))
        self.ok(acl.rt.synchronize_stream(stream))
        self.assertEqual(ran, ["ran"])
        self.assertEqual(self.value(acl.rt.get_device()), 0)
        ctx2 = self.value(acl.rt.create_context(1))
        self.assertEqual(self.value(acl.rt.get_device()), 1)
        self.ok(acl.rt.set_current_context(ctx))
        self.assertEqual(self.value(acl.rt.get_current_context()), ctx)
        self.assertEqual(self.value(acl.rt.get_device()), 0)
        self.ok(acl.rt.destroy_context(ctx2))
        self.ok(acl.rt.destroy_context(ctx))
        self.assertNotEqual(acl.rt.destroy_context(0), A.ACL_SUCCESS)

    def test_run_mode(self):
        self.assertEqual(self.value(acl.rt.get_run_mode()), A.ACL_HOST)


class HostMemory(AclTestCase):
    def test_malloc_host_and_memcpy(self):
        self.device()
        host = self.value(acl.rt.malloc_host(64))
        self.assertNotEqual(host, 0)
        dev = self.value(acl.rt.malloc(64, A.ACL_MEM_MALLOC_HUGE_FIRST))
        data = bytes(range(64))
        self.ok(acl.rt.memcpy(host, 64, data, 64, A.ACL_MEMCPY_HOST_TO_HOST))
        self.ok(acl.rt.memcpy(dev, 64, host, 64,
                              A.ACL_MEMCPY_HOST_TO_DEVICE))
        out = bytearray(64)
        self.ok(acl.rt.memcpy(out, 64, dev, 64, A.ACL_MEMCPY_DEVICE_TO_HOST))
        self.assertEqual(bytes(out), data)
        self.assertEqual(acl.util.ptr_to_bytes(host, 64), data)
        self.ok(acl.rt.free(dev))
        self.ok(acl.rt.free_host(host))

    def test_malloc_host_rejects_zero(self):
        self.device()
        ptr, ret = acl.rt.malloc_host(0)
        self.assertNotEqual(ret, A.ACL_SUCCESS)
        self.assertEqual(ptr, 0)

    def test_host_register(self):
        self.device()
        host = self.value(acl.rt.malloc_host(4096))
        mem = bytearray(4096)
        addr = acl.util.bytes_to_ptr(mem)
        dev = self.value(acl.rt.host_register(
            addr, 4096, A.ACL_HOST_REGISTER_MAPPED))
        self.assertNotEqual(dev, 0)
        self.assertEqual(self.value(acl.rt.host_get_device_pointer(addr, 0)),
                         dev)
        self.ok(acl.rt.host_unregister(addr))
        self.ok(acl.rt.free_host(host))


class Callbacks(AclTestCase):
    @staticmethod
    def server(process, seen, count):
        """A thread that calls process(-1) until seen has count entries,
        once subscribed.set() (process refuses a thread that serves no
        stream); it stops at the first error, kept in rets."""
        subscribed, rets = threading.Event(), []

        def run():
            subscribed.wait()
            while len(seen) < count:
                rets.append(process(-1))
                if rets[-1] != A.ACL_SUCCESS:
                    break
        t = threading.Thread(target=run)
        t.start()
        return t, subscribed, rets

    def test_callback_runs_in_a_python_report_thread(self):
        self.device()
        stream = self.new_stream()
        seen = []
        t, subscribed, rets = self.server(acl.rt.process_report, seen, 3)
        try:
            self.ok(acl.rt.subscribe_report(t.ident, stream))
        finally:
            subscribed.set()

        def cb(data):
            seen.append((data, threading.get_ident()))
        self.ok(acl.rt.launch_callback(cb, "blocking",
                                       A.ACL_CALLBACK_BLOCK, stream))
        self.ok(acl.rt.launch_callback(cb, "not blocking",
                                       A.ACL_CALLBACK_NO_BLOCK, stream))
        self.ok(acl.rt.launch_callback(fn=cb, user_data=3,
                                       block_type=A.ACL_CALLBACK_BLOCK,
                                       stream=stream))
        self.ok(acl.rt.synchronize_stream(stream))
        t.join()
        self.ok(acl.rt.unsubscribe_report(t.ident, stream))
        self.assertTrue(rets)
        self.assertEqual([r for r in rets if r != A.ACL_SUCCESS], [])
        self.assertEqual([d for d, _ in seen],
                         ["blocking", "not blocking", 3])
        self.assertEqual({tid for _, tid in seen}, {t.ident})

    def test_launch_callback_without_a_subscriber(self):
        self.device()
        stream = self.new_stream()
        self.assertEqual(acl.rt.launch_callback(print, None,
                                                A.ACL_CALLBACK_BLOCK, stream),
                         A.ACL_ERROR_RT_STREAM_NO_CB_REG)

    def test_host_funcs_run_in_a_subscribed_thread(self):
        self.device()
        stream = self.new_stream()
        seen = []
        t, subscribed, rets = self.server(acl.rt.process_host_func, seen, 1)
        try:
            self.ok(acl.rt.subscribe_host_func(t.ident, stream))
        finally:
            subscribed.set()
        self.ok(acl.rt.launch_host_func(
            stream, lambda a: seen.append(threading.get_ident()), None))
        self.ok(acl.rt.synchronize_stream(stream))
        t.join()
        self.ok(acl.rt.unsubscribe_host_func(t.ident, stream))
        self.assertEqual(rets, [A.ACL_SUCCESS])
        self.assertEqual(seen, [t.ident])

    def test_exception_callbacks_hear_a_failed_task(self):
        self.device()
        stream = self.new_stream()
        notify = self.new_notify()
        heard = []

        def note(which):
            def fn(info):
                heard.append((which,
                              acl.rt.get_device_id_from_exception_info(info),
                              acl.rt.get_error_code_from_exception_info(info),
                              acl.rt.get_task_id_from_exception_info(info)))
            return fn
        first, second = note("set"), note("registered")
        self.ok(acl.rt.set_exception_info_callback(first))
        self.ok(acl.rt.exception_info_callback_register(second))
        self.addCleanup(acl.rt.set_exception_info_callback, None)
        self.addCleanup(acl.rt.exception_info_callback_unregister, second)
        self.ok(acl.rt.wait_and_reset_notify(notify, stream, 1))
        self.assertEqual(acl.rt.synchronize_stream(stream),
                         A.ACL_ERROR_RT_TASK_TIMEOUT)
        self.assertEqual(sorted(heard), [
            ("registered", 0, A.ACL_ERROR_RT_TASK_TIMEOUT, 0),
            ("set", 0, A.ACL_ERROR_RT_TASK_TIMEOUT, 0)])
        # Unregistered and cleared: a second failure reaches neither.
        self.ok(acl.rt.exception_info_callback_unregister(second))
        self.ok(acl.rt.set_exception_info_callback(None))
        heard.clear()
        self.ok(acl.rt.wait_and_reset_notify(notify, stream, 1))
        self.assertEqual(acl.rt.synchronize_stream(stream),
                         A.ACL_ERROR_RT_TASK_TIMEOUT)
        self.assertEqual(heard, [])

    def test_stream_state_callback(self):
        self.device()
        states = []
        self.ok(acl.rt.reg_stream_state_callback(
            "py", lambda s, st, a: states.append((s, st, a)), "arg"))
        self.addCleanup(acl.rt.reg_stream_state_callback, "py", None)
        self.assertEqual(acl.rt.reg_stream_state_callback("py", print),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        stream = self.new_stream()
        self.ok(acl.rt.destroy_stream(stream))
        self.assertEqual(states, [
            (stream, A.ACL_RT_STREAM_STATE_CREATE_POST, "arg"),
            (stream, A.ACL_RT_STREAM_STATE_DESTROY_PRE, "arg")])
        self.ok(acl.rt.reg_stream_state_callback("py", None))
        self.ok(acl.rt.destroy_stream(self.new_stream()))
        self.assertEqual(len(states), 2)


class Lifetimes(AclTestCase):
    """What the module holds for a callable, and for how long."""

    class Fn:
        def __init__(self, seen):
            self.seen = seen

        def __call__(self, arg):
            self.seen.append(arg)

    def test_callback_kept_until_it_ran(self):
        self.device()
        stream = self.new_stream()
        seen = []
        fn = self.Fn(seen)
        ref = weakref.ref(fn)
        self.ok(acl.rt.subscribe_report(threading.get_ident(), stream))
        self.ok(acl.rt.launch_callback(fn, "x", A.ACL_CALLBACK_NO_BLOCK,
                                       stream))
        del fn
        self.assertIsNotNone(ref())     # the module holds it
        self.ok(acl.rt.synchronize_stream(stream))
        self.assertIsNotNone(ref())     # not run yet: still held
        self.ok(acl.rt.process_report(-1))
        self.assertEqual(seen, ["x"])
        self.assertIsNone(ref())        # ran: released
        self.ok(acl.rt.unsubscribe_report(threading.get_ident(), stream))

    def test_callback_exception_is_unraisable(self):
        self.device()
        stream = self.new_stream()
        caught = []
        old, sys.unraisablehook = sys.unraisablehook, caught.append
        self.addCleanup(setattr, sys, "unraisablehook", old)
        self.ok(acl.rt.subscribe_report(threading.get_ident(), stream))

        def boom(arg):
            raise KeyError(arg)
        self.ok(acl.rt.launch_callback(boom, "k", A.ACL_CALLBACK_NO_BLOCK,
                                       stream))
        self.ok(acl.rt.synchronize_stream(stream))
        self.ok(acl.rt.process_report(-1))
        self.assertEqual(len(caught), 1)
        self.assertIsInstance(caught[0].exc_value, KeyError)
        self.ok(acl.rt.unsubscribe_report(threading.get_ident(), stream))

    def test_stream_abort_releases_discarded_host_funcs(self):
        self.device()
        stream = self.new_stream()
        notify = self.new_notify()
        seen = []
        fn = self.Fn(seen)
        ref = weakref.ref(fn)
        self.ok(acl.rt.wait_and_reset_notify(notify, stream, 0))  # forever
        self.ok(acl.rt.launch_host_func(stream, fn, "discarded"))
        del fn
        self.assertIsNotNone(ref())
        self.ok(acl.rt.stream_abort(stream))
        self.assertIsNone(ref())
        self.assertEqual(acl.rt.synchronize_stream(stream),
                         A.ACL_ERROR_RT_STREAM_ABORT)
        self.assertEqual(seen, [])
        self.assertEqual(acl.rt.stream_abort(0), A.ACL_ERROR_INVALID_PARAM)

    def test_stream_stop_keeps_the_queue_until_abort(self):
        self.device()
        stream = self.new_stream()
        seen = []
        self.ok(acl.rt.stream_stop(stream))
        self.ok(acl.rt.launch_host_func(stream, self.Fn(seen), "kept"))
        self.assertEqual(acl.rt.synchronize_stream(stream),
                         A.ACL_ERROR_RT_INTERNAL_ERROR)
        self.ok(acl.rt.stream_abort(stream))
        self.assertEqual(acl.rt.synchronize_stream(stream),
                         A.ACL_ERROR_RT_STREAM_ABORT)
        self.assertEqual(seen, [])
        self.assertEqual(acl.rt.stream_stop(0), A.ACL_ERROR_INVALID_PARAM)


class MoreMemory(AclTestCase):
    def test_managed_and_register_v2(self):
        self.device()
        p = self.value(acl.rt.mem_alloc_managed(64,
                                                A.ACL_RT_MEM_ATTACH_GLOBAL))
        self.ok(acl.rt.memcpy(p, 64, b"m" * 64, 64,
                              A.ACL_MEMCPY_HOST_TO_DEVICE))
        self.assertEqual(acl.util.ptr_to_bytes(p, 64), b"m" * 64)
        self.ok(acl.rt.free(p))
        p, ret = acl.rt.mem_alloc_managed(0, A.ACL_RT_MEM_ATTACH_GLOBAL)
        self.assertEqual((p, ret), (0, A.ACL_ERROR_RT_PARAM_INVALID))
        mem = bytearray(4096)
        addr = acl.util.bytes_to_ptr(mem)
        self.ok(acl.rt.host_register_v2(addr, 4096, A.ACL_HOST_REG_MAPPED))
        self.assertEqual(acl.rt.host_register_v2(addr, 4096,
                                                 A.ACL_HOST_REG_MAPPED),
                         A.ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED)
        self.assertEqual(self.value(acl.rt.host_get_device_pointer(addr, 0)),
                         addr)
        self.ok(acl.rt.host_unregister(addr))


class Limits(AclTestCase):
    def test_res_limits(self):
        self.device()
        cube = A.ACL_RT_DEV_RES_CUBE_CORE
        self.assertEqual(self.value(acl.rt.get_device_res_limit(0, cube)), 1)
        self.ok(acl.rt.set_device_res_limit(0, cube, 1))
        self.assertEqual(acl.rt.set_device_res_limit(0, cube, 2),
                         A.ACL_ERROR_RT_PARAM_INVALID)
        self.assertEqual(self.value(acl.rt.get_res_in_current_thread(cube)),
                         1)
        self.ok(acl.rt.reset_device_res_limit(0))
        self.assertEqual(self.value(acl.rt.get_device_capability(
            0, A.ACL_FEATURE_SYSTEM_MEMQ_EVENT_CROSS_DEV)), 0)

    def test_wait_event_with_flag(self):
        self.device()
        s1, s2 = self.new_stream(), self.new_stream()
        event = self.value(acl.rt.create_event())
        notify = self.new_notify()
        ran = []
        self.ok(acl.rt.wait_and_reset_notify(notify, s1, 0))
        self.ok(acl.rt.launch_host_func(s1, ran.append, "s1"))
        self.ok(acl.rt.record_event(event, s1))
        self.ok(acl.rt.stream_wait_event_with_flag(s2, event, 0,
                                                   A.ACL_EVENT_WAIT_DEFAULT))
        self.ok(acl.rt.launch_host_func(s2, ran.append, "s2"))
        self.ok(acl.rt.record_notify(notify, None))
        self.ok(acl.rt.synchronize_stream(s2))
        self.assertEqual(ran, ["s1", "s2"])
        self.assertEqual(acl.rt.stream_wait_event_with_flag(s2, event, 0, 7),
                         A.ACL_ERROR_INVALID_PARAM)


class EventTiming(AclTestCase):
    def test_timestamps_and_elapsed_time(self):
        self.device()
        stream = self.new_stream()
        start = self.value(acl.rt.create_event_with_flag(
            A.ACL_EVENT_TIME_LINE))
        end = self.value(acl.rt.create_event_with_flag(A.ACL_EVENT_TIME_LINE))
        self.ok(acl.rt.record_event(start, stream))
        gate = threading.Event()
        self.ok(acl.rt.launch_host_func(stream, lambda a: gate.wait(0.05),
                                        None))
        self.ok(acl.rt.record_event_with_flag(end, stream,
                                              A.ACL_EVENT_RECORD_DEFAULT))
        self.ok(acl.rt.synchronize_stream(stream))
        t0 = self.value(acl.rt.event_get_timestamp(start))
        t1 = self.value(acl.rt.event_get_timestamp(end))
        self.assertIsInstance(t0, int)
        self.assertGreaterEqual(t1 - t0, 50000)  # microseconds
        ms, ret = acl.rt.event_elapsed_time(start, end)
        self.ok(ret)
        self.assertIsInstance(ms, float)
        self.assertGreaterEqual(ms, 50.0)
        self.assertAlmostEqual(ms, (t1 - t0) / 1000.0, delta=1.0)

    def test_elapsed_time_of_an_unrecorded_event(self):
        self.device()
        start = self.value(acl.rt.create_event_with_flag(
            A.ACL_EVENT_TIME_LINE))
        ms, ret = acl.rt.event_elapsed_time(start, start)
        self.assertNotEqual(ret, A.ACL_SUCCESS)
        self.assertEqual(ms, 0.0)


class Values(AclTestCase):
    def test_write_then_wait(self):
        self.device()
        s1, s2 = self.new_stream(), self.new_stream()
        dev = self.value(acl.rt.malloc(8, A.ACL_MEM_MALLOC_HUGE_FIRST))
        self.ok(acl.rt.memset(dev, 8, 0, 8))
        ran = []
        # s2 waits until s1 wrote 5, so its host function runs after.
        self.ok(acl.rt.value_wait(dev, 5, A.ACL_STREAM_WAIT_VALUE_EQ, s2))
        self.ok(acl.rt.launch_host_func(s2, ran.append, "s2"))
        self.ok(acl.rt.launch_host_func(s1, ran.append, "s1"))
        self.ok(acl.rt.value_write(dev, 5, 0, s1))
        self.ok(acl.rt.synchronize_stream(s2))
        self.assertEqual(ran, ["s1", "s2"])
        self.assertEqual(struct.unpack("<Q", acl.util.ptr_to_bytes(dev, 8)),
                         (5,))
        self.ok(acl.rt.value_write(dev, 2**64 - 1, 0, s1))
        self.ok(acl.rt.synchronize_stream(s1))
        self.assertEqual(acl.util.ptr_to_bytes(dev, 8), b"\xff" * 8)
        self.assertRaises(OverflowError, acl.rt.value_write, dev, 2**64, 0,
                          s1)
        self.ok(acl.rt.free(dev))


class Kernels(AclTestCase):
    def test_add_custom(self):
        self.device()
        self.assertTrue(os.path.exists(KERNELS), KERNELS)
        stream = self.new_stream()
        n, blocks = 256, 4
        size = 4 * n
        x, y, z = (self.value(acl.rt.malloc(size, 0)) for _ in range(3))
        data = struct.pack("<%df" % n, *range(n))
        for dst in (x, y):
            self.ok(acl.rt.memcpy(dst, size, data, size,
                                  A.ACL_MEMCPY_HOST_TO_DEVICE))
        binh = self.value(acl.rt.binary_load_from_file(KERNELS, 0))
        fn = self.value(acl.rt.binary_get_function(binh, "add_custom"))
        fh, ret = acl.rt.binary_get_function(binh, "no_such_kernel")
        self.assertNotEqual(ret, A.ACL_SUCCESS)
        self.assertEqual(fh, 0)
        args = self.value(acl.rt.kernel_args_init(fn))
        for addr in (x, y, z):
            self.value(acl.rt.kernel_args_append(
                args, struct.pack("<Q", addr), 8))
        ph = self.value(acl.rt.kernel_args_append_place_holder(args))
        buf = self.value(acl.rt.kernel_args_get_place_holder_buffer(
            args, ph, 4))
        self.assertNotEqual(buf, 0)
        self.ok(acl.rt.memcpy(buf, 4, struct.pack("<i", n), 4,
                              A.ACL_MEMCPY_HOST_TO_HOST))
        self.ok(acl.rt.kernel_args_finalize(args))
        self.ok(acl.rt.launch_kernel_with_config(fn, blocks, stream, 0, args))
        self.ok(acl.rt.synchronize_stream(stream))
        out = struct.unpack("<%df" % n, acl.util.ptr_to_bytes(z, size))
        self.assertEqual(list(out), [2.0 * i for i in range(n)])
        self.ok(acl.rt.binary_un_load(binh))


class DeviceQueries(AclTestCase):
    def test_version_and_soc(self):
        major, minor, patch, ret = acl.rt.get_version()
        self.ok(ret)
        self.assertGreaterEqual(major * 1000000 + minor * 1000 + patch, 1)
        soc = acl.rt.get_soc_name()
        self.assertIsInstance(soc, str)
        self.assertNotEqual(soc, "")
        self.assertEqual(self.value(acl.rt.check_arch_compatibility(soc)), 1)

    def test_device_info_and_status(self):
        self.device()
        value = self.value(acl.rt.get_device_info(
            0, A.ACL_DEV_ATTR_AICORE_CORE_NUM))
        self.assertIsInstance(value, int)
        self.assertGreater(value, 0)
        v, ret = acl.rt.get_device_info(99, A.ACL_DEV_ATTR_AICORE_CORE_NUM)
        self.assertNotEqual(ret, A.ACL_SUCCESS)
        self.assertEqual(v, 0)
        self.assertEqual(self.value(acl.rt.query_device_status(0)),
                         A.ACL_RT_DEVICE_STATUS_NORMAL)
        util = self.value(acl.rt.get_device_utilization_rate(0))
        self.assertEqual(set(util), {"cube_utilization", "vector_utilization",
                                     "aicpu_utilization",
                                     "memory_utilization"})
        util, ret = acl.rt.get_device_utilization_rate(99)
        self.assertNotEqual(ret, A.ACL_SUCCESS)
        self.assertEqual(set(util.values()), {0})
        info = self.value(acl.rt.get_error_verbose(0))
        self.assertEqual(info["error_type"], A.ACL_RT_NO_ERROR)
        least, greatest, ret = acl.rt.device_get_stream_priority_range()
        self.ok(ret)
        self.assertGreaterEqual(least, greatest)

    def test_stream_configuration(self):
        self.device()
        least, greatest, ret = acl.rt.device_get_stream_priority_range()
        self.ok(ret)
        s = self.value(acl.rt.create_stream_with_config(greatest, 0))
        self.assertEqual(self.value(acl.rt.stream_get_priority(s)), greatest)
        self.assertEqual(self.value(acl.rt.stream_get_flags(s)), 0)
        self.assertIsInstance(self.value(acl.rt.stream_get_id(s)), int)
        h = acl.rt.create_stream_config_handle()
        self.assertNotEqual(h, 0)
        self.ok(acl.rt.set_stream_config_opt(
            h, A.ACL_RT_STREAM_PRIORITY, struct.pack("I", least), 4))
        s2 = self.value(acl.rt.create_stream_v2(h))
        self.assertEqual(self.value(acl.rt.stream_get_priority(s2)), least)
        self.ok(acl.rt.destroy_stream_config_handle(h))
        self.ok(acl.rt.destroy_stream(s2))
        self.ok(acl.rt.destroy_stream(s))


class LastError(AclTestCase):
    def test_last_error_and_recent_message(self):
        self.device()
        self.assertNotEqual(acl.rt.destroy_stream(0x1000), A.ACL_SUCCESS)
        err = acl.rt.peek_at_last_error(A.ACL_RT_THREAD_LEVEL)
        self.assertNotEqual(err, A.ACL_SUCCESS)
        self.assertEqual(acl.rt.get_last_error(A.ACL_RT_THREAD_LEVEL), err)
        self.assertEqual(acl.rt.get_last_error(A.ACL_RT_THREAD_LEVEL),
                         A.ACL_SUCCESS)
        self.assertNotEqual(acl.get_recent_err_msg(), "")

    def test_thread_last_task_id(self):
        self.device()
        stream = self.new_stream()
        self.ok(acl.rt.launch_host_func(stream, len, ""))
        first = self.value(acl.rt.get_thread_last_task_id())
        self.ok(acl.rt.launch_host_func(stream, len, ""))
        self.assertEqual(self.value(acl.rt.get_thread_last_task_id()),
                         first + 1)
        self.ok(acl.rt.synchronize_stream(stream))


if __name__ == "__main__":
    import sys
    sys.exit(ktap.main())
