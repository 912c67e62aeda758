package org.labcommons.core.i18n

import org.labcommons.testkit.BundleCheck
import spock.lang.Specification

/**
 * Messages merges every module's bundle and refuses a key defined twice; the kernel's own bundle
 * ({@code i18n/messages*.properties}) is complete in both languages and holds every key the
 * kernel's templates write.
 */
class MessagesSpec extends Specification {

    /** A bundle of this spec's test resources ({@code i18n/spec-*.properties}). */
    static class SpecBundle implements MessageBundle {
        final String name

        SpecBundle(String name) { this.name = name }

        @Override
        String baseName() { "i18n/${name}" }
    }

    static final BundleCheck kernel = BundleCheck.of(Messages.&read, new KernelMessages())

    def "the kernel's zh-CN and en bundles have the same keys, and no text is empty"() {
        expect:
        kernel.complete(80)
    }

    def "every key the kernel's templates write is in the kernel's bundle, in both languages"() {
        expect:
        kernel.covers(BundleCheck.templateKeys(), 30)
    }

    def "the texts of all bundles are merged per language; an unknown key reads as itself"() {
        given:
        def messages = new Messages([new KernelMessages(), new SpecBundle('spec-one')])

        expect:
        messages.all(Locale.CHINA)['spec.greeting'] == '你好'
        messages.all(Locale.UK)['spec.greeting'] == 'Hello'
        messages.all(Locale.ENGLISH)['app.name'] == Messages.read(new KernelMessages(), Locale.ENGLISH)['app.name']
        messages.get(Locale.ENGLISH, 'spec.nowhere') == 'spec.nowhere'
    }

    def "a key defined in two bundles is refused at start, naming both bundles"() {
        when:
        new Messages([new SpecBundle('spec-one'), new SpecBundle('spec-two')])

        then:
        IllegalStateException e = thrown()
        e.message == 'message key spec.shared is defined in both i18n/spec-one and i18n/spec-two'
    }

    def "a key defined twice in one file, or a bundle whose file is missing, is refused"() {
        when:
        new Messages([new SpecBundle('spec-twice')])

        then:
        IllegalStateException twice = thrown()
        twice.message == 'message key spec.once is defined twice in i18n/spec-twice.properties'

        when:
        new Messages([new SpecBundle('spec-missing')])

        then:
        IllegalStateException missing = thrown()
        missing.message == 'message bundle i18n/spec-missing.properties is not on the classpath'
    }
}
