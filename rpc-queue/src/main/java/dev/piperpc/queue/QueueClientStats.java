package dev.piperpc.queue;

import dev.piperpc.core.EndpointStats;

/**
 * Counters of one {@link QueueClient}: its calls, as any endpoint counts them, and what it asked of
 * SQS, which is what SQS bills.
 *
 * @param endpoint         the counters of the client's endpoint (calls sent, pending, ...)
 * @param sqsRequests      SQS API requests of every kind, queue creation, heartbeats and deletion included
 * @param sendRequests     {@code SendMessageBatch} (and, for a lone large message, {@code SendMessage}) requests
 * @param messagesSent     messages SQS accepted onto the request queue
 * @param messagesNotSent  messages given up on (refused by SQS, or SQS unreachable after retries); their calls
 *                         ended with {@link QueueSendException}
 * @param messagesQueued   messages waiting in the outbox to be sent
 * @param receiveRequests  {@code ReceiveMessage} requests (long polls) on the reply queue
 * @param messagesReceived messages received from the reply queue
 * @param deleteRequests   {@code DeleteMessageBatch} requests on the reply queue
 * @param unreadableAnswers answers whose text was stored (claim-check) and could not be read; a
 *                         call whose id the pointer told ended with an error, the others were dropped
 */
public record QueueClientStats(EndpointStats endpoint, long sqsRequests, long sendRequests, long messagesSent,
                               long messagesNotSent, long messagesQueued, long receiveRequests, long messagesReceived,
                               long deleteRequests, long unreadableAnswers) {

    /**
     * Responses that matched no pending call and were ignored: duplicates (SQS delivers at least
     * once, so an answer may come twice) and answers that came after their call had timed out or
     * was cancelled.
     */
    public long ignoredResponses() {
        return endpoint.unknownResponses();
    }

    /** SQS requests per call sent, the measure of the bill; 0 before the first call. */
    public double sqsRequestsPerCall() {
        long calls = endpoint.callsSent();
        return calls == 0 ? 0 : (double) sqsRequests / calls;
    }
}
