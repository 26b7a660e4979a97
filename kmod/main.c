// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - the misc device: file operations, ioctl dispatch, init, exit
 *
 * An open-source emulation of the IPC notifies of Huawei Ascend NPUs: the
 * kernel owns every notify, its key and its trustlist, so that cooperating
 * processes can synchronise through them with the semantics of CANN's
 * aclrt*Notify* API. See Documentation/design.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

atomic_t an_nr_contexts = ATOMIC_INIT(0);
atomic_t an_nr_objects[AN_NR_KINDS];
atomic_t an_nr_handles = ATOMIC_INIT(0);
atomic_t an_nr_keys = ATOMIC_INIT(0);
atomic_t an_generation = ATOMIC_INIT(0);

static long an_ioctl(struct file *file, unsigned int cmd, unsigned long parm)
{
	struct an_context *ctx = file->private_data;
	void __user *arg = (void __user *)parm;

	/* A context serves the process that opened it, and no other. */
	if (task_tgid(current) != ctx->owner)
		return -EBADFD;

	switch (cmd) {
	case ASCEND_NOTIFY_IOC_VERSION:
		return an_ioctl_version(arg);
	case ASCEND_NOTIFY_IOC_DEVICE_INFO:
		return an_ioctl_device_info(ctx, arg);
	case ASCEND_NOTIFY_IOC_BARE_TGID:
		return an_ioctl_bare_tgid(arg);
	case ASCEND_NOTIFY_IOC_PEER_ENABLE:
		return an_ioctl_peer(ctx, arg, true);
	case ASCEND_NOTIFY_IOC_PEER_DISABLE:
		return an_ioctl_peer(ctx, arg, false);
	case ASCEND_NOTIFY_IOC_USER_INFO:
		return an_ioctl_user_info(ctx, arg);
	case ASCEND_NOTIFY_IOC_CREATE:
		return an_ioctl_create(ctx, arg);
	case ASCEND_NOTIFY_IOC_DESTROY:
		return an_ioctl_destroy(ctx, arg);
	case ASCEND_NOTIFY_IOC_RECORD:
		return an_ioctl_record(ctx, arg);
	case ASCEND_NOTIFY_IOC_WAIT:
		return an_ioctl_wait(ctx, arg);
	case ASCEND_NOTIFY_IOC_BATCH_RESET:
		return an_ioctl_batch_reset(ctx, arg);
	case ASCEND_NOTIFY_IOC_INFO:
		return an_ioctl_info(ctx, arg);
	case ASCEND_NOTIFY_IOC_CANCEL:
		return an_ioctl_cancel(ctx, arg);
	case ASCEND_NOTIFY_IOC_EXPORT:
		return an_ioctl_export(ctx, arg);
	case ASCEND_NOTIFY_IOC_SET_PIDS:
		return an_ioctl_set_pids(ctx, arg);
	case ASCEND_NOTIFY_IOC_IMPORT:
		return an_ioctl_import(ctx, arg);
	case ASCEND_NOTIFY_IOC_UNEXPORT:
		return an_ioctl_unexport(ctx, arg);
	case ASCEND_NOTIFY_IOC_MEM_ALLOC:
		return an_ioctl_mem_alloc(ctx, arg);
	case ASCEND_NOTIFY_IOC_MEM_INFO:
		return an_ioctl_mem_info(ctx, arg);
	case ASCEND_NOTIFY_IOC_DEVICE_MEM:
		return an_ioctl_device_mem(arg);
	default:
		return -ENOTTY;
	}
}

/* Maps device memory: the offset is a MEM handle's, see mem.c. */
static int an_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct an_context *ctx = file->private_data;

	/* The same owner rule as the ioctls. */
	if (task_tgid(current) != ctx->owner)
		return -EBADFD;
	return an_mem_mmap(ctx, vma);
}

static int an_open(struct inode *inode, struct file *file)
{
	struct an_context *ctx;

	ctx = an_context_create(file);
	if (!ctx)
		return -ENOMEM;
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static int an_same_file(const void *file, struct file *f, unsigned int fd)
{
	return f == file;
}

/*
 * Called on every close of a descriptor of the file, including those at
 * exit. Once the owner holds no descriptor of it any more - it exited, or
 * closed its last one - its handles go (its mappings of memory stay), even
 * while a forked child or the receiver of a passed descriptor still holds
 * the file: they could never use them anyway. (At exit, current->files is
 * already gone.)
 */
static int an_flush(struct file *file, fl_owner_t id)
{
	struct an_context *ctx = file->private_data;
	unsigned int released;

	if (task_tgid(current) != ctx->owner)
		return 0;
	if (current->files && iterate_fd(current->files, 0, an_same_file, file))
		return 0;
	released = atomic_read(&ctx->nr_created) + atomic_read(&ctx->nr_imported);
	an_context_teardown(ctx);
	if (released && (current->flags & PF_EXITING))
		an_event(ASCEND_NOTIFY_EVENT_OWNER_EXIT, NULL, ctx->owner,
			 ASCEND_NOTIFY_A_HANDLES, released);
	return 0;
}

static int an_release(struct inode *inode, struct file *file)
{
	an_context_free(file->private_data);
	return 0;
}

static void an_show_fdinfo(struct seq_file *m, struct file *file)
{
	an_context_show_fdinfo(m, file->private_data);
}

static const struct file_operations an_fops = {
	.owner = THIS_MODULE,
	.open = an_open,
	.flush = an_flush,
	.release = an_release,
	.unlocked_ioctl = an_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = an_mmap,
	.show_fdinfo = an_show_fdinfo,
};

static struct miscdevice an_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ascend_notify",
	.fops = &an_fops,
	.mode = 0666,
};

static int __init an_init(void)
{
	int ret;

	ret = an_devices_init();
	if (ret)
		return ret;
	ret = an_keys_init();
	if (ret)
		goto err_devices;
	ret = an_object_cache_init();
	if (ret)
		goto err_keys;
	ret = an_netlink_init();
	if (ret)
		goto err_cache;
	ret = misc_register(&an_misc);
	if (ret)
		goto err_netlink;
	pr_info("%u devices, %u notifies and %u MiB each (a user: %llu, %llu MiB), ABI %u.%u\n",
		an_num_devices, an_max_notifies, an_mem_mb,
		an_device(0)->user_max[AN_RES_NOTIFIES],
		an_device(0)->user_max[AN_RES_MEM] >> 20,
		ASCEND_NOTIFY_ABI_MAJOR, ASCEND_NOTIFY_ABI_MINOR);
	return 0;

err_netlink:
	an_netlink_exit();
err_cache:
	an_object_cache_exit();
err_keys:
	an_keys_exit();
err_devices:
	an_devices_exit();
	return ret;
}

static void __exit an_exit(void)
{
	misc_deregister(&an_misc);
	an_netlink_exit();
	/* No file is open, so every object must be gone: anything else leaks. */
	WARN_ON(atomic_read(&an_nr_contexts) || an_nr_objects_live() ||
		atomic_read(&an_nr_handles));
	an_object_cache_exit();
	an_keys_exit();
	an_users_exit();
	an_devices_exit();
}

module_init(an_init);
module_exit(an_exit);

MODULE_DESCRIPTION("Kernel-owned IPC notifies for emulated Ascend NPUs");
MODULE_AUTHOR("The ascend-notify authors");
MODULE_LICENSE("GPL");
