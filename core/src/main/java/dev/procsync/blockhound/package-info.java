/**
 * Integration with BlockHound: marks procsync's futex sleeps as blocking calls.
 */
@NullMarked
package dev.procsync.blockhound;

import org.jspecify.annotations.NullMarked;
