#!/bin/sh
# SPDX-License-Identifier: MIT
# XenoLinux under Bochs, where segment limits are enforced: it boots, and
# glibc's negative-%gs TLS works through the 4gb_segments assist
# (/tests/segments).
PLATFORM=bochs TEST=segments DOM0_MEM=48M TIMEOUT=600 exec ci/t-xenolinux.sh
