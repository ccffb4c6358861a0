package io.shendu.backend.cpu;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that change {@link Parallel#setThreads}: {@code @ExtendWith(RestoreThreads.class)} puts the thread
 * count back after each test, so one test's setting never leaks into the next.
 */
public final class RestoreThreads implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoreThreads.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("threads", Parallel.threads());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Integer saved = context.getStore(NS).remove("threads", Integer.class);
        if (saved != null) Parallel.setThreads(saved);
    }
}
