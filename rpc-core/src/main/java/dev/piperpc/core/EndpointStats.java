package dev.piperpc.core;

/**
 * Counters of one endpoint.
 *
 * @param callsSent         calls (requests) sent
 * @param callsPending      calls sent and not yet ended
 * @param requestsReceived  incoming requests and notifications handled
 * @param requestsRunning   incoming requests being handled and not yet answered
 * @param unknownResponses  responses whose id matched no pending call (late, or unknown ids)
 * @param invalidMessages   incoming texts that were not valid JSON-RPC
 * @param framingErrors     bytes that could not be framed (garbage, oversized frames)
 */
public record EndpointStats(long callsSent, long callsPending, long requestsReceived, long requestsRunning, long unknownResponses,
                            long invalidMessages, long framingErrors) {
}
