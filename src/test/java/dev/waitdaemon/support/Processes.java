package dev.waitdaemon.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests ask of processes on this machine. */
public final class Processes {

    private Processes() {
    }

    /**
     * Whether the process still runs: a killed process whose parent is gone may linger as a zombie
     * until the machine's init reaps it, and that counts as ended.
     */
    public static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }
}
