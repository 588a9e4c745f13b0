/* SPDX-License-Identifier: MIT */
/*
 * Domain0 helpers for test guests that manage other domains: dom0_op
 * wrappers, starting a partner and waiting for it to end, and reading the
 * verdict a helper domain printed from the hypervisor's console log.
 */
#include "guest.h"

#define LOG_SIZE	16384	/* the hypervisor keeps this much console log */
#define LOG_CHUNK	256	/* it copies at most this much per call */

static char log_copy[LOG_SIZE + LOG_CHUNK + 1];

long dom0_op(struct xeno_dom0_op *op)
{
	op->interface_version = XENO_INTERFACE_VERSION;
	return HYPERCALL1(dom0_op, op);
}

long domain_ctl(uint32_t cmd, uint32_t domid)
{
	struct xeno_dom0_op op = { .cmd = cmd };

	op.u.domain.domid = domid;
	return dom0_op(&op);
}

bool need_partner_image(void)
{
	if (start_info->mod_len)
		return true;
	xtf_error("no partner image (module 1)");
	return false;
}

long domain_create_initrd(const char *cmdline, uint32_t mem_kb)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_CREATEDOMAIN };
	long rc;

	if (!start_info->mod_len)
		return -XENO_ENOENT;
	op.u.createdomain = (struct xeno_dom0_createdomain){
		.kernel_va = start_info->mod_start, .kernel_len = start_info->mod_len,
		.cmdline_va = (uint32_t)cmdline, .mem_kb = mem_kb };
	rc = dom0_op(&op);
	return rc ? rc : (long)op.u.createdomain.domid;
}

long domain_info(uint32_t domid, struct xeno_dom0_getdomaininfo *info)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_GETDOMAININFO };
	long rc;

	op.u.getdomaininfo.domid = domid;
	rc = dom0_op(&op);
	if (rc)
		return rc;
	if (op.u.getdomaininfo.domid != domid)
		return -XENO_ESRCH;
	*info = op.u.getdomaininfo;
	return 0;
}

long domain_set_weight(uint32_t domid, uint32_t mcu_advance)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_SETBVT };

	op.u.setbvt.domid = domid;
	op.u.setbvt.bvt.mcu_advance = mcu_advance;
	return dom0_op(&op);
}

uint32_t domain_largest_kb(uint32_t step_kb)
{
	uint32_t lo = 0, hi = (1024u * 1024) / step_kb;	/* in steps, up to 1 GiB */

	while (lo < hi) {
		uint32_t mid = (lo + hi + 1) / 2;
		long id = domain_create_initrd("", mid * step_kb);

		if (id > 0) {
			domain_ctl(XENO_DOM0_DESTROYDOMAIN, (uint32_t)id);
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	return lo * step_kb;
}

bool domain_wait_shutdown(uint32_t domid, uint64_t timeout_ns)
{
	uint64_t end = now_ns() + timeout_ns;
	struct xeno_dom0_getdomaininfo info;

	do {
		if (domain_info(domid, &info) || (info.flags & XENO_DOMINFO_SHUTDOWN))
			return true;
		sleep_ns(1000000);
	} while (now_ns() < end);
	return false;
}

/* Copy the log from offset *pos on into buf; returns the length. */
static size_t read_log(uint32_t *pos, char *buf, size_t size)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_READCONSOLE };
	size_t len = 0;

	for (;;) {
		op.u.readconsole = (struct xeno_dom0_readconsole){
			(uint32_t)(buf + len), LOG_CHUNK, *pos };
		if (len + LOG_CHUNK > size || dom0_op(&op) || !op.u.readconsole.size)
			break;
		len += op.u.readconsole.size;
		*pos = op.u.readconsole.pos;
	}
	buf[len] = '\0';
	return len;
}

long console_log_read(uint32_t *pos, char *buf, size_t size)
{
	struct xeno_dom0_op op = { .cmd = XENO_DOM0_READCONSOLE };
	uint32_t from = *pos;

	op.u.readconsole = (struct xeno_dom0_readconsole){ (uint32_t)buf, size, from };
	if (dom0_op(&op))
		return -1;
	*pos = op.u.readconsole.pos;
	return *pos - from == op.u.readconsole.size ? (long)op.u.readconsole.size : -1;
}

uint32_t console_log_end(void)
{
	uint32_t pos = 0;

	while (read_log(&pos, log_copy, sizeof(log_copy) - 1) > 0)
		;
	return pos;
}

bool console_log_find(uint32_t from, const char *needle, char *rest, size_t size)
{
	const char *hit, *last = NULL;
	size_t i = 0;

	read_log(&from, log_copy, sizeof(log_copy) - 1);
	for (hit = log_copy; (hit = strstr(hit, needle)); hit++)
		last = hit;
	if (!last)
		return false;
	for (last += strlen(needle); rest && i + 1 < size && last[i] && last[i] != '\n' &&
	     last[i] != '\r'; i++)
		rest[i] = last[i];
	if (rest && size)
		rest[i] = '\0';
	return true;
}

bool console_log_line(uint32_t from, const char *start, char *rest, size_t size)
{
	const char *last = NULL;
	size_t n = strlen(start), i = 0;

	read_log(&from, log_copy, sizeof(log_copy) - 1);
	for (const char *line = log_copy; *line; line++) {
		if ((line == log_copy || line[-1] == '\n') && !strncmp(line, start, n))
			last = line;
	}
	if (!last)
		return false;
	for (last += n; rest && i + 1 < size && last[i] && last[i] != '\n'; i++)
		rest[i] = last[i];
	if (rest && size)
		rest[i] = '\0';
	return true;
}

int domain_verdict(uint32_t domid, uint32_t from)
{
	static const char *const names[] = { "SUCCESS", "SKIP", "ERROR", "FAILURE" };
	char needle[32], word[16];

	snprintf(needle, sizeof(needle), "(d%u) Test result: ", domid);
	if (!console_log_line(from, needle, word, sizeof(word)))
		return -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(word, names[i]))
			return i;
	return -1;
}

long domain_start_initrd(const char *cmdline, uint32_t mem_kb, uint32_t *log)
{
	long id, rc;

	*log = console_log_end();
	id = domain_create_initrd(cmdline, mem_kb);
	if (id <= 0)
		return id;
	rc = domain_ctl(XENO_DOM0_UNPAUSEDOMAIN, (uint32_t)id);
	if (rc)
		xtf_failure("unpausing domain %ld ('%s'): %ld", id, cmdline, rc);
	return id;
}

int domain_finish(uint32_t domid, uint32_t log, uint64_t timeout_ns, const char *what)
{
	int verdict;
	long rc;

	if (!domain_wait_shutdown(domid, timeout_ns))
		xtf_failure("%s (domain %u) did not finish", what, domid);
	verdict = domain_verdict(domid, log);
	rc = domain_ctl(XENO_DOM0_DESTROYDOMAIN, domid);
	if (rc)
		xtf_failure("destroying %s (domain %u): %ld", what, domid, rc);
	return verdict;
}
