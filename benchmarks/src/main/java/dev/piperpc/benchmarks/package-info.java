/**
 * The benchmark workloads, run side by side against other JSON-RPC libraries.
 */
package dev.piperpc.benchmarks;
