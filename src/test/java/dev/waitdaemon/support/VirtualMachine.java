package dev.waitdaemon.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One boot of vm.sh's virtual machine: a real kernel under qemu's software emulation, in a network namespace
 * with only loopback, booted with a kernel command line as Smee gives an OSIE. The guest runs the boot's
 * {@code case} script from its transfer disk. Each line of the serial console is kept with the moment this
 * side saw it, so a test can compare the guest's events on one clock; Smee's stand-in (a UDP listener in the
 * namespace) writes what it gets to a file. Closing ends qemu whatever happens (vm.sh's processes die with
 * their parent), and with it the namespace.
 */
public final class VirtualMachine implements AutoCloseable {

    private static final Path SCRIPT = Path.of("src/scripts/vm.sh").toAbsolutePath();

    /** A line of the serial console, and when this side saw it (System.nanoTime). */
    public record ConsoleLine(long seenNanos, String text) {
    }

    private final Path serial;
    private final Path timedConsole;
    private final long bootedNanos = System.nanoTime();
    private final Path smeeLog;
    private final Process qemu;
    private final List<ConsoleLine> lines = new ArrayList<>();
    private final Thread shutdownHook;
    private long readUpTo;
    private String partial = "";

    private VirtualMachine(Path serial, Path smeeLog, Process qemu) {
        this.serial = serial;
        this.timedConsole = serial.resolveSibling("console-timed.log");
        this.smeeLog = smeeLog;
        this.qemu = qemu;
        // A test run killed mid-boot must not leave qemu behind.
        this.shutdownHook = new Thread(this::kill, "vm-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Builds the kernel, initramfs and root once (vm.sh reuses them while their inputs are unchanged). */
    public static Path build() {
        String folder = HostCommand.ok(Duration.ofMinutes(15), "bash", SCRIPT.toString(), "build").trim();
        return SCRIPT.getParent().getParent().getParent().resolve(folder);
    }

    /**
     * Boots with {@code cmdline} after the kernel's own arguments and {@code transfer} as the guest's /xfer
     * (it must hold an executable {@code case}); Smee's stand-in listens on the namespace's {@code smeePort}.
     */
    public static VirtualMachine boot(String cmdline, Path transfer, int smeePort, Path work) throws IOException {
        Path disk = work.resolve("xfer.ext4");
        HostCommand.ok(Duration.ofMinutes(2), "bash", SCRIPT.toString(), "xfer", transfer.toString(), disk.toString());
        Path serial = Files.createFile(work.resolve("serial.log"));
        Path smeeLog = Files.createFile(work.resolve("smee.log"));
        Process qemu = new ProcessBuilder("bash", SCRIPT.toString(), "boot", cmdline, disk.toString(), serial.toString(),
            Integer.toString(smeePort), smeeLog.toString())
            .redirectOutput(work.resolve("qemu.out").toFile()).redirectErrorStream(true).start();
        return new VirtualMachine(serial, smeeLog, qemu);
    }

    /**
     * Waits for the first console line that matches, reading the console as it grows. Fails with the console's
     * tail when qemu ends first or the limit passes.
     */
    public ConsoleLine await(Predicate<String> wanted, String what, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int checked = 0;
        while (true) {
            boolean ended = !qemu.isAlive();
            readConsole();
            for (; checked < lines.size(); checked++) {
                if (wanted.test(lines.get(checked).text())) {
                    return lines.get(checked);
                }
            }
            if (ended) {
                throw new AssertionError("the VM stopped before " + what + "; its console ended with:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + limit + "; the console ends with:\n" + tail());
            }
            Thread.sleep(20);
        }
    }

    /** Waits for qemu to end (with -no-reboot a reboot ends it too) and says when this side saw it. */
    public long awaitEnd(String what, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (qemu.isAlive()) {
            readConsole();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("qemu still runs " + limit + " later, waiting for " + what
                    + "; the console ends with:\n" + tail());
            }
            Thread.sleep(20);
        }
        long ended = System.nanoTime();
        readConsole();
        return ended;
    }

    /** The console line that matches, from what was read so far. */
    public Optional<ConsoleLine> seen(Predicate<String> wanted) throws IOException {
        readConsole();
        return lines.stream().filter(line -> wanted.test(line.text())).findFirst();
    }

    /** Every datagram Smee's stand-in got, one after the other. */
    public String smeeReceived() throws IOException {
        return Files.readString(smeeLog, StandardCharsets.UTF_8);
    }

    public String tail() throws IOException {
        readConsole();
        StringBuilder text = new StringBuilder();
        for (ConsoleLine line : lines.subList(Math.max(0, lines.size() - 60), lines.size())) {
            text.append(line.text()).append('\n');
        }
        return text.append(partial).toString();
    }

    /** Reads the console's whole lines that arrived since the last look (a line's bytes are decoded whole). */
    private void readConsole() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(serial.toFile(), "r")) {
            long length = file.length();
            if (length <= readUpTo) {
                return;
            }
            byte[] bytes = new byte[(int) (length - readUpTo)];
            file.seek(readUpTo);
            file.readFully(bytes);
            long now = System.nanoTime();
            int start = 0;
            StringBuilder timed = new StringBuilder();
            for (int end = 0; end < bytes.length; end++) {
                if (bytes[end] == '\n') {
                    ConsoleLine line = new ConsoleLine(now, new String(bytes, start, end - start, StandardCharsets.UTF_8).replace("\r", ""));
                    lines.add(line);
                    // For whoever reads a failed run, and for the times in docs/development.md: seconds since qemu's start.
                    timed.append(String.format(Locale.ROOT, "%8.2f s  %s%n", (now - bootedNanos) / 1e9, line.text()));
                    start = end + 1;
                }
            }
            Files.writeString(timedConsole, timed, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
            readUpTo += start;
            partial = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        }
    }

    private void kill() {
        qemu.descendants().forEach(ProcessHandle::destroyForcibly);
        qemu.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
        qemu.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
