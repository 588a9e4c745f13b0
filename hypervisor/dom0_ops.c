/* SPDX-License-Identifier: MIT */
/*
 * dom0_op: the control interface, for privileged domains only.  Mechanism
 * only: which domains exist and how they are scheduled is decided by
 * Domain0's tools.
 */
#include <console.h>
#include <domain.h>
#include <domain_build.h>
#include <errno.h>
#include <event.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <panic.h>
#include <pdisk.h>
#include <public/dom0_ops.h>
#include <sched.h>
#include <time.h>
#include <vbd.h>
#include <vfr.h>
#include <vif.h>

#define MAX_IMAGE_BYTES	(64u << 20)

/* Build sources that read the calling domain's memory. */
static int read_guest(const struct elf_source *src, uint32_t off, void *buf, uint32_t len)
{
	if (off > src->size || len > src->size - off)
		return -EFAULT;
	return copy_from_guest(buf, src->base + off, len);
}

/* A NUL-terminated string from the caller, read up to its end only. */
static int read_guest_string(char *buf, uint32_t size, uint32_t va)
{
	uint32_t n = 0;

	memset(buf, 0, size);
	while (va && n < size - 1) {
		uint32_t chunk = MIN(size - 1 - n, PAGE_SIZE - ((va + n) & (PAGE_SIZE - 1)));

		if (copy_from_guest(buf + n, va + n, chunk))
			return -EFAULT;
		if (strnlen(buf + n, chunk) < chunk)
			break;
		n += chunk;
	}
	return 0;
}

static domid_t free_domid(void)
{
	for (domid_t id = 1; id < MAX_DOMAINS; id++)
		if (!domain_find(id))
			return id;
	return 0;
}

static long create_domain(struct xeno_dom0_createdomain *c)
{
	struct elf_source kernel = { c->kernel_len, read_guest, NULL, c->kernel_va };
	struct elf_source initrd = { c->initrd_len, read_guest, NULL, c->initrd_va };
	static char cmdline[XENO_START_INFO_CMDLINE];	/* one CPU; hypercalls do not nest */
	struct build_args a = { &kernel, c->initrd_len ? &initrd : NULL, cmdline,
				c->mem_kb / 4, MAX(c->max_mem_kb, c->mem_kb) / 4 };
	const char *why = "";
	struct domain *d;
	domid_t id = free_domid();
	int rc;

	if (!id)
		return -ENOSPC;
	if (c->kernel_len > MAX_IMAGE_BYTES || c->initrd_len > MAX_IMAGE_BYTES)
		return -E2BIG;
	if (read_guest_string(cmdline, sizeof(cmdline), c->cmdline_va))
		return -EFAULT;
	d = domain_create(id, false);
	if (!d)
		return -ENOMEM;
	rc = domain_build(d, &a, &why);
	if (rc) {
		printk("d%u: cannot build: %s\n", id, why);
		domain_destroy(d);
		return rc;
	}
	time_init_domain_wallclock(&d->vcpu);
	d->vcpu.paused = true;
	d->vcpu.state = VCPU_RUNNABLE;
	c->domid = id;
	return 0;
}

static void get_info(const struct domain *d, struct xeno_dom0_getdomaininfo *i)
{
	const struct vcpu *v = &d->vcpu;

	i->domid = d->id;
	i->flags = (v == current ? XENO_DOMINFO_RUNNING : 0) |
		   (v->state == VCPU_BLOCKED ? XENO_DOMINFO_BLOCKED : 0) |
		   (v->paused ? XENO_DOMINFO_PAUSED : 0) |
		   (d->shutdown != SHUTDOWN_NONE ? XENO_DOMINFO_SHUTDOWN : 0) |
		   (d->shutdown == SHUTDOWN_CRASH ? XENO_DOMINFO_CRASHED : 0) |
		   (d->privileged ? XENO_DOMINFO_PRIVILEGED : 0) |
		   (d->destroy_deferred ? XENO_DOMINFO_DYING : 0);
	i->tot_pages = d->tot_pages;
	i->max_pages = d->max_pages;
	i->cpu_time_ns = v->cpu_time;
	i->shutdown_reason = d->shutdown == SHUTDOWN_NONE ? 0 : (uint32_t)d->shutdown;
	i->nr_event_channels = evtchn_ports_in_use(d);
	sched_get_bvt(v, &i->bvt);
	memcpy(i->name, d->name, sizeof(i->name));
	i->console_dropped = d->console.dropped;
}

static void get_physinfo(struct xeno_dom0_physinfo *p)
{
	const struct domain *d;

	*p = (struct xeno_dom0_physinfo){ .total_pages = (uint32_t)nr_ram_frames,
					  .cpu_khz = tsc_khz() };
	for (mfn_t m = 0; m < max_mfn; m++) {
		p->free_pages += frame_table[m].owner == DOMID_FREE;
		p->hypervisor_pages += frame_table[m].owner == DOMID_XEN;
	}
	p->mapcache_in_use = mapcache_in_use();
	for (d = domain_list; d; d = d->next)
		p->nr_domains++;
}

/* A domain other than the caller and Domain0. */
static long pdisk_info(struct xeno_dom0_pdiskinfo *p)
{
	const struct pdisk *disk = pdisk_get(p->index);

	if (!disk)
		return -ENXIO;
	p->flags = disk->readonly ? XENO_PDISK_F_READONLY : 0;
	p->sectors = disk->sectors;
	memset(p->name, 0, sizeof(p->name));
	strlcpy(p->name, disk->name, sizeof(p->name));
	return 0;
}

static long vbd_op(uint32_t cmd, struct xeno_dom0_vbd *b)
{
	struct domain *d = domain_find(b->domid);
	struct vbd_info info;
	int rc;

	if (!d || d->dying)
		return -ESRCH;
	switch (cmd) {
	case XENO_DOM0_VBD_CREATE:
		if (b->flags & ~XENO_VBD_F_READONLY)
			return -EINVAL;
		return vbd_create(d, b->handle, b->flags & XENO_VBD_F_READONLY);
	case XENO_DOM0_VBD_GROW:
		return vbd_grow(d, b->handle, b->pdisk, b->start, b->sectors);
	case XENO_DOM0_VBD_DESTROY:
		return vbd_destroy_handle(d, b->handle);
	}
	rc = vbd_get_info(d, b->handle, &info);
	if (rc)
		return rc;
	b->flags = (info.readonly ? XENO_VBD_F_READONLY : 0) |
		   (info.connected ? XENO_VBD_F_CONNECTED : 0);
	b->nr_extents = info.nr_extents;
	b->sectors = info.sectors;
	b->reads = info.stats.reads, b->writes = info.stats.writes;
	b->sectors_read = info.stats.sectors_read;
	b->sectors_written = info.stats.sectors_written;
	b->refused = info.stats.refused, b->errors = info.stats.errors;
	b->in_flight = info.in_flight;
	return 0;
}

static long vif_op(uint32_t cmd, struct xeno_dom0_vif *f)
{
	struct domain *d = domain_find(f->domid);

	if (!d || d->dying)
		return -ESRCH;
	switch (cmd) {
	case XENO_DOM0_VIF_CREATE:
		return vif_create(d, f->handle, f->mac, f->ip, f->flags);
	case XENO_DOM0_VIF_DESTROY:
		return vif_destroy_handle(d, f->handle);
	case XENO_DOM0_VIF_SETCREDIT:
		return vif_set_credit(d, f->handle, f->credit_bytes, f->credit_usec);
	case XENO_DOM0_VIF_SETIP:
		return vif_set_ip(d, f->handle, f->ip);
	}
	return vif_get_info(d, f->handle, f);
}

static long vfr_op(uint32_t cmd, struct xeno_dom0_vfr *f)
{
	long rc;

	switch (cmd) {
	case XENO_DOM0_VFR_ADD:
		rc = vfr_add(f->index, &f->rule, &f->index);
		break;
	case XENO_DOM0_VFR_DEL:
		rc = vfr_del(f->index);
		break;
	default:
		rc = vfr_get(f->index, &f->rule);
		break;
	}
	f->count = vfr_count();
	return rc;
}

static long pnic_info(struct xeno_dom0_pnicinfo *p)
{
	const struct pnic *nic = pnic_get(p->index);
	uint32_t index = p->index;

	if (!nic)
		return -ENXIO;
	memset(p, 0, sizeof(*p));
	p->index = index;
	p->flags = nic == netsw_uplink() ? XENO_PNIC_F_UPLINK : 0;
	memcpy(p->mac, nic->mac, sizeof(p->mac));
	strlcpy(p->name, nic->name, sizeof(p->name));
	p->tx_packets = nic->stats.tx_packets, p->tx_bytes = nic->stats.tx_bytes;
	p->rx_packets = nic->stats.rx_packets, p->rx_bytes = nic->stats.rx_bytes;
	p->tx_errors = nic->stats.tx_errors, p->rx_errors = nic->stats.rx_errors;
	p->rx_dropped = nic->stats.rx_dropped;
	return 0;
}

static struct domain *other_domain(uint32_t id)
{
	struct domain *d = domain_find(id);

	if (!d || d == current->domain || d->id == 0)
		return NULL;
	return d;
}

/* Domain0 ends the machine with a verdict; does not return on success. */
static long machine_exit_verdict(const struct xeno_dom0_machine_exit *m)
{
	static const enum machine_exit_code codes[] = {
		[XENO_VERDICT_SUCCESS] = EXIT_PASS, [XENO_VERDICT_FAILURE] = EXIT_FAIL,
		[XENO_VERDICT_ERROR] = EXIT_ERROR, [XENO_VERDICT_SKIP] = EXIT_SKIP,
	};
	static const char *const names[] = { "SUCCESS", "FAILURE", "ERROR", "SKIP" };

	if (current->domain->id != 0)
		return trace_error(-EPERM);
	if (m->verdict >= ARRAY_SIZE(codes))
		return -EINVAL;
	printk("domain 0 ends the machine: %s\n", names[m->verdict]);
	machine_exit(codes[m->verdict]);
}

static long dom0_op_run(struct xeno_dom0_op *op)
{
	struct domain *d;

	switch (op->cmd) {
	case XENO_DOM0_CREATEDOMAIN:
		return create_domain(&op->u.createdomain);
	case XENO_DOM0_DESTROYDOMAIN:
		d = other_domain(op->u.domain.domid);
		if (!d)
			return -ESRCH;
		domain_destroy(d);
		return 0;
	case XENO_DOM0_PAUSEDOMAIN:
	case XENO_DOM0_UNPAUSEDOMAIN:
		d = other_domain(op->u.domain.domid);
		if (!d)
			return -ESRCH;
		if (op->cmd == XENO_DOM0_PAUSEDOMAIN)
			domain_pause(d);
		else
			domain_unpause(d);
		return 0;
	case XENO_DOM0_GETDOMAININFO:
		for (d = domain_list; d && d->id < op->u.getdomaininfo.domid; d = d->next)
			;
		if (!d)
			return -ESRCH;
		get_info(d, &op->u.getdomaininfo);
		return 0;
	case XENO_DOM0_SETBVT:
		d = domain_find(op->u.setbvt.domid);
		return d ? sched_set_bvt(&d->vcpu, &op->u.setbvt.bvt) : -ESRCH;
	case XENO_DOM0_SETMEMTARGET:
		d = domain_find(op->u.setmem.domid);
		if (!d)
			return -ESRCH;
		if (op->u.setmem.kb / 4 > d->max_pages)
			return -EINVAL;
		d->shared_info->balloon_target_pages = op->u.setmem.kb / 4;
		send_guest_virq(d, XENO_VIRQ_BALLOON);
		return 0;
	case XENO_DOM0_SETMAXMEM:
		d = domain_find(op->u.setmem.domid);
		if (!d)
			return -ESRCH;
		if (op->u.setmem.kb / 4 < d->tot_pages)
			return -EINVAL;
		d->max_pages = op->u.setmem.kb / 4;
		return 0;
	case XENO_DOM0_READCONSOLE: {
		struct xeno_dom0_readconsole *rc = &op->u.readconsole;
		char buf[256];
		size_t pos = rc->pos, n = console_read_log(buf, MIN(rc->size, sizeof(buf)), &pos);

		if (copy_to_guest(rc->buffer, buf, (uint32_t)n))
			return -EFAULT;
		rc->size = (uint32_t)n;
		rc->pos = (uint32_t)pos;
		return 0;
	}
	case XENO_DOM0_DEBUGKEY:
		return debug_key(op->u.debugkey.key) ? 0 : -EINVAL;
	case XENO_DOM0_PHYSINFO:
		get_physinfo(&op->u.physinfo);
		return 0;
	case XENO_DOM0_PDISKINFO:
		return pdisk_info(&op->u.pdiskinfo);
	case XENO_DOM0_VBD_CREATE:
	case XENO_DOM0_VBD_GROW:
	case XENO_DOM0_VBD_DESTROY:
	case XENO_DOM0_VBD_INFO:
		return vbd_op(op->cmd, &op->u.vbd);
	case XENO_DOM0_VIF_CREATE:
	case XENO_DOM0_VIF_DESTROY:
	case XENO_DOM0_VIF_INFO:
	case XENO_DOM0_VIF_SETCREDIT:
	case XENO_DOM0_VIF_SETIP:
		return vif_op(op->cmd, &op->u.vif);
	case XENO_DOM0_VFR_ADD:
	case XENO_DOM0_VFR_DEL:
	case XENO_DOM0_VFR_GET:
		return vfr_op(op->cmd, &op->u.vfr);
	case XENO_DOM0_PNICINFO:
		return pnic_info(&op->u.pnicinfo);
	case XENO_DOM0_MACHINE_EXIT:
		return machine_exit_verdict(&op->u.machine_exit);
	}
	return -ENOSYS;
}

long do_dom0_op(uint32_t op_va)
{
	struct xeno_dom0_op op;
	long rc;

	if (!current->domain->privileged)
		return trace_error(-EPERM);
	if (copy_from_guest(&op, op_va, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XENO_INTERFACE_VERSION)
		return -EACCES;
	rc = dom0_op_run(&op);
	if (rc == 0 && copy_to_guest(op_va, &op, sizeof(op)))
		return -EFAULT;
	return rc;
}
