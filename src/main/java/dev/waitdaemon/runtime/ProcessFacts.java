package dev.waitdaemon.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What /proc tells of this process, for what an engine leaves unreported: whether it shares the host's
 * pid namespace (and so which processes are its ancestors on the host), whether it shares another of
 * the host's namespaces, its capabilities and whether it is privileged, and its environment.
 * {@code procSelf} is /proc/self; a test's fake /proc stands in for it.
 */
public final class ProcessFacts {

    /** Linux's capability names by number (capability.h), as the engines' --cap-add takes them. */
    private static final List<String> CAPABILITY_NAMES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
        "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
        "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
        "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
        "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
        "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");
    /** Processes between this one and the host's init are few; a bound against a loop in odd /proc data. */
    private static final int MAX_LINEAGE = 64;

    private final Path procSelf;

    ProcessFacts(Path procSelf) {
        this.procSelf = procSelf;
    }

    /** The facts of the process whose /proc entry is {@code procSelf} (/proc/self, or a test's). */
    public static ProcessFacts of(Path procSelf) {
        return new ProcessFacts(procSelf);
    }

    /** This process's /proc/self/status, or "" when it cannot be read. */
    public String status() {
        return read(procSelf.resolve("status")).orElse("");
    }

    /** This process's environment as a container's env list, without the engine's HOSTNAME. */
    static List<String> environment() {
        return System.getenv().entrySet().stream()
            .filter(entry -> !entry.getKey().equals("HOSTNAME"))
            .map(entry -> entry.getKey() + "=" + entry.getValue()).sorted().toList();
    }

    /** This process's pid, then its parent's and so on, up to (not including) the host's init. */
    List<Long> lineage(String ownStatus) {
        List<Long> pids = new ArrayList<>();
        Optional<Long> pid = statusField(ownStatus, "Pid");
        Optional<Long> parent = statusField(ownStatus, "PPid");
        Path proc = procSelf.getParent();
        while (pid.isPresent() && pid.get() > 1 && pids.size() < MAX_LINEAGE && !pids.contains(pid.get())) {
            pids.add(pid.get());
            pid = parent;
            parent = pid.flatMap(next -> read(proc.resolve(Long.toString(next)).resolve("status")))
                .flatMap(status -> statusField(status, "PPid"));
        }
        return pids;
    }

    static Optional<Long> statusField(String status, String field) {
        return status.lines().filter(line -> line.startsWith(field + ":"))
            .map(line -> line.substring(field.length() + 1).trim())
            .filter(value -> value.matches("[0-9]{1,18}")).map(Long::parseLong).findFirst();
    }

    /**
     * Privileged, from what only a privileged container has: every capability the host can grant
     * ({@code every}) effective, and no seccomp filter (engines drop theirs for --privileged).
     * Capabilities alone are not enough: {@code --cap-drop ALL --cap-add SYS_ADMIN} has equal effective
     * and bounding sets, and {@code --cap-add ALL} keeps the engine's seccomp profile.
     */
    static boolean looksPrivileged(String status, Optional<Long> every) {
        Optional<Long> effective = capabilityMask(status, "CapEff");
        boolean unfiltered = statusField(status, "Seccomp").map(mode -> mode == 0).orElse(true);
        return effective.isPresent() && every.isPresent() && (effective.get() & every.get()) == every.get() && unfiltered;
    }

    /**
     * Every capability a container here can be granted: with pid: host, the bounding set of the host's
     * init (a host that withholds one from every container, as some sandboxes do, withholds it from
     * privileged ones too); otherwise every capability the kernel knows (/proc/sys/kernel/cap_last_cap).
     * Empty when neither can be read: nothing then looks privileged, and the capabilities found are passed.
     */
    Optional<Long> everyCapability(String ownStatus) {
        Path proc = procSelf.getParent();
        if (inHostPidNamespace(ownStatus)) {
            Optional<Long> hostInit = read(proc.resolve("1").resolve("status")).flatMap(status -> capabilityMask(status, "CapBnd"));
            if (hostInit.isPresent()) {
                return hostInit;
            }
        }
        return read(proc.resolve("sys").resolve("kernel").resolve("cap_last_cap")).map(String::trim)
            .filter(text -> text.matches("[0-9]{1,2}")).map(Integer::parseInt).filter(last -> last < 63)
            .map(last -> (1L << (last + 1)) - 1);
    }

    /** The names of the effective capabilities, for --cap-add (a number without a name is left out). */
    static List<String> effectiveCapabilities(String status) {
        long mask = capabilityMask(status, "CapEff").orElse(0L);
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < CAPABILITY_NAMES.size(); bit++) {
            if ((mask & (1L << bit)) != 0) {
                names.add(CAPABILITY_NAMES.get(bit));
            }
        }
        return names;
    }

    /**
     * Whether this process is in the host's pid namespace: PID 1 is then the host's init, an ancestor of
     * this process (through the engine's shim or conmon) and outside this container. In a pid namespace
     * of the container's own, PID 1 is the container's first process, inside it; with pid: container:X,
     * PID 1 is X's and this process's ancestry ends at a parent the namespace cannot see (PPid 0).
     * Seen on dockerd 20.10 and podman 4.3 (busybox, a shell walking /proc/N/status): own namespace, PID 1
     * in the same mount namespace and cgroup; --pid host, the chain reaches 1 through the shim and PID 1's
     * mount namespace is unreadable without CAP_SYS_PTRACE while its cgroup ("/") differs; --pid
     * container:x, the chain ends at PPid 0. NSpid cannot tell: /proc inside a container's own pid
     * namespace is that namespace's, so its NSpid line has one entry too ("NSpid: 7").
     */
    public boolean inHostPidNamespace(String ownStatus) {
        Optional<Long> own = statusField(ownStatus, "Pid");
        if (own.isEmpty() || own.get() == 1 || !reachesInit(ownStatus)) {
            return false;
        }
        Path init = procSelf.getParent().resolve("1");
        Optional<Path> ownMounts = namespaceOf(procSelf, "mnt");
        Optional<Path> initMounts = namespaceOf(init, "mnt");
        Optional<String> ownCgroup = read(procSelf.resolve("cgroup"));
        Optional<String> initCgroup = read(init.resolve("cgroup"));
        boolean compared;
        boolean outside;
        if (ownMounts.isPresent() && initMounts.isPresent()) {
            compared = true;
            outside = !ownMounts.get().equals(initMounts.get());
        } else {
            // The mount namespace of a process outside needs ptrace rights; its cgroup file does not.
            compared = ownCgroup.isPresent() && initCgroup.isPresent();
            outside = compared && !ownCgroup.get().equals(initCgroup.get());
        }
        // PID 1 beside this process is its container's first process, unless there is no container at all.
        return outside || compared && !insideAContainer();
    }

    /**
     * Whether this process runs in a container at all: an id in /proc, an overlay root file system
     * (every engine's default storage), or podman's /run/.containerenv. (Not docker's /.dockerenv: a
     * machine made from an exported container keeps it.) A developer's shell has none of these.
     */
    public boolean insideAContainer() {
        // procSelf is /proc/self: the root is two folders up (a test's fake /proc lives under its own root)
        Path proc = procSelf.getParent();
        Path root = proc == null || proc.getParent() == null ? Path.of("/") : proc.getParent();
        String mountinfo = read(procSelf.resolve("mountinfo")).orElse("");
        return OwnContainer.fromMountinfo(mountinfo).isPresent()
            || read(procSelf.resolve("cgroup")).flatMap(OwnContainer::fromCgroup).isPresent()
            || OwnContainer.overlayRoot(mountinfo) || Files.exists(root.resolve("run/.containerenv"));
    }

    /** Whether following PPid from this process arrives at PID 1 (not at a parent outside the namespace). */
    private boolean reachesInit(String ownStatus) {
        List<Long> pids = lineage(ownStatus);
        if (pids.isEmpty()) {
            return false;
        }
        Path proc = procSelf.getParent();
        long last = pids.get(pids.size() - 1);
        Optional<String> status = pids.size() == 1 ? Optional.of(ownStatus) : read(proc.resolve(Long.toString(last)).resolve("status"));
        return status.flatMap(text -> statusField(text, "PPid")).filter(parent -> parent == 1).isPresent();
    }

    /**
     * Whether this process, in the host's pid namespace, is in the host's namespace of that kind: the
     * one of PID 1 (the host's init) or, where that cannot be read (a host may refuse it), the one of
     * the nearest ancestor outside this container's mount namespace: the engine's shim or conmon,
     * which run in the host's.
     */
    boolean sharesHostNamespace(String namespace, String ownStatus) {
        Optional<Path> own = namespaceOf(procSelf, namespace);
        if (own.isEmpty()) {
            return false;
        }
        Path proc = procSelf.getParent();
        Optional<Path> host = namespaceOf(proc.resolve("1"), namespace);
        if (host.isEmpty()) {
            Optional<Path> ownMounts = namespaceOf(procSelf, "mnt");
            host = lineage(ownStatus).stream().map(pid -> proc.resolve(Long.toString(pid)))
                .filter(process -> ownMounts.isPresent() && namespaceOf(process, "mnt").filter(mnt -> !mnt.equals(ownMounts.get())).isPresent())
                .findFirst().flatMap(outside -> namespaceOf(outside, namespace));
        }
        return host.isPresent() && host.get().equals(own.get());
    }

    private static Optional<Path> namespaceOf(Path process, String namespace) {
        try {
            return Optional.of(Files.readSymbolicLink(process.resolve("ns").resolve(namespace)));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> capabilityMask(String status, String field) {
        return status.lines().filter(line -> line.startsWith(field + ":"))
            .map(line -> Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16)).findFirst();
    }

    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
