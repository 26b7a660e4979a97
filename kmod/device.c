// SPDX-License-Identifier: GPL-2.0
/*
 * ascend_notify - emulated devices
 *
 * The module emulates num_devices NPUs. Each has a notify-id space whose
 * size is the per-device limit of live notifies, a super-pod device id, a
 * set of topology peers and a virtual-instance flag. All of it is fixed at
 * load time from the module parameters below, which are validated before
 * the device node appears.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "internal.h"

unsigned int an_num_devices = 8;
module_param_named(num_devices, an_num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Emulated NPUs, 1..64 (default 8)");

unsigned int an_max_notifies = 8192;
module_param_named(max_notifies, an_max_notifies, uint, 0444);
MODULE_PARM_DESC(max_notifies,
		 "Live notifies per device, 1..65536 (default 8192)");

static unsigned int sdid_base;
module_param(sdid_base, uint, 0444);
MODULE_PARM_DESC(sdid_base, "Super-pod device id of device 0 (default 0)");

static unsigned long virtual_mask;
module_param(virtual_mask, ulong, 0444);
MODULE_PARM_DESC(virtual_mask, "Bit N marks device N a virtual instance");

static unsigned int island[ASCEND_NOTIFY_MAX_DEVICES];
static unsigned int nr_island;
module_param_array(island, uint, &nr_island, 0444);
MODULE_PARM_DESC(island,
		 "Island of each device; devices in one island are peers (default: one island)");

/* Array of an_num_devices devices; immutable after an_devices_init(). */
static struct an_device *an_devices;

struct an_device *an_device(u32 id)
{
	if (id >= an_num_devices)
		return NULL;
	return &an_devices[id];
}

static int an_params_check(void)
{
	if (an_num_devices < 1 || an_num_devices > ASCEND_NOTIFY_MAX_DEVICES) {
		pr_err("num_devices=%u out of range 1..%u\n", an_num_devices,
		       ASCEND_NOTIFY_MAX_DEVICES);
		return -EINVAL;
	}
	if (an_max_notifies < 1 || an_max_notifies > 65536) {
		pr_err("max_notifies=%u out of range 1..65536\n",
		       an_max_notifies);
		return -EINVAL;
	}
	if (an_num_devices < BITS_PER_LONG &&
	    (virtual_mask & ~GENMASK(an_num_devices - 1, 0))) {
		pr_err("virtual_mask=%#lx names a device beyond num_devices\n",
		       virtual_mask);
		return -EINVAL;
	}
	if (nr_island && nr_island != an_num_devices) {
		pr_err("island= gives %u entries for %u devices\n", nr_island,
		       an_num_devices);
		return -EINVAL;
	}
	if (sdid_base > U32_MAX - an_num_devices) {
		pr_err("sdid_base=%u overflows\n", sdid_base);
		return -EINVAL;
	}
	return 0;
}

int an_devices_init(void)
{
	unsigned int i, j;
	int ret;

	ret = an_params_check();
	if (ret)
		return ret;

	an_devices = kcalloc(an_num_devices, sizeof(*an_devices), GFP_KERNEL);
	if (!an_devices)
		return -ENOMEM;

	for (i = 0; i < an_num_devices; i++) {
		struct an_device *d = &an_devices[i];

		d->id = i;
		d->sdid = sdid_base + i;
		ida_init(&d->ids);
		atomic_set(&d->live, 0);
		d->is_virtual = virtual_mask & BIT(i);
		for (j = 0; j < an_num_devices; j++) {
			if (j != i && (!nr_island || island[i] == island[j]))
				d->peers |= BIT_ULL(j);
		}
	}
	return 0;
}

void an_devices_exit(void)
{
	unsigned int i;

	for (i = 0; i < an_num_devices; i++)
		ida_destroy(&an_devices[i].ids);
	kfree(an_devices);
	an_devices = NULL;
}
