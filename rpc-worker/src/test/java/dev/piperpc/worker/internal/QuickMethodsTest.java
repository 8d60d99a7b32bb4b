package dev.piperpc.worker.internal;

import dev.piperpc.core.internal.MethodTask;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickMethodsTest {

    private static final long QUICK = QuickMethods.QUICK_MICROS * 1_000;
    private static final long SLOW = QUICK + 1;

    private static MethodTask task(String method) {
        return new MethodTask() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public void run() {
            }
        };
    }

    private static int quickRunsUntilQuick(QuickMethods methods, MethodTask task) {
        int runs = 0;
        while (!methods.isQuick(task)) {
            methods.ran(task, QUICK, false);
            runs++;
        }
        return runs;
    }

    @Test
    void aMethodIsQuickOnceItsLastFewRunsWereAndEachSlowRunDoublesHowManyItNeeds() {
        QuickMethods methods = new QuickMethods();
        MethodTask echo = task("echo");
        assertFalse(methods.isQuick(echo), "never run");
        assertEquals(4, quickRunsUntilQuick(methods, echo));
        methods.ran(echo, SLOW, true);
        assertFalse(methods.isQuick(echo), "just ran slowly");
        assertEquals(8, quickRunsUntilQuick(methods, echo));
        methods.ran(echo, SLOW, true);
        assertEquals(16, quickRunsUntilQuick(methods, echo));
        assertFalse(methods.isQuick(task("other")), "each method on its own");
    }

    @Test
    void aMethodSlowNowAndThenIsTrustedLessAndLessAndQuickRunsEarnTrustBack() {
        QuickMethods methods = new QuickMethods();
        MethodTask sometimes = task("sometimes");
        for (int i = 0; i < 8; i++) {
            quickRunsUntilQuick(methods, sometimes);
            methods.ran(sometimes, SLOW, true);
        }
        int needed = quickRunsUntilQuick(methods, sometimes);
        assertEquals(1 << 8, needed, "at most");
        for (int i = 0; i < 10 * needed; i++) {
            methods.ran(sometimes, QUICK, true);
        }
        methods.ran(sometimes, SLOW, true);
        int later = quickRunsUntilQuick(methods, sometimes);
        assertTrue(later < needed, "quick runs in a row earned trust back: " + later + " < " + needed);
    }

    @Test
    void aSlowRunOnAnotherThreadOnlyStartsTheCountAgain() {
        QuickMethods methods = new QuickMethods();
        MethodTask warming = task("warming");
        for (int i = 0; i < 20; i++) {
            methods.ran(warming, SLOW, false);
        }
        assertEquals(4, quickRunsUntilQuick(methods, warming), "slow while handed on: no less trusted");
        methods.ran(warming, SLOW, false);
        assertFalse(methods.isQuick(warming));
        assertEquals(4, quickRunsUntilQuick(methods, warming));
    }

    @Test
    void tasksThatRunNoRequestsHandlerAreNeverQuickAndTheMethodsRememberedAreBounded() {
        QuickMethods methods = new QuickMethods();
        Runnable plain = () -> { };
        for (int i = 0; i < 10; i++) {
            methods.ran(plain, QUICK, false);
        }
        assertFalse(methods.isQuick(plain));
        assertFalse(methods.isQuick(task(null)));
        for (int m = 0; m < 2_000; m++) {
            MethodTask task = task("m" + m);
            for (int i = 0; i < 4; i++) {
                methods.ran(task, QUICK, false);
            }
        }
        assertTrue(methods.isQuick(task("m0")));
        assertFalse(methods.isQuick(task("m1999")), "beyond the bound a method is not remembered");
    }
}
