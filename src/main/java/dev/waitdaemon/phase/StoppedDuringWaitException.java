package dev.waitdaemon.phase;

/** The clone got SIGTERM before its wait was over: the target was not started, and will not be. */
public class StoppedDuringWaitException extends PhaseException {

    public StoppedDuringWaitException(String image) {
        super("the clone was stopped (SIGTERM) during its wait: the target " + image + " was not started",
            "nothing to undo; run the action again if the machine still needs it", null);
    }
}
