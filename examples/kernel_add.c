// SPDX-License-Identifier: MIT
/*
 * A host kernel: add_custom(x, y, z, placeholder n) adds n half-precision
 * elements, z = x + y, each block its slice. Built as a shared object and
 * loaded by aclrtBinaryLoadFromFile; see kernel_launch.c and the user
 * guide's host-kernel calling convention:
 *
 *	void name(uint32_t blockIdx, uint32_t blockDim, void *args);
 *
 * args points to the packed parameters, each at an 8-byte boundary; a
 * placeholder's slot holds the address of its data.
 */
#include <stdint.h>

#include "acl/acl_base.h"

struct add_args {
	const aclFloat16 *x;
	const aclFloat16 *y;
	aclFloat16 *z;
	const int32_t *n;	/* a placeholder */
};

void add_custom(uint32_t blockIdx, uint32_t blockDim, void *args)
{
	const struct add_args *a = args;
	int32_t per = *a->n / (int32_t)blockDim;
	int32_t i, end = per * (int32_t)(blockIdx + 1);

	for (i = per * (int32_t)blockIdx; i < end; i++)
		a->z[i] = aclFloatToFloat16(aclFloat16ToFloat(a->x[i]) +
					    aclFloat16ToFloat(a->y[i]));
}
