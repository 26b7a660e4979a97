# SPDX-License-Identifier: GPL-2.0
#
# ascend-notify: kernel-owned IPC notifies for emulated Ascend NPUs.
#
#   make run      build, boot the test guest, run the two-process flow
#   make examples build, boot the test guest, run every example pair
#   make check    build, boot the test guest, run every selftest
#   make inspect  the two-process flow watched through netlink
#   make bench    the benchmarks, in one guest boot
#   make lint     checkpatch --strict, kernel-doc and a W=1 build of the module
#   make check-debug  make check on the debug kernel (KASAN, lockdep,
#                 kmemleak, ...; built once, cached), then a short fuzz run
#   make check-all    make check on Debian's 6.1, 6.12 and 6.12-rt kernels
#   make modules-all  build the module (W=1) for every supported kernel
#   make fuzz     DURATION=600 [SEED=N] [KERNEL=debug]: the fuzzer in the guest
#
# Everything generated goes to build/. Only scripts/setup installs packages
# or downloads kernels (Debian packages, the guest kernel, the kselftest
# headers): the build targets check what they need and, when something is
# missing, stop with one line that names it. The targets for other kernels
# (check-debug, check-all, modules-all) run scripts/setup for those kernels.

TOP := $(CURDIR)
BUILD := $(TOP)/build
KSRC := $(BUILD)/kernel-src
VMTEST := $(TOP)/scripts/vmtest
CC ?= cc
# As in the sub-makefiles: a user's CFLAGS/LDFLAGS come first, the flags
# the code needs are added to them.
CFLAGS ?= -O2 -g
EX_CFLAGS := -Wall -Wextra -Werror -I$(TOP)/include

EXAMPLE_PAIRS := shared_buffer ipc_mem ipc_event
# VMM physical memory sharing
EXAMPLE_PAIRS += vmm_share
EXAMPLES := $(addprefix $(BUILD)/examples/,ioctl_flow notify_a notify_b \
	run_pair run_example run_examples \
	$(foreach p,$(EXAMPLE_PAIRS),$(p)_a $(p)_b))
# the value write/wait pair and the host-kernel example.
EXAMPLE_PAIRS += value_sync
EXAMPLES += $(addprefix $(BUILD)/examples/,value_sync_a value_sync_b \
	kernel_launch kernel_add.so)
# single-process programs in the shape of CANN's runtime samples.
EXAMPLE_SINGLES := host_memcpy callback_report event_timestamp \
	stream_failure_mode
EXAMPLES += $(addprefix $(BUILD)/examples/,$(EXAMPLE_SINGLES))
LIB := $(BUILD)/lib/libascendcl.so

# single-process runtime examples in the shape of CANN's
# samples, linked by CANN's current library name, and one of them built
# with CMake against acl_rt (when cmake is installed).
RUNTIME_EXAMPLES := error_handling system_info context_query \
	device_multi_thread stream_config_query
EXAMPLES += $(addprefix $(BUILD)/examples/,$(RUNTIME_EXAMPLES))
ifneq ($(shell command -v cmake),)
EXAMPLES += $(BUILD)/examples/cmake_acl_rt/system_info_cmake
endif
$(BUILD)/examples/%: examples/runtime/%.c examples/runtime/runtime_common.h \
		$(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(EX_CFLAGS) $(LDFLAGS) \
		-o $@ $< -L$(BUILD)/lib -lacl_rt -Wl,-rpath,$(BUILD)/lib -pthread
$(BUILD)/examples/cmake_acl_rt/system_info_cmake: \
		examples/runtime/cmake_acl_rt/CMakeLists.txt \
		examples/runtime/system_info.c \
		examples/runtime/runtime_common.h $(LIB)
	cmake -S examples/runtime/cmake_acl_rt -B $(dir $@) \
		-DACL_INCLUDE_DIR=$(TOP)/include -DACL_LIB_DIR=$(BUILD)/lib >/dev/null
	cmake --build $(dir $@)
KMOD_SRC := $(filter-out %.mod.c,$(wildcard kmod/*.c)) \
	    $(filter-out kmod/compat.h kmod/trace.h,$(wildcard kmod/*.h))

all: module lib python selftests examples-build tools

setup:
	$(TOP)/scripts/setup

# need,WHAT: stop unless scripts/setup has provided what WHAT needs.
need = @$(TOP)/scripts/setup --check $(1)

module:
	$(call need,module)
	$(MAKE) -C kmod

lib:
	$(call need,lib)
	$(MAKE) -C lib

tools:
	$(call need,tools)
	$(MAKE) -C tools/ascend-notify
	$(MAKE) -C tools/fuzz

python: lib
	$(call need,python)
	$(MAKE) -C python

selftests: lib python
	$(call need,selftests)
	$(MAKE) -C selftests/ascend_notify
	$(MAKE) -C selftests/acl
	$(MAKE) -C selftests/netlink
	$(MAKE) -C selftests/python

# The raw-ioctl flow needs only the uapi header.
$(BUILD)/examples/ioctl_flow: examples/ioctl_flow.c \
		include/uapi/linux/ascend_notify.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -I$(TOP)/include/uapi \
		$(LDFLAGS) -o $@ $<

# The CANN examples use acl/acl.h and libascendcl only.
$(BUILD)/examples/notify_%: examples/notify_%.c examples/notify_common.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(EX_CFLAGS) $(LDFLAGS) \
		-o $@ $< -L$(BUILD)/lib -lascendcl -Wl,-rpath,$(BUILD)/lib

# The IPC memory and IPC event pairs (and the shared-buffer pair).
define example_pair
$(BUILD)/examples/$(1)_%: examples/$(1)_%.c examples/ipc_common.h \
		examples/notify_common.h $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) -std=c11 -D_GNU_SOURCE $$(EX_CFLAGS) $$(LDFLAGS) \
		-o $$@ $$< -L$(BUILD)/lib -lascendcl -Wl,-rpath,$(BUILD)/lib
endef
$(foreach p,$(EXAMPLE_PAIRS),$(eval $(call example_pair,$(p))))

# a CANN-shaped launcher and its host kernel object.
$(BUILD)/examples/kernel_launch: examples/kernel_launch.c \
		examples/ipc_common.h examples/notify_common.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(EX_CFLAGS) $(LDFLAGS) \
		-o $@ $< -L$(BUILD)/lib -lascendcl -Wl,-rpath,$(BUILD)/lib
$(BUILD)/examples/kernel_add.so: examples/kernel_add.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 $(EX_CFLAGS) -shared -fPIC $(LDFLAGS) \
		-o $@ $< -L$(BUILD)/lib -lascendcl -Wl,-rpath,$(BUILD)/lib
# the single-process examples (-pthread for the report thread).
$(addprefix $(BUILD)/examples/,$(EXAMPLE_SINGLES)): $(BUILD)/examples/%: \
		examples/%.c examples/notify_common.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(EX_CFLAGS) $(LDFLAGS) \
		-o $@ $< -L$(BUILD)/lib -lascendcl -Wl,-rpath,$(BUILD)/lib \
		-pthread

$(BUILD)/examples/run_%: examples/run_%
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

$(LIB): lib

examples-build: lib $(EXAMPLES)

# Every example pair, in the guest; each ends with SUCCESS or FAILURE.
examples: examples-build module
	$(VMTEST) -- $(BUILD)/examples/run_examples $(BUILD)/examples

# The two-process flow: A (device 0) waits until B (device 1) records.
run: all
	$(VMTEST) -- sh -c 'echo "== trustlist: A trusts B by its bare TGID"; \
		$(BUILD)/examples/run_pair $(BUILD)/examples && \
		echo "== export without PID validation" && \
		$(BUILD)/examples/run_pair $(BUILD)/examples --no-pid-check'

# The inspection interface watching the two-process flow.
inspect: all
	$(VMTEST) -- $(TOP)/examples/inspect_demo $(BUILD)

# Benchmarks (not tests): ratios against eventfd, futex and pipe measured
# in one guest boot; see Documentation/performance.rst.
bench: all
	$(MAKE) -C tools/bench
	$(VMTEST) --single --timeout 900 -- $(TOP)/tools/bench/run

# The tests of the test guest (on the host), then every suite in one boot.
check: all
	$(TOP)/scripts/summarize $(TOP)/selftests/run_check

# The debug guest kernel: Debian's linux-source-6.1 with
# scripts/kernel/debug.config, cached in /var/cache/ascend-notify (or
# $$AN_KERNEL_CACHE), and the module built against it.
debug-kernel:
	$(TOP)/scripts/setup --kernel debug

# The suite on the debug kernel (slower: KASAN, lockdep and kmemleak under
# TCG), then FUZZ_SECONDS of fuzzing there; any checker's report fails.
FUZZ_SECONDS ?= 120
check-debug: all debug-kernel fuzz-build
	$(TOP)/scripts/check-kernels --timeout 5400 --fuzz $(FUZZ_SECONDS) debug

# Line coverage of kmod/ and lib/ by the whole suite on the debug kernel:
# ends with "kmod: N% of M lines" and "lib: N% of M lines"; an HTML report
# in build/coverage/html/.
coverage: all debug-kernel
	$(TOP)/scripts/coverage

# The suite on each Debian kernel the module supports.
check-all: all
	$(TOP)/scripts/setup --kernel 6.12 --kernel 6.12-rt
	$(TOP)/scripts/check-kernels 6.1 6.12 6.12-rt

# The module, W=1 and warning-free, for every supported kernel: Debian's
# 6.1 (make module), 6.12 and 6.12-rt (their kbuild headers only). CI runs
# it so that an API change or a missing build tool on a kernel it does not
# boot still fails.
modules-all: module
	$(TOP)/scripts/setup --headers 6.12 --headers 6.12-rt
	$(TOP)/scripts/build-module 6.12
	$(TOP)/scripts/build-module 6.12-rt
	@echo "modules-all: the module builds for $$(cat $(BUILD)/abi)," \
		"$$(cat $(BUILD)/abi-6.12) and $$(cat $(BUILD)/abi-6.12-rt)"

# The fuzzer alone: make fuzz DURATION=600 [SEED=N] [KERNEL=debug].
DURATION ?= 600
SEED ?=
KERNEL ?=
fuzz: all fuzz-build
	$(VMTEST) $(if $(KERNEL),--kernel $(KERNEL)) \
		--timeout $$(($(DURATION) + 900)) -- $(TOP)/scripts/fuzz \
		--duration $(DURATION) $(if $(SEED),--seed $(SEED))

# The fuzzer runs in the guest but is built on the host.
fuzz-build:
	$(call need,tools)
	$(MAKE) -C tools/fuzz

# checkpatch and kernel-doc on our sources (not the generated *.mod.c)
# and a W=1 build that must print no warning.
lint: lib
	$(call need,lint module)
	@# The library's exports, its version script and include/acl/ agree.
	$(TOP)/scripts/check-exports
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--show-types -f $(KMOD_SRC)
	@# TRACE_EVENT() is a language of macros, not C: its fields and
	@# assignments are macro arguments (the kernel's own trace headers
	@# draw the same checks).
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore COMPLEX_MACRO,MACRO_ARG_REUSE,PARENTHESIS_ALIGNMENT \
		-f kmod/trace.h
	@# compat.h is where kernel-version tests belong, and nowhere else.
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kmod/compat.h
	perl $(KSRC)/scripts/checkpatch.pl --strict --no-tree --terse \
		--ignore BIT_MACRO -f include/uapi/linux/ascend_notify.h
	@# The module's kernel-doc: any warning fails.
	perl $(KSRC)/scripts/kernel-doc -Werror -none \
		$(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h)
	@# The syzkaller description against the real header's layouts.
	$(MAKE) -C scripts/syzkaller check
	$(MAKE) -C kmod clean >/dev/null
	$(MAKE) -C kmod W=1 2>&1 | tee $(BUILD)/w1.log
	@! grep -E 'warning:|error:' $(BUILD)/w1.log

# The Debian packages (debian/), built from a copy of the tree into
# build/deb/ and checked with lintian; scripts/setup --deb installs what
# it needs.
deb:
	$(call need,deb)
	$(TOP)/packaging/build-deb

clean:
	$(MAKE) -C kmod clean
	rm -rf $(BUILD)/selftests $(BUILD)/examples $(BUILD)/lib $(BUILD)/tools \
		$(BUILD)/python

.PHONY: all setup module lib tools python selftests examples examples-build \
	run inspect bench check lint clean debug-kernel check-debug check-all \
	modules-all coverage fuzz fuzz-build deb

# make install / uninstall / install-cann / uninstall-cann
include mk/install.mk
