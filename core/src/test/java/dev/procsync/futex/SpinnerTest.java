package dev.procsync.futex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpinnerTest {
    @Test
    void shouldPollOnceARoundForTheWholeBudget() {
        Spinner spinner = SpinPolicy.fixed(1000).newSpinner();
        int[] polls = {0};
        assertFalse(spinner.spin(() -> ++polls[0] < 0));
        assertEquals(1000, polls[0]);
    }

    @Test
    void shouldStopSpinningAsSoonAsTheConditionHolds() {
        Spinner spinner = SpinPolicy.fixed(1000).newSpinner();
        int[] polls = {0};
        assertTrue(spinner.spin(() -> ++polls[0] == 3));
        assertEquals(3, polls[0]);
    }

    @Test
    void shouldNotSpinAtAllWithoutABudget() {
        Spinner spinner = SpinPolicy.none().newSpinner();
        int[] polls = {0};
        assertFalse(spinner.spin(() -> ++polls[0] > 0));
        assertEquals(0, polls[0]);
    }
}
