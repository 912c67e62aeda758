package org.labcommons.testkit;

import org.spockframework.runtime.AbstractRunListener;
import org.spockframework.runtime.extension.IGlobalExtension;
import org.spockframework.runtime.model.ErrorInfo;
import org.spockframework.runtime.model.IterationInfo;
import org.spockframework.runtime.model.SpecInfo;

import java.nio.file.Path;

/**
 * Spock global extension (registered in {@code META-INF/services}) for specifications that use
 * {@link Browser}: before each specification, when the JVM's browser is running, its cookies are
 * cleared so the specification starts signed out in a desktop window; when a feature of a
 * specification that used the browser fails, the page is saved to
 * {@code target/browser-screenshots/<Spec>-<feature>.png} (and {@code .html}).
 */
public class BrowserSpecExtension implements IGlobalExtension {

    @Override
    public void visitSpec(SpecInfo spec) {
        spec.addListener(new AbstractRunListener() {
            private String current = "setupSpec";

            @Override
            public void beforeSpec(SpecInfo s) {
                Browser browser = Browser.ifStarted();
                if (browser != null) {
                    browser.reset();
                    browser.touched = false;
                }
            }

            @Override
            public void beforeIteration(IterationInfo iteration) {
                current = iteration.getDisplayName();
            }

            @Override
            public void error(ErrorInfo error) {
                Browser browser = Browser.ifStarted();
                if (browser == null || !browser.touched) {
                    return;
                }
                try {
                    Path png = browser.screenshot(spec.getName() + "-" + current);
                    System.err.println("browser screenshot of the failure: " + png.toAbsolutePath());
                } catch (RuntimeException e) {
                    System.err.println("no browser screenshot: " + e);
                }
            }
        });
    }
}
