package dev.piperpc.core.message;

/**
 * One JSON-RPC 2.0 message: a {@link Request}, a {@link Notification}, a {@link Response}, or an
 * {@link InvalidMessage} standing for a JSON text that was not a valid message.
 */
public sealed interface Message permits Request, Notification, Response, InvalidMessage {
}
