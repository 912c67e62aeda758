package org.labcommons.server

import io.micronaut.context.ApplicationContext
import io.micronaut.runtime.server.EmbeddedServer
import org.labcommons.core.mail.Mailer
import org.labcommons.devstack.SharedDevStack
import spock.lang.Specification
import spock.lang.Tag

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The dev mailbox: in dev mode (the setting on and the dev SMTP server handed to the application,
 * as DevMode does it) /dev/mailbox lists what the platform sent; otherwise the route does not exist.
 */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class DevMailboxSpec extends Specification {
    HttpClient http = HttpClient.newHttpClient()

    HttpResponse<String> get(EmbeddedServer server, String path) {
        http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
    }

    ApplicationContext start(Map<String, String> more, boolean withMailServer) {
        def stack = SharedDevStack.get()
        def builder = ApplicationContext.builder().properties(stack.properties() + ['micronaut.server.port': '-1'] + more)
        if (withMailServer) {
            builder.singletons(stack.mail())
        }
        def ctx = builder.start()
        ctx.getBean(EmbeddedServer).start()
        ctx
    }

    def "in dev mode the mailbox lists the mail the platform sent, newest first"() {
        given:
        String run = UUID.randomUUID().toString().substring(0, 8)
        def ctx = start([(DevMailboxController.ENABLED): 'true'], true)
        def server = ctx.getBean(EmbeddedServer)

        when:
        ctx.getBean(Mailer).send("first-${run}@example.edu".toString(), "第一封 ${run}".toString(), 'hello')
        ctx.getBean(Mailer).send("second-${run}@example.edu".toString(), "Second ${run}".toString(), 'open http://localhost/x')
        def page = get(server, '/dev/mailbox?lang=en')

        then:
        page.statusCode() == 200
        page.body().contains('Dev mailbox')
        page.body().indexOf("Second ${run}") < page.body().indexOf("第一封 ${run}")
        page.body().contains('open http://localhost/x')

        cleanup:
        ctx?.close()
    }

    def "without dev mode there is no mailbox"() {
        given:
        def ctx = start([:], false)

        expect:
        get(ctx.getBean(EmbeddedServer), '/dev/mailbox').statusCode() == 404

        cleanup:
        ctx?.close()
    }
}
