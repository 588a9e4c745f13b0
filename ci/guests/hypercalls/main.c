/* SPDX-License-Identifier: MIT */
/*
 * hypercalls: the hypercall convention and the small calls: the hypercall
 * page, register preservation, unknown numbers, console_io, xeno_version,
 * vm_assist, and dom0_op's version check.
 *
 * Every guest depends on the convention being exact: the builder's stubs
 * ("mov $n, %eax; int $0x82; ret", iret pushing EAX first), EAX the only
 * register a hypercall changes, -ENOSYS for any number or sub-command that
 * does not exist (never a crash, never another call), and -EFAULT for a
 * buffer that reaches into the hypervisor or into unmapped memory, even
 * when part of it was fine.  console_io must take up to 4096 bytes at once
 * and say how many it wrote.
 */
#include <guest.h>

const char test_title[] = "hypercalls: convention, console_io, xeno_version, vm_assist";

extern char hypercall_page[];

/* The stubs the builder wrote, byte for byte. */
static void test_page(void)
{
	for (uint32_t n = 0; n < XENO_NR_HYPERCALLS; n++) {
		const uint8_t *s = (const uint8_t *)hypercall_page + n * XENO_HYPERCALL_STUB_SIZE;
		uint8_t want[9] = { 0xb8, (uint8_t)n, 0, 0, 0, 0xcd, XENO_HYPERCALL_VECTOR, 0xc3 };
		unsigned int len = 8;

		if (n == __HYPERVISOR_iret) {
			want[0] = 0x50;		/* push %eax */
			want[1] = 0xb8, want[2] = (uint8_t)n, want[3] = 0, want[4] = 0, want[5] = 0;
			want[6] = 0xcd, want[7] = XENO_HYPERCALL_VECTOR;
		}
		if (memcmp(s, want, len)) {
			xtf_failure("hypercall stub %u: %02x %02x %02x %02x %02x %02x %02x %02x", n,
				    s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
			return;
		}
	}
}

uint32_t regs_out[7];
/* raw_call(nr, a1): int $0x82 with patterns in every register; all saved after. */
asm(".text\n"
    ".globl raw_call\n"
    "raw_call:\n"
    "	push %ebp\n	push %ebx\n	push %esi\n	push %edi\n"
    "	mov 20(%esp), %eax\n	mov 24(%esp), %ebx\n"
    "	mov $0x22222222, %ecx\n	mov $0x33333333, %edx\n"
    "	mov $0x44444444, %esi\n	mov $0x55555555, %edi\n	mov $0x66666666, %ebp\n"
    "	int $0x82\n"
    "	mov %eax, regs_out\n	mov %ebx, regs_out + 4\n	mov %ecx, regs_out + 8\n"
    "	mov %edx, regs_out + 12\n	mov %esi, regs_out + 16\n	mov %edi, regs_out + 20\n"
    "	mov %ebp, regs_out + 24\n"
    "	pop %edi\n	pop %esi\n	pop %ebx\n	pop %ebp\n"
    "	ret\n");
uint32_t raw_call(uint32_t nr, uint32_t a1);

static void test_convention(void)
{
	static const uint32_t bad[] = { 21, 23, 31, 32, 100, 0x80000000u, 0xffffffffu };

	EXPECT_EQ(raw_call(__HYPERVISOR_xeno_version, XENO_VERSION_VERSION),
		  XENO_INTERFACE_VERSION);
	CHECK(regs_out[2] == 0x22222222 && regs_out[3] == 0x33333333 &&
	      regs_out[4] == 0x44444444 && regs_out[5] == 0x55555555 &&
	      regs_out[6] == 0x66666666 && regs_out[1] == XENO_VERSION_VERSION,
	      "registers changed by a hypercall: %08x %08x %08x %08x %08x %08x", regs_out[1],
	      regs_out[2], regs_out[3], regs_out[4], regs_out[5], regs_out[6]);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		long rc = raw_call(bad[i], 0);

		CHECK(rc == -XENO_ENOSYS, "hypercall %#x returned %ld, expected -ENOSYS", bad[i],
		      rc);
		if (bad[i] < XENO_NR_HYPERCALLS)
			EXPECT_EQ(hypercall(bad[i], 0, 0, 0, 0, 0), -XENO_ENOSYS);
	}
}

static void test_console(void)
{
	static char big[XENO_CONSOLEIO_MAX + 1];
	char *edge = (char *)alloc_page() + PAGE_SIZE - 8, *hole = alloc_page(), c;

	for (unsigned int i = 0; i < sizeof(big); i++)
		big[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i / 64) % 26);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, XENO_CONSOLEIO_MAX, big),
		  XENO_CONSOLEIO_MAX);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, XENO_CONSOLEIO_MAX + 1, big),
		  -XENO_E2BIG);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 0, big), 0);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 16, XENO_HYPERVISOR_VIRT_START),
		  -XENO_EFAULT);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 32,
			     XENO_HYPERVISOR_VIRT_START - 16), -XENO_EFAULT);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 16, 0x1000), -XENO_EFAULT);
	/* Runs into an unmapped page: the part before it may show; the call fails. */
	EXPECT_EQ(update_va(hole, 0, XENO_UVMF_INVLPG), 0);
	memcpy(edge, "partial\n", 8);
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_WRITE, 16, edge), -XENO_EFAULT);
	printf("\n");
	EXPECT_EQ(HYPERCALL3(console_io, XENO_CONSOLEIO_READ, 1, &c), 0);	/* no input */
	EXPECT_EQ(HYPERCALL3(console_io, 7, 1, &c), -XENO_ENOSYS);
}

static void test_version(void)
{
	char extra[17], caps[65];

	memset(extra, 0x55, sizeof(extra));
	memset(caps, 0x55, sizeof(caps));
	EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_VERSION, 0), XENO_INTERFACE_VERSION);
	EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_EXTRAVERSION, extra), 0);
	CHECK(!strcmp(extra, XENO_VERSION_STRING) && extra[16] == 0x55,
	      "extraversion '%s'", extra);
	EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_CAPABILITIES, caps), 0);
	CHECK(!strncmp(caps, XENO_START_INFO_MAGIC, strlen(XENO_START_INFO_MAGIC)) &&
	      caps[64] == 0x55, "capabilities '%s'", caps);
	printf("version %s, capabilities '%s'\n", extra, caps);
	EXPECT_EQ(HYPERCALL2(xeno_version, XENO_VERSION_EXTRAVERSION, XENO_HYPERVISOR_VIRT_START),
		  -XENO_EFAULT);
	EXPECT_EQ(HYPERCALL2(xeno_version, 3, caps), -XENO_ENOSYS);
}

static void test_vm_assist_and_dom0_op(void)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_GETDOMAININFO, .interface_version = 0x00020000 };

	for (uint32_t t = 0; t < XENO_VMASST_NR_TYPES; t++) {
		EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_ENABLE, t), 0);
		EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_DISABLE, t), 0);
	}
	EXPECT_EQ(HYPERCALL2(vm_assist, XENO_VMASST_CMD_ENABLE, XENO_VMASST_NR_TYPES),
		  -XENO_EINVAL);
	EXPECT_EQ(HYPERCALL2(vm_assist, 2, 0), -XENO_ENOSYS);

	EXPECT_EQ(HYPERCALL1(dom0_op, &op), -XENO_EACCES);		/* wrong version */
	EXPECT_EQ(HYPERCALL1(dom0_op, XENO_HYPERVISOR_VIRT_START), -XENO_EFAULT);
	op.cmd = 99;
	EXPECT_EQ(dom0_op(&op), -XENO_ENOSYS);
}

void test_main(void)
{
	test_page();
	test_convention();
	test_console();
	test_version();
	test_vm_assist_and_dom0_op();
	xtf_success(NULL);
}
