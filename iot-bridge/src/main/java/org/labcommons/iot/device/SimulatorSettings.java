package org.labcommons.iot.device;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code labcommons.iot.simulator.*}: the simulated controllers dev mode runs for demo instruments
 * (server's {@code DemoControllers}; dev mode turns them on).
 */
@ConfigurationProperties("labcommons.iot.simulator")
public class SimulatorSettings {
    private boolean demoControllers = false;
    private double rate = 0.5;
    private double eventShare = 0.2;
    private String directory = ".labcommons/dev/controllers";

    /** Whether to provision and run simulated controllers for demo instruments (needs demo data). */
    public boolean isDemoControllers() { return demoControllers; }
    public void setDemoControllers(boolean demoControllers) { this.demoControllers = demoControllers; }
    /** Messages per second, all demo controllers together. */
    public double getRate() { return rate; }
    public void setRate(double rate) { this.rate = rate; }
    /** Share of events among their messages (the rest is telemetry). */
    public double getEventShare() { return eventShare; }
    public void setEventShare(double eventShare) { this.eventShare = eventShare; }
    /** Where their config files, keys, sequence state and offline buffers live. */
    public String getDirectory() { return directory; }
    public void setDirectory(String directory) { this.directory = directory; }
}
