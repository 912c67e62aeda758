package org.labcommons.devstack

import jakarta.mail.Message
import jakarta.mail.Session
import jakarta.mail.Transport
import jakarta.mail.internet.InternetAddress
import jakarta.mail.internet.MimeMessage
import org.labcommons.devstack.mail.DevMailServer
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.time.Duration

@Tag('integration')
class MailServerSpec extends Specification {

    @Shared DevStack stack = SharedDevStack.get()

    def "mail sent over SMTP to the stack's server is read back decoded, Chinese subject included"() {
        given:
        String to = "mail-${UUID.randomUUID().toString().substring(0, 8)}@example.edu".toString()
        def session = Session.getInstance(new Properties(['mail.smtp.host': 'localhost',
                                                          'mail.smtp.port': stack.properties()['labcommons.mail.port']]))
        def message = new MimeMessage(session)
        message.setFrom(new InternetAddress('noreply@labcommons.test'))
        message.setRecipients(Message.RecipientType.TO, to)
        message.setSubject('邀请：东湖大学', 'UTF-8')
        message.setText('请打开 http://localhost/x 接受邀请', 'UTF-8')

        when:
        Transport.send(message)
        DevMailServer.ReceivedMail got = stack.mail().await({ it.to().contains(to) }, Duration.ofSeconds(5))

        then:
        got != null
        got.subject() == '邀请：东湖大学'
        got.text().contains('http://localhost/x')
        got.from() == 'noreply@labcommons.test'
        stack.mail().messagesTo(to.toUpperCase()).size() == 1
        stack.properties()['labcommons.mail.host'] == 'localhost'
        stack.endpoints()['smtp'] == "smtp://localhost:${stack.mail().port()}".toString()
    }
}
