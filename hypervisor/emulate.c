/* SPDX-License-Identifier: MIT */
/*
 * Two optional assists (vm_assist), each driven by a fault:
 *
 * writable_pagetables: the guest kernel stores to an entry of one of its own
 *   page tables (mapped read-only, so it faults).  We decode the store, do it
 *   as a validated update (mm_update_entry), and step past it.  Covers mov,
 *   xchg, cmpxchg, and/or and bit set/clear: what set_pte and friends emit.
 *
 * 4gb_segments: glibc's i386 TLS uses %gs:negative-offset, which wraps past
 *   4 GiB; with guest segment limits capped below the hypervisor that is a
 *   #GP.  As Xen did, we decode the access and flip the segment's descriptor
 *   between expand-up and expand-down (both kept below the hypervisor), then
 *   let the guest run the instruction again.  Only ever for ring 3.
 *
 * And, always, the privileged instructions a ring-1 kernel stumbles on while
 * probing a PC that is not there: rdmsr reads 0 and wrmsr is ignored (no
 * real MSR is touched), wbinvd does nothing (the hypervisor owns the
 * caches), and port I/O behaves as if no device answered: in reads all
 * ones, out is dropped.  The hypervisor owns every real device.
 */
#include <console.h>
#include <desc.h>
#include <domain.h>
#include <errno.h>
#include <guest_access.h>
#include <insn.h>
#include <lib.h>
#include <mm.h>
#include <mm_types.h>
#include <traps.h>

#define PF_PRESENT	0x1
#define PF_WRITE	0x2
#define PF_USER		0x4
#define FOUR_GB		(1ull << 32)

static bool assist_on(const struct domain *d, unsigned int type)
{
	return d->vm_assist & (1u << type);
}

/*
 * Base and byte limit of code segment sel, as the CPU applied them when it
 * ran the faulting instruction: the flat selectors are ours, the rest come
 * from the guest's GDT or LDT.  (Had the guest changed the descriptor since
 * it loaded CS, we would fetch elsewhere than the CPU did, but only what the
 * faulting ring may read: that confuses no one but the guest.)
 */
static bool code_segment(const struct vcpu *v, uint32_t sel, uint32_t *base, uint32_t *limit)
{
	struct seg_desc *d;
	bool ok;

	sel &= 0xffff;
	if (sel == XENO_FLAT_RING1_CS || sel == XENO_FLAT_RING3_CS) {
		*base = 0;
		*limit = XENO_GUEST_SEGMENT_LIMIT;
		return true;
	}
	d = map_guest_descriptor(v, sel);
	if (!d)
		return false;
	ok = (d->hi & DESC_P) && (d->hi & DESC_S) && ((d->hi >> DESC_TYPE_SHIFT) & SEG_CODE);
	*base = desc_base(d);
	*limit = desc_byte_limit(d);
	unmap_domain_page(d);
	return ok;
}

/*
 * Fetch up to max bytes of the instruction at CS:EIP as the faulting ring
 * saw it: at linear CS.base + EIP, no byte past CS's limit, and from ring 3
 * only out of user pages.  Stops at the first byte it cannot fetch so;
 * returns how many it got (the decoder refuses what is cut short).
 */
unsigned int fetch_insn(const struct vcpu *v, const struct cpu_regs *r, uint8_t *buf,
			unsigned int max)
{
	bool user = regs_ring(r) == 3;
	uint32_t base, limit, n = 0;

	if (!code_segment(v, r->cs, &base, &limit) || r->eip > limit)
		return 0;
	max = MIN(max, limit - r->eip + 1);
	while (n < max) {
		uint32_t lin = base + r->eip + n;
		uint32_t chunk = MIN(max - n, PAGE_SIZE - (lin & ~PAGE_MASK));

		if ((user && !guest_user_page(v, lin)) || copy_from_guest(buf + n, lin, chunk))
			break;
		n += chunk;
	}
	return n;
}

static uint32_t *reg_slot(struct cpu_regs *r, unsigned int n)
{
	uint32_t *slots[8] = { &r->eax, &r->ecx, &r->edx, &r->ebx, NULL, &r->ebp, &r->esi, &r->edi };

	return slots[n & 7];
}

static uint32_t parity_flag(uint32_t v)
{
	return __builtin_parity(v & 0xff) ? 0 : 0x4;	/* PF: even parity */
}

/* ZF, SF, PF from a result; CF and OF cleared (logical operations). */
static void set_logic_flags(struct cpu_regs *r, uint32_t v, unsigned int size)
{
	uint32_t sign = size == 1 ? 0x80 : 0x80000000u;

	r->eflags &= ~(EFLAGS_CF | 0x4 | 0x40 | 0x80 | 0x800);
	r->eflags |= (v ? 0 : 0x40) | ((v & sign) ? 0x80 : 0) | parity_flag(v);
}

/*
 * The new value of the 32-bit entry 'old' after the store in 'in' (byte
 * operations act on byte 'byte' of it).  False if we do not handle it.
 */
static bool ptwr_compute(struct cpu_regs *r, const struct insn *in, uint32_t old,
			 unsigned int byte, uint32_t *new, bool *write)
{
	uint32_t *src = reg_slot(r, in->reg), bit;
	unsigned int shift = byte * 8;

	*write = true;
	if (in->two_byte) {
		switch (in->opcode) {
		case 0xb1:			/* cmpxchg r32, r/m32 */
			if (!src)
				return false;
			if (r->eax == old) {
				*new = *src;
				r->eflags |= 0x40;
			} else {
				r->eax = old;
				r->eflags &= ~0x40u;
				*write = false;
			}
			return true;
		case 0xab: case 0xb3: case 0xba:	/* bts, btr (reg or imm) */
			if (in->opcode == 0xba && in->reg != 5 && in->reg != 6)
				return false;
			if (in->opcode != 0xba && !src)
				return false;
			bit = (in->opcode == 0xba ? in->imm : *src) & 31;
			r->eflags = (r->eflags & ~EFLAGS_CF) | ((old >> bit) & 1);
			if (in->opcode == 0xab || (in->opcode == 0xba && in->reg == 5))
				*new = old | (1u << bit);
			else
				*new = old & ~(1u << bit);
			return true;
		}
		return false;
	}
	switch (in->opcode) {
	case 0x89:				/* mov r32, r/m32 */
		if (!src)
			return false;
		*new = *src;
		return true;
	case 0xc7:				/* mov imm32, r/m32 */
		if (in->reg != 0)
			return false;
		*new = in->imm;
		return true;
	case 0x87:				/* xchg r32, r/m32 */
		if (!src)
			return false;
		*new = *src;
		*src = old;
		return true;
	case 0x09: case 0x21:			/* or / and r32, r/m32 */
		if (!src)
			return false;
		*new = in->opcode == 0x09 ? old | *src : old & *src;
		set_logic_flags(r, *new, 4);
		return true;
	case 0x81: case 0x83: case 0x80:	/* or / and imm */
		if (in->reg != 1 && in->reg != 4)
			return false;
		if (in->opcode == 0x80) {	/* on one byte of the entry */
			uint32_t b = (old >> shift) & 0xff;

			b = in->reg == 1 ? b | (in->imm & 0xff) : b & in->imm & 0xff;
			*new = (old & ~(0xffu << shift)) | (b << shift);
			set_logic_flags(r, b, 1);
			return true;
		}
		*new = in->reg == 1 ? old | in->imm : old & in->imm;
		set_logic_flags(r, *new, 4);
		return true;
	}
	return false;
}

bool ptwr_emulate(struct vcpu *v, struct cpu_regs *r, uint32_t cr2)
{
	struct domain *d = v->domain;
	struct cpu_regs before;
	uint8_t bytes[INSN_MAX_LEN];
	uint32_t type, *table, old, val;
	struct insn in;
	bool write;
	pte_t pte;
	mfn_t mfn;
	int rc;

	if (!assist_on(d, XENO_VMASST_TYPE_WRITABLE_PAGETABLES) || regs_ring(r) != 1 ||
	    (r->error_code & (PF_PRESENT | PF_WRITE | PF_USER)) != (PF_PRESENT | PF_WRITE))
		return false;
	pte = guest_lookup_pte(v, cr2);
	mfn = pte_mfn(pte);
	if (!(pte & _PAGE_PRESENT) || !mfn_valid(mfn) || mfn_to_page(mfn)->owner != d->id)
		return false;
	type = mfn_to_page(mfn)->type_info;
	if (!(type & PGT_validated) || ((type & PGT_type_mask) != PGT_l1 &&
					(type & PGT_type_mask) != PGT_l2))
		return false;
	if (insn_decode(bytes, fetch_insn(v, r, bytes, INSN_MAX_LEN), r, &in) || !in.mem)
		return false;
	if (in.size != 4 && !(in.size == 1 && !in.two_byte && in.opcode == 0x80))
		return false;
	if (in.size == 4 && (cr2 & 3))
		return false;			/* misaligned entry write */
	table = map_domain_page(mfn);
	old = table[(cr2 & ~PAGE_MASK) / 4];
	unmap_domain_page(table);
	before = *r;
	if (!ptwr_compute(r, &in, old, cr2 & 3, &val, &write))
		return false;
	if (write) {
		rc = mm_update_entry(d, mfn, (cr2 & ~PAGE_MASK) / 4, val);
		if (rc) {
			gprintk("d%u: page-table write %08x at %08x refused (%d)\n", d->id, val,
				r->eip, rc);
			*r = before;	/* the #PF is the guest's, as if nothing ran */
			return false;
		}
	}
	r->eip += in.len;
	return true;
}

/* Would the segment allow offsets [off, off + size)? */
static bool access_fits(const struct seg_desc *d, uint32_t off, uint32_t size)
{
	uint32_t limit = desc_limit_field(d);
	uint64_t eff = (d->hi & DESC_G) ? ((uint64_t)limit << PAGE_SHIFT) | (PAGE_SIZE - 1) : limit;
	uint64_t last = (uint64_t)off + size - 1;

	if ((d->hi >> DESC_TYPE_SHIFT) & SEG_DATA_EXPAND_DOWN)
		return off > eff && last <= ((d->hi & DESC_DB) ? 0xffffffffu : 0xffffu);
	return last <= eff;
}

/* New descriptor for an access at [off, off+size) through base: or false. */
static bool flip_descriptor(struct seg_desc *d, uint32_t off, uint32_t size)
{
	uint32_t base = desc_base(d), type = (d->hi & DESC_TYPE_MASK) >> DESC_TYPE_SHIFT;
	uint64_t first = (uint64_t)base + off, last = first + size - 1;
	bool down = type & SEG_DATA_EXPAND_DOWN;
	struct seg_desc n = *d;

	if ((type & SEG_CODE) || !(d->hi & DESC_P) || (uint64_t)off + size > FOUR_GB)
		return false;
	if (first >= FOUR_GB && last - FOUR_GB < base && !down) {
		/* Wrapped below the base: expand-down covering [0, base). */
		n.hi |= SEG_DATA_EXPAND_DOWN << DESC_TYPE_SHIFT;
		n.hi |= DESC_DB;
		n.lo &= 0xffff0000;
		n.hi &= ~0x000f0000u;		/* limit 0: check_descriptor raises it */
	} else if (last < XENO_GUEST_SEGMENT_END && down) {
		/* Plain positive offset on a flipped segment: expand-up again. */
		n.hi &= ~(SEG_DATA_EXPAND_DOWN << DESC_TYPE_SHIFT);
		n.lo |= 0xffff;
		n.hi |= 0x000f0000 | DESC_G;	/* 4 GiB: check_descriptor cuts it */
	} else {
		return false;
	}
	if (check_descriptor(&n) || !access_fits(&n, off, size))
		return false;
	*d = n;
	desc_generation++;
	return true;
}

bool emulate_4gb_segment(struct vcpu *v, struct cpu_regs *r)
{
	struct domain *d = v->domain;
	uint8_t bytes[INSN_MAX_LEN];
	struct seg_desc *desc;
	struct insn in;
	uint32_t sel;
	bool done;

	if (!assist_on(d, XENO_VMASST_TYPE_4GB_SEGMENTS) || regs_ring(r) != 3 || r->error_code)
		return false;
	if (insn_decode(bytes, fetch_insn(v, r, bytes, INSN_MAX_LEN), r, &in) || !in.mem)
		return false;
	switch (in.seg) {
	case SEG_DS: sel = r->ds; break;
	case SEG_ES: sel = r->es; break;
	case SEG_FS: sel = r->fs; break;
	case SEG_GS: sel = r->gs; break;
	default: return false;
	}
	desc = map_guest_descriptor(v, sel);
	if (!desc)
		return false;
	done = flip_descriptor(desc, in.offset, in.size);
	unmap_domain_page(desc);
	if (done && !d->warned_4gb) {
		d->warned_4gb = true;
		printk("d%u: emulating wrap-around segment accesses (negative %%gs offsets, "
		       "as i386 glibc TLS makes): correct but slow\n", d->id);
	}
	d->segment_flips += done;
	return done;
}

#define OPCODE_TWO_BYTE	0x0f
#define OPCODE_WRMSR	0x30
#define OPCODE_RDMSR	0x32
#define OPCODE_WBINVD	0x09
#define OPCODE_OPSIZE	0x66
#define OPCODE_IN_IMM	0xe4	/* e4/e5: in imm8; ec/ed: in dx */
#define OPCODE_OUT_IMM	0xe6	/* e6/e7: out imm8; ee/ef: out dx */
#define OPCODE_IN_DX	0xec
#define OPCODE_OUT_DX	0xee

/* Port I/O from ring 1: as if no device answered (reads all ones). */
static bool emulate_port_io(struct cpu_regs *r, const uint8_t *op, unsigned int avail)
{
	unsigned int len = 0, size;
	uint8_t opc;

	if (avail && op[0] == OPCODE_OPSIZE)
		len++;
	if (len >= avail)
		return false;
	opc = op[len++];
	switch (opc & ~1u) {
	case OPCODE_IN_IMM:
	case OPCODE_OUT_IMM:
		len++;			/* the port number */
		break;
	case OPCODE_IN_DX:
	case OPCODE_OUT_DX:
		break;
	default:
		return false;
	}
	size = !(opc & 1) ? 1 : op[0] == OPCODE_OPSIZE ? 2 : 4;
	if ((opc & ~1u) == OPCODE_IN_IMM || (opc & ~1u) == OPCODE_IN_DX)
		r->eax = size == 4 ? 0xffffffffu : (r->eax & ~((1u << (8 * size)) - 1)) |
			 ((1u << (8 * size)) - 1);
	r->eip += len;
	return true;
}

bool emulate_privileged_op(struct vcpu *v, struct cpu_regs *r)
{
	uint8_t op[3];
	unsigned int n;

	if (regs_ring(r) != 1 || r->error_code)
		return false;
	n = fetch_insn(v, r, op, sizeof(op));
	if (emulate_port_io(r, op, n))
		return true;
	if (n < 2 || op[0] != OPCODE_TWO_BYTE)
		return false;
	switch (op[1]) {
	case OPCODE_RDMSR:
		r->eax = r->edx = 0;
		break;
	case OPCODE_WRMSR:
	case OPCODE_WBINVD:
		break;
	default:
		return false;
	}
	r->eip += 2;
	return true;
}
