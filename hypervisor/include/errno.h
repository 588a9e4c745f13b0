/* SPDX-License-Identifier: MIT */
/* Internal short names for the public error numbers. */
#ifndef XENO_ERRNO_H
#define XENO_ERRNO_H

#include <public/errno.h>

#define EPERM	XENO_EPERM
#define ENOENT	XENO_ENOENT
#define ESRCH	XENO_ESRCH
#define EINTR	XENO_EINTR
#define EIO	XENO_EIO
#define ENXIO	XENO_ENXIO
#define E2BIG	XENO_E2BIG
#define ENOEXEC	XENO_ENOEXEC
#define EBADF	XENO_EBADF
#define EAGAIN	XENO_EAGAIN
#define ENOMEM	XENO_ENOMEM
#define EACCES	XENO_EACCES
#define EFAULT	XENO_EFAULT
#define EBUSY	XENO_EBUSY
#define EEXIST	XENO_EEXIST
#define ENODEV	XENO_ENODEV
#define EINVAL	XENO_EINVAL
#define ENOSPC	XENO_ENOSPC
#define EROFS	XENO_EROFS
#define ERANGE	XENO_ERANGE
#define ENOSYS	XENO_ENOSYS
#define EDOM	XENO_EDOM

/* Debug builds log where each error return came from (STYLE.md F6). */
#ifdef XENO_DEBUG
#include <console.h>
#define trace_error(e)	({ int __e = (e); printk("error %d at %s:%d\n", __e, __FILE__, __LINE__); __e; })
#else
#define trace_error(e)	(e)
#endif

#endif
