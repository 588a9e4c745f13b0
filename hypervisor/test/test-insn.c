/* SPDX-License-Identifier: MIT */
/* The instruction decoder behind the emulation assists (insn.c). */
#include <errno.h>
#include <insn.h>
#include <string.h>

#include "harness.h"

static const struct cpu_regs regs = {
	.eax = 0x100, .ebx = 0x2000, .ecx = 3, .edx = 0x4000, .esi = 0x5000, .edi = 0x6000,
	.ebp = 0x7000, .cs = 0x2b, .esp = 0x8000,
};

static const struct {
	const char *what;
	uint8_t bytes[16];
	unsigned int n;
	int rc;
	uint8_t len, size;
	enum seg_reg seg;
	uint32_t offset, imm;
} cases[] = {
	{ "mov %gs:-4,%eax (moffs)", { 0x65, 0xa1, 0xfc, 0xff, 0xff, 0xff }, 6, 0, 6, 4, SEG_GS,
	  0xfffffffc, 0 },
	{ "mov %gs:-4,%edx", { 0x65, 0x8b, 0x15, 0xfc, 0xff, 0xff, 0xff }, 7, 0, 7, 4, SEG_GS,
	  0xfffffffc, 0 },
	{ "movl $1,%gs:-8", { 0x65, 0xc7, 0x05, 0xf8, 0xff, 0xff, 0xff, 1, 0, 0, 0 }, 11, 0, 11,
	  4, SEG_GS, 0xfffffff8, 1 },
	{ "mov %eax,(%ebx)", { 0x89, 0x03 }, 2, 0, 2, 4, SEG_DS, 0x2000, 0 },
	{ "mov %eax,8(%esp)", { 0x89, 0x44, 0x24, 0x08 }, 4, 0, 4, 4, SEG_SS, 0x8008, 0 },
	{ "mov -4(%ebp),%eax", { 0x8b, 0x45, 0xfc }, 3, 0, 3, 4, SEG_SS, 0x6ffc, 0 },
	{ "lock cmpxchg %ecx,(%edx)", { 0xf0, 0x0f, 0xb1, 0x0a }, 4, 0, 4, 4, SEG_DS, 0x4000, 0 },
	{ "lock btr %eax,(%edx)", { 0xf0, 0x0f, 0xb3, 0x02 }, 4, 0, 4, 4, SEG_DS, 0x4000, 0 },
	{ "btsl $1,(%ebx)", { 0x0f, 0xba, 0x2b, 0x01 }, 4, 0, 4, 4, SEG_DS, 0x2000, 1 },
	{ "andb $0xfd,1(%ebx)", { 0x80, 0x63, 0x01, 0xfd }, 4, 0, 4, 1, SEG_DS, 0x2001,
	  0xfffffffd },
	{ "xchg %eax,(%ebx)", { 0x87, 0x03 }, 2, 0, 2, 4, SEG_DS, 0x2000, 0 },
	{ "mov 0x1000(,%ecx,4),%eax", { 0x8b, 0x04, 0x8d, 0x00, 0x10, 0, 0 }, 7, 0, 7, 4, SEG_DS,
	  0x100c, 0 },
	{ "mov (%esi,%ecx,2),%ax", { 0x66, 0x8b, 0x04, 0x4e }, 4, 0, 4, 2, SEG_DS, 0x5006, 0 },
	{ "movzbl %fs:(%edi),%eax", { 0x64, 0x0f, 0xb6, 0x07 }, 4, 0, 4, 1, SEG_FS, 0x6000, 0 },
	{ "testl $0x10,(%ebx)", { 0xf7, 0x03, 0x10, 0, 0, 0 }, 6, 0, 6, 4, SEG_DS, 0x2000, 0x10 },
	{ "notl (%ebx): no imm", { 0xf7, 0x13 }, 2, 0, 2, 4, SEG_DS, 0x2000, 0 },
	{ "orl $-1,%gs:4(%eax)", { 0x65, 0x83, 0x48, 0x04, 0xff }, 5, 0, 5, 4, SEG_GS, 0x104,
	  0xffffffff },
	{ "16-bit addressing", { 0x67, 0x8b, 0x07 }, 3, -EINVAL, 0, 0, 0, 0, 0 },
	{ "not in the subset (nop)", { 0x90 }, 1, -EINVAL, 0, 0, 0, 0, 0 },
	{ "truncated displacement", { 0x8b, 0x15, 0xfc, 0xff }, 4, -EINVAL, 0, 0, 0, 0, 0 },
	{ "prefixes only", { 0x65, 0x65, 0x65 }, 3, -EINVAL, 0, 0, 0, 0, 0 },
	{ "15 bytes is the limit", { 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65,
				     0x65, 0x65, 0x65, 0x8b, 0x03 }, 15, 0, 15, 4, SEG_GS, 0x2000, 0 },
	{ "16 bytes is too long", { 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65, 0x65,
				    0x65, 0x65, 0x65, 0x65, 0x8b, 0x03 }, 16, -EINVAL, 0, 0, 0, 0, 0 },
};

int main(void)
{
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct insn in;
		int rc = insn_decode(cases[i].bytes, cases[i].n, &regs, &in);

		CHECK_EQ(rc, cases[i].rc, cases[i].what);
		if (rc || cases[i].rc)
			continue;
		CHECK(in.mem, "%s: memory operand", cases[i].what);
		CHECK_EQ(in.len, cases[i].len, cases[i].what);
		CHECK_EQ(in.size, cases[i].size, cases[i].what);
		CHECK_EQ(in.seg, cases[i].seg, cases[i].what);
		CHECK_EQ(in.offset, cases[i].offset, cases[i].what);
		CHECK_EQ(in.imm, cases[i].imm, cases[i].what);
	}
	return test_report("insn");
}
