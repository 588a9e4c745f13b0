#!/bin/sh
# SPDX-License-Identifier: MIT
# The hostile-guest suite: boot each ci/hostile/<name> as Domain0, the
# supervisor, with its own image as the initrd from which it builds the
# bystander and the attacker domains; judge the supervisor's verdict.  The
# options and test.conf keys are ci/t-guests.sh's.
#
# usage: ci/t-hostile.sh [-p PLATFORM] [-c CMDLINE] [-t SECONDS] [NAME...]
BUILD=${BUILD:-build}
GUEST_SRC=ci/hostile GUESTS=$BUILD/hostile LOGSUB=hostile DEFAULT_MODULES=self \
	exec ci/t-guests.sh "$@"
