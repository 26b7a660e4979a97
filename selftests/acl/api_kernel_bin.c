// SPDX-License-Identifier: GPL-2.0
/*
 * Host kernels for api_kernel, built into api_kernel_bin.so. Each follows
 * the host-kernel calling convention of Documentation/user-guide.rst.
 */
#include <stdint.h>

/* add_custom(x, y, z, placeholder -> int32 n): z = x + y, a slice a block. */
struct add_args {
	const float *x, *y;
	float *z;
	const int32_t *n;
};

void add_custom(uint32_t block_idx, uint32_t block_dim, void *args)
{
	const struct add_args *a = args;
	int32_t per = *a->n / (int32_t)block_dim, i;

	for (i = per * (int32_t)block_idx; i < per * (int32_t)(block_idx + 1); i++)
		a->z[i] = a->x[i] + a->y[i];
}

/*
 * record_blocks(out, next): out[(*next)++] = block_dim << 16 | block_idx,
 * the increment atomic: two streams run it at once.
 */
struct record_args {
	uint32_t *out;
	uint32_t *next;
};

void record_blocks(uint32_t block_idx, uint32_t block_dim, void *args)
{
	const struct record_args *a = args;

	a->out[__atomic_fetch_add(a->next, 1, __ATOMIC_RELAXED)] =
		block_dim << 16 | block_idx;
}

/*
 * packed(char c, uint64_t v, out): the 8-byte parameter after a 1-byte one
 * starts 8 bytes in; out[0] = c, out[1] = v.
 */
void packed(uint32_t block_idx, uint32_t block_dim, void *args)
{
	const unsigned char *p = args;
	uint64_t *out = *(uint64_t *const *)(p + 16);

	out[0] = p[0];
	out[1] = *(const uint64_t *)(p + 8);
}
