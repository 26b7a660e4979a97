#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The two-process IPC-notify flow of examples/notify_a.c and notify_b.c,
written with the pyACL-style module acl.

Process A (device 0) creates a notify, exports it, trusts B's bare TGID and
queues a wait-and-reset and a Python host function on a stream. Process B
(device 1), started by A, imports the key and records the notify after
working for a while. A's host function runs only after B's record.

    python3 notify_pair.py [--no-pid-check]

B is this script run again with --role b; the two talk over B's stdin and
stdout. Exits non-zero if a call fails or the host function ran before B's
record (both processes stamp CLOCK_MONOTONIC, which they share).
"""
import os
import subprocess
import sys
import time

import acl


def say(who, msg):
    sys.stderr.write("[%10.3f] %s: %s\n" % (time.monotonic(), who, msg))
    sys.stderr.flush()


def check(who, what, ret):
    if ret != acl.ACL_SUCCESS:
        say(who, "%s failed: %d" % (what, ret))
        sys.exit(1)


def role_b():
    """Device 1: report the bare TGID, import, work, record."""
    check("B", "init", acl.init())
    check("B", "set_device", acl.rt.set_device(1))
    pid, ret = acl.rt.device_get_bare_tgid()
    check("B", "device_get_bare_tgid", ret)
    print(pid, flush=True)
    say("B", "device 1: bare TGID %d sent to A" % pid)
    key = sys.stdin.readline().strip()

    check("B", "device_enable_peer_access",
          acl.rt.device_enable_peer_access(0, 0))
    notify, ret = acl.rt.notify_import_by_key(
        key, acl.ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT)
    check("B", "notify_import_by_key", ret)
    say("B", "imported the notify; working for 500 ms")
    time.sleep(0.5)
    say("B", "record")
    recorded = time.monotonic_ns()
    check("B", "record_notify", acl.rt.record_notify(notify, 0))
    check("B", "synchronize_stream", acl.rt.synchronize_stream(0))
    print(recorded, flush=True)
    check("B", "destroy_notify", acl.rt.destroy_notify(notify))
    check("B", "reset_device", acl.rt.reset_device(1))
    check("B", "finalize", acl.finalize())
    say("B", "done")


def role_a(no_pid_check):
    """Device 0: export, trust B, wait in stream order, run a host function."""
    flags = (acl.ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION
             if no_pid_check else acl.ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT)
    check("A", "init", acl.init())
    check("A", "set_device", acl.rt.set_device(0))
    stream, ret = acl.rt.create_stream()
    check("A", "create_stream", ret)
    notify, ret = acl.rt.create_notify(acl.ACL_NOTIFY_DEFAULT)
    check("A", "create_notify", ret)
    notify_id, ret = acl.rt.get_notify_id(notify)
    check("A", "get_notify_id", ret)
    key, ret = acl.rt.notify_get_export_key(notify, 65, flags)
    check("A", "notify_get_export_key", ret)
    say("A", "device 0: notify %d exported%s, key %s..." %
        (notify_id, " without PID validation" if no_pid_check else "",
         key[:8]))

    b = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                          "--role", "b"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    b_pid = int(b.stdout.readline())
    if not no_pid_check:
        check("A", "notify_set_import_pid",
              acl.rt.notify_set_import_pid(notify, [b_pid]))
        say("A", "trusted B's bare TGID %d" % b_pid)
    b.stdin.write(key + "\n")
    b.stdin.flush()

    ran = []

    def after_wait(args):
        ran.append(time.monotonic_ns())
        say("A", "host function: runs after the wait, so after B's record")

    check("A", "wait_and_reset_notify",
          acl.rt.wait_and_reset_notify(notify, stream, 0))
    check("A", "launch_host_func",
          acl.rt.launch_host_func(stream, after_wait, None))
    say("A", "wait and host function queued; synchronising...")
    check("A", "synchronize_stream", acl.rt.synchronize_stream(stream))
    say("A", "stream synchronised")

    recorded = int(b.stdout.readline() or 0)
    rc = b.wait()
    check("A", "destroy_notify", acl.rt.destroy_notify(notify))
    check("A", "destroy_stream", acl.rt.destroy_stream(stream))
    check("A", "reset_device", acl.rt.reset_device(0))
    check("A", "finalize", acl.finalize())
    if rc != 0:
        say("A", "B failed: %d" % rc)
        return 1
    if len(ran) != 1 or not recorded or ran[0] < recorded:
        say("A", "the host function did not run after B's record")
        return 1
    say("A", "done: the host function ran %.1f ms after B's record" %
        ((ran[0] - recorded) / 1e6))
    return 0


def main():
    if sys.argv[1:3] == ["--role", "b"]:
        role_b()
        return 0
    return role_a("--no-pid-check" in sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
