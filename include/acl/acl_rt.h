/* SPDX-License-Identifier: MIT */
/*
 * acl/acl_rt.h - the AscendCL runtime API implemented by ascend-notify:
 * initialization, devices, streams, (IPC) notifies, (IPC) events and
 * emulated device memory.
 *
 * Part of ascend-notify's CANN-compatible headers. Function names,
 * parameter types and order, type names, enum values and macro values are
 * those of Huawei CANN's public acl_rt.h; the comments are ours and describe
 * what libascendcl.so from this project does. Functions of CANN's acl_rt.h
 * that ascend-notify does not implement yet are not declared.
 *
 * Errors that any call below may return, in addition to those listed with
 * each function:
 *
 *   ACL_ERROR_INVALID_PARAM (100000)        a pointer argument is NULL
 *                                           where NULL is not allowed
 *   ACL_ERROR_RT_CONTEXT_NULL (107002)      the call needs the calling
 *                                           thread's current device and
 *                                           aclrtSetDevice was not called
 *   ACL_ERROR_RT_STREAM_CONTEXT (107003)    a stream of another context
 *                                           (another device) was passed
 *   ACL_ERROR_RT_MEMORY_ALLOCATION (207001) out of memory
 *   ACL_ERROR_RT_INTERNAL_ERROR (507000)    an unexpected error from the
 *                                           kernel module (logged)
 *
 * A call made while the library is not initialized (before aclInit or after
 * aclFinalize) fails; Documentation/ gives the code, together with the
 * complete table of which errno maps to which aclError.
 */
#ifndef INC_EXTERNAL_ACL_ACL_RT_H_
#define INC_EXTERNAL_ACL_ACL_RT_H_

#include <stdint.h>
#include <stddef.h>
#include "acl_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* aclrtSetStreamFailureMode modes; CONTINUE is the default. */
#define ACL_CONTINUE_ON_FAILURE 0x00000000U
#define ACL_STOP_ON_FAILURE 0x00000001U

/* aclrtCreateNotify flags. */
#define ACL_NOTIFY_DEFAULT 0x00000000U
#define ACL_NOTIFY_DEVICE_USE_ONLY 0x00000001U

/* aclrtNotifyGetExportKey flags. DEFAULT keeps the PID trustlist on. */
#define ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION 0x02UL

/* aclrtNotifyImportByKey flags. */
#define ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS 0x02UL

/*
 * aclrtIpcMemGetExportKey and aclrtIpcMemImportByKey flags. CANN gives
 * these other bit values than the notify flags above.
 */
#define ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION 0x1UL
#define ACL_RT_IPC_MEM_IMPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_IPC_MEM_IMPORT_FLAG_ENABLE_PEER_ACCESS 0x1UL

/*
 * Event creation flags (aclrtCreateEventWithFlag, aclrtCreateEventExWithFlag).
 * ACL_EVENT_IPC is accepted by aclrtCreateEventExWithFlag only, and alone.
 */
#define ACL_EVENT_SYNC 0x00000001U
#define ACL_EVENT_CAPTURE_STREAM_PROGRESS 0x00000002U
#define ACL_EVENT_TIME_LINE 0x00000008U
#define ACL_EVENT_DEVICE_USE_ONLY 0x00000010U
#define ACL_EVENT_EXTERNAL 0x00000020U
#define ACL_EVENT_IPC 0x00000040U

/* Size of the opaque handle that carries an IPC event to another process. */
#define ACL_IPC_EVENT_HANDLE_SIZE 64U

/* Result of aclrtQueryEventStatus. */
typedef enum aclrtEventRecordedStatus {
    ACL_EVENT_RECORDED_STATUS_NOT_READY = 0,
    ACL_EVENT_RECORDED_STATUS_COMPLETE = 1,
} aclrtEventRecordedStatus;

/* Direction of a copy (aclrtMemcpy, aclrtMemcpyAsync). */
typedef enum aclrtMemcpyKind {
    ACL_MEMCPY_HOST_TO_HOST,
    ACL_MEMCPY_HOST_TO_DEVICE,
    ACL_MEMCPY_DEVICE_TO_HOST,
    ACL_MEMCPY_DEVICE_TO_DEVICE,
    ACL_MEMCPY_DEFAULT,
    ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE,
    ACL_MEMCPY_INNER_DEVICE_TO_DEVICE,
    ACL_MEMCPY_INTER_DEVICE_TO_DEVICE,
} aclrtMemcpyKind;

/* Page policy of aclrtMalloc; emulated memory has one kind of page. */
typedef enum aclrtMemMallocPolicy {
    ACL_MEM_MALLOC_HUGE_FIRST,
    ACL_MEM_MALLOC_HUGE_ONLY,
    ACL_MEM_MALLOC_NORMAL_ONLY,
    ACL_MEM_MALLOC_HUGE_FIRST_P2P,
    ACL_MEM_MALLOC_HUGE_ONLY_P2P,
    ACL_MEM_MALLOC_NORMAL_ONLY_P2P,
    ACL_MEM_MALLOC_HUGE1G_ONLY,
    ACL_MEM_MALLOC_HUGE1G_ONLY_P2P,
    ACL_MEM_TYPE_LOW_BAND_WIDTH = 0x0100,
    ACL_MEM_TYPE_HIGH_BAND_WIDTH = 0x1000,
    ACL_MEM_ACCESS_USER_SPACE_READONLY = 0x100000,
} aclrtMemMallocPolicy;

/* Kind of memory aclrtGetMemInfo reports on. */
typedef enum aclrtMemAttr {
    ACL_DDR_MEM,
    ACL_HBM_MEM,
    ACL_DDR_MEM_HUGE,
    ACL_DDR_MEM_NORMAL,
    ACL_HBM_MEM_HUGE,
    ACL_HBM_MEM_NORMAL,
    ACL_DDR_MEM_P2P_HUGE,
    ACL_DDR_MEM_P2P_NORMAL,
    ACL_HBM_MEM_P2P_HUGE,
    ACL_HBM_MEM_P2P_NORMAL,
    ACL_HBM_MEM_HUGE1G,
    ACL_HBM_MEM_P2P_HUGE1G,
    ACL_MEM_NORMAL,
    ACL_MEM_HUGE,
    ACL_MEM_HUGE1G,
    ACL_MEM_P2P_NORMAL,
    ACL_MEM_P2P_HUGE,
    ACL_MEM_P2P_HUGE1G,
} aclrtMemAttr;

/* An IPC event as passed between processes (by value). */
typedef struct aclrtIpcEventHandle {
    char reserved[ACL_IPC_EVENT_HANDLE_SIZE];
} aclrtIpcEventHandle;

/* Result of aclrtStreamQuery. */
typedef enum aclrtStreamStatus {
    ACL_STREAM_STATUS_COMPLETE = 0,
    ACL_STREAM_STATUS_NOT_READY = 1,
    ACL_STREAM_STATUS_RESERVED = 0xFFFF
} aclrtStreamStatus;

/*
 * One entry of aclrtNotifySetImportPidInterServer: the processes pid[0..num)
 * running on the server of the device whose super-pod device id is sdid.
 */
typedef struct {
    uint32_t sdid;
    int32_t *pid;
    size_t num;
} aclrtServerPid;

/* A host callback; receives the user pointer given when it was queued. */
typedef void (*aclrtCallback)(void *userData);

/* A host function run in stream order by aclrtLaunchHostFunc. */
typedef void (*aclrtHostFunc)(void *args);

/* ---- Virtual memory management types (VMM sharing) ------------ */

/* aclrtMemExportToShareableHandle flags: whitelist on (0) or off. */
#define ACL_RT_VMM_EXPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_VMM_EXPORT_FLAG_DISABLE_PID_VALIDATION 0x1UL

/* Where memory lives; only HOST (reserved) and DEVICE are meaningful here. */
typedef enum aclrtMemLocationType {
    ACL_MEM_LOCATION_TYPE_HOST = 0,
    ACL_MEM_LOCATION_TYPE_DEVICE,
    ACL_MEM_LOCATION_TYPE_UNREGISTERED,
    ACL_MEM_LOCATION_TYPE_MANAGED,
    ACL_MEM_LOCATION_TYPE_HOST_NUMA = 4,
} aclrtMemLocationType;

typedef struct aclrtMemLocation {
    uint32_t id;
    aclrtMemLocationType type;
} aclrtMemLocation;

typedef enum aclrtMemAllocationType {
    ACL_MEM_ALLOCATION_TYPE_PINNED = 0,
} aclrtMemAllocationType;

typedef enum aclrtMemHandleType {
    ACL_MEM_HANDLE_TYPE_NONE = 0,
    ACL_MEM_HANDLE_TYPE_POSIX = 2,
} aclrtMemHandleType;

/* Form of a shareable handle: a uint64_t (DEFAULT) or 128 bytes (FABRIC). */
typedef enum aclrtMemSharedHandleType {
    ACL_MEM_SHARE_HANDLE_TYPE_DEFAULT = 0x1,
    ACL_MEM_SHARE_HANDLE_TYPE_FABRIC = 0x2,
} aclrtMemSharedHandleType;

typedef struct aclrtMemFabricHandle {
    uint8_t data[128];
} aclrtMemFabricHandle;

/* What aclrtMallocPhysical allocates. */
typedef struct aclrtPhysicalMemProp {
    aclrtMemHandleType handleType;
    aclrtMemAllocationType allocationType;
    aclrtMemAttr memAttr;
    aclrtMemLocation location;
    uint64_t reserve;
} aclrtPhysicalMemProp;

typedef enum aclrtMemGranularityOptions {
    ACL_RT_MEM_ALLOC_GRANULARITY_MINIMUM,
    ACL_RT_MEM_ALLOC_GRANULARITY_RECOMMENDED,
    ACL_RT_MEM_ALLOC_GRANULARITY_UNDEF = 0xFFFF,
} aclrtMemGranularityOptions;

/* A physical allocation of this process (aclrtMallocPhysical or import). */
typedef void *aclrtDrvMemHandle;

typedef enum {
    ACL_RT_MEM_ACCESS_FLAGS_NONE = 0x0,
    ACL_RT_MEM_ACCESS_FLAGS_READ = 0x1,
    ACL_RT_MEM_ACCESS_FLAGS_READWRITE = 0x3,
} aclrtMemAccessFlags;

typedef struct {
    aclrtMemAccessFlags flags;
    aclrtMemLocation location;
    uint8_t rsv[12];
} aclrtMemAccessDesc;


/* ---- Initialization ------------------------------------------------------ */

/**
 * @brief Initialize the library for this process.
 *
 * Opens /dev/ascend_notify and checks that the loaded kernel module speaks
 * the ABI this library was built for. Must precede every other call. A
 * second call while initialized changes nothing.
 *
 * @param[in] configPath  path of a configuration file, or NULL
 *
 * @retval ACL_SUCCESS                  initialized
 * @retval ACL_ERROR_REPEAT_INITIALIZE  (100002) already initialized
 * @retval OtherValues  the device node cannot be opened or the module's ABI
 *                      version does not match (the reason is logged)
 */
ACL_FUNC_VISIBILITY aclError aclInit(const char *configPath);

/**
 * @brief Release everything the process holds and deinitialize.
 *
 * Resets every device the process set, releasing its streams and notifies,
 * and closes the process's context on the kernel module. Afterwards only
 * aclInit may be called.
 *
 * @retval ACL_SUCCESS                finalized
 * @retval ACL_ERROR_REPEAT_FINALIZE  (100037) already finalized
 */
ACL_FUNC_VISIBILITY aclError aclFinalize(void);

/* ---- Devices ------------------------------------------------------------- */

/**
 * @brief Make a device the calling thread's current device.
 *
 * The current device is per thread. The first call for a device in a
 * process creates that device's default context and default stream; other
 * threads of the process that set the same device share them. Each call
 * takes a reference that aclrtResetDevice drops.
 *
 * @param[in] deviceId  0 .. aclrtGetDeviceCount() - 1
 *
 * @retval ACL_SUCCESS                    done
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtSetDevice(int32_t deviceId);

/**
 * @brief Drop one aclrtSetDevice reference on a device.
 *
 * When the process's last reference goes, the device's default stream and
 * the process's other streams and notifies on it are released (streams run
 * their queued tasks first), and threads whose current device it was no
 * longer have one.
 *
 * @param[in] deviceId  the device to reset
 *
 * @retval ACL_SUCCESS                    done
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtResetDevice(int32_t deviceId);

/**
 * @brief Drop every aclrtSetDevice reference on a device.
 *
 * Like aclrtResetDevice, but releases the device for the whole process in
 * one call, however many times it was set.
 *
 * @param[in] deviceId  the device to reset
 *
 * @retval ACL_SUCCESS                    done
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtResetDeviceForce(int32_t deviceId);

/**
 * @brief Get the calling thread's current device.
 *
 * @param[out] deviceId  receives the device id
 *
 * @retval ACL_SUCCESS                done
 * @retval ACL_ERROR_INVALID_PARAM    (100000) deviceId is NULL
 * @retval ACL_ERROR_RT_CONTEXT_NULL  (107002) the thread has no current
 *                                    device
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDevice(int32_t *deviceId);

/**
 * @brief Get the number of emulated devices.
 *
 * Reports the kernel module's num_devices parameter; devices are numbered
 * from 0.
 *
 * @param[out] count  receives the number of devices
 *
 * @retval ACL_SUCCESS              done
 * @retval ACL_ERROR_INVALID_PARAM  (100000) count is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDeviceCount(uint32_t *count);

/**
 * @brief Tell whether the topology connects two devices.
 *
 * Answers from the module's peer topology (by default every pair is
 * connected); it does not enable anything.
 *
 * @param[out] canAccessPeer  receives 1 if deviceId can access
 *                            peerDeviceId, else 0
 * @param[in]  deviceId       the accessing device
 * @param[in]  peerDeviceId   the accessed device, not deviceId
 *
 * @retval ACL_SUCCESS                    done
 * @retval ACL_ERROR_INVALID_PARAM        (100000) canAccessPeer is NULL, or
 *                                        the two ids are equal
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) an id out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtDeviceCanAccessPeer(int32_t *canAccessPeer, int32_t deviceId,
                                                      int32_t peerDeviceId);

/**
 * @brief Let the current device access a peer device.
 *
 * Enables access in one direction only, from the calling thread's current
 * device to peerDeviceId, for this process. Importing a notify that lives
 * on peerDeviceId while this is the current device then needs no
 * ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS. A pair that the topology
 * does not connect is refused.
 *
 * @param[in] peerDeviceId  the device to access
 * @param[in] flags         must be 0
 *
 * @retval ACL_SUCCESS                    done
 * @retval ACL_ERROR_FEATURE_UNSUPPORTED  (200006) flags is not 0
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) peerDeviceId out of range
 * @retval ACL_ERROR_RT_CONTEXT_NULL      (107002) no current device
 */
ACL_FUNC_VISIBILITY aclError aclrtDeviceEnablePeerAccess(int32_t peerDeviceId, uint32_t flags);

/**
 * @brief Withdraw access granted by aclrtDeviceEnablePeerAccess.
 *
 * Withdraws this process's access from the current device to peerDeviceId.
 *
 * @param[in] peerDeviceId  the device no longer to access
 *
 * @retval ACL_SUCCESS                    done
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) peerDeviceId out of range
 * @retval ACL_ERROR_RT_CONTEXT_NULL      (107002) no current device
 */
ACL_FUNC_VISIBILITY aclError aclrtDeviceDisablePeerAccess(int32_t peerDeviceId);

/**
 * @brief Get the PID by which other processes put this one on a trustlist.
 *
 * Reports the calling process's thread-group id as seen in the initial PID
 * namespace. Inside a container this differs from getpid(); it is the value
 * an exporter passes to aclrtNotifySetImportPid for this process.
 *
 * @param[out] pid  receives the id
 *
 * @retval ACL_SUCCESS              done
 * @retval ACL_ERROR_INVALID_PARAM  (100000) pid is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtDeviceGetBareTgid(int32_t *pid);

/**
 * @brief Wait until the current device is idle.
 *
 * Blocks the calling thread until every stream of this process on the
 * current device has run all the tasks queued so far.
 *
 * @retval ACL_SUCCESS                all tasks ran
 * @retval ACL_ERROR_RT_CONTEXT_NULL  (107002) no current device
 * @retval OtherValues                the error of a failed task
 */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeDevice(void);

/* ---- Streams ------------------------------------------------------------- */

/**
 * @brief Create a stream on the current device.
 *
 * A stream is an in-order queue of tasks (notify records and waits, host
 * functions) that a library thread runs; queueing returns at once.
 *
 * @param[out] stream  receives the new stream
 *
 * @retval ACL_SUCCESS                done
 * @retval ACL_ERROR_INVALID_PARAM    (100000) stream is NULL
 * @retval ACL_ERROR_RT_CONTEXT_NULL  (107002) no current device
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateStream(aclrtStream *stream);

/**
 * @brief Destroy a stream once its tasks have run.
 *
 * Waits until every task already queued on the stream has run, then frees
 * it. The default stream cannot be destroyed.
 *
 * @param[in] stream  a stream from aclrtCreateStream
 *
 * @retval ACL_SUCCESS                  done
 * @retval ACL_ERROR_INVALID_PARAM      (100000) stream is NULL
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream of this
 *                                      process
 */
ACL_FUNC_VISIBILITY aclError aclrtDestroyStream(aclrtStream stream);

/**
 * @brief Destroy a stream without running its queued tasks.
 *
 * Unlike aclrtDestroyStream, does not wait: the tasks still queued on the
 * stream are discarded.
 *
 * @param[in] stream  a stream from aclrtCreateStream
 *
 * @retval ACL_SUCCESS                  done
 * @retval ACL_ERROR_INVALID_PARAM      (100000) stream is NULL
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream of this
 *                                      process
 */
ACL_FUNC_VISIBILITY aclError aclrtDestroyStreamForce(aclrtStream stream);

/**
 * @brief Wait until a stream has run its queued tasks.
 *
 * Blocks the calling thread. A task that failed since the last
 * synchronization reports its error here, for instance
 * ACL_ERROR_RT_TASK_TIMEOUT for a notify wait whose timeout expired.
 *
 * @param[in] stream  the stream, or NULL for the current context's default
 *                    stream
 *
 * @retval ACL_SUCCESS                  all tasks ran
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream of this
 *                                      process
 * @retval ACL_ERROR_RT_TASK_TIMEOUT    (107020) a notify wait on the stream
 *                                      timed out
 * @retval ACL_ERROR_RT_STREAM_ABORT    (107023) the stream was destroyed by
 *                                      force (or its device reset by
 *                                      force, or the library finalized)
 *                                      and queued work was dropped
 * @retval OtherValues                  the error of another failed task
 */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStream(aclrtStream stream);

/**
 * @brief Choose what a stream does with the tasks behind a failed task.
 *
 * ACL_CONTINUE_ON_FAILURE (the default) runs them; ACL_STOP_ON_FAILURE
 * discards them until a synchronisation has reported the failure. Either
 * way the first failure is reported by the next synchronisation.
 *
 * @param[in] stream  the stream, or NULL for the current context's default
 *                    stream
 * @param[in] mode    ACL_CONTINUE_ON_FAILURE or ACL_STOP_ON_FAILURE
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) unknown mode
 * @retval ACL_ERROR_RT_INVALID_HANDLE (107017) not a live stream
 */
ACL_FUNC_VISIBILITY aclError aclrtSetStreamFailureMode(aclrtStream stream, uint64_t mode);

/**
 * @brief Wait, for a limited time, until a stream has run its queued tasks.
 *
 * As aclrtSynchronizeStream, but gives up after timeout milliseconds.
 *
 * @param[in] stream   the stream, or NULL for the current context's default
 *                     stream
 * @param[in] timeout  in milliseconds, > 0; -1 waits forever
 *
 * @retval ACL_SUCCESS                       all tasks ran
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) timeout is 0 or below -1
 * @retval ACL_ERROR_RT_STREAM_SYNC_TIMEOUT  (507046) timeout expired first
 * @retval OtherValues                       as for aclrtSynchronizeStream
 */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStreamWithTimeout(aclrtStream stream, int32_t timeout);

/**
 * @brief Tell whether a stream has run all its queued tasks.
 *
 * Does not block.
 *
 * @param[in]  stream  the stream, or NULL for the current context's default
 *                     stream
 * @param[out] status  receives ACL_STREAM_STATUS_COMPLETE if nothing is
 *                     queued or running, else ACL_STREAM_STATUS_NOT_READY
 *
 * @retval ACL_SUCCESS                  done
 * @retval ACL_ERROR_INVALID_PARAM      (100000) status is NULL
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream of this
 *                                      process
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamQuery(aclrtStream stream, aclrtStreamStatus *status);

/**
 * @brief Queue a host function on a stream.
 *
 * The function runs on the stream's library thread after the tasks queued
 * before it, and the tasks queued after it wait for it to return. It must
 * not synchronize or destroy the stream it runs on (it would wait for
 * itself).
 *
 * @param[in] stream  the stream, or NULL for the current context's default
 *                    stream
 * @param[in] fn      the function to run
 * @param[in] args    passed to fn unchanged
 *
 * @retval ACL_SUCCESS                  queued
 * @retval ACL_ERROR_INVALID_PARAM      (100000) fn is NULL
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream of this
 *                                      process
 */
ACL_FUNC_VISIBILITY aclError aclrtLaunchHostFunc(aclrtStream stream, aclrtHostFunc fn, void *args);

/* ---- Notifies ------------------------------------------------------------ */

/**
 * @brief Create a notify on the current device.
 *
 * A notify is a single bit owned by the kernel module: a record sets it, a
 * wait waits for it and clears it. It starts cleared.
 *
 * @param[out] notify  receives the new notify
 * @param[in]  flag    ACL_NOTIFY_DEFAULT or ACL_NOTIFY_DEVICE_USE_ONLY
 *
 * @retval ACL_SUCCESS                      done
 * @retval ACL_ERROR_INVALID_PARAM          (100000) notify is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID       (107000) unknown flag
 * @retval ACL_ERROR_RT_CONTEXT_NULL        (107002) no current device
 * @retval ACL_ERROR_RT_NO_NOTIFY_RESOURCE  (207009) the device's notify
 *                                          limit is reached
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateNotify(aclrtNotify *notify, uint64_t flag);

/**
 * @brief Close this process's handle on a notify.
 *
 * Every process that created or imported a notify destroys its own handle.
 * When the creator destroys it (or exits), its export key is withdrawn and
 * no new import succeeds; the notify itself lives until the last handle in
 * any process is closed. A wait pending on the notify when it goes away
 * wakes, and its task fails.
 *
 * @param[in] notify  a notify from aclrtCreateNotify or
 *                    aclrtNotifyImportByKey
 *
 * @retval ACL_SUCCESS                  done
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live notify of this
 *                                      process
 */
ACL_FUNC_VISIBILITY aclError aclrtDestroyNotify(aclrtNotify notify);

/**
 * @brief Queue a record of a notify on a stream.
 *
 * When the task runs, the notify's bit is set; that releases one pending or
 * future wait. Records made while the bit is already set coalesce. Both the
 * creator and importers may record.
 *
 * @param[in] notify  the notify
 * @param[in] stream  the stream, or NULL for the current context's default
 *                    stream
 *
 * @retval ACL_SUCCESS                  queued
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) notify or stream is not
 *                                      live in this process
 */
ACL_FUNC_VISIBILITY aclError aclrtRecordNotify(aclrtNotify notify, aclrtStream stream);

/**
 * @brief Queue a wait-and-reset of a notify on a stream.
 *
 * When the task runs, it blocks the stream (not the calling thread) until
 * the notify's bit is set, then clears the bit atomically, so one record
 * releases exactly one wait; a record made before the wait lets it pass at
 * once. Only the notify's own device can wait: a wait from any other device
 * (possible only with an imported notify) is refused.
 *
 * The timeout is in SECONDS, and 0 waits forever. CANN's header comment
 * says milliseconds, but CANN's runtime and its C API documentation use
 * seconds; ascend-notify follows the runtime. When the timeout expires the
 * wait task fails, and the next aclrtSynchronizeStream on the stream
 * returns ACL_ERROR_RT_TASK_TIMEOUT (107020).
 *
 * @param[in] notify   the notify
 * @param[in] stream   the stream, or NULL for the current context's default
 *                     stream
 * @param[in] timeout  in seconds; 0 waits forever
 *
 * @retval ACL_SUCCESS                  queued
 * @retval ACL_ERROR_RT_PARAM_INVALID   (107000) the wait would run on a
 *                                      device other than the notify's
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) notify or stream is not
 *                                      live in this process
 */
ACL_FUNC_VISIBILITY aclError aclrtWaitAndResetNotify(aclrtNotify notify, aclrtStream stream,
                                                     uint32_t timeout);

/**
 * @brief Get a notify's id on its device.
 *
 * For an imported notify this is the creator's id.
 *
 * @param[in]  notify    the notify
 * @param[out] notifyId  receives the id
 *
 * @retval ACL_SUCCESS                  done
 * @retval ACL_ERROR_INVALID_PARAM      (100000) notifyId is NULL
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live notify of this
 *                                      process
 */
ACL_FUNC_VISIBILITY aclError aclrtGetNotifyId(aclrtNotify notify, uint32_t *notifyId);

/**
 * @brief Clear the bits of several notifies at once.
 *
 * Acts immediately, not in stream order. Either every notify is cleared or,
 * if one handle is invalid, none is.
 *
 * @param[in] notifies  array of num notifies
 * @param[in] num       number of entries, > 0
 *
 * @retval ACL_SUCCESS                       done
 * @retval ACL_ERROR_INVALID_PARAM           (100000) notifies is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) num is 0
 * @retval ACL_ERROR_RT_INVALID_HANDLE       (107017) an entry is not a live
 *                                           notify of this process
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) a virtual
 *                                           (compute-split) device
 */
ACL_FUNC_VISIBILITY aclError aclrtNotifyBatchReset(aclrtNotify *notifies, size_t num);

/**
 * @brief Make a notify shareable between processes and get its key.
 *
 * Turns a notify this process created into an IPC notify and writes its
 * key: 64 printable characters and a terminating NUL. The key is a
 * capability drawn from the kernel's random generator and never reused
 * while the module is loaded; hand it to the importing process by any
 * channel. By default only processes put on the trustlist with
 * aclrtNotifySetImportPid may import it. A notify can be exported once.
 *
 * @param[in]  notify  a notify created (not imported) by this process
 * @param[out] key     receives the key
 * @param[in]  len     size of key in bytes, at least 65
 * @param[in]  flags   ACL_RT_NOTIFY_EXPORT_FLAG_DEFAULT, or
 *                     ACL_RT_NOTIFY_EXPORT_FLAG_DISABLE_PID_VALIDATION to
 *                     let any process import
 *
 * @retval ACL_SUCCESS                       done
 * @retval ACL_ERROR_INVALID_PARAM           (100000) key is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) len < 65, or an
 *                                           unknown flag
 * @retval ACL_ERROR_RT_INVALID_HANDLE       (107017) not a live notify of
 *                                           this process
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) a virtual device
 * @retval ACL_ERROR_RT_INTERNAL_ERROR       (507000) already exported
 */
ACL_FUNC_VISIBILITY aclError aclrtNotifyGetExportKey(aclrtNotify notify, char *key, size_t len,
                                                     uint64_t flags);

/**
 * @brief Add processes to an exported notify's trustlist.
 *
 * Only the exporting process may change the list. The PIDs are those the
 * importers obtain from aclrtDeviceGetBareTgid; each must name a live
 * process. The module holds on to that process, not to the number, so a
 * process that later reuses the PID is not trusted. The list has a fixed
 * maximum size of at least 16 entries. A PID of no live process, and a list
 * that would overflow, are refused with the codes Documentation/ lists.
 *
 * @param[in] notify  a notify this process exported with the default flags
 * @param[in] pid     array of num PIDs
 * @param[in] num     number of entries, > 0
 *
 * @retval ACL_SUCCESS                       done
 * @retval ACL_ERROR_INVALID_PARAM           (100000) pid is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) num is 0, or the
 *                                           notify was never exported
 * @retval ACL_ERROR_RT_INVALID_HANDLE       (107017) not a live notify of
 *                                           this process
 * @retval ACL_ERROR_RT_NO_PERMISSION        (207006) the notify was exported
 *                                           with DISABLE_PID_VALIDATION, or
 *                                           this process is not its exporter
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) a virtual device
 */
ACL_FUNC_VISIBILITY aclError aclrtNotifySetImportPid(aclrtNotify notify, int32_t *pid, size_t num);

/**
 * @brief Add processes of a super-node's servers to a notify's trustlist.
 *
 * Each entry names its server by the SDID (super-pod device id) of one of
 * the server's devices; every emulated device has one. An entry whose sdid
 * is one of this host's devices is applied as by aclrtNotifySetImportPid;
 * an entry for any other server is refused.
 *
 * @param[in] notify      as for aclrtNotifySetImportPid
 * @param[in] serverPids  array of num entries, each with exactly one PID
 * @param[in] num         number of entries, > 0
 *
 * @retval ACL_SUCCESS                       done
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) an entry's num is not 1
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) an entry's sdid is not
 *                                           on this host
 * @retval OtherValues                       as for aclrtNotifySetImportPid
 */
ACL_FUNC_VISIBILITY aclError aclrtNotifySetImportPidInterServer(aclrtNotify notify,
                                                                aclrtServerPid *serverPids,
                                                                size_t num);

/**
 * @brief Open another process's notify by its key.
 *
 * Returns a new handle in the calling process, bound to the calling
 * thread's current device; destroy it with aclrtDestroyNotify. If that
 * device differs from the notify's device, the import needs peer access
 * from the current device to the notify's device: enabled earlier with
 * aclrtDeviceEnablePeerAccess, or requested with
 * ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS. A pair the topology does
 * not connect is refused; so is a missing peer access, with the code
 * Documentation/ lists. An importer records the notify; it cannot wait on
 * it from another device.
 *
 * @param[out] notify  receives the new handle
 * @param[in]  key     the NUL-terminated key from aclrtNotifyGetExportKey
 * @param[in]  flags   ACL_RT_NOTIFY_IMPORT_FLAG_DEFAULT or
 *                     ACL_RT_NOTIFY_IMPORT_FLAG_ENABLE_PEER_ACCESS
 *
 * @retval ACL_SUCCESS                       done
 * @retval ACL_ERROR_INVALID_PARAM           (100000) notify or key is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) unknown or withdrawn
 *                                           key, or an unknown flag
 * @retval ACL_ERROR_RT_CONTEXT_NULL         (107002) no current device
 * @retval ACL_ERROR_RT_NO_PERMISSION        (207006) this process is not on
 *                                           the notify's trustlist
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) a virtual device
 */
ACL_FUNC_VISIBILITY aclError aclrtNotifyImportByKey(aclrtNotify *notify, const char *key,
                                                    uint64_t flags);

/* ---- Device memory ------------------------------------------------------- */

/*
 * Emulated device memory is memory the kernel module owns, mapped into the
 * process: the host can read and write it, so host functions on a stream
 * can too. Every call below that takes a device pointer checks that it
 * lies in a live allocation of this process (from aclrtMalloc or
 * aclrtIpcMemImportByKey) and that the range fits in it; otherwise it
 * returns ACL_ERROR_RT_PARAM_INVALID (107000) and touches nothing.
 */

/**
 * @brief Allocate device memory on the current device.
 *
 * The address is at least 64-byte aligned (page aligned here); the usable
 * size is size rounded up to a multiple of 32 plus 32 bytes. The contents
 * are not initialised. Any policy value is accepted.
 *
 * @param[out] devPtr  receives the address
 * @param[in]  size    bytes, > 0
 * @param[in]  policy  an aclrtMemMallocPolicy (has no effect)
 *
 * @retval ACL_SUCCESS                     done
 * @retval ACL_ERROR_INVALID_PARAM         (100000) devPtr is NULL or size 0
 * @retval ACL_ERROR_RT_CONTEXT_NULL       (107002) no current device
 * @retval ACL_ERROR_RT_MEMORY_ALLOCATION  (207001) the device is full
 */
ACL_FUNC_VISIBILITY aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy);

/**
 * @brief Free memory from aclrtMalloc.
 *
 * Tasks already queued that use the memory still complete against it; the
 * pages go when they are done (and, if the memory was exported, when every
 * importer has closed it).
 *
 * @param[in] devPtr  the address aclrtMalloc returned
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) devPtr is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) not the start of a live
 *                                     allocation, or imported memory
 *                                     (close that with aclrtIpcMemClose)
 */
ACL_FUNC_VISIBILITY aclError aclrtFree(void *devPtr);

/**
 * @brief Copy memory, synchronously.
 *
 * @param[in] dst      destination
 * @param[in] destMax  bytes available at dst
 * @param[in] src      source
 * @param[in] count    bytes to copy (0 copies nothing)
 * @param[in] kind     an aclrtMemcpyKind; a side the kind names as device
 *                     must be device memory; ACL_MEMCPY_DEFAULT decides by
 *                     the addresses
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) dst or src is NULL, or kind
 *                                     is not one aclrtMemcpy accepts
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) destMax < count, or a device
 *                                     range outside a live allocation
 */
ACL_FUNC_VISIBILITY aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count,
                                         aclrtMemcpyKind kind);

/**
 * @brief Fill device memory with a byte value, synchronously.
 *
 * @param[in] devPtr    device address
 * @param[in] maxCount  bytes available at devPtr
 * @param[in] value     the byte value (its low 8 bits)
 * @param[in] count     bytes to set
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) devPtr is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) maxCount < count, or the
 *                                     range is outside a live allocation
 */
ACL_FUNC_VISIBILITY aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count);

/**
 * @brief Queue a copy on a stream.
 *
 * Arguments are checked as for aclrtMemcpy when the call is made; the copy
 * runs in stream order. ACL_MEMCPY_HOST_TO_HOST is refused, as on CANN's
 * EP form.
 *
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) kind is HOST_TO_HOST
 * @retval OtherValues  as for aclrtMemcpy and for a stream argument
 */
ACL_FUNC_VISIBILITY aclError aclrtMemcpyAsync(void *dst, size_t destMax, const void *src, size_t count,
                                              aclrtMemcpyKind kind, aclrtStream stream);

/**
 * @brief Queue a fill on a stream. Checked as aclrtMemset.
 */
ACL_FUNC_VISIBILITY aclError aclrtMemsetAsync(void *devPtr, size_t maxCount, int32_t value, size_t count,
                                              aclrtStream stream);

/**
 * @brief Free and total memory of the current device.
 *
 * Every attr reports the same emulated memory (module parameter mem_mb);
 * free is what no process holds.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) free or total is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) attr is not an aclrtMemAttr
 * @retval ACL_ERROR_RT_CONTEXT_NULL   (107002) no current device
 */
ACL_FUNC_VISIBILITY aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total);

/* ---- IPC memory ---------------------------------------------------------- */

/**
 * @brief Share device memory with other processes: get its key.
 *
 * devPtr must be an address aclrtMalloc returned in this process and size
 * 1 .. its usable size; the whole allocation is shared. Each allocation
 * has at most one key at a time.
 *
 * @param[in]  devPtr  the allocation
 * @param[in]  size    bytes, 1 .. the allocation's size
 * @param[out] key     receives a NUL-terminated key
 * @param[in]  len     size of key, >= 65
 * @param[in]  flags   ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT (importers must be
 *                     trusted) or ..._DISABLE_PID_VALIDATION
 *
 * @retval ACL_SUCCESS                  done
 * @retval ACL_ERROR_INVALID_PARAM      (100000) devPtr or key is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID   (107000) len < 65, unknown flags,
 *                                      devPtr not an allocation's start,
 *                                      size 0 or too large
 * @retval ACL_ERROR_RT_NO_PERMISSION   (207006) imported memory
 * @retval ACL_ERROR_RT_INTERNAL_ERROR  (507000) already exported
 */
ACL_FUNC_VISIBILITY aclError aclrtIpcMemGetExportKey(void *devPtr, size_t size, char *key, size_t len,
                                                     uint64_t flags);

/**
 * @brief Trust processes to import memory this process exported.
 *
 * @param[in] key  a key this process got from aclrtIpcMemGetExportKey
 * @param[in] pid  num bare TGIDs (aclrtDeviceGetBareTgid in each process)
 * @param[in] num  1 .. 64
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) key or pid is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) num out of range, the key is
 *                                     not one of this process's exports, a
 *                                     PID is no live process
 * @retval ACL_ERROR_RT_NO_PERMISSION  (207006) exported without PID
 *                                     validation
 */
ACL_FUNC_VISIBILITY aclError aclrtIpcMemSetImportPid(const char *key, int32_t *pid, size_t num);

/**
 * @brief Map another process's exported memory into this one.
 *
 * The memory is bound to the current device; if it lives on another
 * device, peer access is needed (aclrtDeviceEnablePeerAccess, or
 * ACL_RT_IPC_MEM_IMPORT_FLAG_ENABLE_PEER_ACCESS). Release it with
 * aclrtIpcMemClose. A process imports a key at most once at a time.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) devPtr or key is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) unknown, withdrawn or
 *                                     malformed key, a key of another kind
 *                                     of object, unknown flags, already
 *                                     imported here, no peer access
 * @retval ACL_ERROR_RT_CONTEXT_NULL   (107002) no current device
 * @retval ACL_ERROR_RT_NO_PERMISSION  (207006) not on the trustlist
 */
ACL_FUNC_VISIBILITY aclError aclrtIpcMemImportByKey(void **devPtr, const char *key, uint64_t flags);

/**
 * @brief Close IPC memory by its key.
 *
 * In an importer: unmaps the memory and releases it. In the exporter:
 * withdraws the key (no new imports); the memory stays valid, here and in
 * processes that imported it, until aclrtFree and their own close.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) key is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) this process neither
 *                                     exported nor imported the key
 */
ACL_FUNC_VISIBILITY aclError aclrtIpcMemClose(const char *key);

/* ---- Virtual memory management (VMM sharing) ------------------ */

/*
 * Physical allocations are device memory without an address; a reserved
 * range is an address without memory; aclrtMapMem binds the two, and a
 * mapped range is device memory for aclrtMemcpy, aclrtMemcpyAsync and
 * aclrtMemset like an aclrtMalloc pointer. Sizes and mapped addresses are
 * multiples of the granularity (2 MiB). A shareable handle names a
 * physical allocation for other processes: 64 random bits (DEFAULT) or
 * 128 bytes holding a full 256-bit key (FABRIC). See the user guide.
 */

/**
 * @brief Get the granularity of physical allocations with these properties.
 *
 * @retval ACL_SUCCESS                    *granularity is 2 MiB (1 GiB for
 *                                        the HUGE1G attributes)
 * @retval ACL_ERROR_INVALID_PARAM        (100000) NULL argument, memAttr
 *                                        not allowed for the location
 * @retval ACL_ERROR_RT_PARAM_INVALID     (107000) unknown option or location
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) no such device
 */
ACL_FUNC_VISIBILITY aclError aclrtMemGetAllocationGranularity(aclrtPhysicalMemProp *prop,
                                                              aclrtMemGranularityOptions option,
                                                              size_t *granularity);

/**
 * @brief Allocate physical device memory on prop->location.id.
 *
 * @retval ACL_SUCCESS                     *handle is the allocation
 * @retval ACL_ERROR_INVALID_PARAM         (100000) NULL argument, size 0,
 *                                         flags, handle, allocation or
 *                                         location type, memAttr
 * @retval ACL_ERROR_RT_PARAM_INVALID      (107000) size not a multiple of
 *                                         the granularity
 * @retval ACL_ERROR_RT_INVALID_DEVICEID   (107001) no such device
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) HOST, HOST_NUMA or
 *                                         HUGE1G memory
 * @retval ACL_ERROR_RT_MEMORY_ALLOCATION  (207001) out of device memory
 */
ACL_FUNC_VISIBILITY aclError aclrtMallocPhysical(aclrtDrvMemHandle *handle, size_t size,
                                                 const aclrtPhysicalMemProp *prop, uint64_t flags);

/**
 * @brief Free a physical allocation (or this process's import of one).
 *
 * The exporter's free withdraws its shareable handle. Memory still mapped
 * stays until aclrtUnmapMem; the pages go with the last holder.
 *
 * @retval ACL_SUCCESS                   done
 * @retval ACL_ERROR_INVALID_PARAM       (100000) handle is NULL
 * @retval ACL_ERROR_RT_INVALID_HANDLE   (107017) not a live handle
 */
ACL_FUNC_VISIBILITY aclError aclrtFreePhysical(aclrtDrvMemHandle handle);

/**
 * @brief Reserve a range of addresses for aclrtMapMem.
 *
 * @retval ACL_SUCCESS                 *virPtr is the range's start
 * @retval ACL_ERROR_INVALID_PARAM     (100000) virPtr NULL, size 0, flags
 *                                     not 0 or 1
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) size, alignment or expectPtr
 *                                     not multiples of the granularity
 * @retval ACL_ERROR_RT_MEMORY_ALLOCATION (207001) no room at expectPtr, or
 *                                     no address space
 */
ACL_FUNC_VISIBILITY aclError aclrtReserveMemAddress(void **virPtr, size_t size, size_t alignment,
                                                    void *expectPtr, uint64_t flags);

/**
 * @brief Release a range aclrtReserveMemAddress returned; unmap it first.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) virPtr is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) not a reservation's start,
 *                                     or still mapped
 */
ACL_FUNC_VISIBILITY aclError aclrtReleaseMemAddress(void *virPtr);

/**
 * @brief Map a whole physical allocation at virPtr in a reserved range.
 *
 * @retval ACL_SUCCESS                 done; the owner device has read-write
 *                                     access
 * @retval ACL_ERROR_INVALID_PARAM     (100000) NULL argument, size 0, flags
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) size is not the allocation's,
 *                                     offset not 0, virPtr not aligned or
 *                                     the range not inside one reservation,
 *                                     or overlapping a mapping
 * @retval ACL_ERROR_RT_INVALID_HANDLE (107017) not a live handle
 */
ACL_FUNC_VISIBILITY aclError aclrtMapMem(void *virPtr, size_t size, size_t offset,
                                         aclrtDrvMemHandle handle, uint64_t flags);

/**
 * @brief Unmap what aclrtMapMem mapped at virPtr.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) virPtr is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) no mapping starts there
 */
ACL_FUNC_VISIBILITY aclError aclrtUnmapMem(void *virPtr);

/**
 * @brief Set access to a mapping: exactly its address and size; count
 *        descriptors of READWRITE for HOST (id 0) or a device.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) NULL argument, count 0, not
 *                                     a mapping, a bad descriptor
 * @retval ACL_ERROR_RT_INVALID_DEVICEID (107001) no such device
 */
ACL_FUNC_VISIBILITY aclError aclrtMemSetAccess(void *virPtr, size_t size, aclrtMemAccessDesc *desc,
                                               size_t count);

/**
 * @brief Get the access a location has to the mapping holding virPtr.
 *
 * @retval ACL_SUCCESS                 *flag is the access (NONE if never set)
 * @retval ACL_ERROR_INVALID_PARAM     (100000) NULL argument
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) not mapped, bad location
 */
ACL_FUNC_VISIBILITY aclError aclrtMemGetAccess(void *virPtr, aclrtMemLocation *location, uint64_t *flag);

/**
 * @brief Export a physical allocation as a uint64_t shareable handle.
 *
 * flags ACL_RT_VMM_EXPORT_FLAG_DEFAULT: only processes named with
 * aclrtMemSetPidToShareableHandle may import; ..._DISABLE_PID_VALIDATION:
 * anyone may. The handle is 64 random bits.
 *
 * @retval ACL_SUCCESS                 done
 * @retval ACL_ERROR_INVALID_PARAM     (100000) NULL argument, handleType
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) flags > 1
 * @retval ACL_ERROR_RT_INVALID_HANDLE (107017) not a live handle
 * @retval ACL_ERROR_RT_NO_PERMISSION  (207006) an imported handle
 * @retval ACL_ERROR_RT_INTERNAL_ERROR (507000) exported already
 */
ACL_FUNC_VISIBILITY aclError aclrtMemExportToShareableHandle(aclrtDrvMemHandle handle,
                                                             aclrtMemHandleType handleType, uint64_t flags,
                                                             uint64_t *shareableHandle);

/**
 * @brief Export as a DEFAULT (uint64_t) or FABRIC (aclrtMemFabricHandle)
 *        shareable handle. FABRIC needs a server id (sdid).
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID       (107000) shareType, flags > 1
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) FABRIC on a device with
 *                                          no server id
 * @retval OtherValues                      as aclrtMemExportToShareableHandle
 */
ACL_FUNC_VISIBILITY aclError aclrtMemExportToShareableHandleV2(aclrtDrvMemHandle handle, uint64_t flags,
                                                               aclrtMemSharedHandleType shareType,
                                                               void *shareableHandle);

/**
 * @brief Import a shareable handle exported by another process, for deviceId.
 *
 * @retval ACL_SUCCESS                    *handle is this process's handle
 * @retval ACL_ERROR_INVALID_PARAM        (100000) handle is NULL
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) no such device
 * @retval ACL_ERROR_RT_PARAM_INVALID     (107000) unknown or withdrawn
 *                                        shareable handle (not told apart)
 * @retval ACL_ERROR_RT_NO_PERMISSION     (207006) not on the whitelist, or
 *                                        this process exported it
 */
ACL_FUNC_VISIBILITY aclError aclrtMemImportFromShareableHandle(uint64_t shareableHandle, int32_t deviceId,
                                                               aclrtDrvMemHandle *handle);

/**
 * @brief Import a DEFAULT or FABRIC shareable handle on the current device.
 *
 * @retval ACL_ERROR_INVALID_PARAM          (100000) NULL argument, flags
 * @retval ACL_ERROR_RT_CONTEXT_NULL        (107002) no current device
 * @retval ACL_ERROR_RT_PARAM_INVALID       (107000) shareType
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) FABRIC on a device with
 *                                          no server id, or from another
 *                                          server
 * @retval OtherValues                      as aclrtMemImportFromShareableHandle
 */
ACL_FUNC_VISIBILITY aclError aclrtMemImportFromShareableHandleV2(void *shareableHandle,
                                                                 aclrtMemSharedHandleType shareType,
                                                                 uint64_t flags, aclrtDrvMemHandle *handle);

/**
 * @brief Put processes (bare TGIDs) on the whitelist of a shareable handle
 *        this process exported with the whitelist on.
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) pid NULL, pidNum 0
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) not exported here (or
 *                                     withdrawn), a PID no live process,
 *                                     more than 64 PIDs
 * @retval ACL_ERROR_RT_NO_PERMISSION  (207006) exported without PID
 *                                     validation
 */
ACL_FUNC_VISIBILITY aclError aclrtMemSetPidToShareableHandle(uint64_t shareableHandle, int32_t *pid,
                                                             size_t pidNum);

/**
 * @brief aclrtMemSetPidToShareableHandle for a DEFAULT or FABRIC handle.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) shareType
 * @retval OtherValues                 as aclrtMemSetPidToShareableHandle
 */
ACL_FUNC_VISIBILITY aclError aclrtMemSetPidToShareableHandleV2(void *shareableHandle,
                                                               aclrtMemSharedHandleType shareType,
                                                               int32_t *pid, size_t pidNum);


/* ---- Events -------------------------------------------------------------- */

/*
 * An event is a kernel-owned bit on the current device. A record task sets
 * it and wakes every waiter; a wait task waits until it is set and leaves it
 * set; a reset task clears it. An event that this handle has not recorded
 * since it was created or reset counts as complete for aclrtQueryEventStatus
 * and aclrtSynchronizeEvent (nothing is captured in it); a stream wait
 * always waits for the bit.
 */

/**
 * @brief Create an event on the current device (same as flag ACL_EVENT_SYNC).
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateEvent(aclrtEvent *event);

/**
 * @brief Create an event with flags.
 *
 * @param[in] flag  an OR of ACL_EVENT_SYNC, ACL_EVENT_CAPTURE_STREAM_PROGRESS,
 *                  ACL_EVENT_TIME_LINE, ACL_EVENT_DEVICE_USE_ONLY, or
 *                  ACL_EVENT_EXTERNAL alone
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) other bits, ACL_EVENT_IPC,
 *                                     ACL_EVENT_EXTERNAL with other bits
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateEventWithFlag(aclrtEvent *event, uint32_t flag);

/**
 * @brief Create an event with flags; ACL_EVENT_IPC (alone) makes an event
 * that aclrtIpcGetEventHandle can share.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) unknown bits, ACL_EVENT_IPC
 *                                     or ACL_EVENT_EXTERNAL with other bits
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateEventExWithFlag(aclrtEvent *event, uint32_t flag);

/**
 * @brief Destroy an event handle. Waiters on it in this process fail; an
 * IPC event lives on in processes that opened it.
 */
ACL_FUNC_VISIBILITY aclError aclrtDestroyEvent(aclrtEvent event);

/**
 * @brief Queue a record of the event on a stream.
 */
ACL_FUNC_VISIBILITY aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream);

/**
 * @brief Queue a reset (clear) of the event on a stream.
 *
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) an IPC event
 */
ACL_FUNC_VISIBILITY aclError aclrtResetEvent(aclrtEvent event, aclrtStream stream);

/**
 * @brief Tell whether the event's last record has run.
 */
ACL_FUNC_VISIBILITY aclError aclrtQueryEventStatus(aclrtEvent event, aclrtEventRecordedStatus *status);

/**
 * @brief Block the calling thread until the event's last record has run.
 */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeEvent(aclrtEvent event);

/**
 * @brief As aclrtSynchronizeEvent, for at most timeout ms (-1: forever).
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID       (107000) timeout 0 or < -1
 * @retval ACL_ERROR_RT_EVENT_SYNC_TIMEOUT  (507047) the time ran out
 */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeEventWithTimeout(aclrtEvent event, int32_t timeout);

/**
 * @brief Queue a wait for the event on a stream; the tasks behind it run
 * once the event is set. The wait does not clear the event.
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event);

/**
 * @brief As aclrtStreamWaitEvent; the wait task fails with
 * ACL_ERROR_RT_TASK_TIMEOUT (107020, reported at synchronisation) after
 * timeout seconds; 0 never times out (negative: 107000).
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamWaitEventWithTimeout(aclrtStream stream, aclrtEvent event,
                                                             int32_t timeout);

/**
 * @brief Share an event created with ACL_EVENT_IPC: get its handle.
 *
 * Any process that has the handle may open it (IPC events have no
 * trustlist). A second call returns the same handle.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) not an ACL_EVENT_IPC event,
 *                                     or an opened one
 */
ACL_FUNC_VISIBILITY aclError aclrtIpcGetEventHandle(aclrtEvent event, aclrtIpcEventHandle *handle);

/**
 * @brief Open another process's IPC event on the current device.
 *
 * CANN's flow has no peer-access step for IPC events, so opening an event
 * of another device enables peer access from the current device to it;
 * a pair the topology does not connect is refused. Destroy the handle with
 * aclrtDestroyEvent.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) unknown or withdrawn handle,
 *                                     devices not connected
 * @retval ACL_ERROR_RT_CONTEXT_NULL   (107002) no current device
 */
ACL_FUNC_VISIBILITY aclError aclrtIpcOpenEventHandle(aclrtIpcEventHandle handle, aclrtEvent *event);

/* ---- host kernels and stream value operations ---- */

/* aclrtValueWait conditions (devAddr is the 64-bit word at the address). */
#define ACL_STREAM_WAIT_VALUE_GEQ 0x00000000U
#define ACL_STREAM_WAIT_VALUE_EQ 0x00000001U
#define ACL_STREAM_WAIT_VALUE_AND 0x00000002U
#define ACL_STREAM_WAIT_VALUE_NOR 0x00000003U

typedef void *aclrtBinHandle;
typedef void *aclrtFuncHandle;
typedef void *aclrtArgsHandle;
typedef void *aclrtParamHandle;

#define ACL_RT_BINARY_MAGIC_ELF_AICORE 0x43554245U
#define ACL_RT_BINARY_MAGIC_ELF_VECTOR_CORE 0x41415246U
#define ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE 0x41494343U

typedef enum aclrtBinaryLoadOptionType {
	ACL_RT_BINARY_LOAD_OPT_LAZY_LOAD = 1,
	ACL_RT_BINARY_LOAD_OPT_LAZY_MAGIC = 2,
	ACL_RT_BINARY_LOAD_OPT_MAGIC = 2,
	ACL_RT_BINARY_LOAD_OPT_CPU_KERNEL_MODE = 3,
} aclrtBinaryLoadOptionType;

typedef union aclrtBinaryLoadOptionValue {
	uint32_t isLazyLoad;
	uint32_t magic;
	int32_t cpuKernelMode;
	uint32_t rsv[4];
} aclrtBinaryLoadOptionValue;

typedef struct {
	aclrtBinaryLoadOptionType type;
	aclrtBinaryLoadOptionValue value;
} aclrtBinaryLoadOption;

typedef struct aclrtBinaryLoadOptions {
	aclrtBinaryLoadOption *options;
	size_t numOpt;
} aclrtBinaryLoadOptions;

typedef enum {
	ACL_RT_ENGINE_TYPE_AIC = 0,
	ACL_RT_ENGINE_TYPE_AIV,
} aclrtEngineType;

typedef enum aclrtLaunchKernelAttrId {
	ACL_RT_LAUNCH_KERNEL_ATTR_SCHEM_MODE = 1,
	ACL_RT_LAUNCH_KERNEL_ATTR_LOCAL_MEMORY_SIZE ACL_DEPRECATED_MESSAGE(
		"Use ACL_RT_LAUNCH_KERNEL_ATTR_DYN_UBUF_SIZE instead") = 2,
	ACL_RT_LAUNCH_KERNEL_ATTR_DYN_UBUF_SIZE = 2,
	ACL_RT_LAUNCH_KERNEL_ATTR_ENGINE_TYPE = 3,
	ACL_RT_LAUNCH_KERNEL_ATTR_BLOCKDIM_OFFSET = 4,
	ACL_RT_LAUNCH_KERNEL_ATTR_BLOCK_TASK_PREFETCH = 5,
	ACL_RT_LAUNCH_KERNEL_ATTR_DATA_DUMP = 6,
	ACL_RT_LAUNCH_KERNEL_ATTR_TIMEOUT = 7,
	ACL_RT_LAUNCH_KERNEL_ATTR_TIMEOUT_US = 8,
	ACL_RT_LAUNCH_KERNEL_ATTR_ENABLE_PROFILING = 9,
} aclrtLaunchKernelAttrId;

typedef struct {
	uint32_t timeoutLow;
	uint32_t timeoutHigh;
} aclrtTimeoutUs;

typedef union aclrtLaunchKernelAttrValue {
	uint8_t schemMode;
	ACL_DEPRECATED_MESSAGE("Use dynUbufSize instead")
	uint32_t localMemorySize;
	uint32_t dynUBufSize;
	aclrtEngineType engineType;
	uint32_t blockDimOffset;
	uint8_t isBlockTaskPrefetch;
	uint8_t isDataDump;
	uint16_t timeout;
	aclrtTimeoutUs timeoutUs;
	uint8_t enableProfiling;
	uint32_t rsv[4];
} aclrtLaunchKernelAttrValue;

typedef struct aclrtLaunchKernelAttr {
	aclrtLaunchKernelAttrId id;
	aclrtLaunchKernelAttrValue value;
} aclrtLaunchKernelAttr;

typedef struct aclrtLaunchKernelCfg {
	aclrtLaunchKernelAttr *attrs;
	size_t numAttrs;
} aclrtLaunchKernelCfg;

/**
 * @brief Load a kernel binary. Here a kernel binary is a host ELF shared
 * object (see the user guide for the host-kernel calling convention); an
 * ELF of another machine or type (a real Ascend binary) is refused with
 * ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000), a file that is not ELF with
 * ACL_ERROR_RT_PARAM_INVALID (107000).
 */
ACL_FUNC_VISIBILITY aclError aclrtBinaryLoadFromFile(const char *binPath, aclrtBinaryLoadOptions *options, aclrtBinHandle *binHandle);
/* Unload: its function handles die with it; queued launches still run. */
ACL_FUNC_VISIBILITY aclError aclrtBinaryUnLoad(aclrtBinHandle binHandle);
/* The kernel @kernelName of @binHandle (107000 if it has none). */
ACL_FUNC_VISIBILITY aclError aclrtBinaryGetFunction(const aclrtBinHandle binHandle, const char *kernelName, aclrtFuncHandle *funcHandle);
/* (Re)starts the calling thread's argument list for @funcHandle. */
ACL_FUNC_VISIBILITY aclError aclrtKernelArgsInit(aclrtFuncHandle funcHandle, aclrtArgsHandle *argsHandle);
ACL_FUNC_VISIBILITY aclError aclrtKernelArgsAppend(aclrtArgsHandle argsHandle, void *param, size_t paramSize, aclrtParamHandle *paramHandle);
ACL_FUNC_VISIBILITY aclError aclrtKernelArgsAppendPlaceHolder(aclrtArgsHandle argsHandle, aclrtParamHandle *paramHandle);
ACL_FUNC_VISIBILITY aclError aclrtKernelArgsGetPlaceHolderBuffer(aclrtArgsHandle argsHandle, aclrtParamHandle paramHandle, size_t dataSize, void **bufferAddr);
ACL_FUNC_VISIBILITY aclError aclrtKernelArgsFinalize(aclrtArgsHandle argsHandle);
/* Queues the kernel on @stream: it runs once per block, in stream order. */
ACL_FUNC_VISIBILITY aclError aclrtLaunchKernelWithConfig(aclrtFuncHandle funcHandle, uint32_t numBlocks, aclrtStream stream, aclrtLaunchKernelCfg *cfg, aclrtArgsHandle argsHandle, void *reserve);

/*
 * Stream memory operations on an 8-byte aligned word of device memory
 * (IPC-imported memory included: they work across processes). flag of
 * aclrtValueWrite must be 0; of aclrtValueWait, an ACL_STREAM_WAIT_VALUE_*.
 */
ACL_FUNC_VISIBILITY aclError aclrtValueWrite(void *devAddr, uint64_t value, uint32_t flag, aclrtStream stream);
ACL_FUNC_VISIBILITY aclError aclrtValueWait(void *devAddr, uint64_t value, uint32_t flag, aclrtStream stream);

/* ---- host memory, callbacks and reports, event timing ---------- */

/* aclrtHostRegisterV2 flags (CANN acl_rt.h). */
#define ACL_HOST_REG_MAPPED 0x2UL
#define ACL_HOST_REG_IOMEMORY 0x4UL
#define ACL_HOST_REG_READONLY 0x8UL
#define ACL_HOST_REG_PINNED 0x10000000UL

/* aclrtMemAllocManaged flag. */
#define ACL_RT_MEM_ATTACH_GLOBAL 0x01U

/* aclrtRecordEventWithFlag and aclrtStreamWaitEventWithFlag flags. */
#define ACL_EVENT_RECORD_DEFAULT 0x0U
#define ACL_EVENT_RECORD_EXTERNAL 0x01U
#define ACL_EVENT_WAIT_DEFAULT 0x0U
#define ACL_EVENT_WAIT_EXTERNAL 0x01U

typedef enum aclrtCallbackBlockType {
    ACL_CALLBACK_NO_BLOCK,
    ACL_CALLBACK_BLOCK,
} aclrtCallbackBlockType;

typedef enum {
    ACL_HOST_REGISTER_MAPPED = 0,
    ACL_HOST_REGISTER_IOMEMORY = 0x04,
    ACL_HOST_REGISTER_READONLY = 0x08
} aclrtHostRegisterType;

/**
 * @brief Allocate page-locked host memory (here: page-aligned anonymous
 * memory the library tracks, so copies can tell it from device memory).
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) hostPtr is NULL or size is 0
 * @retval ACL_ERROR_RT_MEMORY_ALLOCATION (207001) out of memory
 */
ACL_FUNC_VISIBILITY aclError aclrtMallocHost(void **hostPtr, size_t size);

/**
 * @brief Free memory aclrtMallocHost returned; registrations inside it end.
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) hostPtr is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) not an address aclrtMallocHost
 *                                     returned, or freed already
 */
ACL_FUNC_VISIBILITY aclError aclrtFreeHost(void *hostPtr);

/**
 * @brief Register a host range as device-accessible memory; *devPtr is the
 * address the device uses (the same address: the emulated device shares
 * the host's address space).
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) ptr or devPtr NULL, size 0
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) type has bits other
 *                                     than IOMEMORY and READONLY
 * @retval ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED (507910) overlaps a
 *                                     registered range
 */
ACL_FUNC_VISIBILITY aclError aclrtHostRegister(void *ptr, uint64_t size, aclrtHostRegisterType type, void **devPtr);

/**
 * @brief Register a host range (flags ACL_HOST_REG_*).
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) ptr NULL or size 0
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) flag is 0 or has unknown bits
 * @retval ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED (507910) overlaps a
 *                                     registered range
 */
ACL_FUNC_VISIBILITY aclError aclrtHostRegisterV2(void *ptr, uint64_t size, uint32_t flag);

/**
 * @brief The device address of registered host memory.
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) pHost or pDevice NULL, flag
 *                                     not 0
 * @retval ACL_ERROR_HOST_MEMORY_NOT_REGISTERED (507911) pHost is not in a
 *                                     registered range
 */
ACL_FUNC_VISIBILITY aclError aclrtHostGetDevicePointer(void *pHost, void **pDevice, uint32_t flag);

/**
 * @brief End the registration that starts at ptr.
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) ptr is NULL
 * @retval ACL_ERROR_HOST_MEMORY_NOT_REGISTERED (507911) no registration
 *                                     starts at ptr
 */
ACL_FUNC_VISIBILITY aclError aclrtHostUnregister(void *ptr);

/**
 * @brief Allocate managed (unified) memory, addressable from host and
 * device; free it with aclrtFree.
 *
 * @retval ACL_ERROR_INVALID_PARAM     (100000) ptr NULL, flag not
 *                                     ACL_RT_MEM_ATTACH_GLOBAL
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) size is 0
 */
ACL_FUNC_VISIBILITY aclError aclrtMemAllocManaged(void **ptr, uint64_t size, uint32_t flag);

/**
 * @brief Bind report thread threadId (a pthread_t) to stream: callbacks
 * aclrtLaunchCallback queues on the stream run in that thread's
 * aclrtProcessReport.
 *
 * @retval ACL_ERROR_RT_STREAM_SUBSCRIBE (107011) stream already bound
 */
ACL_FUNC_VISIBILITY aclError aclrtSubscribeReport(uint64_t threadId, aclrtStream stream);

/**
 * @brief Queue callback fn(userData) on stream. It runs, in stream order, in
 * the subscribed report thread; with ACL_CALLBACK_BLOCK the stream waits
 * for it to return.
 *
 * @retval ACL_ERROR_INVALID_PARAM       (100000) fn NULL or bad blockType
 * @retval ACL_ERROR_RT_STREAM_NO_CB_REG (107015) no report thread bound
 */
ACL_FUNC_VISIBILITY aclError aclrtLaunchCallback(aclrtCallback fn, void *userData, aclrtCallbackBlockType blockType,
                                                 aclrtStream stream);

/**
 * @brief In a subscribed thread, run the callbacks that are due, waiting up
 * to timeout ms (-1: forever) for the first.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID    (107000) timeout 0 or < -1
 * @retval ACL_ERROR_RT_THREAD_SUBSCRIBE (107012) the calling thread is not
 *                                       subscribed to any stream
 * @retval ACL_ERROR_RT_REPORT_TIMEOUT   (507012) nothing came in time
 */
ACL_FUNC_VISIBILITY aclError aclrtProcessReport(int32_t timeout);

/**
 * @brief Unbind threadId from stream.
 *
 * @retval ACL_ERROR_RT_STREAM_SUBSCRIBE (107011) not bound to that thread
 */
ACL_FUNC_VISIBILITY aclError aclrtUnSubscribeReport(uint64_t threadId, aclrtStream stream);

/**
 * @brief Bind thread hostFuncThreadId to exeStream: the stream's
 * aclrtLaunchHostFunc tasks then run in that thread's aclrtProcessHostFunc
 * (the stream waits for each), not in the library's stream thread.
 *
 * @retval ACL_ERROR_RT_STREAM_SUBSCRIBE (107011) stream already bound
 */
ACL_FUNC_VISIBILITY aclError aclrtSubscribeHostFunc(uint64_t hostFuncThreadId, aclrtStream exeStream);

/**
 * @brief As aclrtProcessReport, for host functions.
 */
ACL_FUNC_VISIBILITY aclError aclrtProcessHostFunc(int32_t timeout);

/**
 * @brief Unbind hostFuncThreadId from exeStream.
 *
 * @retval ACL_ERROR_RT_STREAM_SUBSCRIBE (107011) not bound to that thread
 */
ACL_FUNC_VISIBILITY aclError aclrtUnSubscribeHostFunc(uint64_t hostFuncThreadId, aclrtStream exeStream);

/**
 * @brief Record event on stream (flag ACL_EVENT_RECORD_DEFAULT; EXTERNAL
 * is for graph capture, which is out of scope).
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) unknown flag
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) ACL_EVENT_RECORD_EXTERNAL
 */
ACL_FUNC_VISIBILITY aclError aclrtRecordEventWithFlag(aclrtEvent event, aclrtStream stream, uint32_t flag);

/**
 * @brief Make stream wait for event, with timeout in seconds (0: none).
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID        (107000) unknown flag
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT  (207000) ACL_EVENT_WAIT_EXTERNAL
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamWaitEventWithFlag(aclrtStream stream, aclrtEvent event, uint32_t timeout,
                                                          uint32_t flag);

/**
 * @brief Milliseconds between the executions of two records.
 *
 * @retval ACL_ERROR_INVALID_PARAM          (100000) a NULL argument
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) an IPC or external event
 * @retval ACL_ERROR_RT_INTERNAL_ERROR      (507000) an event never recorded
 * @retval ACL_ERROR_RT_EVENT_TIMESTAMP_INVALID (107006) a record has not
 *                                          executed yet
 */
ACL_FUNC_VISIBILITY aclError aclrtEventElapsedTime(float *ms, aclrtEvent startEvent, aclrtEvent endEvent);

/**
 * @brief When the event's latest record executed, in microseconds of
 * CLOCK_MONOTONIC (time since boot); errors as aclrtEventElapsedTime.
 */
ACL_FUNC_VISIBILITY aclError aclrtEventGetTimestamp(aclrtEvent event, uint64_t *timestamp);

/* Task failures (CANN: rtExceptionInfo, opaque here). */
typedef struct rtExceptionInfo aclrtExceptionInfo;
typedef void (*aclrtExceptionInfoCallback)(aclrtExceptionInfo *exceptionInfo);

/**
 * @brief Set the callback told of every failed stream task (a notify or
 * event wait that timed out, ...); NULL removes it. It runs in the thread
 * that executed the task, before the failure reaches a synchronisation.
 */
ACL_FUNC_VISIBILITY aclError aclrtSetExceptionInfoCallback(aclrtExceptionInfoCallback callback);

/**
 * @brief Add a callback told of every failed task (besides the one set
 * with aclrtSetExceptionInfoCallback); adding it again changes nothing.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID     (107000) callback is NULL
 * @retval ACL_ERROR_RT_MEMORY_ALLOCATION (207001) too many callbacks
 */
ACL_FUNC_VISIBILITY aclError aclrtExceptionInfoCallbackRegister(aclrtExceptionInfoCallback callback);

/**
 * @brief Remove a callback aclrtExceptionInfoCallbackRegister added.
 *
 * @retval ACL_ERROR_RT_PARAM_INVALID  (107000) callback is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtExceptionInfoCallbackUnregister(aclrtExceptionInfoCallback callback);

/**
 * @brief The fields of a failure: the task's number in its stream, the
 * stream's number, the Linux thread id that ran it, the device, and the
 * aclError. Each returns 0xFFFFFFFF for a NULL info.
 */
ACL_FUNC_VISIBILITY uint32_t aclrtGetTaskIdFromExceptionInfo(const aclrtExceptionInfo *info);
ACL_FUNC_VISIBILITY uint32_t aclrtGetStreamIdFromExceptionInfo(const aclrtExceptionInfo *info);
ACL_FUNC_VISIBILITY uint32_t aclrtGetThreadIdFromExceptionInfo(const aclrtExceptionInfo *info);
ACL_FUNC_VISIBILITY uint32_t aclrtGetDeviceIdFromExceptionInfo(const aclrtExceptionInfo *info);
ACL_FUNC_VISIBILITY uint32_t aclrtGetErrorCodeFromExceptionInfo(const aclrtExceptionInfo *info);

/**
 * @brief Get the failed kernel's arguments, or its function handle.
 *
 * Host kernels cannot fail, so no exception here comes from a kernel: both
 * return ACL_ERROR_INVALID_EXCEPTION_INFO, CANN's answer for an exception
 * of another type and for a NULL info; ACL_ERROR_INVALID_PARAM (100000)
 * for a NULL output.
 */
ACL_FUNC_VISIBILITY aclError aclrtGetArgsFromExceptionInfo(const aclrtExceptionInfo *info, void **devArgsPtr,
                                                           uint32_t *devArgsLen);
ACL_FUNC_VISIBILITY aclError aclrtGetFuncHandleFromExceptionInfo(const aclrtExceptionInfo *info,
                                                                 aclrtFuncHandle *func);

typedef enum {
    ACL_RT_STREAM_STATE_CREATE_POST = 1,
    ACL_RT_STREAM_STATE_DESTROY_PRE,
} aclrtStreamState;

typedef void (*aclrtStreamStateCallback)(aclrtStream stm, aclrtStreamState state, void *args);

/**
 * @brief Register callback under regName: it is called with
 * ACL_RT_STREAM_STATE_CREATE_POST after aclrtCreateStream made a stream,
 * and ACL_RT_STREAM_STATE_DESTROY_PRE before aclrtDestroyStream(Force)
 * destroys one, in the calling thread. A NULL callback unregisters regName.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) regName is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID     (107000) regName is registered
 * @retval ACL_ERROR_RT_MEMORY_ALLOCATION (207001) too many callbacks
 */
ACL_FUNC_VISIBILITY aclError aclrtRegStreamStateCallback(const char *regName, aclrtStreamStateCallback callback,
                                                         void *args);

/* ==== contexts, device and version queries, errors, stream
 * configuration. Names, types and values as CANN's acl_rt.h and
 * acl_base_rt.h (hicann/runtime 681ef761); Documentation/user-guide.rst
 * says what each call does here. ==== */

/* aclrtCreateStreamWithConfig flags. */
#define ACL_STREAM_FAST_LAUNCH 0x00000001U
#define ACL_STREAM_FAST_SYNC 0x00000002U
#define ACL_STREAM_PERSISTENT 0x00000004U
#define ACL_STREAM_HUGE 0x00000008U
#define ACL_STREAM_CPU_SCHEDULE 0x00000010U
#define ACL_STREAM_DEVICE_USE_ONLY 0x00000020U

/* Buffer size for aclsysGetVersionStr. */
#define ACL_PKG_VERSION_MAX_SIZE 128
#define ACL_PKG_VERSION_PARTS_MAX_SIZE 64

/* Where the program runs: always ACL_HOST here. */
typedef enum aclrtRunMode {
    ACL_DEVICE,
    ACL_HOST,
} aclrtRunMode;

/* Scope of aclrtGetLastError/aclrtPeekAtLastError; CANN defines one. */
typedef enum aclrtLastErrLevel {
    ACL_RT_THREAD_LEVEL = 0,
} aclrtLastErrLevel;

/* Result of aclrtQueryDeviceStatus. */
typedef enum aclrtDeviceStatus {
    ACL_RT_DEVICE_STATUS_NORMAL = 0,
    ACL_RT_DEVICE_STATUS_ABNORMAL,
    ACL_RT_DEVICE_STATUS_END = 0xFFFF,
} aclrtDeviceStatus;

/* Attributes of aclrtGetDeviceInfo (which ones are answered: user guide). */
typedef enum {
    ACL_DEV_ATTR_AICPU_CORE_NUM = 1,
    ACL_DEV_ATTR_AICORE_CORE_NUM = 101,
    ACL_DEV_ATTR_CUBE_CORE_NUM = 102,
    ACL_DEV_ATTR_VECTOR_CORE_NUM = 201,
    ACL_DEV_ATTR_WARP_SIZE = 202,
    ACL_DEV_ATTR_MAX_THREAD_PER_VECTOR_CORE = 203,
    ACL_DEV_ATTR_LOCAL_MEM_PER_VECTOR_CORE = 204,
    ACL_DEV_ATTR_UBUF_PER_VECTOR_CORE = 204,
    ACL_DEV_ATTR_MAX_GRID_DIM_X = 205,
    ACL_DEV_ATTR_MAX_GRID_DIM_Y = 206,
    ACL_DEV_ATTR_MAX_GRID_DIM_Z = 207,
    ACL_DEV_ATTR_MAX_BLOCK_PER_GRID = 208,
    ACL_DEV_ATTR_MAX_THREADS_PER_BLOCK = 209,
    ACL_DEV_ATTR_MAX_BLOCK_DIM_X = 210,
    ACL_DEV_ATTR_MAX_BLOCK_DIM_Y = 211,
    ACL_DEV_ATTR_MAX_BLOCK_DIM_Z = 212,
    ACL_DEV_ATTR_TOTAL_GLOBAL_MEM_SIZE = 301,
    ACL_DEV_ATTR_L2_CACHE_SIZE = 302,
    ACL_DEV_ATTR_SMP_ID = 401U,
    ACL_DEV_ATTR_PHY_CHIP_ID = 402U,
    ACL_DEV_ATTR_SUPER_POD_DEVIDE_ID = 403U,
    ACL_DEV_ATTR_SUPER_POD_DEVICE_ID = 403U,
    ACL_DEV_ATTR_SUPER_POD_SERVER_ID = 404U,
    ACL_DEV_ATTR_SUPER_POD_ID = 405U,
    ACL_DEV_ATTR_CUST_OP_PRIVILEGE = 406U,
    ACL_DEV_ATTR_MAINBOARD_ID = 407U,
    ACL_DEV_ATTR_HD_CONNECT_TYPE = 408U,
    ACL_DEV_ATTR_DEVICE_FORM_FACTOR = 409U,
    ACL_DEV_ATTR_IS_VIRTUAL = 501U,
    ACL_DEV_ATTR_NPU_ARCH = 601U,
} aclrtDevAttr;

/**
 * @brief Create a context on a device and make it the thread's current one.
 *
 * Takes a reference on the device as aclrtSetDevice does (given back by
 * aclrtDestroyContext). The context has its own default stream; streams
 * created while it is current belong to it.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) context is NULL
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateContext(aclrtContext *context, int32_t deviceId);

/**
 * @brief Destroy a context made by aclrtCreateContext, with its streams.
 *
 * Its streams (the default one included) run their queued tasks first.
 * Threads whose current context it was have none afterwards.
 *
 * @retval ACL_ERROR_INVALID_PARAM      (100000) context is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID   (107000) a device's default context
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live context
 */
ACL_FUNC_VISIBILITY aclError aclrtDestroyContext(aclrtContext context);

/**
 * @brief Make a context the calling thread's current context.
 *
 * @retval ACL_ERROR_INVALID_PARAM      (100000) context is NULL
 * @retval ACL_ERROR_RT_CONTEXT_NULL    (107002) its device was reset
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live context
 */
ACL_FUNC_VISIBILITY aclError aclrtSetCurrentContext(aclrtContext context);

/**
 * @brief Get the calling thread's current context.
 *
 * After aclrtSetDevice, the device's default context.
 *
 * @retval ACL_ERROR_INVALID_PARAM    (100000) context is NULL
 * @retval ACL_ERROR_RT_CONTEXT_NULL  (107002) the thread has none
 */
ACL_FUNC_VISIBILITY aclError aclrtGetCurrentContext(aclrtContext *context);

/**
 * @brief Get the current context's default stream.
 *
 * Stores NULL, which designates the current context's default stream in
 * every stream argument.
 *
 * @retval ACL_ERROR_INVALID_PARAM    (100000) stream is NULL
 * @retval ACL_ERROR_RT_CONTEXT_NULL  (107002) the thread has no context
 */
ACL_FUNC_VISIBILITY aclError aclrtCtxGetCurrentDefaultStream(aclrtStream *stream);

/**
 * @brief Get where the program runs: ACL_HOST.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) runMode is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtGetRunMode(aclrtRunMode *runMode);

/**
 * @brief Get the SoC name: "AscendNotify-Emu", or $ASCEND_NOTIFY_SOC_NAME.
 *
 * CANN declares this in acl_base_rt.h.
 */
ACL_FUNC_VISIBILITY const char *aclrtGetSocName(void);

/**
 * @brief Tell whether a SoC name is that of this device (1) or not (0).
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) a pointer is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtCheckArchCompatibility(const char *socVersion, int32_t *canCompatible);

/**
 * @brief Get the version of this library (deprecated in CANN).
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) a pointer is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtGetVersion(int32_t *majorVersion, int32_t *minorVersion,
                                             int32_t *patchVersion);

/**
 * @brief Get a package's version string (ACL_PKG_VERSION_MAX_SIZE bytes).
 *
 * The one package is "runtime", this library.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) a pointer is NULL
 * @retval ACL_ERROR_INVALID_FILE   (100003) not "runtime"
 */
ACL_FUNC_VISIBILITY aclError aclsysGetVersionStr(char *pkgName, char *versionStr);

/**
 * @brief Get a package's version as CANN numbers it
 *        (major * 10000000 + minor * 100000 + patch * 1000).
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) a pointer is NULL
 * @retval ACL_ERROR_INVALID_FILE   (100003) not "runtime"
 */
ACL_FUNC_VISIBILITY aclError aclsysGetVersionNum(char *pkgName, int32_t *versionNum);

/**
 * @brief Get the stream priority range: least 7, greatest 0.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) a pointer is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtDeviceGetStreamPriorityRange(int32_t *leastPriority, int32_t *greatestPriority);

/**
 * @brief Get a device's status: NORMAL while the module answers for it.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) deviceStatus is NULL
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtQueryDeviceStatus(int32_t deviceId, aclrtDeviceStatus *deviceStatus);

/**
 * @brief Get a device attribute.
 *
 * @retval ACL_ERROR_INVALID_PARAM          (100000) value is NULL
 * @retval ACL_ERROR_RT_INVALID_DEVICEID    (107001) deviceId out of range
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) attribute not emulated
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDeviceInfo(uint32_t deviceId, aclrtDevAttr attr, int64_t *value);

/**
 * @brief Get the text of the error messages the calling thread's calls
 *        logged since it last asked, or NULL when there are none.
 *
 * The text stays valid until the thread's next call of this function.
 */
ACL_FUNC_VISIBILITY const char *aclGetRecentErrMsg(void);

/**
 * @brief Get the calling thread's last error without clearing it.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) level is not ACL_RT_THREAD_LEVEL
 */
ACL_FUNC_VISIBILITY aclError aclrtPeekAtLastError(aclrtLastErrLevel level);

/**
 * @brief Get and clear the calling thread's last error.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) level is not ACL_RT_THREAD_LEVEL
 */
ACL_FUNC_VISIBILITY aclError aclrtGetLastError(aclrtLastErrLevel level);

/**
 * @brief Create a stream with a priority (0 .. 7) and flags.
 *
 * FAST_LAUNCH, FAST_SYNC and HUGE are accepted and change nothing.
 *
 * @retval ACL_ERROR_INVALID_PARAM          (100000) stream is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID       (107000) unknown flag, priority
 *                                          out of range
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) PERSISTENT,
 *                                          CPU_SCHEDULE or DEVICE_USE_ONLY
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateStreamWithConfig(aclrtStream *stream, uint32_t priority, uint32_t flag);

/**
 * @brief Get a stream's id (NULL: the default stream's), unique in the
 *        process.
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamGetId(aclrtStream stream, int32_t *streamId);

/** @brief Get the flags a stream was created with (0 for others). */
ACL_FUNC_VISIBILITY aclError aclrtStreamGetFlags(aclrtStream stream, uint32_t *flags);

/** @brief Get the priority a stream was created with (0 for others). */
ACL_FUNC_VISIBILITY aclError aclrtStreamGetPriority(aclrtStream stream, uint32_t *priority);

/* Resource kinds of the device resource limits. */
typedef enum {
    ACL_RT_DEV_RES_CUBE_CORE = 0,
    ACL_RT_DEV_RES_VECTOR_CORE,
} aclrtDevResLimitType;

/* aclrtGetDeviceUtilizationRate's answer; -1: not measured. */
typedef struct aclrtUtilizationExtendInfo aclrtUtilizationExtendInfo;

typedef struct aclrtUtilizationInfo {
    int32_t cubeUtilization;
    int32_t vectorUtilization;
    int32_t aicpuUtilization;
    int32_t memoryUtilization;
    aclrtUtilizationExtendInfo *utilizationExtend; /* reserved, must be NULL */
} aclrtUtilizationInfo;

/* aclrtGetErrorVerbose's answer: device hardware faults (none here). */
#define UCE_INFO_RESERVED_SIZE 14

typedef struct aclrtMemUceInfo {
    void *addr;
    size_t len;
    size_t reserved[UCE_INFO_RESERVED_SIZE];
} aclrtMemUceInfo;

typedef enum {
    ACL_RT_NO_ERROR = 0,
    ACL_RT_ERROR_MEMORY = 1,
    ACL_RT_ERROR_L2 = 2,
    ACL_RT_ERROR_AICORE = 3,
    ACL_RT_ERROR_LINK = 4,
    ACL_RT_ERROR_L3_PORT = 5,
    ACL_RT_ERROR_OTHERS = 0xFFFF,
} aclrtErrorType;

typedef enum aclrtAicoreErrorType {
    ACL_RT_AICORE_ERROR_UNKNOWN,
    ACL_RT_AICORE_ERROR_SW,
    ACL_RT_AICORE_ERROR_HW_LOCAL,
} aclrtAicoreErrorType;

#define ACL_RT_MEM_UCE_INFO_MAX_NUM 20
typedef struct {
    size_t arraySize;
    aclrtMemUceInfo memUceInfoArray[ACL_RT_MEM_UCE_INFO_MAX_NUM];
} aclrtMemUceInfoArray;

typedef union aclrtErrorInfoDetail {
    aclrtMemUceInfoArray uceInfo;
    aclrtAicoreErrorType aicoreErrType;
} aclrtErrorInfoDetail;

typedef struct aclrtErrorInfo {
    uint8_t tryRepair;
    uint8_t hasDetail;
    uint8_t reserved[2];
    aclrtErrorType errorType;
    aclrtErrorInfoDetail detail;
} aclrtErrorInfo;

/* Attributes of a stream configuration handle (aclrtSetStreamConfigOpt). */
typedef enum {
    ACL_RT_STREAM_WORK_ADDR_PTR = 0,
    ACL_RT_STREAM_WORK_SIZE,
    ACL_RT_STREAM_FLAG,
    ACL_RT_STREAM_PRIORITY,
} aclrtStreamConfigAttr;

typedef struct aclrtStreamConfigHandle {
    void *workptr;
    size_t workSize;
    size_t flag;
    uint32_t priority;
} aclrtStreamConfigHandle;

/**
 * @brief Get a device's utilisation: -1 (not measured) for every kind, as
 *        CANN reports what it cannot measure.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) utilizationInfo is NULL or
 *                                        its utilizationExtend is not NULL
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDeviceUtilizationRate(int32_t deviceId, aclrtUtilizationInfo *utilizationInfo);

/**
 * @brief Get a device's hardware-fault detail: ACL_RT_NO_ERROR always.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) errorInfo is NULL
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtGetErrorVerbose(int32_t deviceId, aclrtErrorInfo *errorInfo);

/**
 * @brief Get the process's limit of a kind of core on a device (default:
 *        all, the device's one core).
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) value NULL, unknown type
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDeviceResLimit(int32_t deviceId, aclrtDevResLimitType type, uint32_t *value);

/**
 * @brief Set the process's limit of a kind of core on a device.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) unknown type
 * @retval ACL_ERROR_RT_PARAM_INVALID     (107000) value not 1 .. cores
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtSetDeviceResLimit(int32_t deviceId, aclrtDevResLimitType type, uint32_t value);

/**
 * @brief Restore a device's default limits.
 *
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtResetDeviceResLimit(int32_t deviceId);

/**
 * @brief Get the limit of a kind of core that applies to the calling
 *        thread: its current device's.
 *
 * @retval ACL_ERROR_INVALID_PARAM    (100000) value NULL, unknown type
 * @retval ACL_ERROR_RT_CONTEXT_NULL  (107002) no current context
 */
ACL_FUNC_VISIBILITY aclError aclrtGetResInCurrentThread(aclrtDevResLimitType type, uint32_t *value);

/**
 * @brief Create a stream configuration handle (zeroed), or NULL when out of
 *        memory. Free it with aclrtDestroyStreamConfigHandle.
 */
ACL_FUNC_VISIBILITY aclrtStreamConfigHandle *aclrtCreateStreamConfigHandle(void);

/**
 * @brief Free a stream configuration handle.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) handle is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtDestroyStreamConfigHandle(aclrtStreamConfigHandle *handle);

/**
 * @brief Set one attribute of a stream configuration handle.
 *
 * valueSize must be the attribute's: sizeof(void *) for WORK_ADDR_PTR,
 * sizeof(size_t) for WORK_SIZE, sizeof(uint32_t) for PRIORITY (0 .. 7),
 * sizeof(size_t) or sizeof(uint32_t) for FLAG.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) NULL pointer, unknown attr,
 *                                  wrong valueSize, priority out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtSetStreamConfigOpt(aclrtStreamConfigHandle *handle, aclrtStreamConfigAttr attr,
                                                     const void *attrValue, size_t valueSize);

/**
 * @brief Create a stream as a configuration handle says (NULL: defaults);
 *        the flags and priority are judged as aclrtCreateStreamWithConfig
 *        judges them.
 *
 * @retval ACL_ERROR_INVALID_PARAM          (100000) stream is NULL
 * @retval ACL_ERROR_RT_FEATURE_NOT_SUPPORT (207000) work memory given
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateStreamV2(aclrtStream *stream, const aclrtStreamConfigHandle *handle);

/* CANN attributes (acl_base_rt.h): none is available here. */
typedef enum {
    ACL_CANN_ATTR_UNDEFINED = -1,
    ACL_CANN_ATTR_INF_NAN = 0,
    ACL_CANN_ATTR_BF16 = 1,
    ACL_CANN_ATTR_JIT_COMPILE = 2
} aclCannAttr;

/* Device features of aclrtGetDeviceCapability: none is present here. */
typedef enum {
    ACL_FEATURE_TSCPU_TASK_UPDATE_SUPPORT_AIC_AIV = 1,
    ACL_FEATURE_SYSTEM_MEMQ_EVENT_CROSS_DEV = 21,
} aclrtDevFeatureType;

/**
 * @brief List the CANN attributes: INF_NAN, BF16, JIT_COMPILE (CANN
 *        declares this in acl_base_rt.h).
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) a pointer is NULL
 */
ACL_FUNC_VISIBILITY aclError aclGetCannAttributeList(const aclCannAttr **cannAttrList, size_t *num);

/**
 * @brief Tell whether a CANN attribute is available: 0 for each, as there
 *        is neither AI Core nor operator compiler.
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) value NULL, attribute unknown
 */
ACL_FUNC_VISIBILITY aclError aclGetCannAttribute(aclCannAttr cannAttr, int32_t *value);

/**
 * @brief Tell whether a device has a feature: 0 for both CANN names.
 *
 * @retval ACL_ERROR_INVALID_PARAM        (100000) value is NULL
 * @retval ACL_ERROR_RT_PARAM_INVALID     (107000) unknown feature
 * @retval ACL_ERROR_RT_INVALID_DEVICEID  (107001) deviceId out of range
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDeviceCapability(int32_t deviceId, aclrtDevFeatureType devFeatureType,
                                                      int32_t *value);

/**
 * @brief Discard a stream's queued tasks and abandon its running one.
 *
 * A blocked wait is abandoned within about 100 ms; a running host function
 * is not interrupted (the call waits for it). Tasks queued during the call
 * are discarded too. The next synchronisation reports
 * ACL_ERROR_RT_STREAM_ABORT (107023) if anything was discarded or
 * abandoned; the stream then runs new tasks again.
 *
 * @retval ACL_ERROR_INVALID_PARAM      (100000) stream is NULL (the default
 *                                      stream cannot be aborted)
 * @retval ACL_ERROR_RT_PARAM_INVALID   (107000) called from a host function
 *                                      of the stream
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamAbort(aclrtStream stream);

/**
 * @brief Stop a stream: abandon its running task, keep its queue.
 *
 * The running task ends as under aclrtStreamAbort; the stream then starts
 * no task until aclrtStreamAbort discards the queue (and the stream runs
 * new tasks again). Meanwhile a synchronisation that would wait for a
 * queued task returns ACL_ERROR_RT_INTERNAL_ERROR (507000) at once.
 *
 * @retval ACL_ERROR_INVALID_PARAM      (100000) stream is NULL (the default
 *                                      stream cannot be stopped)
 * @retval ACL_ERROR_RT_PARAM_INVALID   (107000) called from a host function
 *                                      of the stream
 * @retval ACL_ERROR_RT_INVALID_HANDLE  (107017) not a live stream
 */
ACL_FUNC_VISIBILITY aclError aclrtStreamStop(aclrtStream stream);

/**
 * @brief Get the number, within its stream (from 1), of the last task the
 *        calling thread queued on a stream it created (0: none yet).
 *
 * @retval ACL_ERROR_INVALID_PARAM  (100000) taskId is NULL
 */
ACL_FUNC_VISIBILITY aclError aclrtGetThreadLastTaskId(uint32_t *taskId);


#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_RT_H_ */
