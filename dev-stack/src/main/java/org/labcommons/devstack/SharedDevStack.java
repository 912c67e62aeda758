package org.labcommons.devstack;

/**
 * The one dev stack of a test JVM: started on first use, shared by every specification, stopped
 * when the JVM exits. Starting real infrastructure once per JVM instead of once per specification
 * is what keeps the full suite fast on two cores. A failed start is remembered, so the remaining
 * specifications fail at once with the same cause instead of each trying again. A module whose
 * specifications never search sets the Maven property {@code labcommons.devstack.elasticsearch} to
 * {@code false}: its stack leaves Elasticsearch out (system property
 * {@link DevStackConfig#ELASTICSEARCH_PROPERTY}).
 */
public final class SharedDevStack {
    private static DevStack stack;
    private static IllegalStateException failure;

    private SharedDevStack() {
    }

    /** The running stack, starting it if this is the first call in this JVM. */
    public static synchronized DevStack get() {
        if (failure != null) {
            throw failure;
        }
        if (stack == null) {
            DevStackConfig config = DevStackConfig.test();
            if ("false".equals(System.getProperty(DevStackConfig.ELASTICSEARCH_PROPERTY))) {
                config = config.withoutElasticsearch();
            }
            DevStack s = new DevStack(config);
            try {
                s.start();
            } catch (Exception e) {
                failure = new IllegalStateException("the shared dev stack failed to start", e);
                throw failure;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "devstack-stop"));
            stack = s;
        }
        return stack;
    }
}
