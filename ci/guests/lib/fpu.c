/* SPDX-License-Identifier: MIT */
/*
 * FPU and SSE register helpers for test guests: fill every register with a
 * pattern, compare the live registers with a saved image, and check the
 * clean state a vCPU must start with.  All through fxsave/fxrstor.
 */
#include "guest.h"

#define FX_FCW		0	/* uint16_t */
#define FX_FSW		2	/* uint16_t */
#define FX_FTW		4	/* uint8_t, abridged: bit set = valid */
#define FX_MXCSR	24	/* uint32_t */
#define FX_ST		32	/* 8 x 16 bytes, 10 used */
#define FX_XMM		160	/* 8 x 16 bytes */
#define FX_END		288
#define FCW_DEFAULT	0x037f
#define MXCSR_DEFAULT	0x1f80
#define MXCSR_FZ	0x8000

static uint8_t scratch[FPU_AREA_SIZE] __attribute__((aligned(16)));

void fpu_save(uint8_t *area)
{
	asm volatile("fxsave (%0)" : : "r"(area) : "memory");
}

void fpu_load(const uint8_t *area)
{
	asm volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

void fpu_fill(uint32_t seed, uint8_t *area)
{
	uint32_t x = seed * 2654435761u + 1;

	memset(area, 0, FPU_AREA_SIZE);
	*(uint16_t *)(area + FX_FCW) = FCW_DEFAULT & ~0x0100;	/* single precision */
	area[FX_FTW] = 0xff;
	*(uint32_t *)(area + FX_MXCSR) = MXCSR_DEFAULT | MXCSR_FZ;
	for (unsigned int r = 0; r < 8; r++) {
		for (unsigned int b = 0; b < 10; b++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			area[FX_ST + 16 * r + b] = (uint8_t)x;
		}
		area[FX_ST + 16 * r + 9] &= 0x3f;	/* keep the exponent modest */
		area[FX_ST + 16 * r + 7] |= 0x80;	/* explicit integer bit: normal */
	}
	for (unsigned int i = 0; i < 32; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		((uint32_t *)(area + FX_XMM))[i] = x;
	}
	fpu_load(area);
	fpu_save(area);		/* as the CPU stores it back */
}

static bool zero(const uint8_t *p, unsigned int n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

const char *fpu_compare(const uint8_t *area)
{
	fpu_save(scratch);
	if (memcmp(scratch, area, 6))
		return "x87 control, status or tag word changed";
	if (memcmp(scratch + FX_MXCSR, area + FX_MXCSR, 4))
		return "MXCSR changed";
	for (unsigned int r = 0; r < 8; r++)
		if (memcmp(scratch + FX_ST + 16 * r, area + FX_ST + 16 * r, 10))
			return "an x87 register changed";
	if (memcmp(scratch + FX_XMM, area + FX_XMM, FX_END - FX_XMM))
		return "an XMM register changed";
	return NULL;
}

const char *fpu_check_clean(void)
{
	fpu_save(scratch);
	if (*(uint16_t *)(scratch + FX_FCW) != FCW_DEFAULT)
		return "the x87 control word is not the FNINIT default";
	if (*(uint16_t *)(scratch + FX_FSW) || scratch[FX_FTW])
		return "x87 status or tag word not clear";
	if (*(uint32_t *)(scratch + FX_MXCSR) != MXCSR_DEFAULT)
		return "MXCSR is not the default 0x1f80";
	for (unsigned int r = 0; r < 8; r++)
		if (!zero(scratch + FX_ST + 16 * r, 10))
			return "an x87 register holds data (tagged empty, but readable)";
	if (!zero(scratch + FX_XMM, FX_END - FX_XMM))
		return "an XMM register holds data";
	return NULL;
}
