package org.labcommons.testkit;

import org.labcommons.devstack.SharedDevStack;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.Pause;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real browser for page specifications: Debian's headless Chromium driven through
 * chromedriver by Selenium. One browser per test JVM, started on first use and closed when the
 * JVM exits; {@link BrowserSpecExtension} clears its cookies before every specification (so each
 * specification starts signed out) and saves a screenshot when a feature that used it fails.
 *
 * <pre>{@code
 * @MicronautTest(transactional = false)
 * class CataloguePageSpec extends Specification implements SharedInfrastructure {
 *     @Inject EmbeddedServer server
 *     Browser browser = Browser.get()
 *     String app(String path) { "http://localhost:${server.port}${path}" }
 *
 *     def "an instrument admin sees the editor"() {
 *         when:
 *         browser.signIn(app(''), 'donghu', 'donghu-admin').open(app('/instruments?lang=en'))
 *         then:
 *         browser.text('h1') == 'Instruments'
 *     }
 * }
 * }</pre>
 *
 * <p>Every host but {@code localhost} and {@code 127.0.0.1} resolves to "not found" inside this
 * browser, so a page that would reach the internet (fonts, map tiles) fails fast instead of
 * hanging, and no test ever sends traffic off the machine. The binaries can be moved with the
 * system properties or environment variables {@code LABCOMMONS_CHROMIUM} and
 * {@code LABCOMMONS_CHROMEDRIVER}.
 */
public final class Browser {
    /** A phone's viewport in CSS pixels (iPhone 12–15 class). */
    public static final Dimension PHONE = new Dimension(390, 844);
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    /** The flags every run uses (besides a fresh {@code --user-data-dir}). */
    public static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
    /** Where screenshots (and the page's HTML next to them) are written, relative to the module. */
    public static final Path SCREENSHOTS = Paths.get("target", "browser-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** How often a wait asks again: Selenium's 500 ms would add a quarter second to every wait not met at once. */
    private static final Duration POLL = Duration.ofMillis(50);

    private static Browser instance;
    /** Selenium warns that it has no CDP bindings for this Chromium; the raw CDP commands used here need none. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path userDataDir;
    /** Whether the viewport is a phone's (touch): set by {@link #viewport}. */
    private volatile boolean mobile;
    /** Set by every use; the extension resets it per feature and screenshots only features that used the browser. */
    volatile boolean touched;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path userDataDir) {
        this.service = service;
        this.driver = driver;
        this.userDataDir = userDataDir;
    }

    /** The JVM's browser, started on first use. */
    public static synchronized Browser get() {
        if (instance == null) {
            instance = start();
            Browser started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "browser-stop"));
        }
        instance.touched = true;
        return instance;
    }

    /** The running browser, or null when no specification in this JVM has used one. */
    static synchronized Browser ifStarted() {
        return instance;
    }

    private static String setting(String name, String fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Browser start() {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        File chromium = new File(setting("LABCOMMONS_CHROMIUM", "/usr/bin/chromium"));
        File chromedriver = new File(setting("LABCOMMONS_CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (!chromium.canExecute() || !chromedriver.canExecute()) {
            throw new IllegalStateException("browser specifications need " + chromium + " and " + chromedriver
                    + ": run scripts/ensure-test-packages.sh (Debian packages chromium, chromium-driver, fonts-wqy-microhei)");
        }
        Path userDataDir;
        try {
            userDataDir = Files.createTempDirectory("labcommons-chromium-");
            Files.createDirectories(Paths.get("target"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .withLogFile(Paths.get("target", "chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + userDataDir, "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
        // a Chinese user's browser: pages without ?lang= are asked for in zh-CN first
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "zh-CN,zh,en"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(15));
        return new Browser(service, driver, userDataDir);
    }

    /** The underlying WebDriver, for anything this class does not cover. */
    public WebDriver driver() {
        touched = true;
        return driver;
    }

    // ---- state -------------------------------------------------------------------------------

    /** Forgets every cookie (the app's session and the identity provider's) and returns to a desktop window. */
    public Browser reset() {
        touched = true;
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.get("about:blank");
        desktop();
        return this;
    }

    /** A phone viewport (390 × 844, touch, honouring the page's viewport meta as a phone does). */
    public Browser phone() {
        return viewport(PHONE, true);
    }

    public Browser desktop() {
        return viewport(DESKTOP, false);
    }

    /** Any viewport size, in CSS pixels; {@code mobile} emulates a phone's viewport-meta handling. */
    public Browser viewport(Dimension size, boolean mobile) {
        touched = true;
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", size.width, "height", size.height, "deviceScaleFactor", 1, "mobile", mobile));
        driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", mobile));
        this.mobile = mobile;
        return this;
    }

    /** The page's layout viewport width in CSS pixels. */
    public long viewportWidth() {
        return ((Number) js("return document.documentElement.clientWidth")).longValue();
    }

    // ---- navigation and elements ---------------------------------------------------------------

    public Browser open(String url) {
        touched = true;
        driver.get(url);
        return this;
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    /** The path and query of the current page ({@code /instruments?lang=en}). */
    public String pathAndQuery() {
        java.net.URI u = java.net.URI.create(url());
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    public String title() {
        return driver.getTitle();
    }

    private WebDriverWait waiting() { // up to 15 s, checking every 50 ms
        return new WebDriverWait(driver, WAIT, POLL);
    }

    /** The first element matching the CSS selector, waiting up to 15 s for it to appear. */
    public WebElement find(String css) {
        touched = true;
        try {
            return waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
        } catch (TimeoutException e) {
            throw new AssertionError("no element '" + css + "' on " + url() + " within " + WAIT.toSeconds() + " s", e);
        }
    }

    /** Every element matching now (no waiting). */
    public List<WebElement> findAll(String css) {
        touched = true;
        return driver.findElements(By.cssSelector(css));
    }

    /** Whether an element matches now (no waiting). */
    public boolean exists(String css) {
        return !findAll(css).isEmpty();
    }

    /** Whether a matching element is on the page and displayed, now. */
    public boolean visible(String css) {
        return findAll(css).stream().anyMatch(WebElement::isDisplayed);
    }

    /** Clicks the element once it is clickable. */
    public Browser click(String css) {
        touched = true;
        WebElement e = find(css);
        waiting().until(ExpectedConditions.elementToBeClickable(e));
        e.click();
        return this;
    }

    /**
     * Opens the navigation where a phone's layout has folded it behind its menu button
     * ({@code #nav-toggle}); on a desktop, where the button is hidden, nothing happens.
     */
    public Browser openNav() {
        if (visible("#nav-toggle") && "false".equals(attribute("#nav-toggle", "aria-expanded"))) {
            click("#nav-toggle");
            waitUntil("the navigation opened", () -> visible("#nav"));
        }
        return this;
    }

    /** Follows the navigation's link to {@code href} as a person does: opening the phone's menu first. */
    public Browser followNav(String href) {
        return openNav().submit("#nav a[href=\"" + href + "\"]");
    }

    /**
     * Clicks something that loads a new page (a form's submit button, a plain link) and waits until
     * the old page is gone, so what is read next comes from the new page, never the old one.
     */
    public Browser submit(String css) {
        // The old page is marked in its window object and the wait is for a document without the
        // mark. Waiting for the old <html> element to go stale is not enough: while Chromium swaps
        // documents it may answer a question about the old node with "Node with given id does not
        // belong to the document" (an unknown error, not a stale-element one), which broke CI.
        js("window.__labcommonsOldPage = true");
        click(css);
        try {
            waiting()
                    .ignoring(WebDriverException.class)
                    .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                            "return window.__labcommonsOldPage !== true && document.readyState !== 'loading'")));
        } catch (TimeoutException e) {
            throw new AssertionError("clicking '" + css + "' loaded no new page within " + WAIT.toSeconds() + " s (still " + url() + ")", e);
        }
        find("body");
        return this;
    }

    /** Replaces the field's content with {@code text}. */
    public Browser type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    /** The element's visible text, trimmed. */
    public String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return find(css).getText().strip();
            } catch (StaleElementReferenceException e) {
                if (attempt == 3) {
                    throw e;
                }
            } catch (WebDriverException e) {
                // Chromium's way of saying "stale" while a document is being replaced.
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("does not belong to the document")) {
                    throw e;
                }
            }
        }
    }

    /** The visible text of every matching element. */
    public List<String> texts(String css) {
        return findAll(css).stream().map(e -> e.getText().strip()).toList();
    }

    public String attribute(String css, String name) {
        return find(css).getDomAttribute(name);
    }

    /** The whole page's visible text. */
    public String pageText() {
        return text("body");
    }

    public String html() {
        return driver.getPageSource();
    }

    public Object js(String script, Object... args) {
        touched = true;
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits (15 s) until the current URL satisfies {@code condition}. */
    public Browser waitForUrl(Predicate<String> condition) {
        try {
            waiting().until(d -> condition.test(d.getCurrentUrl()));
        } catch (TimeoutException e) {
            throw new AssertionError("the browser stayed on " + url(), e);
        }
        return this;
    }

    /** Waits (15 s) until {@code condition} holds, for example a script's result. */
    public Browser waitUntil(String what, java.util.function.BooleanSupplier condition) {
        try {
            waiting().until(d -> notYetWhileReplaced(condition));
        } catch (TimeoutException e) {
            throw new AssertionError("never happened within " + WAIT.toSeconds() + " s: " + what + " (on " + url() + ")", e);
        }
        return this;
    }

    /**
     * The condition, or false when it read an element of a page that is being replaced (a form's
     * submit navigating away while the wait asks): the next check reads the new page.
     */
    private static boolean notYetWhileReplaced(java.util.function.BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (StaleElementReferenceException e) {
            return false;
        } catch (WebDriverException e) {
            // Chromium's way of saying "stale" while a document is being replaced (see text())
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return false;
            }
            throw e;
        }
    }

    /** Waits (15 s) until the element's text contains {@code text}. */
    public Browser waitForText(String css, String text) {
        try {
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        } catch (TimeoutException e) {
            throw new AssertionError("'" + css + "' never contained '" + text + "' on " + url(), e);
        }
        return this;
    }

    public Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    /**
     * Taps the middle of one half-hour slot of the booking calendar ({@code #calendar}, a FullCalendar
     * time grid): a finger's touch when the viewport is a phone's, a mouse click otherwise. The slot
     * is scrolled into view first.
     *
     * @param date the day's column, {@code 2030-03-06}
     * @param time the slot's start, {@code 10:00:00}
     */
    public Browser tapCalendarSlot(String date, String time) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) js("""
                var col = document.querySelector("#calendar .fc-timegrid-col[data-date='" + arguments[0] + "']");
                var lane = document.querySelector("#calendar .fc-timegrid-slot-lane[data-time='" + arguments[1] + "']");
                if (!col || !lane) { return null; }
                lane.scrollIntoView({ block: 'center' });
                var c = col.getBoundingClientRect(), l = lane.getBoundingClientRect();
                return { x: Math.round(c.left + c.width / 2), y: Math.round(l.top + l.height / 2) };""", date, time);
        if (p == null) {
            throw new AssertionError("the calendar on " + url() + " shows no slot " + date + " " + time);
        }
        int x = ((Number) p.get("x")).intValue();
        int y = ((Number) p.get("y")).intValue();
        if (mobile) {
            PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
            Sequence touch = new Sequence(finger, 0);
            touch.addAction(finger.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(), x, y));
            touch.addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
            touch.addAction(new Pause(finger, Duration.ofMillis(60)));
            touch.addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
            driver.perform(List.of(touch));
        } else {
            new Actions(driver).moveToLocation(x, y).click().perform();
        }
        return this;
    }

    // ---- layout checks -----------------------------------------------------------------------

    /**
     * How many CSS pixels the page is wider than the viewport (0: no horizontal scroll), and which
     * elements stick out past the right edge.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> horizontalOverflow() {
        return (Map<String, Object>) js("""
                const root = document.documentElement, width = root.clientWidth;
                const offenders = [];
                for (const el of document.body.querySelectorAll('*')) {
                  const r = el.getBoundingClientRect();
                  if (r.width > 0 && r.right > width + 1) {
                    offenders.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                      + ' right=' + Math.round(r.right));
                  }
                }
                return {overflow: Math.max(0, root.scrollWidth - width, document.body.scrollWidth - width),
                        viewport: width, offenders: offenders.slice(0, 10)};
                """);
    }

    /** Fails (with the elements that stick out) when the page scrolls sideways. */
    public Browser assertNoHorizontalScroll() {
        Map<String, Object> o = horizontalOverflow();
        if (((Number) o.get("overflow")).longValue() > 0) {
            throw new AssertionError("page " + url() + " scrolls sideways by " + o.get("overflow") + " px at width "
                    + o.get("viewport") + "; sticking out: " + o.get("offenders"));
        }
        return this;
    }

    /**
     * The fonts Chromium actually used to draw the text of the first element matching {@code css}
     * (family names, most glyphs first). Chinese text drawn from a font without CJK glyphs shows as
     * boxes; this tells which font drew it.
     */
    @SuppressWarnings("unchecked")
    public List<String> renderedFonts(String css) {
        find(css);
        driver.executeCdpCommand("DOM.enable", Map.of());
        driver.executeCdpCommand("CSS.enable", Map.of());
        Map<String, Object> doc = driver.executeCdpCommand("DOM.getDocument", Map.of("depth", 0));
        Object rootId = ((Map<String, Object>) doc.get("root")).get("nodeId");
        Object nodeId = driver.executeCdpCommand("DOM.querySelector", Map.of("nodeId", rootId, "selector", css)).get("nodeId");
        List<Map<String, Object>> fonts = (List<Map<String, Object>>) driver
                .executeCdpCommand("CSS.getPlatformFontsForNode", Map.of("nodeId", nodeId)).get("fonts");
        return fonts.stream()
                .sorted(Comparator.comparingLong((Map<String, Object> f) -> ((Number) f.get("glyphCount")).longValue()).reversed())
                .map(f -> (String) f.get("familyName")).toList();
    }

    // ---- screenshots -------------------------------------------------------------------------

    /** Saves a PNG of the viewport and the page's HTML as {@code target/browser-screenshots/<name>.png|.html}. */
    public Path screenshot(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "_");
        if (safe.length() > 150) {
            safe = safe.substring(0, 150);
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Path png = SCREENSHOTS.resolve(safe + ".png");
            Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(SCREENSHOTS.resolve(safe + ".html"), "<!-- " + url() + " -->\n" + html());
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- signing in --------------------------------------------------------------------------

    /** {@link #signIn(String, String, String, String)} returning to the home page. */
    public Browser signIn(String baseUrl, String issuerName, String username) {
        return signIn(baseUrl, issuerName, username, "/");
    }

    /**
     * Signs in through the real flow: the app's {@code /login} (authorization code + PKCE) →
     * the dev identity provider's interactive form, where {@code username} is typed (it becomes the
     * subject) → {@code /login/callback} → {@code returnTo}.
     *
     * @param baseUrl    the app, {@code http://localhost:<port>} (use localhost: the provider's issuers follow the host name)
     * @param issuerName an issuer of the dev identity provider ({@code consortium}, {@code donghu}, {@code xiling}, or
     *                   any name a test registered as a tenant's trusted issuer), or a full issuer URL; null for the consortium's
     * @param returnTo   a local path to land on
     */
    public Browser signIn(String baseUrl, String issuerName, String username, String returnTo) {
        String base = baseUrl.replaceAll("/$", "");
        // /login without an issuer is the institution chooser: the consortium's issuer is named for null
        String issuer = issuerName == null ? SharedDevStack.get().identityProvider().issuer("consortium")
                : issuerName.startsWith("http") ? issuerName : SharedDevStack.get().identityProvider().issuer(issuerName);
        open(base + "/login?returnTo=" + enc(returnTo) + "&issuer=" + enc(issuer));
        if (!url().startsWith(issuer)) {
            throw new AssertionError("sign-in did not reach the identity provider, but " + url() + ": " + pageText());
        }
        return completeSignIn(base, username);
    }

    /** {@link #signInWithChooser(String, String, String, String)} returning to the home page. */
    public Browser signInWithChooser(String baseUrl, String institutionSearchText, String username) {
        return signInWithChooser(baseUrl, institutionSearchText, username, "/");
    }

    /**
     * Signs in the way a person does: the app's {@code /login} without an issuer is the institution
     * chooser; {@code institutionSearchText} is typed into its search box, the one institution left
     * in the list is chosen (its own identity provider, the dev provider's form), {@code username}
     * is typed there, and the browser comes back to {@code returnTo} signed in as a member of it.
     * Fails when the text leaves no institution or more than one.
     */
    public Browser signInWithChooser(String baseUrl, String institutionSearchText, String username, String returnTo) {
        String base = baseUrl.replaceAll("/$", "");
        open(base + "/login?returnTo=" + enc(returnTo));
        if (!exists("#institution-q")) {
            throw new AssertionError("no institution chooser at " + url() + ": " + pageText());
        }
        type("#institution-q", institutionSearchText);
        List<WebElement> shown = findAll("#institutions li[data-slug]").stream().filter(WebElement::isDisplayed).toList();
        if (shown.size() != 1) {
            throw new AssertionError("'" + institutionSearchText + "' leaves " + shown.size()
                    + " institutions on the chooser, not one: " + text("#chooser"));
        }
        shown.get(0).findElement(By.cssSelector("a")).click();
        waitForUrl(u -> u.startsWith(SharedDevStack.get().identityProvider().baseUrl()));
        return completeSignIn(base, username);
    }

    /** On the dev identity provider's form: types {@code username}, submits, waits to be back at the app signed in. */
    private Browser completeSignIn(String base, String username) {
        type("input[name=username]", username);
        click("input[type=submit]");
        waitForUrl(u -> u.startsWith(base) && !u.contains("/login/callback"));
        if (cookie("LC_SESSION") == null) {
            throw new AssertionError("sign-in as " + username + " ended on " + url() + " without a session: " + pageText());
        }
        return this;
    }

    /** Signs out with the layout's button and waits until the browser is back at {@code baseUrl}, signed out. */
    public Browser signOut(String baseUrl) {
        String base = baseUrl.replaceAll("/$", "");
        click("#logout button");
        waitForUrl(u -> u.startsWith(base) && cookie("LC_SESSION") == null);
        return this;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    synchronized void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // the JVM is going away; chromedriver ends with it
        }
        service.stop();
        try (Stream<Path> files = Files.walk(userDataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is harmless
        }
    }
}
