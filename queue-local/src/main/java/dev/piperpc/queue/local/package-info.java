/** {@code piperpc queue local}: an embedded SQS-compatible server, in a jar of its own (ElasticMQ is big). */
package dev.piperpc.queue.local;
