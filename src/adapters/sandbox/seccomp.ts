import { dlopen, FFIType, ptr } from "bun:ffi";
import { closeSync, openSync } from "node:fs";

/**
 * System calls refused inside a run (EPERM). None is needed by Python or Bun running a script;
 * each is either a large kernel attack surface with a history of privilege-escalation bugs
 * reachable by unprivileged users (io_uring, userfaultfd, bpf, perf events, keyrings,
 * modify_ldt) or a way to rearrange the sandbox itself (namespaces, mounts), which the missing
 * capabilities and `--disable-userns` already stop — refusing them too costs nothing.
 */
const DENIED_SYSCALLS = [
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "userfaultfd",
  "bpf",
  "perf_event_open",
  "keyctl",
  "add_key",
  "request_key",
  "modify_ldt",
  "unshare",
  "setns",
  "mount",
  "umount2",
  "pivot_root",
  "chroot",
  "open_tree",
  "move_mount",
  "fsopen",
  "fsconfig",
  "fsmount",
  "fspick",
  "mount_setattr",
  "name_to_handle_at",
  "open_by_handle_at",
  "kexec_load",
  "kexec_file_load",
  "init_module",
  "finit_module",
  "delete_module",
  "swapon",
  "swapoff",
  "reboot",
  "acct",
  "quotactl",
  "syslog",
  "uselib",
] as const;

const SCMP_ACT_ALLOW = 0x7fff0000;
const SCMP_ACT_ERRNO = 0x00050000;
const EPERM = 1;

/**
 * Compile the filter with libseccomp — the library Docker, systemd and Flatpak build theirs
 * with — through Bun's FFI, and write the BPF program bubblewrap's `--seccomp FD` reads into
 * `file`. Only the host's native architecture is allowed: a 32-bit or x32 system call (another
 * syscall table, a classic way around a filter) kills the process. Returns why not when
 * libseccomp is missing or refuses; the caller runs without the filter then.
 */
export function writeSeccompFilter(file: string): string | undefined {
  let lib: ReturnType<typeof open>;
  try {
    lib = open();
  } catch (error) {
    return `libseccomp (libseccomp.so.2) could not be loaded: ${(error as Error).message}`;
  }
  const { symbols } = lib;
  const ctx = symbols.seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return "seccomp_init failed";
  try {
    for (const name of DENIED_SYSCALLS) {
      const nr = symbols.seccomp_syscall_resolve_name(ptr(Buffer.from(`${name}\0`)));
      if (nr < 0) continue; // not a system call of this architecture
      const rc = symbols.seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO | EPERM, nr, 0, null);
      if (rc !== 0) return `seccomp_rule_add for ${name} failed (${rc})`;
    }
    const fd = openSync(file, "w", 0o600);
    try {
      const rc = symbols.seccomp_export_bpf(ctx, fd);
      if (rc !== 0) return `seccomp_export_bpf failed (${rc})`;
    } finally {
      closeSync(fd);
    }
    return undefined;
  } finally {
    symbols.seccomp_release(ctx);
    lib.close();
  }
}

/** libseccomp's few entry points (loaded when a local runner probes). */
function open() {
  return dlopen("libseccomp.so.2", {
    seccomp_init: { args: [FFIType.u32], returns: FFIType.ptr },
    seccomp_syscall_resolve_name: { args: [FFIType.ptr], returns: FFIType.i32 },
    seccomp_rule_add_array: {
      args: [FFIType.ptr, FFIType.u32, FFIType.i32, FFIType.u32, FFIType.ptr],
      returns: FFIType.i32,
    },
    seccomp_export_bpf: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    seccomp_release: { args: [FFIType.ptr], returns: FFIType.void },
  });
}
