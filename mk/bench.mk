# SPDX-License-Identifier: MIT
# The lmbench comparison (milestone 5): make bench boots native Linux and
# XenoLinux in turn and writes the paper's Tables 3-5 side by side; make check
# runs every benchmark once, tiny, under each kernel (no timing judged).

.PHONY: bench
## Benchmarks:
##   bench         the paper's lmbench Tables 3-5, native Linux vs XenoLinux, boots
##                 alternating (RUNS=9 of each, 20-25 min; ci/bench-lmbench.sh -h)
##                 -> docs/bench/lmbench.md, lmbench.png, lmbench-raw/
bench: all
	$(Q)ci/bench-lmbench.sh

CHECK_TESTS += ci/t-bench-smoke.sh
