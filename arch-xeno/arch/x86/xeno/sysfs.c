// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor for Xeno guests: "type" reads "xeno", "version" the
 * interface version the hypervisor reports; Domain0 also has the
 * write-only "machine_exit".
 */
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>
#include <xeno/public/dom0_ops.h>

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "xeno\n");
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	int v = HYPERVISOR_xeno_version(XENO_VERSION_VERSION, NULL);

	return sysfs_emit(buf, "%d.%d\n", v >> 16, v & 0xffff);
}

/*
 * Writing SUCCESS, FAILURE, ERROR or SKIP (the test contract's verdicts)
 * ends the machine at once with that verdict, which QEMU turns into its
 * exit status (33, 35, 37, 39): how Domain0's /init reports a test's
 * result.  Nothing is synced first, as with poweroff -f.  Returns only on
 * an error: -EINVAL for another word, or the hypervisor's refusal.
 */
static ssize_t machine_exit_store(struct kobject *kobj, struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	static const char * const verdicts[] = {
		[XENO_VERDICT_SUCCESS] = "SUCCESS",
		[XENO_VERDICT_FAILURE] = "FAILURE",
		[XENO_VERDICT_ERROR] = "ERROR",
		[XENO_VERDICT_SKIP] = "SKIP",
	};
	struct xeno_dom0_op op = {
		.cmd = XENO_DOM0_MACHINE_EXIT,
		.interface_version = XENO_INTERFACE_VERSION,
	};
	int verdict = sysfs_match_string(verdicts, buf);
	int rc;

	if (verdict < 0)
		return verdict;
	op.u.machine_exit.verdict = verdict;
	rc = HYPERVISOR_dom0_op(&op);
	return rc ? rc : count;
}

static struct kobj_attribute type_attr = __ATTR_RO(type);
static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute machine_exit_attr = __ATTR_WO(machine_exit);

static struct attribute *xeno_attrs[] = {
	&type_attr.attr,
	&version_attr.attr,
	&machine_exit_attr.attr,
	NULL,
};

/* machine_exit is Domain0's alone (the hypervisor would refuse others). */
static umode_t xeno_attr_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	if (attr == &machine_exit_attr.attr && !xeno_is_initial_domain())
		return 0;
	return attr->mode;
}

static const struct attribute_group xeno_group = {
	.attrs = xeno_attrs,
	.is_visible = xeno_attr_visible,
};

static int __init xeno_sysfs_init(void)
{
	if (!cpu_feature_enabled(X86_FEATURE_XENO))
		return -ENODEV;
	return sysfs_create_group(hypervisor_kobj, &xeno_group);
}
device_initcall(xeno_sysfs_init);
