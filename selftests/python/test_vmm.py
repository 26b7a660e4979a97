#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The VMM physical-memory-sharing calls from Python: the dict, list and
shareable-handle arguments, rejections that reach the library, the
one-process flow, and sharing with a second process (V1, V2 DEFAULT, V2
FABRIC across devices 0 and 1)."""
import subprocess
import sys

import acl

import ktap
from acltest import AclTestCase, child_env

A = acl
MIB2 = 2 << 20
FABRIC = A.ACL_MEM_SHARE_HANDLE_TYPE_FABRIC
DEFAULT = A.ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT
PATTERN = bytes(range(0x40, 0x50))


def location(dev, kind=A.ACL_MEM_LOCATION_TYPE_DEVICE):
    return {"id": dev, "type": kind}


def prop(dev=0, **over):
    """The aclrtPhysicalMemProp of CANN's samples, on device dev."""
    p = {"handle_type": A.ACL_MEM_HANDLE_TYPE_NONE,
         "allocation_type": A.ACL_MEM_ALLOCATION_TYPE_PINNED,
         "mem_attr": A.ACL_HBM_MEM_NORMAL, "location": location(dev),
         "reserve": 0}
    p.update(over)
    return p


def rw(loc):
    return {"flags": A.ACL_RT_MEM_ACCESS_FLAGS_READWRITE, "location": loc}


# Process B: on device argv[1], prints its bare TGID, then for each line
# "KIND HANDLE" (KIND 0: V1 import on its device; else a V2 share type,
# HANDLE an int or the hex of the FABRIC bytes) imports, maps, reads 16
# bytes, releases, and prints "ret hex".
IMPORTER = """if 1:
    import sys, acl
    dev = int(sys.argv[1])
    assert acl.init() == 0 and acl.rt.set_device(dev) == 0
    pid, ret = acl.rt.device_get_bare_tgid()
    print(pid, flush=True)
    for line in sys.stdin:
        kind, sh = line.split()
        kind = int(kind)
        if kind == 0:
            h, ret = acl.rt.mem_import_from_shareable_handle(int(sh), dev)
        else:
            sh = bytes.fromhex(sh) if kind == \
                acl.ACL_MEM_SHARE_HANDLE_TYPE_FABRIC else int(sh)
            h, ret = acl.rt.mem_import_from_shareable_handle_v2(sh, kind, 0)
        buf = bytearray(16)
        if ret == 0:
            va, ret = acl.rt.reserve_mem_address(2 << 20, 0, 0, 0)
            ret = ret or acl.rt.map_mem(va, 2 << 20, 0, h, 0)
            ret = ret or acl.rt.memcpy(buf, 16, va, 16,
                                       acl.ACL_MEMCPY_DEVICE_TO_HOST)
            ret = ret or acl.rt.unmap_mem(va) or \\
                acl.rt.release_mem_address(va) or acl.rt.free_physical(h)
        print(ret, buf.hex(), flush=True)
    assert acl.finalize() == 0
"""


class Importer:
    """Process B, running IMPORTER on device dev."""

    def __init__(self, dev):
        self.p = subprocess.Popen([sys.executable, "-c", IMPORTER, str(dev)],
                                  stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True,
                                  env=child_env())
        self.pid = int(self.p.stdout.readline())

    def import_and_read(self, kind, sh):
        """(ret, the 16 bytes B read through its mapping)."""
        text = sh.hex() if isinstance(sh, bytes) else str(sh)
        self.p.stdin.write("%d %s\n" % (kind, text))
        self.p.stdin.flush()
        ret, data = self.p.stdout.readline().split()
        return int(ret), bytes.fromhex(data)

    def close(self):
        self.p.stdin.close()
        return self.p.wait(timeout=60)


class Vmm(AclTestCase):
    def setUp(self):
        super().setUp()
        self.device(0)

    def allocate(self, dev=0):
        """A mapped 2 MiB allocation on dev: (handle, address)."""
        h = self.value(A.rt.malloc_physical(MIB2, prop(dev), 0))
        self.assertNotEqual(h, 0)
        va = self.value(A.rt.reserve_mem_address(MIB2, 0, 0, 0))
        self.assertNotEqual(va, 0)
        self.ok(A.rt.map_mem(va, MIB2, 0, h, 0))
        return h, va

    def release(self, h, va):
        self.ok(A.rt.unmap_mem(va))
        self.ok(A.rt.release_mem_address(va))
        self.ok(A.rt.free_physical(h))

    def read(self, va, n=16):
        buf = bytearray(n)
        self.ok(A.rt.memcpy(buf, n, va, n, A.ACL_MEMCPY_DEVICE_TO_HOST))
        return bytes(buf)

    def test_granularity(self):
        for opt in (A.ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM,
                    A.ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED):
            self.assertEqual(MIB2, self.value(
                A.rt.mem_get_allocation_granularity(prop(), opt)))
        self.assertEqual((0, A.ACL_ERROR_RT_PARAM_INVALID),
                         A.rt.mem_get_allocation_granularity(
                             prop(), A.ACL_RT_MEM_ALLOC_GRANULARITY_UNDEF))
        self.assertEqual((0, A.ACL_ERROR_INVALID_PARAM),
                         A.rt.mem_get_allocation_granularity(None, 0))
        # A key left out is 0: location type HOST (0) is not an error
        # here, the memAttr ACL_DDR_MEM (0) on a device is.
        self.assertEqual((0, A.ACL_ERROR_INVALID_PARAM),
                         A.rt.mem_get_allocation_granularity(
                             {"location": location(0)}, 0))

    def test_one_process_flow(self):
        h, va = self.allocate()
        self.ok(A.rt.memset(va, MIB2, 0x5a, 64))
        self.assertEqual(b"\x5a" * 64, self.read(va, 64))
        self.ok(A.rt.memcpy(va, MIB2, PATTERN, len(PATTERN),
                            A.ACL_MEMCPY_HOST_TO_DEVICE))
        self.assertEqual(PATTERN, self.read(va))
        # The owner device has read-write access without a call; the
        # host has none until set_access gives it.
        self.assertEqual(A.ACL_RT_MEM_ACCESS_FLAGS_READWRITE, self.value(
            A.rt.mem_get_access(va, location(0))))
        host = location(0, A.ACL_MEM_LOCATION_TYPE_HOST)
        self.assertEqual(A.ACL_RT_MEM_ACCESS_FLAGS_NONE,
                         self.value(A.rt.mem_get_access(va, host)))
        self.ok(A.rt.mem_set_access(va, MIB2, [rw(host), rw(location(1))]))
        self.assertEqual(A.ACL_RT_MEM_ACCESS_FLAGS_READWRITE,
                         self.value(A.rt.mem_get_access(va, host)))
        self.assertEqual(A.ACL_RT_MEM_ACCESS_FLAGS_READWRITE, self.value(
            A.rt.mem_get_access(va, location(1))))
        self.release(h, va)
        self.assertEqual(A.ACL_ERROR_RT_INVALID_HANDLE,
                         A.rt.free_physical(h))

    def test_exports(self):
        h, va = self.allocate()
        sh = self.value(A.rt.mem_export_to_shareable_handle(
            h, A.ACL_MEM_HANDLE_TYPE_NONE, 0))
        self.assertIsInstance(sh, int)
        self.assertNotEqual(sh, 0)
        # Exported once: a second export, of either form, is refused.
        self.assertEqual((b"", A.ACL_ERROR_RT_INTERNAL_ERROR),
                         A.rt.mem_export_to_shareable_handle_v2(h, 0, FABRIC))
        self.release(h, va)
        h, va = self.allocate()
        fab = self.value(A.rt.mem_export_to_shareable_handle_v2(h, 0, FABRIC))
        self.assertIsInstance(fab, bytes)
        self.assertEqual(128, len(fab))
        self.assertNotEqual(bytes(128), fab)
        self.ok(A.rt.mem_set_pid_to_shareable_handle_v2(
            fab, FABRIC, [self.value(A.rt.device_get_bare_tgid())]))
        self.release(h, va)
        h, va = self.allocate()
        sh = self.value(A.rt.mem_export_to_shareable_handle_v2(h, 0, DEFAULT))
        self.assertIsInstance(sh, int)
        self.assertNotEqual(sh, 0)
        self.release(h, va)

    def test_rejections_reach_the_library(self):
        P = A.ACL_ERROR_RT_PARAM_INVALID
        I = A.ACL_ERROR_INVALID_PARAM
        rt = A.rt
        cases = [
            ("malloc size 0", rt.malloc_physical(0, prop(), 0), (0, I)),
            ("malloc size", rt.malloc_physical(MIB2 + 4096, prop(), 0),
             (0, P)),
            ("malloc prop None", rt.malloc_physical(MIB2, None, 0), (0, I)),
            ("malloc flags", rt.malloc_physical(MIB2, prop(), 1), (0, I)),
            ("malloc handle type", rt.malloc_physical(
                MIB2, prop(handle_type=A.ACL_MEM_HANDLE_TYPE_POSIX), 0),
             (0, I)),
            ("malloc no device", rt.malloc_physical(MIB2, prop(99), 0),
             (0, A.ACL_ERROR_RT_INVALID_DEVICEID)),
            ("reserve size 0", rt.reserve_mem_address(0, 0, 0, 0), (0, I)),
            ("reserve size", rt.reserve_mem_address(4096, 0, 0, 0), (0, P)),
            ("reserve flags", rt.reserve_mem_address(MIB2, 0, 0, 2), (0, I)),
            ("release NULL", rt.release_mem_address(0), I),
            ("unmap NULL", rt.unmap_mem(0), I),
            ("free NULL", rt.free_physical(0), I),
            ("export NULL", rt.mem_export_to_shareable_handle(0, 0, 0),
             (0, I)),
            ("export v2 NULL FABRIC",
             rt.mem_export_to_shareable_handle_v2(0, 0, FABRIC), (b"", I)),
            ("import unknown", rt.mem_import_from_shareable_handle(12345, 0),
             (0, P)),
            ("import v2 unknown",
             rt.mem_import_from_shareable_handle_v2(12345, DEFAULT, 0),
             (0, P)),
            ("import v2 share type",
             rt.mem_import_from_shareable_handle_v2(12345, 3, 0), (0, P)),
            ("import v2 flags",
             rt.mem_import_from_shareable_handle_v2(12345, DEFAULT, 1),
             (0, I)),
            ("set pid empty", rt.mem_set_pid_to_shareable_handle(12345, []),
             I),
            ("set pid v2 unknown", rt.mem_set_pid_to_shareable_handle_v2(
                12345, DEFAULT, [1]), P),
        ]
        for what, got, want in cases:
            self.assertEqual(want, got, what)

    def test_access_rejections(self):
        h, va = self.allocate()
        host = location(0, A.ACL_MEM_LOCATION_TYPE_HOST)
        P = A.ACL_ERROR_RT_PARAM_INVALID
        self.assertEqual(P, A.rt.mem_set_access(va, MIB2, []))
        self.assertEqual(P, A.rt.mem_set_access(va, MIB2 // 2, [rw(host)]))
        self.assertEqual(P, A.rt.mem_set_access(0, MIB2, [rw(host)]))
        self.assertEqual(P, A.rt.mem_set_access(va, MIB2, [
            {"flags": A.ACL_RT_MEM_ACCESS_FLAGS_READ, "location": host}]))
        self.assertEqual(A.ACL_ERROR_RT_INVALID_DEVICEID, A.rt.mem_set_access(
            va, MIB2, [rw(location(99))]))
        self.assertEqual((0, A.ACL_ERROR_INVALID_PARAM),
                         A.rt.mem_get_access(va, None))
        self.assertEqual((0, P), A.rt.mem_get_access(va + MIB2, host))
        self.release(h, va)

    def test_binding_errors(self):
        rt = A.rt
        raises = [
            (TypeError, rt.malloc_physical, (MIB2, "prop", 0)),
            (TypeError, rt.malloc_physical, (MIB2, [("mem_attr", 0)], 0)),
            (TypeError, rt.malloc_physical, (MIB2, prop(mem_attr="1"), 0)),
            (TypeError, rt.malloc_physical, (MIB2, prop(location=(0, 1)), 0)),
            (TypeError, rt.malloc_physical, (MIB2, prop(reserve=0.0), 0)),
            (ValueError, rt.malloc_physical, (MIB2, {"handleType": 0}, 0)),
            (ValueError, rt.malloc_physical, (MIB2, {1: 0}, 0)),
            (ValueError, rt.malloc_physical,
             (MIB2, prop(location={"id": 0, "kind": 1}), 0)),
            (OverflowError, rt.malloc_physical,
             (MIB2, prop(mem_attr=1 << 31), 0)),
            (OverflowError, rt.malloc_physical,
             (MIB2, prop(location=location(-1)), 0)),
            (TypeError, rt.mem_get_access, (0, [0, 1])),
            (TypeError, rt.mem_set_access, (0, MIB2, {"flags": 3})),
            (TypeError, rt.mem_set_access, (0, MIB2, [3])),
            (ValueError, rt.mem_set_access, (0, MIB2, [{"rsv": 0}])),
            (TypeError, rt.map_mem, (0, MIB2, 0, "handle", 0)),
            (TypeError, rt.mem_import_from_shareable_handle_v2,
             (12345, FABRIC, 0)),
            (TypeError, rt.mem_import_from_shareable_handle_v2,
             (bytes(128), DEFAULT, 0)),
            (ValueError, rt.mem_import_from_shareable_handle_v2,
             (bytes(127), FABRIC, 0)),
            (ValueError, rt.mem_set_pid_to_shareable_handle_v2,
             (bytearray(129), FABRIC, [1])),
            (OverflowError, rt.mem_set_pid_to_shareable_handle_v2,
             (-1, DEFAULT, [1])),
            (TypeError, rt.mem_set_pid_to_shareable_handle, (1, 2)),
        ]
        for exc, fn, args in raises:
            with self.assertRaises(exc, msg="%s%r" % (fn.__name__, args)):
                fn(*args)

    def test_arguments_mutated_during_conversion(self):
        # A value's __index__ empties the dict and the list being read:
        # the binding reads copies, so the call sees what was passed.
        p, descs = prop(), []

        class Clearing:
            def __init__(self, value):
                self.value = value

            def __index__(self):
                p.clear()
                descs.clear()
                return self.value

        p["mem_attr"] = Clearing(A.ACL_HBM_MEM_NORMAL)
        self.assertEqual(MIB2, self.value(A.rt.mem_get_allocation_granularity(
            p, A.ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM)))
        self.assertEqual({}, p)
        h, va = self.allocate()
        host = location(Clearing(0), A.ACL_MEM_LOCATION_TYPE_HOST)
        descs += [rw(host), rw(location(1))]
        self.ok(A.rt.mem_set_access(va, MIB2, descs))
        self.assertEqual([], descs)
        self.assertEqual(A.ACL_RT_MEM_ACCESS_FLAGS_READWRITE, self.value(
            A.rt.mem_get_access(va, location(1))))
        self.release(h, va)

    def share(self, kind, importer_dev, flags=0, trust=True):
        """A exports a written allocation (kind 0: V1), B imports and
        reads: B's (ret, bytes)."""
        h, va = self.allocate()
        self.ok(A.rt.memcpy(va, MIB2, PATTERN, len(PATTERN),
                            A.ACL_MEMCPY_HOST_TO_DEVICE))
        if kind:
            sh = self.value(
                A.rt.mem_export_to_shareable_handle_v2(h, flags, kind))
        else:
            sh = self.value(A.rt.mem_export_to_shareable_handle(
                h, A.ACL_MEM_HANDLE_TYPE_NONE, flags))
        b = Importer(importer_dev)
        try:
            if trust and kind:
                self.ok(A.rt.mem_set_pid_to_shareable_handle_v2(
                    sh, kind, [b.pid]))
            elif trust:
                self.ok(A.rt.mem_set_pid_to_shareable_handle(sh, [b.pid]))
            got = b.import_and_read(kind, sh)
        finally:
            self.assertEqual(0, b.close())
        self.release(h, va)
        return got

    def test_share_v1_whitelist(self):
        self.assertEqual((0, PATTERN), self.share(0, 0))

    def test_share_v1_untrusted(self):
        ret, _ = self.share(0, 0, trust=False)
        self.assertEqual(A.ACL_ERROR_RT_NO_PERMISSION, ret)

    def test_share_v1_without_pid_validation(self):
        self.assertEqual((0, PATTERN), self.share(
            0, 1, A.ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION, False))

    def test_share_v2_default(self):
        self.assertEqual((0, PATTERN), self.share(DEFAULT, 0))

    def test_share_v2_fabric_across_devices(self):
        self.assertEqual((0, PATTERN), self.share(FABRIC, 1))

    def test_share_v2_fabric_untrusted(self):
        ret, _ = self.share(FABRIC, 1, trust=False)
        self.assertEqual(A.ACL_ERROR_RT_NO_PERMISSION, ret)


if __name__ == "__main__":
    sys.exit(ktap.main())
