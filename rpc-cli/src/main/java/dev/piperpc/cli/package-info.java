/**
 * The {@code piperpc} command line tool: {@code call}, {@code send}, {@code serve}, {@code demo},
 * {@code bench}. Its printer runs on one thread of its own, in arrival order.
 */
package dev.piperpc.cli;
