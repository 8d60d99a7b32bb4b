package dev.piperpc.core.internal;

/**
 * Holds a blocking reader thread back while reading is paused: for transports whose reader is a
 * thread of its own. Opened and closed from any thread; starts open.
 */
public final class ReadGate {

    private boolean open = true;

    /** Opens ({@code true}) or closes ({@code false}) the gate. */
    public synchronized void set(boolean open) {
        this.open = open;
        notifyAll();
    }

    /** Waits until the gate is open; {@code true}, so it can lead a read loop's condition. */
    public synchronized boolean awaitOpen() throws InterruptedException {
        while (!open) {
            wait();
        }
        return true;
    }
}
