#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns python/acl.spec into the binding table of the acl module.

    gen_bindings.py SPEC OUTPUT

Writes OUTPUT, a header with, for every row of SPEC, a thunk that calls the
C function with its arguments taken from an array of struct an_slot (the
compiler checks each call against the prototype in include/acl/), and one
struct an_fn descriptor; aclmodule.c's generic caller (an_call) interprets
the descriptors. The row format is described in SPEC and in README.md.
"""
import re
import sys

# KIND: (Python parameter?, C argument(s) built from slot {i}, output?)
KINDS = {
    "i32": (True, "(int32_t)a[{i}].v.i", False),
    "u32": (True, "(uint32_t)a[{i}].v.u", False),
    "u64": (True, "(uint64_t)a[{i}].v.u", False),
    "size": (True, "(size_t)a[{i}].v.u", False),
    "handle": (True, "a[{i}].v.p", False),
    "stream": (True, "a[{i}].v.p", False),
    "ptr": (True, "a[{i}].v.p", False),
    "src": (True, "a[{i}].v.p", False),
    "dst": (True, "a[{i}].v.p", False),
    "path": (True, "(const char *)a[{i}].v.p", False),
    "key": (True, "(const char *)a[{i}].v.p", False),
    "list_i32": (True, "(int32_t *)a[{i}].v.p, a[{i}].n", False),
    "list_handle": (True, "a[{i}].v.p, a[{i}].n", False),
    "server_pids": (True, "a[{i}].v.p, a[{i}].n", False),
    "keybuf": (True, "(char *)a[{i}].v.p, a[{i}].n", True),
    "ipc_event_handle": (True, "*(const aclrtIpcEventHandle *)a[{i}].v.p",
                         False),
    "object": (True, None, False),  # @custom rows only: documents a parameter
    "out_i32": (False, "(void *)&a[{i}].out", True),
    "out_u32": (False, "(void *)&a[{i}].out", True),
    "out_size": (False, "(void *)&a[{i}].out", True),
    "out_handle": (False, "(void *)&a[{i}].out", True),
    "out_ptr": (False, "(void *)&a[{i}].out", True),
    "out_ipc_event_handle": (False, "(void *)&a[{i}].out", True),
    "u16": (True, "(uint16_t)a[{i}].v.u", False),
    "float": (True, "(float)a[{i}].v.d", False),
    "str": (True, "(char *)a[{i}].v.p", False),
    "out_i64": (False, "(void *)&a[{i}].out", True),
    "out_u64": (False, "(void *)&a[{i}].out", True),
    "out_float": (False, "&a[{i}].out.f", True),
    "out_verstr": (False, "a[{i}].out.str", True),
    "out_attr_list": (False, "(const aclCannAttr **)&a[{i}].out.p, &a[{i}].n",
                      True),
    "out_utilization": (False, "&a[{i}].out.util", True),
    "out_error_info": (False, "&a[{i}].out.err", True),
    # VMM (aclrtPhysicalMemProp, aclrtMemLocation, aclrtMemAccessDesc
    # dicts; V2 shareable handles, read by the row's share_type)
    "mem_prop": (True, "(aclrtPhysicalMemProp *)a[{i}].v.p", False),
    "mem_location": (True, "(aclrtMemLocation *)a[{i}].v.p", False),
    "access_descs": (True, "(aclrtMemAccessDesc *)a[{i}].v.p, a[{i}].n",
                     False),
    "share_type": (True, "(aclrtMemSharedHandleType)a[{i}].v.i", False),
    "share_handle": (True, "a[{i}].v.p", False),
    "out_share_handle": (False, "a[{i}].v.p", True),
    # The C function's own return value, for functions that do not return
    # aclError: the Python function returns it alone (no ret), as pyACL.
    "ret_ptr": (False, None, True),
    "ret_str": (False, None, True),
    "ret_u32": (False, None, True),
    "ret_size": (False, None, True),
    "ret_float": (False, None, True),
}
# The an_slot.out member a ret_* kind stores the C return value in.
RET_FIELD = {"ret_ptr": "p", "ret_str": "p", "ret_u32": "u32",
             "ret_size": "sz", "ret_float": "f"}
HOOKS = {"no_hostfn", "sweep_all", "sweep_stream", "synced", "gil", "custom"}
MODULES = {"acl": "acl", "rt": "acl.rt", "util": "acl.util"}
MAX_SLOTS = 8
PARAM = re.compile(r"^([a-z_][a-z0-9_]*):([a-z0-9_]+)(?:=(None|-?\d+))?$")


def fail(path, lineno, msg):
    sys.exit("%s:%d: %s" % (path, lineno, msg))


def parse(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0].isspace():
                if not rows:
                    fail(path, lineno, "documentation before any row")
                rows[-1]["doc"].append(line.strip())
                continue
            words = line.split()
            if len(words) < 3 or words[0] not in MODULES:
                fail(path, lineno, "expected: MODULE PYNAME CNAME PARAMS...")
            row = {"module": words[0], "name": words[1], "c": words[2],
                   "params": [], "hooks": set(), "doc": [], "line": lineno}
            for w in words[3:]:
                if w.startswith("@"):
                    if w[1:] not in HOOKS:
                        fail(path, lineno, "unknown hook " + w)
                    row["hooks"].add(w[1:])
                    continue
                m = PARAM.match(w)
                if not m or m.group(2) not in KINDS:
                    fail(path, lineno, "bad parameter " + w)
                row["params"].append(m.groups())
            rets = [k for _, k, _ in row["params"] if k in RET_FIELD]
            if rets and (len(rets) > 1 or row["params"][0][1] not in
                         RET_FIELD):
                fail(path, lineno, "one ret_* kind, first, at most")
            if len(row["params"]) > MAX_SLOTS:
                fail(path, lineno, "more than %d parameters" % MAX_SLOTS)
            kinds = [k for _, k, _ in row["params"]]
            if ("share_handle" in kinds or "out_share_handle" in kinds) \
                    and "share_type" not in kinds:
                fail(path, lineno, "a shareable handle needs share_type")
            if any(k == "share_handle" and d is not None
                   for _, k, d in row["params"]):
                fail(path, lineno, "share_handle takes no default")
            if any(k == "object" for _, k, _ in row["params"]) and \
                    "custom" not in row["hooks"]:
                fail(path, lineno, "kind object needs @custom")
            rows.append(row)
    names = [(r["module"], r["name"]) for r in rows]
    if len(set(names)) != len(names):
        sys.exit("%s: a Python name appears twice" % path)
    return rows


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace(
        "\n", "\\n") + '"'


def docstring(row):
    pys = [(n, d) for n, k, d in row["params"] if KINDS[k][0]]
    sig = ", ".join(n if d is None else "%s=%s" % (n, d) for n, d in pys)
    outs = [n if k != "keybuf" else "key"
            for n, k, d in row["params"] if KINDS[k][2]]
    call = "%s.%s(%s)" % (MODULES[row["module"]], row["name"],
                          ", ".join(n for n, d in pys))
    if row["params"] and row["params"][0][1] in RET_FIELD:
        outs = outs[:1]       # the C return value, and no ret
    else:
        outs.append("ret")
    usage = ", ".join(outs) + " = " + call
    text = "%s($module, /%s)\n--\n\n%s: %s\n\n%s" % (
        row["name"], ", " + sig if sig else "", row["c"],
        "\n".join(row["doc"]) or "(undocumented)", usage)
    return text


def emit(rows):
    out = ["/* Generated by python/gen_bindings.py from python/acl.spec: "
           "do not edit. */", ""]
    for r in rows:
        if "custom" in r["hooks"]:
            continue
        args = [KINDS[k][1].format(i=i) for i, (_, k, _) in
                enumerate(r["params"]) if k not in RET_FIELD]
        out += ["static aclError an_thunk_%s_%s(struct an_slot *a)" %
                (r["module"], r["name"]), "{"]
        if r["params"] and r["params"][0][1] in RET_FIELD:
            out += ["\ta[0].out.%s = (%s)%s(%s);" % (
                RET_FIELD[r["params"][0][1]],
                {"p": "void *", "u32": "uint32_t", "sz": "size_t",
                 "f": "float"}[RET_FIELD[r["params"][0][1]]],
                r["c"], ", ".join(args)), "\treturn ACL_SUCCESS;", "}", ""]
            continue
        if not args:
            out.append("\t(void)a;")
        out += ["\treturn %s(%s);" % (r["c"], ", ".join(args)), "}", ""]
    out.append("static const struct an_fn an_fns[] = {")
    for r in rows:
        custom = "custom" in r["hooks"]
        pys = [(i, n, d) for i, (n, k, d) in enumerate(r["params"])
               if KINDS[k][0]]
        stream = [i for i, (n, k, d) in enumerate(r["params"])
                  if k == "stream"]
        fmt = "".join("O" for _, _, d in pys if d is None)
        if any(d is not None for _, _, d in pys):
            fmt += "|" + "".join("O" for _, _, d in pys if d is not None)
        if any(d is not None for _, _, d in pys[:len(fmt.split("|")[0])]):
            sys.exit("line %d: a parameter without default after one "
                     "with" % r["line"])
        hooks = " | ".join("AN_HOOK_" + h.upper() for h in sorted(r["hooks"]))
        out += ["\t{",
                "\t\t.module = %s, .name = %s, .c_name = %s," %
                (c_str(r["module"]), c_str(r["name"]), c_str(r["c"])),
                "\t\t.call = %s," % ("NULL" if custom else
                                     "an_thunk_%s_%s" % (r["module"],
                                                         r["name"])),
                "\t\t.custom = %s," % ("an_custom_%s_%s" % (r["module"],
                                                            r["name"])
                                       if custom else "NULL"),
                "\t\t.nslots = %d," % len(r["params"]),
                "\t\t.kind = { %s }," % ", ".join(
                    "AN_K_" + k.upper() for _, k, _ in r["params"]),
                "\t\t.npy = %d," % len(pys),
                "\t\t.pslot = { %s }," % ", ".join(str(i) for i, _, _ in pys),
                "\t\t.kw = { %s }," % ", ".join(
                    [c_str(n) for _, n, _ in pys] + ["NULL"]),
                "\t\t.dflt = { %s }," % ", ".join(
                    "0" if d in (None, "None") else d + "LL"
                    for _, _, d in pys),
                "\t\t.fmt = %s," % c_str(fmt + ":" + r["name"]),
                "\t\t.stream_slot = %d," % (stream[0] if stream else -1),
                "\t\t.hooks = %s," % (hooks or "0"),
                "\t\t.doc = %s," % c_str(docstring(r)),
                "\t},"]
    out += ["};", ""]
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    text = emit(parse(sys.argv[1]))
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    import os
    os.replace(tmp, sys.argv[2])


if __name__ == "__main__":
    main()
