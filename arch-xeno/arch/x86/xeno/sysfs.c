// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/hypervisor for Xeno guests: "type" reads "xeno", "version" the
 * interface version the hypervisor reports.
 */
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <asm/xeno/hypercall.h>
#include <asm/xeno/xeno.h>

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "xeno\n");
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	int v = HYPERVISOR_xeno_version(XENO_VERSION_VERSION, NULL);

	return sysfs_emit(buf, "%d.%d\n", v >> 16, v & 0xffff);
}

static struct kobj_attribute type_attr = __ATTR_RO(type);
static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *xeno_attrs[] = {
	&type_attr.attr,
	&version_attr.attr,
	NULL,
};

static const struct attribute_group xeno_group = {
	.attrs = xeno_attrs,
};

static int __init xeno_sysfs_init(void)
{
	if (!cpu_feature_enabled(X86_FEATURE_XENO))
		return -ENODEV;
	return sysfs_create_group(hypervisor_kobj, &xeno_group);
}
device_initcall(xeno_sysfs_init);
