#!/bin/sh
# SPDX-License-Identifier: MIT
# docs/security.md's table of attacks matches the hostile suite that just
# ran (ci/t-hostile.sh runs before this in make check).
exec ci/security-table.sh --check
