/* SPDX-License-Identifier: MIT */
/*
 * fpu: lazy FPU switching keeps every domain's x87 and SSE registers
 * intact across context switches.
 *
 * The hypervisor sets CR0.TS at every switch and moves FPU state only when
 * a domain next touches the FPU (#NM), so correctness depends on saving the
 * previous owner's state before loading the next one's, every time.  Here
 * Domain0 and a partner each fill all x87 registers, the control/status/
 * tag words, MXCSR and XMM0-7 with their own pattern and check them after
 * each of many sleeps during which the other one runs and uses the FPU.
 * The guest's virtual CR0.TS (fpu_taskswitch) must stay its own too: set in
 * Domain0, it must not stop the partner, and it survives switches.
 */
#include <guest.h>

const char test_title[] = "fpu: FPU/SSE state survives context switches";

#define MS		1000000ull
#define KB		4096
#define ROUNDS		150

static volatile unsigned int nm_hits;

static bool on_nm(struct gregs *r)
{
	(void)r;
	nm_hits++;
	HYPERCALL1(fpu_taskswitch, 0);
	return true;
}

void test_main(void)
{
	static uint8_t image[FPU_AREA_SIZE] __attribute__((aligned(16)));
	uint32_t log;
	const char *why;
	long id;

	if (!need_partner_image())
		return;
	set_trap_hook(7, on_nm);
	why = fpu_check_clean();
	CHECK(!why, "Domain0's initial FPU state: %s", why);

	id = domain_start_initrd("fpu 2", KB, &log);
	if (id <= 0) {
		xtf_error("cannot create the partner (%ld)", id);
		return;
	}
	fpu_fill(1, image);
	for (unsigned int i = 0; i < ROUNDS; i++) {
		sleep_ns(MS);
		why = fpu_compare(image);
		if (why) {
			xtf_failure("Domain0, after %u sleeps: %s", i + 1, why);
			break;
		}
	}
	/* Our virtual TS: we take #NM, the partner (still running) does not. */
	HYPERCALL1(fpu_taskswitch, 1);
	sleep_ns(5 * MS);
	nm_hits = 0;
	why = fpu_compare(image);		/* fxsave: #NM first, then it runs */
	CHECK(nm_hits == 1 && !why, "with TS set: %u #NM, %s", nm_hits, why ? why : "state ok");
	EXPECT_EQ(domain_finish((uint32_t)id, log, 5000 * MS, "the partner"), 0);
	xtf_success(NULL);
}
