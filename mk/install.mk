# SPDX-License-Identifier: GPL-2.0
#
# Installation of ascend-notify. The top-level Makefile includes this file;
# it also works alone (make -f mk/install.mk install).
#
#   make install        [PREFIX=/usr/local] [DESTDIR=]    FHS layout
#   make uninstall      [PREFIX=/usr/local] [DESTDIR=]
#   make install-cann   [CANN_PREFIX=/usr/local/Ascend/ascend-notify/latest]
#   make uninstall-cann [CANN_PREFIX=...]                 CANN-style layout
#
# Nothing here builds: `make` first (the module, libascendcl, the Python
# module), then install what it left in build/. Install and uninstall take
# the same variables; give uninstall those install had.
#
# make install puts, for PREFIX=/usr/local:
#
#   include/acl/...                       the CANN headers (acl/acl.h)
#   lib/libascendcl.so.1.0, .so.1, .so    the library and its SONAME links
#   lib/pkgconfig/ascendcl.pc             pkg-config --cflags --libs ascendcl
#   lib/libacl_rt.so, pkgconfig/acl_rt.pc the same library as CANN now names
#                                         it: -lacl_rt, pkg-config acl_rt
#   lib/cmake/ascendcl/*.cmake            find_package(ascendcl)
#   lib/python3.11/dist-packages/acl...so import acl (see python/sitedir.py)
#   bin/ascend-notify                     the CLI, when it was built
#   share/man/man8/ascend-notify.8        its manual (packaging/manpage)
#   lib/udev/rules.d/60-ascend-notify.rules   the mode of /dev/ascend_notify
#   lib/modprobe.d/ascend_notify.conf     module parameters, commented out
#   /usr/src/ascend-notify-VERSION/       the module's source and dkms.conf
#
# Without DESTDIR it then runs ldconfig, reloads udev if it runs, and
# registers the module with DKMS (dkms add) so that it is rebuilt for every
# new kernel; DKMS_INSTALL=1 (default) also builds and installs it for the
# running kernel when its headers are there. With DESTDIR (staging, package
# builds) none of that runs.
#
# The directories are variables, so that a distribution's layout needs no
# other recipe; Debian's packages (debian/rules) install with
#   make install DESTDIR=debian/tmp PREFIX=/usr LIBDIR=/usr/lib/<multiarch>
# which puts pkg-config and CMake files under the multiarch LIBDIR, the
# Python module in /usr/lib/python3/dist-packages and the udev rule in
# /usr/lib/udev/rules.d.
#
# make install-cann puts the SDK in the layout of a CANN toolkit
# (ASCEND_CANN_PACKAGE_PATH / ASCEND_TOOLKIT_HOME): CANN_PREFIX/include,
# lib64 (with lib64/stub), runtime/{include,lib64}, python/site-packages,
# bin, lib64/pkgconfig, share/cmake/ascendcl (where find_package looks on
# every distribution; Debian's CMake skips lib64) and set_env.sh. It does
# not touch the system (udev, modprobe.d, DKMS): `make install` does that.

an_saved_default_goal := $(.DEFAULT_GOAL)

AN_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
AN_OUT := $(AN_TOP)/build
AN_VERSION := $(shell cat $(AN_TOP)/packaging/VERSION)

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR ?= $(LIBDIR)/cmake/ascendcl
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODPROBEDIR ?= $(PREFIX)/lib/modprobe.d
DKMSSRCDIR ?= /usr/src
CANN_PREFIX ?= /usr/local/Ascend/ascend-notify/latest
DKMS ?= dkms
DKMS_INSTALL ?= 1
# The interpreter the module was built for (python/Makefile's default).
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
# Evaluated once, when first needed.
PYTHON_SITEDIR ?= $(eval PYTHON_SITEDIR := $$(shell $(PYTHON) \
	$(AN_TOP)/python/sitedir.py $(PREFIX)))$(PYTHON_SITEDIR)
AN_PY_EXT = $(eval AN_PY_EXT := $$(shell $(PYTHON) -c \
	'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'))$(AN_PY_EXT)

AN_LIB := $(AN_OUT)/lib/libascendcl.so
AN_PYMOD = $(AN_OUT)/python/install/acl$(AN_PY_EXT)
AN_CLI := $(AN_OUT)/tools/ascend-notify
AN_DKMS_NAME := ascend-notify
AN_DKMS_TREE = $(DKMSSRCDIR)/$(AN_DKMS_NAME)-$(AN_VERSION)
AN_HEADERS := $(shell cd $(AN_TOP)/include && find acl -name '*.h' | sort)
AN_KMOD_FILES := Kbuild $(notdir $(filter-out %.mod.c,\
	$(wildcard $(AN_TOP)/kmod/*.c)) $(wildcard $(AN_TOP)/kmod/*.h))
AN_UAPI := include/uapi/linux/ascend_notify.h

# $(call an_under_prefix,DIR,PREFIX,VAR): DIR as ${VAR}/... when under PREFIX.
an_under_prefix = $(if $(filter $(2)/%,$(1)),$${$(3)}$(patsubst $(2)%,%,$(1)),$(1))

# Copies headers and library, writes the .pc and CMake files:
# $(call an_install_sdk,INCLUDEDIR,LIBDIR,PKGCONFIGDIR,CMAKEDIR,PREFIX)
define an_install_sdk
	set -e; \
	for h in $(AN_HEADERS); do \
		install -D -m 0644 $(AN_TOP)/include/$$h $(DESTDIR)$(1)/$$h; \
	done; \
	real=$$(basename "$$(readlink -f $(AN_LIB))"); \
	soname=$$(readelf -d $(AN_LIB) | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'); \
	[ -n "$$real" ] && [ -n "$$soname" ]; \
	install -d $(DESTDIR)$(2) $(DESTDIR)$(3) $(DESTDIR)$(4); \
	install -m 0755 $(AN_OUT)/lib/$$real $(DESTDIR)$(2)/$$real; \
	[ "$$soname" = "$$real" ] || ln -sfn $$real $(DESTDIR)$(2)/$$soname; \
	ln -sfn $$soname $(DESTDIR)$(2)/libascendcl.so; \
	ln -sfn $$soname $(DESTDIR)$(2)/libacl_rt.so; \
	for pc in ascendcl acl_rt; do \
	    sed -e 's|@PREFIX@|$(5)|' \
		-e 's|@LIBDIR@|$(call an_under_prefix,$(2),$(5),prefix)|' \
		-e 's|@INCLUDEDIR@|$(call an_under_prefix,$(1),$(5),prefix)|' \
		-e 's|@VERSION@|$(AN_VERSION)|' \
		$(AN_TOP)/packaging/$$pc.pc.in >$(DESTDIR)$(3)/$$pc.pc; \
	done; \
	sed -e "s|@INCLUDE_REL@|$$(realpath -m --relative-to=$(4) $(1))|" \
	    -e "s|@LIB_REL@|$$(realpath -m --relative-to=$(4) $(2))|" \
	    -e "s|@REALNAME@|$$real|" -e "s|@SONAME@|$$soname|" \
	    -e 's|@VERSION@|$(AN_VERSION)|' \
	    $(AN_TOP)/packaging/ascendclConfig.cmake.in \
	    >$(DESTDIR)$(4)/ascendclConfig.cmake; \
	sed -e 's|@VERSION@|$(AN_VERSION)|' \
	    $(AN_TOP)/packaging/ascendclConfigVersion.cmake.in \
	    >$(DESTDIR)$(4)/ascendclConfigVersion.cmake; \
	chmod 0644 $(DESTDIR)$(3)/ascendcl.pc $(DESTDIR)$(3)/acl_rt.pc \
	    $(DESTDIR)$(4)/*.cmake
endef

# Removes what an_install_sdk installed (same arguments).
define an_uninstall_sdk
	for h in $(AN_HEADERS); do rm -f $(DESTDIR)$(1)/$$h; done; \
	for d in $$(printf '%s\n' $(sort $(dir $(AN_HEADERS))) | sort -r); do \
		rmdir $(DESTDIR)$(1)/$$d 2>/dev/null || true; \
	done; \
	rm -f $(DESTDIR)$(2)/libascendcl.so $(DESTDIR)$(2)/libascendcl.so.*; \
	rm -f $(DESTDIR)$(2)/libacl_rt.so $(DESTDIR)$(3)/acl_rt.pc; \
	rm -f $(DESTDIR)$(3)/ascendcl.pc; \
	rm -f $(DESTDIR)$(4)/ascendclConfig.cmake \
	      $(DESTDIR)$(4)/ascendclConfigVersion.cmake; \
	rmdir $(DESTDIR)$(4) 2>/dev/null || true
endef

an-install-check:
	@for f in $(AN_LIB) $(AN_PYMOD) $(addprefix $(AN_TOP)/kmod/,$(AN_KMOD_FILES)); do \
		[ -e "$$f" ] || { echo "install: $$f is missing: run make first" >&2; exit 1; }; \
	done

install: an-install-check
	$(call an_install_sdk,$(INCLUDEDIR),$(LIBDIR),$(PKGCONFIGDIR),$(CMAKEDIR),$(PREFIX))
	install -D -m 0644 $(AN_PYMOD) $(DESTDIR)$(PYTHON_SITEDIR)/$(notdir $(AN_PYMOD))
	if [ -x $(AN_CLI) ]; then \
		install -D -m 0755 $(AN_CLI) $(DESTDIR)$(BINDIR)/ascend-notify && \
		install -d $(DESTDIR)$(MANDIR)/man8 && \
		$(AN_TOP)/packaging/manpage $(AN_CLI) $(AN_VERSION) \
			>$(DESTDIR)$(MANDIR)/man8/ascend-notify.8 && \
		chmod 0644 $(DESTDIR)$(MANDIR)/man8/ascend-notify.8; \
	fi
	install -D -m 0644 $(AN_TOP)/packaging/60-ascend-notify.rules \
		$(DESTDIR)$(UDEVRULESDIR)/60-ascend-notify.rules
	install -D -m 0644 $(AN_TOP)/packaging/ascend_notify.conf \
		$(DESTDIR)$(MODPROBEDIR)/ascend_notify.conf
	rm -rf $(DESTDIR)$(AN_DKMS_TREE)
	install -d $(DESTDIR)$(AN_DKMS_TREE)/kmod
	install -m 0644 $(addprefix $(AN_TOP)/kmod/,$(AN_KMOD_FILES)) \
		$(DESTDIR)$(AN_DKMS_TREE)/kmod/
	install -D -m 0644 $(AN_TOP)/$(AN_UAPI) $(DESTDIR)$(AN_DKMS_TREE)/$(AN_UAPI)
	sed 's|@VERSION@|$(AN_VERSION)|' $(AN_TOP)/packaging/dkms.conf \
		>$(DESTDIR)$(AN_DKMS_TREE)/dkms.conf
	@if [ -z "$(DESTDIR)" ]; then $(MAKE) --no-print-directory -f $(AN_TOP)/mk/install.mk \
		an-install-system DKMS=$(DKMS) DKMS_INSTALL=$(DKMS_INSTALL); fi

# After a real install (no DESTDIR): caches, udev, DKMS.
an-install-system:
	-ldconfig
	@if [ -S /run/udev/control ] && command -v udevadm >/dev/null; then \
		udevadm control --reload && \
		udevadm trigger --subsystem-match=misc --sysname-match=ascend_notify; \
	fi
	@if ! command -v $(DKMS) >/dev/null; then \
		echo "install: no dkms: the module's source is in $(AN_DKMS_TREE)," \
		     "not registered (apt-get install dkms, then make install)"; \
	else \
		set -e; \
		if [ -n "$$($(DKMS) status -m $(AN_DKMS_NAME) -v $(AN_VERSION))" ]; then \
			$(DKMS) remove -m $(AN_DKMS_NAME) -v $(AN_VERSION) --all; \
		fi; \
		echo "$(DKMS) add -m $(AN_DKMS_NAME) -v $(AN_VERSION)"; \
		$(DKMS) add -m $(AN_DKMS_NAME) -v $(AN_VERSION); \
		kver=$$(uname -r); \
		if [ "$(DKMS_INSTALL)" != 1 ]; then :; \
		elif [ -e /lib/modules/$$kver/build ]; then \
			echo "$(DKMS) install -m $(AN_DKMS_NAME) -v $(AN_VERSION) -k $$kver"; \
			$(DKMS) install -m $(AN_DKMS_NAME) -v $(AN_VERSION) -k $$kver; \
		else \
			echo "install: no headers for the running kernel $$kver:" \
			     "DKMS builds the module for the next kernel installed"; \
		fi; \
	fi

uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v $(DKMS) >/dev/null && \
	    [ -n "$$($(DKMS) status -m $(AN_DKMS_NAME) -v $(AN_VERSION) 2>/dev/null)" ]; then \
		echo "$(DKMS) remove -m $(AN_DKMS_NAME) -v $(AN_VERSION) --all"; \
		$(DKMS) remove -m $(AN_DKMS_NAME) -v $(AN_VERSION) --all; \
	fi
	rm -rf $(DESTDIR)$(AN_DKMS_TREE)
	$(call an_uninstall_sdk,$(INCLUDEDIR),$(LIBDIR),$(PKGCONFIGDIR),$(CMAKEDIR))
	rm -f $(DESTDIR)$(PYTHON_SITEDIR)/acl$(AN_PY_EXT)
	rm -f $(DESTDIR)$(BINDIR)/ascend-notify
	rm -f $(DESTDIR)$(MANDIR)/man8/ascend-notify.8
	rm -f $(DESTDIR)$(UDEVRULESDIR)/60-ascend-notify.rules
	rm -f $(DESTDIR)$(MODPROBEDIR)/ascend_notify.conf
	@if [ -z "$(DESTDIR)" ]; then ldconfig || true; fi

# ---- the CANN-style layout ---------------------------------------------------

AN_CANN = $(DESTDIR)$(CANN_PREFIX)

install-cann: an-install-check
	$(call an_install_sdk,$(CANN_PREFIX)/include,$(CANN_PREFIX)/lib64,$(CANN_PREFIX)/lib64/pkgconfig,$(CANN_PREFIX)/share/cmake/ascendcl,$(CANN_PREFIX))
	install -d $(AN_CANN)/lib64/stub $(AN_CANN)/runtime
	ln -sfn ../libascendcl.so $(AN_CANN)/lib64/stub/libascendcl.so
	ln -sfn ../libacl_rt.so $(AN_CANN)/lib64/stub/libacl_rt.so
	ln -sfn ../include $(AN_CANN)/runtime/include
	ln -sfn ../lib64 $(AN_CANN)/runtime/lib64
	install -D -m 0644 $(AN_PYMOD) \
		$(AN_CANN)/python/site-packages/$(notdir $(AN_PYMOD))
	if [ -x $(AN_CLI) ]; then \
		install -D -m 0755 $(AN_CLI) $(AN_CANN)/bin/ascend-notify; \
	fi
	sed 's|@CANN_PREFIX@|$(CANN_PREFIX)|g' $(AN_TOP)/packaging/set_env.sh.in \
		>$(AN_CANN)/set_env.sh
	chmod 0644 $(AN_CANN)/set_env.sh

uninstall-cann:
	$(call an_uninstall_sdk,$(CANN_PREFIX)/include,$(CANN_PREFIX)/lib64,$(CANN_PREFIX)/lib64/pkgconfig,$(CANN_PREFIX)/share/cmake/ascendcl)
	rm -f $(AN_CANN)/lib64/stub/libascendcl.so \
	      $(AN_CANN)/lib64/stub/libacl_rt.so $(AN_CANN)/runtime/include \
	      $(AN_CANN)/runtime/lib64 $(AN_CANN)/python/site-packages/acl$(AN_PY_EXT) \
	      $(AN_CANN)/bin/ascend-notify $(AN_CANN)/set_env.sh
	for d in lib64/stub lib64/pkgconfig lib64 runtime share/cmake share \
		 python/site-packages python bin include; do \
		rmdir $(AN_CANN)/$$d 2>/dev/null || true; \
	done
	rmdir $(AN_CANN) 2>/dev/null || true

.PHONY: install uninstall install-cann uninstall-cann an-install-check \
	an-install-system

# Including this file must not change the including Makefile's default goal.
.DEFAULT_GOAL := $(an_saved_default_goal)
