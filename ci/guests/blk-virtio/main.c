/* SPDX-License-Identifier: MIT */
/*
 * blk-virtio: the blk test (ci/guests/blk) on a 1 MiB virtio-blk disk
 * instead of a RAM disk: the same checks, with completions coming from the
 * device's interrupt while requests are in flight.
 */
#include "../blk/main.c"
