package org.labcommons.devstack.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.labcommons.devstack.FreePorts;
import org.labcommons.devstack.InfraService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real SMTP server for development and tests (GreenMail, in process, loopback only). It accepts
 * mail for any recipient without authentication and keeps it in memory (lost on restart), so a
 * test, or a person in dev mode (the dev mailbox page), can read exactly what the platform sent.
 */
public final class DevMailServer implements InfraService {
    private static final Logger LOG = LoggerFactory.getLogger(DevMailServer.class);

    /** One delivered message, decoded: headers, the plain-text body, and when it arrived. */
    public record ReceivedMail(String messageId, String from, List<String> to, String subject, String text,
                               Instant receivedAt) {
    }

    private final int requestedPort;
    private GreenMail server;
    private int port;

    /** @param port fixed port, or 0 for a free one */
    public DevMailServer(int port) {
        this.requestedPort = port;
    }

    @Override
    public String name() {
        return "smtp";
    }

    @Override
    public synchronized void start() {
        port = FreePorts.pick(requestedPort);
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        LOG.info("SMTP server (GreenMail) ready on localhost:{}", port);
    }

    public int port() {
        return port;
    }

    /** Every message received so far, oldest first. */
    public List<ReceivedMail> messages() {
        GreenMail s = server;
        if (s == null) {
            return List.of();
        }
        List<ReceivedMail> out = new ArrayList<>();
        for (MimeMessage m : s.getReceivedMessages()) {
            out.add(decode(m));
        }
        return out;
    }

    /** Messages to {@code recipient} (case-insensitive), oldest first. */
    public List<ReceivedMail> messagesTo(String recipient) {
        return messages().stream().filter(m -> m.to().stream().anyMatch(recipient::equalsIgnoreCase)).toList();
    }

    /** Waits up to {@code timeout} for a message matching {@code which}; the newest match, or null. */
    public ReceivedMail await(Predicate<ReceivedMail> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            List<ReceivedMail> found = messages().stream().filter(which).toList();
            if (!found.isEmpty()) {
                return found.get(found.size() - 1);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        } while (System.nanoTime() < deadline);
        return null;
    }

    static ReceivedMail decode(MimeMessage m) {
        try {
            List<String> to = m.getRecipients(Message.RecipientType.TO) == null ? List.of()
                    : Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(DevMailServer::address).toList();
            String from = m.getFrom() == null || m.getFrom().length == 0 ? "" : address(m.getFrom()[0]);
            Instant received = m.getSentDate() == null ? Instant.now() : m.getSentDate().toInstant();
            return new ReceivedMail(m.getMessageID(), from, to, m.getSubject(), text(m.getContent()), received);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("unreadable message in the dev mailbox", e);
        }
    }

    private static String address(Address a) {
        return a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : a.toString();
    }

    /** The first text/plain part (or the whole content when it is text). */
    private static String text(Object content) throws MessagingException, IOException {
        if (content instanceof String s) {
            return s;
        }
        if (content instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart part = mp.getBodyPart(i);
                if (part.isMimeType("text/plain") || part.isMimeType("multipart/*")) {
                    String t = text(part.getContent());
                    if (!t.isEmpty()) {
                        return t;
                    }
                }
            }
        }
        return "";
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("labcommons.mail.host", "localhost");
        p.put("labcommons.mail.port", Integer.toString(port));
        return p;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("smtp", "smtp://localhost:" + port);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                LOG.warn("SMTP server did not stop cleanly", e);
            }
            server = null;
        }
    }
}
