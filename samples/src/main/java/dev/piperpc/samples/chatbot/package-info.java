/**
 * The chat-bot demo: a manager that answers at once while its workers run jobs.
 */
package dev.piperpc.samples.chatbot;
