/* SPDX-License-Identifier: MIT */
/* Error numbers returned (negated) by hypercalls; the values are Linux's. */
#ifndef XENO_PUBLIC_ERRNO_H
#define XENO_PUBLIC_ERRNO_H

#define XENO_EPERM	1	/* operation not permitted (privilege) */
#define XENO_ENOENT	2	/* no such domain, port or entry */
#define XENO_ESRCH	3	/* no such domain */
#define XENO_EINTR	4
#define XENO_EIO	5
#define XENO_ENXIO	6	/* no such physical device */
#define XENO_E2BIG	7	/* count too large */
#define XENO_ENOEXEC	8	/* bad kernel image */
#define XENO_EBADF	9
#define XENO_EAGAIN	11	/* try again (preempted batch) */
#define XENO_ENOMEM	12
#define XENO_EACCES	13	/* access to a frame not permitted */
#define XENO_EFAULT	14	/* bad guest pointer */
#define XENO_EBUSY	16	/* frame or port in use / race */
#define XENO_EEXIST	17
#define XENO_ENODEV	19
#define XENO_EINVAL	22
#define XENO_EROFS	30	/* read-only device */
#define XENO_ENOSPC	28
#define XENO_ERANGE	34
#define XENO_ENOSYS	38	/* no such hypercall or sub-op */
#define XENO_EDOM	33

#endif
