package org.labcommons.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Port helpers: a fixed port when asked for one, otherwise a free loopback port. */
public final class FreePorts {
    private FreePorts() {
    }

    /** Returns {@code preferred} when it is positive, otherwise a currently free loopback port. */
    public static int pick(int preferred) {
        if (preferred > 0) {
            return preferred;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
