/**
 * The {@code procsync} inspector command line: lists namespaces and segments, shows each
 * primitive's state and its owner's liveness, unlinks names, and removes or recovers what dead
 * processes left behind without touching anything a live process holds.
 */
package dev.procsync.cli;
