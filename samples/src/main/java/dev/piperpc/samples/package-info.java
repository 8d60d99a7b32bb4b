/**
 * Runnable examples: a spec worker, scatter/gather over a pool.
 */
package dev.piperpc.samples;
