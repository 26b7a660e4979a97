// SPDX-License-Identifier: GPL-2.0
/*
 * acl_base.h's plain types: aclDataTypeSize, aclDataBuffer, and the
 * binary16 conversions, checked over every half and against the compiler's
 * IEEE _Float16 for floats (CANN saturates where IEEE gives Inf or NaN).
 */
#include "acl_test.h"
#include "kselftest_harness.h"

/* A float's bits and back, through a union (as C11 allows). */
union fbits {
	float f;
	uint32_t u;
};
#define fbits(x) ((union fbits){ .f = (x) }.u)
#define bitsf(x) ((union fbits){ .u = (x) }.f)

/* What a half should read as: IEEE's value, or CANN's for exponent 31. */
static float half_expected(uint16_t h)
{
	float mag;
	_Float16 x;

	if (((h >> 10) & 0x1f) == 0x1f) {
		mag = 65536.0f * (1.0f + (float)(h & 0x3ff) / 1024.0f);
		return (h & 0x8000) ? -mag : mag;
	}
	memcpy(&x, &h, sizeof(x));
	return (float)x;
}

/* What a float should convert to: IEEE's half, saturated as CANN does. */
static uint16_t float_expected(float f)
{
	uint16_t sign = (fbits(f) >> 16) & 0x8000, h;
	_Float16 x;

	if (f != f || f >= 65520.0f || f <= -65520.0f)
		return sign | 0x7bff;
	x = (_Float16)f;
	memcpy(&h, &x, sizeof(h));
	return h;
}

TEST(every_half_reads_and_round_trips)
{
	uint32_t h, bad = 0;

	for (h = 0; h <= 0xffff; h++) {
		float f = aclFloat16ToFloat((aclFloat16)h);
		uint16_t back = aclFloatToFloat16(f);
		uint16_t want = ((h >> 10) & 0x1f) == 0x1f ?
				(h & 0x8000) | 0x7bff : h;

		if (fbits(f) != fbits(half_expected(h)) || back != want) {
			if (bad++ < 8)
				TH_LOG("half %#06x -> %a -> %#06x", h, f, back);
		}
	}
	EXPECT_EQ(0, bad);
}

TEST(float_table)
{
	static const struct { float in; uint16_t out; } t[] = {
		{ 0.0f, 0x0000 }, { -0.0f, 0x8000 },
		{ 1.0f, 0x3c00 }, { -2.0f, 0xc000 },
		{ 0.1f, 0x2e66 }, { 65504.0f, 0x7bff },
		{ 65519.99f, 0x7bff },	/* rounds down to the largest half */
		{ 65520.0f, 0x7bff },	/* IEEE: Inf; CANN saturates */
		{ 1e10f, 0x7bff }, { -1e10f, 0xfbff },
		{ __builtin_inff(), 0x7bff }, { -__builtin_inff(), 0xfbff },
		{ __builtin_nanf(""), 0x7bff },
		{ 0x1p-14f, 0x0400 },	/* smallest normal */
		{ 0x1p-24f, 0x0001 },	/* smallest subnormal */
		{ 0x1p-25f, 0x0000 },	/* a tie: to even, zero */
		{ 0x1.000002p-25f, 0x0001 },	/* just above the tie */
		{ 0x3p-25f, 0x0002 },	/* 1.5 units: tie to even 2 */
		{ 0x5p-25f, 0x0002 },	/* 2.5 units: tie to even 2 */
		{ 0x1.ffcp-15f, 0x0400 },	/* rounds up into the normals */
		{ 1.0f + 0x1p-11f, 0x3c00 },	/* tie: to even 1.0 */
		{ 1.0f + 0x3p-11f, 0x3c02 },	/* tie: to even */
		{ 0x1p-30f, 0x0000 }, { -0x1p-30f, 0x8000 },
		{ 0x1p-149f, 0x0000 },	/* float subnormal */
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		EXPECT_EQ(t[i].out, aclFloatToFloat16(t[i].in))
			TH_LOG("input %a", t[i].in);
	}
}

TEST(float_sweep_matches_ieee_or_saturates)
{
	uint64_t u;
	uint32_t bad = 0;

	/* About a million floats spread over every exponent and sign. */
	for (u = 0; u <= 0xffffffffull; u += 4093) {
		float f = bitsf((uint32_t)u);

		if (aclFloatToFloat16(f) != float_expected(f) && bad++ < 8)
			TH_LOG("float %a (%#x) -> %#06x, want %#06x", f,
			       (uint32_t)u, aclFloatToFloat16(f),
			       float_expected(f));
	}
	EXPECT_EQ(0, bad);
}

TEST(data_type_sizes)
{
	static const struct { aclDataType t; size_t size; } t[] = {
		{ ACL_DT_UNDEFINED, 0 }, { ACL_STRING, 0 },
		{ ACL_BOOL, 1 }, { ACL_INT8, 1 }, { ACL_UINT8, 1 },
		{ ACL_INT4, 1 }, { ACL_UINT1, 1 }, { ACL_HIFLOAT8, 1 },
		{ ACL_FLOAT8_E5M2, 1 }, { ACL_FLOAT8_E4M3FN, 1 },
		{ ACL_FLOAT8_E8M0, 1 },
		{ ACL_FLOAT16, 2 }, { ACL_BF16, 2 }, { ACL_INT16, 2 },
		{ ACL_UINT16, 2 },
		{ ACL_FLOAT, 4 }, { ACL_INT32, 4 }, { ACL_UINT32, 4 },
		{ ACL_COMPLEX32, 4 },
		{ ACL_INT64, 8 }, { ACL_UINT64, 8 }, { ACL_DOUBLE, 8 },
		{ ACL_COMPLEX64, 8 }, { ACL_COMPLEX128, 16 },
		{ ACL_FLOAT6_E3M2, 8 }, { ACL_FLOAT4_E2M1, 8 },
		{ (aclDataType)1000, 8 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		EXPECT_EQ(t[i].size, aclDataTypeSize(t[i].t))
			TH_LOG("type %d", (int)t[i].t);
}

TEST(enum_values_are_cann_s)
{
	EXPECT_EQ(27, ACL_BF16);
	EXPECT_EQ(41, ACL_FLOAT4_E1M2);
	EXPECT_EQ(33, ACL_FRACTAL_Z_3D);
	EXPECT_EQ(54, ACL_FORMAT_FRACTAL_NZ_C0_8);
	EXPECT_EQ(-1, ACL_FORMAT_UNDEFINED);
	EXPECT_EQ(2, sizeof(aclFloat16));
}

TEST(data_buffer_holds_and_updates)
{
	char a[16], b[4];
	aclDataBuffer *buf = aclCreateDataBuffer(a, sizeof(a));

	ASSERT_NE(NULL, buf);
	EXPECT_EQ((void *)a, aclGetDataBufferAddr(buf));
	EXPECT_EQ(sizeof(a), aclGetDataBufferSizeV2(buf));
	ASSERT_EQ(ACL_SUCCESS, aclUpdateDataBuffer(buf, b, sizeof(b)));
	EXPECT_EQ((void *)b, aclGetDataBufferAddr(buf));
	EXPECT_EQ(sizeof(b), aclGetDataBufferSizeV2(buf));
	EXPECT_EQ(ACL_SUCCESS, aclDestroyDataBuffer(buf));
}

TEST(data_buffer_may_be_empty_and_needs_no_init)
{
	aclDataBuffer *buf = aclCreateDataBuffer(NULL, 0);

	ASSERT_NE(NULL, buf);
	EXPECT_EQ(NULL, aclGetDataBufferAddr(buf));
	EXPECT_EQ(0, aclGetDataBufferSizeV2(buf));
	EXPECT_EQ(ACL_SUCCESS, aclDestroyDataBuffer(buf));
}

TEST(data_buffer_legacy_size_truncates_to_32_bits)
{
	aclDataBuffer *buf = aclCreateDataBuffer(NULL, (size_t)0x100000010ull);

	ASSERT_NE(NULL, buf);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	EXPECT_EQ(0x10u, aclGetDataBufferSize(buf));
	EXPECT_EQ(0u, aclGetDataBufferSize(NULL));
#pragma GCC diagnostic pop
	EXPECT_EQ((size_t)0x100000010ull, aclGetDataBufferSizeV2(buf));
	EXPECT_EQ(ACL_SUCCESS, aclDestroyDataBuffer(buf));
}

TEST(destroy_null_buffer)
{
	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclDestroyDataBuffer(NULL));
}

TEST(update_null_buffer)
{
	char a[4];

	EXPECT_EQ(ACL_ERROR_INVALID_PARAM, aclUpdateDataBuffer(NULL, a, 4));
}

TEST(getters_of_null_buffer)
{
	EXPECT_EQ(NULL, aclGetDataBufferAddr(NULL));
	EXPECT_EQ(0, aclGetDataBufferSizeV2(NULL));
}

TEST_HARNESS_MAIN
