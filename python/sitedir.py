#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prints where `make install PREFIX=...` puts the extension module acl.

    sitedir.py PREFIX

The directory is the one the running interpreter (the python3 the module
was built for) searches for PREFIX, per its own install schemes:

  PREFIX=/usr        Debian's deb_system scheme: /usr/lib/python3/dist-packages
  PREFIX=/usr/local  Debian's posix_local scheme:
                     /usr/local/lib/python3.X/dist-packages
  any other PREFIX   posix_prefix: PREFIX/lib/python3.X/site-packages
                     (not on sys.path: set PYTHONPATH)

On a Python without Debian's schemes (a python.org build) /usr and
/usr/local use posix_prefix as well, which is what that Python searches.
"""
import os
import sys
import sysconfig


def sitedir(prefix):
    prefix = os.path.normpath(prefix)
    schemes = sysconfig.get_scheme_names()
    if prefix == "/usr" and "deb_system" in schemes:
        scheme, base = "deb_system", "/usr"
    elif prefix == "/usr/local" and "posix_local" in schemes:
        # posix_local adds the "local" itself.
        scheme, base = "posix_local", "/usr"
    else:
        scheme, base = "posix_prefix", prefix
    return sysconfig.get_path("platlib", scheme,
                              {"base": base, "platbase": base})


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: sitedir.py PREFIX")
    print(sitedir(sys.argv[1]))
