// SPDX-License-Identifier: MIT
/*
 * acl_base.h's plain types: element sizes, data buffers and binary16
 * conversion. Nothing here touches the device or the runtime state, so
 * none of it needs aclInit (as in CANN).
 *
 * The binary16 conversions follow CANN's host library rather than IEEE 754
 * at the edges (Documentation/user-guide.rst, "Base types"): finite values
 * round to nearest, ties to even, subnormals included; a float too large
 * for a half, an infinity or a NaN saturates to +-65504 (0x7bff with the
 * sign); and a half whose exponent field is 31 reads as the finite number
 * that field would give, +-65536 * (1 + m / 1024), never Inf or NaN.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct aclDataBuffer {
	void *data;
	size_t length;
};

static uint32_t an_float_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

static float an_bits_float(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

/* @v >> @shift (1..24), rounded to nearest, ties to even. */
static uint32_t an_shift_rne(uint32_t v, unsigned int shift)
{
	uint32_t q = v >> shift, rem = v & ((1u << shift) - 1);
	uint32_t half = 1u << (shift - 1);

	if (rem > half || (rem == half && (q & 1)))
		q++;
	return q;
}

AN_EXPORT float aclFloat16ToFloat(aclFloat16 value)
{
	uint32_t sign = (uint32_t)(value & 0x8000u) << 16;
	uint32_t exp = (value >> 10) & 0x1fu, man = value & 0x3ffu;
	float mag;

	if (!exp) {
		/* Zero or subnormal: man * 2^-24, exact in a float. */
		mag = (float)man * 0x1p-24f;
		return an_bits_float(an_float_bits(mag) | sign);
	}
	/* Exponent 31 too: biased 143 is 2^16, a finite float. */
	return an_bits_float(sign | (exp + 112) << 23 | man << 13);
}

AN_EXPORT aclFloat16 aclFloatToFloat16(float value)
{
	uint32_t u = an_float_bits(value);
	uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
	uint32_t exp = (u >> 23) & 0xffu, man = u & 0x7fffffu, h;

	if (exp >= 143)			/* >= 65536, Inf or NaN: saturate */
		return sign | 0x7bffu;
	if (exp >= 113) {		/* a normal half, unless rounding overflows */
		h = ((exp - 112) << 10) + an_shift_rne(man, 13);
		return sign | (h >= 0x7c00u ? 0x7bffu : h);
	}
	if (exp < 102)			/* below half the smallest subnormal */
		return sign;
	/* A subnormal half (or, rounded up, the smallest normal one). */
	return sign | an_shift_rne(man | 0x800000u, 126 - exp);
}

AN_EXPORT size_t aclDataTypeSize(aclDataType dataType)
{
	switch (dataType) {
	case ACL_STRING:
	case ACL_DT_UNDEFINED:
		return 0;
	case ACL_BOOL:
	case ACL_INT8:
	case ACL_UINT8:
	case ACL_INT4:		/* packed, but CANN counts a byte */
	case ACL_UINT1:
	case ACL_HIFLOAT8:
	case ACL_FLOAT8_E5M2:
	case ACL_FLOAT8_E4M3FN:
	case ACL_FLOAT8_E8M0:
		return 1;
	case ACL_FLOAT16:
	case ACL_BF16:
	case ACL_INT16:
	case ACL_UINT16:
		return 2;
	case ACL_FLOAT:
	case ACL_INT32:
	case ACL_UINT32:
	case ACL_COMPLEX32:
		return 4;
	case ACL_COMPLEX128:
		return 16;
	default:		/* 64-bit types, COMPLEX64, FP6/FP4 and unknown */
		return 8;
	}
}

AN_EXPORT aclDataBuffer *aclCreateDataBuffer(void *data, size_t size)
{
	aclDataBuffer *b = malloc(sizeof(*b));

	if (!b) {
		an_log(AN_LOG_ERROR, __func__, "out of memory");
		return NULL;
	}
	b->data = data;
	b->length = size;
	return b;
}

AN_EXPORT aclError aclDestroyDataBuffer(const aclDataBuffer *dataBuffer)
{
	if (!dataBuffer)
		return an_fail(ACL_ERROR_INVALID_PARAM, "dataBuffer is NULL");
	free((void *)dataBuffer);
	return ACL_SUCCESS;
}

AN_EXPORT aclError aclUpdateDataBuffer(aclDataBuffer *dataBuffer, void *data,
				       size_t size)
{
	if (!dataBuffer)
		return an_fail(ACL_ERROR_INVALID_PARAM, "dataBuffer is NULL");
	dataBuffer->data = data;
	dataBuffer->length = size;
	return ACL_SUCCESS;
}

AN_EXPORT void *aclGetDataBufferAddr(const aclDataBuffer *dataBuffer)
{
	return dataBuffer ? dataBuffer->data : NULL;
}

AN_EXPORT uint32_t aclGetDataBufferSize(const aclDataBuffer *dataBuffer)
{
	return dataBuffer ? (uint32_t)dataBuffer->length : 0;
}

AN_EXPORT size_t aclGetDataBufferSizeV2(const aclDataBuffer *dataBuffer)
{
	return dataBuffer ? dataBuffer->length : 0;
}
