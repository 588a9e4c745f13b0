/* SPDX-License-Identifier: MIT */
/*
 * build-image-source: DOM0_CREATEDOMAIN with a good kernel image but bad
 * arguments: the image in the hypervisor, wrapping past 4 GiB, unmapped, or
 * readable in its headers only; kernel or initrd over 64 MiB; an unreadable
 * initrd or command line (and a command line that ends right before an
 * unmapped page); no memory, too little, more than there is, more than fits
 * below the hypervisor.
 *
 * Rule (abi.md 3.2, 6.19): a header that cannot be read is -ENOEXEC; an
 * image, initrd or command line that cannot be read while loading is -EFAULT;
 * an image or initrd over 64 MiB is -E2BIG; memory that does not fit or is
 * not there is -ENOMEM; build failures print "cannot build: REASON"; nothing
 * is left behind, not even the frames a half-built domain had.
 * Why it matters: the builder reads Domain0's memory through these pointers
 * at ring 0: unchecked, they copy hypervisor memory into a new domain; a
 * half-built domain that is not undone leaks its frames.
 */
#include <pt.h>

const char test_title[] = "build-image-source: bad image, initrd and memory arguments";

static struct img im;

static struct xeno_dom0_createdomain good(void)
{
	return (struct xeno_dom0_createdomain){ .kernel_va = (uint32_t)im.buf,
						.kernel_len = im.len, .mem_kb = BUILD_KB };
}

static void attack(void)
{
	const long E = -XENO_ENOEXEC;
	struct xeno_dom0_createdomain c;
	uint32_t code = (uint32_t)im.buf + 0x1000, code_pte;
	char *page = alloc_page(), *after = alloc_page();
	uint32_t after_pte = *pte_of((uint32_t)after);

	img_reset(&im);
	code = (uint32_t)im.buf + 0x1000;
	code_pte = *pte_of(code);
	build_img("the good image", &im, 0, NULL);
	c = good(), c.kernel_va = XENO_HYPERVISOR_VIRT_START;
	build_expect("the image in the hypervisor", c, E, "shorter than an ELF header");
	c = good(), c.kernel_va = 0xfffff000u;
	build_expect("the image wrapping past 4 GiB", c, E, "shorter than an ELF header");
	c = good(), c.kernel_va = 0x30000000;
	build_expect("an unmapped image", c, E, "shorter than an ELF header");
	c = good(), c.kernel_va = 0;
	build_expect("the image at address 0", c, E, "shorter than an ELF header");
	/* Headers readable, the code page not. */
	EXPECT_EQ(update_va((void *)code, 0, XENO_UVMF_INVLPG), 0);
	build_expect("the code page unmapped", good(), -XENO_EFAULT, "could not be read");
	EXPECT_EQ(update_va((void *)code, code_pte, XENO_UVMF_INVLPG), 0);

	c = good(), c.kernel_len = (64u << 20) + 1;
	build_expect("a kernel over 64 MiB", c, -XENO_E2BIG, NULL);
	c = good(), c.kernel_len = 0xffffffffu;
	build_expect("a kernel of 4 GiB", c, -XENO_E2BIG, NULL);
	c = good(), c.initrd_va = (uint32_t)im.buf, c.initrd_len = (64u << 20) + 1;
	build_expect("an initrd over 64 MiB", c, -XENO_E2BIG, NULL);
	c = good(), c.initrd_va = XENO_HYPERVISOR_VIRT_START, c.initrd_len = 100;
	build_expect("an initrd in the hypervisor", c, -XENO_EFAULT, "could not be read");
	c = good(), c.initrd_va = 0x30000000, c.initrd_len = PAGE_SIZE;
	build_expect("an unmapped initrd", c, -XENO_EFAULT, "could not be read");

	/* Command lines: read up to their NUL, and no further. */
	EXPECT_EQ(update_va(after, 0, XENO_UVMF_INVLPG), 0);
	c = good(), c.cmdline_va = XENO_HYPERVISOR_VIRT_START;
	build_expect("a command line in the hypervisor", c, -XENO_EFAULT, NULL);
	c = good(), c.cmdline_va = 0x30000000;
	build_expect("an unmapped command line", c, -XENO_EFAULT, NULL);
	memset(page, 'x', PAGE_SIZE);
	c = good(), c.cmdline_va = (uint32_t)after - 16;
	build_expect("a command line running into an unmapped page", c, -XENO_EFAULT, NULL);
	page[PAGE_SIZE - 1] = '\0';
	build_expect("a command line ending at an unmapped page", c, 0, NULL);
	page[PAGE_SIZE - 1] = 'x';
	c.cmdline_va = (uint32_t)after - 1023;		/* no NUL: cut after 1023 bytes */
	build_expect("1023 bytes without a NUL, then an unmapped page", c, 0, NULL);
	c.cmdline_va = (uint32_t)after - 1022;
	build_expect("1022 bytes without a NUL, then an unmapped page", c, -XENO_EFAULT, NULL);
	EXPECT_EQ(update_va(after, after_pte, XENO_UVMF_INVLPG), 0);

	/* Memory. */
	c = good(), c.mem_kb = 0;
	build_expect("no memory", c, -XENO_ENOMEM, "not enough memory");
	c = good(), c.mem_kb = 64;
	build_expect("64 KiB", c, -XENO_ENOMEM, "not enough memory");
	c = good(), c.mem_kb = 512u << 10;
	build_expect("more memory than the machine has", c, -XENO_ENOMEM,
		     "not enough free memory");
	c = good(), c.mem_kb = 0xffffffffu;
	build_expect("4 TiB", c, -XENO_ENOMEM, "does not fit below the hypervisor");
	c = good(), c.max_mem_kb = 4;
	build_expect("max_mem_kb below mem_kb (ignored)", c, 0, NULL);
	build_img("the good image again", &im, 0, NULL);
}

const struct hostile hostile = { .where = IN_DOM0, .attack = attack };
