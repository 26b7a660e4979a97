/* SPDX-License-Identifier: MIT */
/*
 * acl/acl.h - the AscendCL umbrella header of ascend-notify.
 *
 * Include this one header, as with Huawei CANN: it brings in the types and
 * error codes (acl_base.h, error_codes/rt_error_codes.h) and the runtime
 * API (acl_rt.h), including aclInit and aclFinalize. CANN's acl.h also pulls
 * in the operator and model headers (acl_op.h, acl_mdl.h); ascend-notify
 * implements neither, so they are not provided.
 */
#ifndef INC_EXTERNAL_ACL_ACL_H_
#define INC_EXTERNAL_ACL_ACL_H_

#include "acl_base.h"
#include "acl_rt.h"

#endif /* INC_EXTERNAL_ACL_ACL_H_ */
