/* SPDX-License-Identifier: MIT */
/*
 * tls-check: exercise glibc's i386 thread-local storage in a static binary.
 * glibc addresses TLS through %gs with negative offsets that wrap around 4 GiB,
 * which faults under segment limits capped below 4 GiB (DESIGN.md section 2),
 * so this is the first thing to break in a badly set up guest.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static __thread int tls_value = 42;
static __thread char tls_buf[64];

/* Thread body: its own copy of the TLS variables starts from the initial image. */
static void *thread_main(void *arg)
{
	int *result = arg;

	*result = tls_value;
	tls_value = 7;
	tls_buf[0] = 'x';
	return NULL;
}

int main(void)
{
	pthread_t thread;
	int seen = 0;

	tls_value = 1000;
	if (pthread_create(&thread, NULL, thread_main, &seen) != 0 ||
	    pthread_join(thread, NULL) != 0) {
		printf("tls-check: pthread failed\n");
		return 1;
	}
	errno = 0;
	if (write(-1, "", 0) != -1 || errno != EBADF) {
		printf("tls-check: errno (a TLS variable) is wrong: %d\n", errno);
		return 1;
	}
	if (seen != 42 || tls_value != 1000 || tls_buf[0] != 0) {
		printf("tls-check: TLS mixed up: thread saw %d, main has %d\n", seen, tls_value);
		return 1;
	}
	printf("tls-check: ok\n");
	return 0;
}
