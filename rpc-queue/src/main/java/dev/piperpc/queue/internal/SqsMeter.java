package dev.piperpc.queue.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what one client asks of SQS (each API request is billed) and the messages it moves.
 * Any thread.
 */
public final class SqsMeter {

    private final LongAdder requests = new LongAdder();
    private final LongAdder sendRequests = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder messagesNotSent = new LongAdder();
    private final LongAdder receiveRequests = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder deleteRequests = new LongAdder();
    private final LongAdder unreadable = new LongAdder();

    /** One SQS API request of any kind. */
    public void request() {
        requests.increment();
    }

    /** One send request ({@code SendMessageBatch} or {@code SendMessage}), also counted as a request. */
    void sendRequest() {
        request();
        sendRequests.increment();
    }

    void sent(int messages) {
        messagesSent.add(messages);
    }

    void notSent(int messages) {
        messagesNotSent.add(messages);
    }

    /** One {@code ReceiveMessage}, also counted as a request. */
    void receiveRequest() {
        request();
        receiveRequests.increment();
    }

    void received(int messages) {
        messagesReceived.add(messages);
    }

    /** One {@code DeleteMessageBatch}, also counted as a request. */
    void deleteRequest() {
        request();
        deleteRequests.increment();
    }

    /** A received message whose stored text (claim-check) could not be read. */
    void countUnreadable() {
        unreadable.increment();
    }

    /** Received messages whose stored text (claim-check) could not be read. */
    public long unreadable() {
        return unreadable.sum();
    }

    /** SQS API requests of every kind. */
    public long requests() {
        return requests.sum();
    }

    /** {@code SendMessageBatch} and {@code SendMessage} requests. */
    public long sendRequests() {
        return sendRequests.sum();
    }

    /** Messages SQS accepted. */
    public long messagesSent() {
        return messagesSent.sum();
    }

    /** Messages given up on after retries, or refused by SQS. */
    public long messagesNotSent() {
        return messagesNotSent.sum();
    }

    /** {@code ReceiveMessage} requests. */
    public long receiveRequests() {
        return receiveRequests.sum();
    }

    /** Messages received from the reply queue. */
    public long messagesReceived() {
        return messagesReceived.sum();
    }

    /** {@code DeleteMessageBatch} requests. */
    public long deleteRequests() {
        return deleteRequests.sum();
    }
}
