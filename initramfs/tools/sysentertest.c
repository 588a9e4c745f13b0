// SPDX-License-Identifier: MIT
/*
 * sysentertest: system calls made with a raw `sysenter`, outside the vDSO.
 *
 * A 32-bit kernel treats sysenter as the vDSO's fast system call: it takes
 * ESP from EBP, the sixth argument from [EBP], and returns to the vDSO's
 * int80_landing_pad, which pops EBP, EDX and ECX and returns.  So a raw
 * caller builds the frame __kernel_vsyscall would (return address, ECX,
 * EDX, EBP; EBP = ESP) and sysenters.  Native Linux runs it; XenoLinux,
 * whose CPU refuses sysenter in a guest (#GP), must too.
 * usage: sysentertest (prints one line, exit 0 on success)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE	4096

long raw_sysenter(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
uint32_t after_ecx, after_edx;	/* ECX and EDX as the landing pad left them */

/*
 * cdecl; saves EBP, EBX, ESI, EDI (16 bytes, so the first argument is at
 * 20(%esp)), loads the registers of the system call convention, builds the
 * vDSO's frame and sysenters; the landing pad's ret comes back to 1:.
 */
asm(".text\n"
    ".globl raw_sysenter\n"
    "raw_sysenter:\n"
    "	pushl	%ebp\n"
    "	pushl	%ebx\n"
    "	pushl	%esi\n"
    "	pushl	%edi\n"
    "	movl	20(%esp), %eax\n"	/* nr */
    "	movl	24(%esp), %ebx\n"
    "	movl	28(%esp), %ecx\n"
    "	movl	32(%esp), %edx\n"
    "	movl	36(%esp), %esi\n"
    "	movl	40(%esp), %edi\n"
    "	movl	44(%esp), %ebp\n"	/* the sixth argument */
    "	pushl	$1f\n"			/* where the landing pad's ret goes */
    "	pushl	%ecx\n"
    "	pushl	%edx\n"
    "	pushl	%ebp\n"
    "	movl	%esp, %ebp\n"
    "	sysenter\n"
    "1:	movl	%ecx, after_ecx\n"
    "	movl	%edx, after_edx\n"
    "	popl	%edi\n"
    "	popl	%esi\n"
    "	popl	%ebx\n"
    "	popl	%ebp\n"
    "	ret\n");

static int fail(const char *what, long got, long want)
{
	printf("sysentertest: FAIL %s: got %ld (%#lx), want %ld\n", what, got, got, want);
	return 1;
}

/* getpid, many times, and ECX/EDX restored by the landing pad. */
static int test_getpid(void)
{
	long pid = getpid();

	for (int i = 0; i < 100; i++) {
		long got = raw_sysenter(SYS_getpid, 0, 0x1234c, 0x5678d, 0, 0, 0);

		if (got != pid)
			return fail("getpid", got, pid);
	}
	if (after_ecx != 0x1234c || after_edx != 0x5678d)
		return fail("ECX after the landing pad", after_ecx, 0x1234c);
	return 0;
}

/* write: three arguments, and the bytes arrive. */
static int test_write(void)
{
	char buf[8] = "";
	int fds[2];
	long rc;

	if (pipe(fds))
		return fail("pipe", -1, 0);
	rc = raw_sysenter(SYS_write, fds[1], (long)"xeno", 4, 0, 0, 0);
	if (rc != 4)
		return fail("write", rc, 4);
	if (read(fds[0], buf, sizeof(buf)) != 4 || memcmp(buf, "xeno", 4))
		return fail("bytes through the pipe", buf[0], 'x');
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/* mmap2: six arguments; the page offset (the sixth) picks the second page. */
static int test_mmap2(void)
{
	static char page[PAGE];
	const char *path = "/tmp/sysentertest.data";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	long p;

	if (fd < 0)
		return fail("open", fd, 0);
	memset(page, 'a', sizeof(page));
	if (write(fd, page, PAGE) != PAGE)
		return fail("write page 0", -1, PAGE);
	memset(page, 'b', sizeof(page));
	if (write(fd, page, PAGE) != PAGE)
		return fail("write page 1", -1, PAGE);
	p = raw_sysenter(SYS_mmap2, 0, PAGE, PROT_READ, MAP_PRIVATE, fd, 1);
	if ((unsigned long)p >= -4095ul)
		return fail("mmap2", p, 0);
	if (*(const char *)p != 'b')
		return fail("mmap2's page offset (the sixth argument)", *(const char *)p, 'b');
	munmap((void *)p, PAGE);
	close(fd);
	unlink(path);
	return 0;
}

int main(void)
{
	if (test_getpid() || test_write() || test_mmap2())
		return 1;
	printf("sysentertest: getpid, write and mmap2 through a raw sysenter work\n");
	return 0;
}
