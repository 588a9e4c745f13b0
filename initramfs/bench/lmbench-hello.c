// SPDX-License-Identifier: MIT
/*
 * lmbench-hello: the tiny program that lmbench-xeno's fork+exec and
 * fork+/bin/sh -c benchmarks execute (lmbench's hello.c).
 */
#include <unistd.h>

int main(void)
{
	/* The benchmark closes stdout first, as lmbench does: this may fail. */
	if (write(1, "Hello world\n", 12) < 0)
		return 0;
	return 0;
}
