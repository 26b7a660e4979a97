// SPDX-License-Identifier: GPL-2.0
/*
 * Physical memory sharing between processes through CANN's VMM API:
 * export, whitelist, import, map, read the other's value, release in
 * either order; refused imports; the race of the two frees; exit of either
 * side while the other still maps. Every test ends with no kernel object
 * left (the module's STATS).
 *
 * Both processes run the same operations (peer_op): the test process
 * directly, the child on command over a socketpair.
 */
#include <signal.h>
#include <sys/socket.h>

#include "acl_test.h"
#include "kselftest_harness.h"

#define GRAN	((size_t)2 << 20)
#define MAGIC	0x5eedf00dU

/* What one side holds. */
struct peer {
	aclrtDrvMemHandle h;
	uint32_t *va;
	uint8_t sh[sizeof(aclrtMemFabricHandle)];	/* its shareable handle */
};

/* A command and its answer. */
struct op {
	char code;
	int32_t arg;		/* flags, device, share type, PID, index */
	int32_t type;		/* 0: V1; else an aclrtMemSharedHandleType */
	uint8_t sh[sizeof(aclrtMemFabricHandle)];
};

struct answer {
	aclError ret;
	uint32_t value;
	uint8_t sh[sizeof(aclrtMemFabricHandle)];
};

static aclError map_it(struct peer *p)
{
	aclError ret = aclrtReserveMemAddress((void **)&p->va, GRAN, 0, NULL, 0);

	if (!ret)
		ret = aclrtMapMem(p->va, GRAN, 0, p->h, 0);
	return ret;
}

/*
 * 'a' allocate, map, write MAGIC and export (flags arg; type 0 = V1);
 * 'p' trust PID arg for the shareable handle sh; 'i' import sh on device
 * arg (V1) or the current device (V2); 'm' map and write MAGIC + 1 at
 * word 1; 'r' read word arg; 'x' export the (imported) handle; 'u' unmap
 * and release; 'f' free the handle.
 */
static void peer_op(struct peer *p, const struct op *o, struct answer *a)
{
	memset(a, 0, sizeof(*a));
	switch (o->code) {
	case 'a': {
		aclrtPhysicalMemProp prop = {
			.handleType = ACL_MEM_HANDLE_TYPE_NONE,
			.allocationType = ACL_MEM_ALLOCATION_TYPE_PINNED,
			.memAttr = ACL_HBM_MEM_NORMAL,
			.location = { .id = 0,
				      .type = ACL_MEM_LOCATION_TYPE_DEVICE },
		};

		a->ret = aclrtMallocPhysical(&p->h, GRAN, &prop, 0);
		if (!a->ret)
			a->ret = map_it(p);
		if (a->ret)
			return;
		p->va[0] = MAGIC;
	}
		/* fall through */
	case 'x':
		if (o->type)
			a->ret = aclrtMemExportToShareableHandleV2(p->h, o->arg,
				(aclrtMemSharedHandleType)o->type, p->sh);
		else
			a->ret = aclrtMemExportToShareableHandle(p->h,
				ACL_MEM_HANDLE_TYPE_NONE, o->arg,
				(uint64_t *)p->sh);
		memcpy(a->sh, p->sh, sizeof(a->sh));
		return;
	case 'p': {
		int32_t pid = o->arg;

		if (o->type)
			a->ret = aclrtMemSetPidToShareableHandleV2((void *)o->sh,
				(aclrtMemSharedHandleType)o->type, &pid, 1);
		else
			a->ret = aclrtMemSetPidToShareableHandle(
				*(const uint64_t *)o->sh, &pid, 1);
		return;
	}
	case 'i':
		if (o->type)
			a->ret = aclrtMemImportFromShareableHandleV2((void *)o->sh,
				(aclrtMemSharedHandleType)o->type, 0, &p->h);
		else
			a->ret = aclrtMemImportFromShareableHandle(
				*(const uint64_t *)o->sh, o->arg, &p->h);
		return;
	case 'm':
		a->ret = map_it(p);
		if (!a->ret)
			p->va[1] = MAGIC + 1;
		return;
	case 'r':
		a->value = p->va[o->arg];
		return;
	case 'u':
		a->ret = aclrtUnmapMem(p->va);
		if (!a->ret)
			a->ret = aclrtReleaseMemAddress(p->va);
		return;
	case 'f':
		a->ret = aclrtFreePhysical(p->h);
		return;
	}
	a->ret = -1;
}

/* The child: aclInit on device @dev, its bare TGID, then commands. */
static int peer_main(int sock, int dev)
{
	struct peer p = { 0 };
	struct answer a;
	int32_t pid;
	struct op o;

	CHILD_CHECK(10, aclInit(NULL));
	CHILD_CHECK(11, aclrtSetDevice(dev));
	CHILD_CHECK(12, aclrtDeviceGetBareTgid(&pid));
	if (!an_send(sock, &pid, sizeof(pid)))
		return 13;
	while (an_recv(sock, &o, sizeof(o)) && o.code != 'q') {
		peer_op(&p, &o, &a);
		if (!an_send(sock, &a, sizeof(a)))
			return 14;
	}
	CHILD_CHECK(15, aclFinalize());
	return 0;
}

FIXTURE(share) {
	int sock;
	pid_t child;
	int32_t child_pid;	/* its bare TGID */
	struct peer me;
};

FIXTURE_VARIANT(share) {
	int child_dev;
	int32_t export_flags;
	int32_t type;		/* 0: V1 calls; else the V2 share type */
	bool trust;
	int32_t import_dev;	/* V1 import's deviceId */
	aclError import_ret;
};

FIXTURE_VARIANT_ADD(share, withpid) {
	.export_flags = ACL_RT_VMM_EXPORT_FLAG_DEFAULT, .trust = true,
};

FIXTURE_VARIANT_ADD(share, withoutpid) {
	.export_flags = ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION,
};

FIXTURE_VARIANT_ADD(share, untrusted) {
	.export_flags = ACL_RT_VMM_EXPORT_FLAG_DEFAULT,
	.import_ret = ACL_ERROR_RT_NO_PERMISSION,
};

FIXTURE_VARIANT_ADD(share, v1_other_device) {
	.child_dev = 1, .import_dev = 1,
	.export_flags = ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION,
};

FIXTURE_VARIANT_ADD(share, v2_default_withpid) {
	.export_flags = ACL_RT_VMM_EXPORT_FLAG_DEFAULT, .trust = true,
	.type = ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT,
};

FIXTURE_VARIANT_ADD(share, fabric_two_devices_withpid) {
	.child_dev = 1, .export_flags = ACL_RT_VMM_EXPORT_FLAG_DEFAULT,
	.trust = true, .type = ACL_MEM_SHARE_HANDLE_TYPE_FABRIC,
};

FIXTURE_VARIANT_ADD(share, fabric_two_devices_withoutpid) {
	.child_dev = 1,
	.export_flags = ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION,
	.type = ACL_MEM_SHARE_HANDLE_TYPE_FABRIC,
};

FIXTURE_VARIANT_ADD(share, fabric_untrusted) {
	.child_dev = 1, .export_flags = ACL_RT_VMM_EXPORT_FLAG_DEFAULT,
	.type = ACL_MEM_SHARE_HANDLE_TYPE_FABRIC,
	.import_ret = ACL_ERROR_RT_NO_PERMISSION,
};

FIXTURE_SETUP(share)
{
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	self->child = an_fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		close(sv[0]);
		_exit(peer_main(sv[1], variant->child_dev));
	}
	close(sv[1]);
	self->sock = sv[0];
	ASSERT_TRUE(an_recv(self->sock, &self->child_pid,
			    sizeof(self->child_pid)));
	ASSERT_EQ(ACL_SUCCESS, aclInit(NULL));
	ASSERT_EQ(ACL_SUCCESS, aclrtSetDevice(0));
}

FIXTURE_TEARDOWN(share)
{
	struct an_stats st;
	struct op o = { .code = 'q' };

	if (self->child > 0) {
		an_send(self->sock, &o, sizeof(o));
		EXPECT_EQ(0, an_reap(self->child));
	}
	close(self->sock);
	EXPECT_EQ(ACL_SUCCESS, aclFinalize());
	ASSERT_TRUE(module_stats(&st));
	EXPECT_EQ(0, st.objects + st.handles + st.keys);
}

/* Runs @code in the child; its answer. */
static struct answer remote(FIXTURE_DATA(share) *self, char code,
			    int32_t arg, int32_t type, const uint8_t *sh)
{
	struct op o = { .code = code, .arg = arg, .type = type };
	struct answer a = { .ret = -2 };

	if (sh)
		memcpy(o.sh, sh, sizeof(o.sh));
	if (!an_send(self->sock, &o, sizeof(o)) ||
	    !an_recv(self->sock, &a, sizeof(a)))
		a.ret = -3;
	return a;
}

static struct answer local(FIXTURE_DATA(share) *self, char code,
			   int32_t arg, int32_t type, const uint8_t *sh)
{
	struct op o = { .code = code, .arg = arg, .type = type };
	struct answer a;

	if (sh)
		memcpy(o.sh, sh, sizeof(o.sh));
	peer_op(&self->me, &o, &a);
	return a;
}

/* The test process exports; the child imports as the variant says. */
static aclError export_import(struct __test_metadata *_metadata,
			      FIXTURE_DATA(share) *self,
			      const FIXTURE_VARIANT(share) *variant)
{
	struct answer a;

	a = local(self, 'a', variant->export_flags, variant->type, NULL);
	EXPECT_EQ(ACL_SUCCESS, a.ret);
	if (variant->trust)
		EXPECT_EQ(ACL_SUCCESS, local(self, 'p', self->child_pid,
					     variant->type, a.sh).ret);
	return remote(self, 'i', variant->import_dev, variant->type,
		      a.sh).ret;
}

/* A reads B's value and B A's; then A releases first, B after. */
TEST_F(share, exporter_releases_first)
{
	struct answer a;

	ASSERT_EQ(variant->import_ret, export_import(_metadata, self, variant));
	if (variant->import_ret) {
		EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
		EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
		return;
	}
	ASSERT_EQ(ACL_SUCCESS, remote(self, 'm', 0, 0, NULL).ret);
	a = remote(self, 'r', 0, 0, NULL);
	EXPECT_EQ(MAGIC, a.value);
	EXPECT_EQ(MAGIC + 1, self->me.va[1]);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
	/* The importer's mapping and handle outlive the exporter's. */
	self->me.va = NULL;
	EXPECT_EQ(MAGIC, remote(self, 'r', 0, 0, NULL).value);
	EXPECT_EQ(ACL_SUCCESS, remote(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, remote(self, 'f', 0, 0, NULL).ret);
}

TEST_F(share, importer_releases_first)
{
	if (variant->import_ret)
		SKIP(return, "refused import: nothing to release");
	ASSERT_EQ(ACL_SUCCESS, export_import(_metadata, self, variant));
	ASSERT_EQ(ACL_SUCCESS, remote(self, 'm', 0, 0, NULL).ret);
	EXPECT_EQ(MAGIC, remote(self, 'r', 0, 0, NULL).value);
	EXPECT_EQ(ACL_SUCCESS, remote(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, remote(self, 'f', 0, 0, NULL).ret);
	EXPECT_EQ(MAGIC + 1, self->me.va[1]);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
}

/*
 * After the exporter's free nobody imports: the answer is the one a
 * never-issued handle gets, so a guess cannot tell the two apart.
 */
TEST_F(share, import_after_exporter_freed)
{
	struct answer a;
	uint8_t guess[sizeof(aclrtMemFabricHandle)];

	a = local(self, 'a', variant->export_flags, variant->type, NULL);
	ASSERT_EQ(ACL_SUCCESS, a.ret);
	if (variant->trust)
		ASSERT_EQ(ACL_SUCCESS, local(self, 'p', self->child_pid,
					     variant->type, a.sh).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  remote(self, 'i', variant->import_dev, variant->type,
			 a.sh).ret);
	memcpy(guess, a.sh, sizeof(guess));
	guess[variant->type == ACL_MEM_SHARE_HANDLE_TYPE_FABRIC ? 20 : 0] ^= 1;
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  remote(self, 'i', variant->import_dev, variant->type,
			 guess).ret);
	/* Nor can the exporter trust anyone for it any longer. */
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  local(self, 'p', self->child_pid, variant->type, a.sh).ret);
}

/* One import per shareable handle per process; imports are not exported. */
TEST_F(share, import_twice_or_reexport)
{
	struct answer a;

	if (variant->import_ret)
		SKIP(return, "refused import");
	ASSERT_EQ(ACL_SUCCESS, export_import(_metadata, self, variant));
	a = local(self, 'r', 0, 0, NULL);
	EXPECT_EQ(MAGIC, a.value);
	memcpy(a.sh, self->me.sh, sizeof(a.sh));
	EXPECT_EQ(ACL_ERROR_RT_PARAM_INVALID,
		  remote(self, 'i', variant->import_dev, variant->type,
			 a.sh).ret);
	EXPECT_EQ(ACL_ERROR_RT_NO_PERMISSION,
		  remote(self, 'x', 0, variant->type, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, remote(self, 'f', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
}

/* Both free at once, mapped or not: neither waits for, nor fails, the other. */
TEST_F(share, race_of_frees)
{
	struct op f = { .code = 'f' };
	struct answer a;
	int i;

	if (variant->import_ret)
		SKIP(return, "refused import");
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(ACL_SUCCESS, export_import(_metadata, self, variant));
		if (i & 1)
			ASSERT_EQ(ACL_SUCCESS, remote(self, 'm', 0, 0, NULL).ret);
		ASSERT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
		ASSERT_TRUE(an_send(self->sock, &f, sizeof(f)));
		EXPECT_EQ(ACL_SUCCESS, aclrtFreePhysical(self->me.h));
		ASSERT_TRUE(an_recv(self->sock, &a, sizeof(a)));
		EXPECT_EQ(ACL_SUCCESS, a.ret);
		if (i & 1)
			EXPECT_EQ(ACL_SUCCESS, remote(self, 'u', 0, 0, NULL).ret);
	}
}

/* The importer is killed while it maps: the exporter carries on. */
TEST_F(share, importer_killed_while_mapped)
{
	if (variant->import_ret)
		SKIP(return, "refused import");
	ASSERT_EQ(ACL_SUCCESS, export_import(_metadata, self, variant));
	ASSERT_EQ(ACL_SUCCESS, remote(self, 'm', 0, 0, NULL).ret);
	ASSERT_EQ(0, kill(self->child, SIGKILL));
	EXPECT_EQ(128 + SIGKILL, an_reap(self->child));
	self->child = 0;
	EXPECT_EQ(MAGIC + 1, self->me.va[1]);
	EXPECT_EQ(ACL_SUCCESS, aclrtMemset(self->me.va, GRAN, 0, GRAN));
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
}

/* The exporter is killed while the importer maps: the pages stay. */
TEST_F(share, exporter_killed_while_mapped)
{
	struct answer a;
	int32_t me;

	if (variant->import_ret)
		SKIP(return, "refused import");
	/* Roles swapped: the child exports to device 0's test process. */
	a = remote(self, 'a', variant->export_flags, variant->type, NULL);
	ASSERT_EQ(ACL_SUCCESS, a.ret);
	ASSERT_EQ(ACL_SUCCESS, aclrtDeviceGetBareTgid(&me));
	if (variant->trust)
		ASSERT_EQ(ACL_SUCCESS, remote(self, 'p', me, variant->type,
					      a.sh).ret);
	ASSERT_EQ(ACL_SUCCESS, local(self, 'i', 0, variant->type, a.sh).ret);
	ASSERT_EQ(ACL_SUCCESS, local(self, 'm', 0, 0, NULL).ret);
	ASSERT_EQ(0, kill(self->child, SIGKILL));
	EXPECT_EQ(128 + SIGKILL, an_reap(self->child));
	self->child = 0;
	EXPECT_EQ(MAGIC, self->me.va[0]);
	/* Gone with its exporter: nobody else imports it now. */
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
}

/* FABRIC: from a device of another server (SDID), refused as CANN does. */
TEST_F(share, fabric_from_another_server)
{
	struct answer a;
	uint32_t sdid = 0xfffffff0u;

	if (variant->type != ACL_MEM_SHARE_HANDLE_TYPE_FABRIC ||
	    variant->import_ret)
		SKIP(return, "FABRIC variants only");
	a = local(self, 'a', variant->export_flags, variant->type, NULL);
	ASSERT_EQ(ACL_SUCCESS, a.ret);
	if (variant->trust)
		ASSERT_EQ(ACL_SUCCESS, local(self, 'p', self->child_pid,
					     variant->type, a.sh).ret);
	/* The record's SDID field (Documentation/user-guide.rst). */
	memcpy(a.sh + 4, &sdid, sizeof(sdid));
	EXPECT_EQ(ACL_ERROR_RT_FEATURE_NOT_SUPPORT,
		  remote(self, 'i', 0, variant->type, a.sh).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'u', 0, 0, NULL).ret);
	EXPECT_EQ(ACL_SUCCESS, local(self, 'f', 0, 0, NULL).ret);
}

TEST_HARNESS_MAIN
