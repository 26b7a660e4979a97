// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - device memory
 *
 * A MEM object is a kernel-owned shmem file of whole pages, charged to a
 * per-device budget (mem_mb MiB). Userspace never gets a descriptor of the
 * file: it maps the memory with mmap() of its own /dev/ascend_notify file
 * at the handle's offset, and .mmap hands the VMA over to the shmem file,
 * as DRM's GEM shmem helpers and dma_buf_mmap() do. So nobody but the
 * module can truncate the file, every mapping holds the file (not the
 * handle), and sharing is the same export, trustlist and import as for
 * notifies. See Documentation/design.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"
#include "trace.h"

unsigned int an_mem_mb = 1024;
module_param_named(mem_mb, an_mem_mb, uint, 0444);
MODULE_PARM_DESC(mem_mb,
		 "Device memory per device in MiB, 1..1048576 (default 1024; virtual until touched)");

/*
 * Takes @size bytes of @d's budget, or fails with -ENOMEM, reported as a
 * LIMIT event.
 */
static int an_mem_charge(struct an_context *ctx, struct an_device *d,
			 u64 size)
{
	s64 used = atomic64_read(&d->mem_used);

	do {
		if (size > an_mem_total() - used) {
			an_event_limit(ctx, d->id, ASCEND_NOTIFY_KIND_MEM,
				       ASCEND_NOTIFY_LIMIT_DEV_MEM);
			return -ENOMEM;
		}
	} while (!atomic64_try_cmpxchg(&d->mem_used, &used, used + size));
	return 0;
}

static void an_mem_uncharge(struct an_device *d, u64 size)
{
	atomic64_sub(size, &d->mem_used);
}

/*
 * The last handle went. Mappings keep their own reference to the file, so
 * pages still mapped stay, but no longer count against the device (or
 * against the user, which an_object_release() uncharges).
 */
void an_mem_release(struct an_mem *m)
{
	trace_mem_free(&m->obj, m->size);
	xa_erase(&an_device(m->obj.dev)->mems, m->index);
	an_mem_uncharge(an_device(m->obj.dev), m->size);
	fput(m->file);
}

void an_mem_free(struct an_mem *m)
{
	kfree(m);
}

/**
 * an_ioctl_mem_alloc - ASCEND_NOTIFY_IOC_MEM_ALLOC: new device memory and its handle
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_mem
 *
 * Locks: the xarray lock of the device's @mems, then that of @ctx's
 * handles (reserve, publish); the reply is copied out with no lock held;
 * may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_MEM_ALLOC".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_mem_alloc(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_mem args;
	struct an_device *d;
	struct an_handle *h;
	struct an_mem *m;
	struct file *file;
	u64 size;
	long ret;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad || !args.size)
		return -EINVAL;
	d = an_device(args.dev);
	if (!d)
		return -ENODEV;
	/* Checked before rounding up, which could overflow. */
	if (args.size > an_mem_total()) {
		an_event_limit(ctx, d->id, ASCEND_NOTIFY_KIND_MEM,
			       ASCEND_NOTIFY_LIMIT_DEV_MEM);
		return -ENOMEM;
	}
	size = PAGE_ALIGN(args.size);
	/* The user's share of the device first, then the device's budget. */
	ret = an_user_charge(ctx, d->id, AN_RES_MEM, size,
			     ASCEND_NOTIFY_KIND_MEM);
	if (ret)
		return ret;
	ret = an_mem_charge(ctx, d, size);
	if (ret)
		goto err_uncharge_user;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m) {
		ret = -ENOMEM;
		goto err_uncharge;
	}
	/* No reservation: like the device's memory, pages come on touch. */
	file = shmem_file_setup("ascend_notify_mem", size, VM_NORESERVE);
	if (IS_ERR(file)) {
		/*
		 * shmem says ENOSPC when it cannot allocate its inode; the
		 * device budget was already granted, so to the caller this
		 * is the kernel being out of memory.
		 */
		ret = -ENOMEM;
		goto err_free;
	}
	m->file = file;
	m->size = size;
	an_object_init(&m->obj, ctx, ASCEND_NOTIFY_KIND_MEM, d->id);
	/*
	 * Initialised before it is stored: a NOTIFY_GET dump may find and
	 * pin it at once.
	 */
	ret = xa_alloc(&d->mems, &m->index, m, xa_limit_32b,
		       GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_abort;
	/* From here the object owns both charges and the file. */
	h = an_handle_alloc(ctx, &m->obj, d->id, true);
	if (IS_ERR(h)) {
		ret = PTR_ERR(h);
		goto err_put;
	}
	/* The reply names the handle: reserve it, answer, then publish. */
	ret = an_handle_reserve_id(ctx, &args.handle);
	if (ret)
		goto err_discard;
	args.size = size;
	args.mmap_offset = (u64)args.handle << PAGE_SHIFT;
	if (copy_to_user(arg, &args, sizeof(args))) {
		ret = -EFAULT;
		goto err_unreserve;
	}
	trace_obj_create(&m->obj);
	trace_mem_alloc(&m->obj, size);
	an_event(ASCEND_NOTIFY_EVENT_CREATE, &m->obj, ctx->owner, 0, 0);
	an_handle_publish(ctx, args.handle, h);
	return 0;

err_unreserve:
	an_handle_unreserve(ctx, args.handle);
err_discard:
	an_handle_discard(ctx, h);
err_put:
	an_object_put(&m->obj);
	return ret;
	/* Before the object owned them, the charges and the file were ours. */
err_abort:
	an_object_abort(&m->obj);
	fput(file);
err_free:
	kfree(m);
err_uncharge:
	an_mem_uncharge(d, size);
err_uncharge_user:
	an_user_uncharge(ctx->user, d->id, AN_RES_MEM, size);
	return ret;
}

/**
 * an_ioctl_mem_info - ASCEND_NOTIFY_IOC_MEM_INFO: a MEM handle's device, size and offset
 * @ctx: the caller's context
 * @arg: user pointer to struct ascend_notify_mem
 *
 * Locks: none: the handle is looked up under RCU; may sleep.
 * See Documentation/uapi.rst, "ASCEND_NOTIFY_IOC_MEM_INFO".
 *
 * Return: 0, or a negative errno listed there.
 */
long an_ioctl_mem_info(struct an_context *ctx, void __user *arg)
{
	struct ascend_notify_mem args;
	struct an_handle *h;
	struct an_mem *m;

	might_sleep();
	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.pad)
		return -EINVAL;
	h = an_handle_get_kind(ctx, args.handle, false);
	if (!h)
		return -ENOENT;
	m = an_mem(h->obj);
	args.dev = m->obj.dev;
	args.size = m->size;
	args.mmap_offset = (u64)args.handle << PAGE_SHIFT;
	an_handle_put(h);
	return copy_to_user(arg, &args, sizeof(args)) ? -EFAULT : 0;
}

/*
 * mmap() of the device file at a MEM handle's offset: the VMA becomes a
 * mapping of the object's shmem file from its start. Called with the
 * mmap lock held for writing.
 *
 * Return: 0; -EINVAL for a private mapping, an offset that is no MEM
 * handle of @ctx, or a length beyond the object; what shmem's mmap says.
 */
int an_mem_mmap(struct an_context *ctx, struct vm_area_struct *vma)
{
	struct an_handle *h;
	struct an_mem *m;
	int ret;

	/* Private copies of shared device memory make no sense. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff > U32_MAX)
		return -EINVAL;
	h = an_handle_get_kind(ctx, vma->vm_pgoff, false);
	if (!h)
		return -EINVAL;
	m = an_mem(h->obj);
	if (vma_pages(vma) > m->size >> PAGE_SHIFT) {
		ret = -EINVAL;
		goto out_put;
	}
	/* The size is fixed: mremap() may not grow the mapping past it. */
	an_vm_flags_set(vma, VM_DONTEXPAND);
	/* The VMA takes a reference to the shmem file, drops ours. */
	vma_set_file(vma, m->file);
	vma->vm_pgoff = 0;
	ret = call_mmap(m->file, vma);
	if (!ret)
		trace_mem_map(&m->obj, vma->vm_end - vma->vm_start);
out_put:
	an_handle_put(h);
	return ret;
}
