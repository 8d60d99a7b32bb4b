package dev.piperpc.core;

/**
 * Counters of one endpoint.
 *
 * @param callsSent         calls (requests) sent
 * @param callsPending      calls sent and not yet ended
 * @param requestsReceived  incoming requests and notifications handled
 * @param requestsRunning   incoming requests being handled and not yet answered
 * @param incomingWaiting   incoming requests, notifications and held-back responses waiting for the executor
 * @param readPauses        how many times reading from the peer paused because too many messages waited
 * @param unknownResponses  responses whose id matched no pending call (late, or unknown ids)
 * @param invalidMessages   incoming texts that were not valid JSON-RPC
 * @param framingErrors     bytes that could not be framed (garbage, oversized frames)
 * @param repliesNotSent    answers not sent: to junk while the outbound queue was congested, or
 *                          refused by the transport's hard limit
 * @param cancelsNotSent    cancellations of timed-out or cancelled calls that could not be sent
 */
public record EndpointStats(long callsSent, long callsPending, long requestsReceived, long requestsRunning, long incomingWaiting,
                            long readPauses, long unknownResponses, long invalidMessages, long framingErrors, long repliesNotSent,
                            long cancelsNotSent) {
}
