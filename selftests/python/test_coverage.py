#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every acl* function the C library exports has a binding in the acl
module, and every binding names a function the library exports. The
module lists its bindings in acl._c_names() ({C name: Python name}), so
nothing here guesses a name."""
import os
import re
import shutil
import subprocess
import unittest

import acl
import acl.rt
import acl.util

import ktap

REPO = os.environ.get("ACL_REPO") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MAP = os.path.join(REPO, "lib", "libascendcl.map")
LIB = os.path.join(REPO, "build", "lib", "libascendcl.so")
# What acl.util offers besides the C functions (pyACL has them too).
UTIL = {"ptr_to_bytes", "bytes_to_ptr"}
# C functions whose pyACL name does not follow the rule of test_pyacl_names
# ({C name: Python name}): pyACL spells "UnSubscribe" as one word.
RENAMED = {
    "aclrtUnSubscribeReport": "acl.rt.unsubscribe_report",
    "aclrtUnSubscribeHostFunc": "acl.rt.unsubscribe_host_func",
}


def map_exports():
    """The acl* symbols of the global: section of libascendcl.map."""
    with open(MAP, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    return set(re.findall(r"^\s*(acl\w+)\s*;", text, flags=re.M))


def resolve(qualified):
    """acl.rt.name -> the object, or None."""
    obj = acl
    for part in qualified.split(".")[1:]:
        obj = getattr(obj, part, None)
    return obj


class Coverage(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(MAP):
            self.skipTest("%s missing: set ACL_REPO" % MAP)
        self.exports = map_exports()
        self.names = acl._c_names()

    def test_map_is_parsed(self):
        # The parser would otherwise make every comparison below vacuous.
        for name in ("aclInit", "aclrtMalloc", "aclrtCreateEvent"):
            self.assertIn(name, self.exports)

    def test_every_export_is_bound(self):
        missing = sorted(self.exports - set(self.names))
        self.assertEqual(missing, [], "exported without a Python binding")

    def test_every_binding_is_exported(self):
        extra = sorted(set(self.names) - self.exports)
        self.assertEqual(extra, [], "bound but not exported")

    def test_names_resolve(self):
        for c, py in self.names.items():
            fn = resolve(py)
            self.assertTrue(callable(fn), "%s -> %s" % (c, py))
            self.assertEqual(fn.__name__, py.rsplit(".", 1)[1])
            self.assertIn(c, fn.__doc__, py)
            self.assertIn("ret", fn.__doc__, py)

    def test_pyacl_names(self):
        # pyACL's rule: snake_case of the C name without its acl/aclrt
        # prefix, in acl.rt for aclrt*, in acl for acl*.
        for c, py in self.names.items():
            if c.startswith("aclrt"):
                mod, stem = "acl.rt", c[5:]
            else:
                mod, stem = "acl", c[3:]
            snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem).lower()
            self.assertEqual(py, RENAMED.get(c, "%s.%s" % (mod, snake)), c)

    def test_no_unlisted_functions(self):
        # Every public function is a binding (or one of acl.util's).
        listed = set(self.names.values())
        for mod in (acl, acl.rt, acl.util):
            for name in dir(mod):
                obj = getattr(mod, name)
                if name.startswith("_") or not callable(obj):
                    continue
                qual = "%s.%s" % (mod.__name__, name)
                if mod is acl.util:
                    self.assertIn(name, UTIL, qual)
                else:
                    self.assertIn(qual, listed)

    def test_readme_lists_every_binding(self):
        readme = os.path.join(REPO, "python", "README.md")
        if not os.path.exists(readme):
            self.skipTest("%s missing" % readme)
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        for c, py in self.names.items():
            self.assertRegex(text, r"\| `[^`|]*\b%s\([^`|]*` \| `%s` \|"
                             % (re.escape(py), c))

    def test_library_symbols(self):
        nm = shutil.which("nm")
        if not nm or not os.path.exists(LIB):
            self.skipTest("needs nm and %s" % LIB)
        out = subprocess.run([nm, "-D", "--defined-only", LIB],
                             capture_output=True, text=True,
                             check=True).stdout
        syms = {line.split()[-1].split("@")[0] for line in out.splitlines()
                if line.split() and line.split()[-1].startswith("acl")}
        self.assertEqual(sorted(syms - set(self.names)), [])


if __name__ == "__main__":
    import sys
    sys.exit(ktap.main())
