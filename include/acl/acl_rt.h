/* SPDX-License-Identifier: MIT */
/*
 * acl/acl_rt.h - the AscendCL runtime API implemented by ascend-notify:
 * initialization, devices, streams and (IPC) notifies.
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
 * IPC memory export/import flags (for aclrtIpcMem*, a later phase). CANN
 * gives these other bit values than the notify flags above.
 */
#define ACL_RT_IPC_MEM_EXPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_IPC_MEM_EXPORT_FLAG_DISABLE_PID_VALIDATION 0x1UL
#define ACL_RT_IPC_MEM_IMPORT_FLAG_DEFAULT 0x0UL
#define ACL_RT_IPC_MEM_IMPORT_FLAG_ENABLE_PEER_ACCESS 0x1UL

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
 * @retval OtherValues                  the error of another failed task
 */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStream(aclrtStream stream);

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

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_RT_H_ */
