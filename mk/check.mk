# SPDX-License-Identifier: MIT
# make check: build everything, then run every test script registered in
# CHECK_TESTS (each mk/*.mk fragment appends its own) and print the totals.

.PHONY: check
check: all headers-check
	$(Q)ci/run-tests.sh $(CHECK_TESTS)
