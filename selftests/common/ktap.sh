# SPDX-License-Identifier: GPL-2.0
#
# A minimal KTAP harness for the host-side suites written in bash
# (selftests/vmtest, selftests/build), sourced by their run_tests:
#
#	test_NAME() { ...; check "what went wrong" CONDITION...; }
#	ktap_main NAME...      # runs test_NAME for each, prints KTAP and the
#	                       # kselftest "# Totals:" line; returns 1 on a failure
#
# A test fails at the first check whose CONDITION is false; its message, and
# the tail of $ktap_log when the test set one, go into the TAP output.

ktap_fail_why=
ktap_log=

# check DESCRIPTION CONDITION...: record the first failed expectation.
check() {
	local what=$1
	shift
	if ! "$@"; then
		[ -n "$ktap_fail_why" ] || ktap_fail_why=$what
	fi
}

# ktap_main TEST...: a test is skipped when ktap_skip TEST, if the suite
# defines it, prints a reason.
ktap_main() {
	local t n=0 pass=0 fail=0 skip=0 why
	echo "TAP version 13"
	echo "1..$#"
	for t in "$@"; do
		n=$((n + 1))
		why=
		if declare -F ktap_skip >/dev/null; then
			why=$(ktap_skip "$t")
		fi
		if [ -n "$why" ]; then
			echo "ok $n $t # SKIP $why"
			skip=$((skip + 1))
			continue
		fi
		ktap_fail_why= ktap_log=
		"test_$t"
		if [ -z "$ktap_fail_why" ]; then
			echo "ok $n $t"
			pass=$((pass + 1))
		else
			echo "# $t: $ktap_fail_why"
			[ -z "$ktap_log" ] || tail -n 8 "$ktap_log" | sed 's/^/#   /'
			echo "not ok $n $t"
			fail=$((fail + 1))
		fi
	done
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
	[ "$fail" = 0 ]
}
