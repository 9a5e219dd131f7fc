package dev.chorus.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through Debian's chromedriver, for the dashboard's browser tests. Keeps
 * what the page logged, so a test can fail on any JavaScript error, and saves screenshots under
 * {@code target/screenshots/}.
 *
 * <p>Without chromium and chromedriver the tests are skipped, except under {@code CI=true}, where
 * they fail: CI installs both ({@code .ci/run}).
 */
final class Browser implements AutoCloseable {

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String base;
    private final List<String> severe = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile, String base) {
        this.driver = driver;
        this.profile = profile;
        this.base = base;
    }

    /** Starts Chromium against the application at {@code base} (no trailing slash), or skips the test. */
    static Browser start(String base) throws IOException {
        if (!Files.isExecutable(DRIVER) || !Files.isExecutable(CHROMIUM)) {
            String missing = "chromium and chromium-driver are needed for the dashboard's browser tests; "
                    + "install them with: apt-get install -y chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(missing);
            }
            Assumptions.abort(missing);
        }
        Path profile = Files.createTempDirectory("chorus-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile, base.replaceAll("/$", ""));
    }

    WebDriver driver() {
        return driver;
    }

    /** Opens a path of the application, e.g. {@code /studies/3}. */
    Browser open(String path) {
        driver.get(base + path);
        return this;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits up to {@code seconds} until the element's visible text contains {@code text}; returns that text. */
    String waitForText(String css, String text, int seconds) {
        return until(seconds, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.getFirst().getText().contains(text) ? null : found.getFirst().getText();
        }, "'" + text + "' in " + css);
    }

    /** Waits until {@code condition} returns something other than null or false. */
    <T> T until(int seconds, Function<WebDriver, T> condition, String what) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(200))
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("timeout");
            throw new AssertionError("waited " + seconds + " s for " + what + "; the page showed: "
                    + driver.findElement(By.tagName("main")).getText(), e);
        }
    }

    /** Clicks an element, again if the page redrew it in between (live pages redraw as trials finish). */
    void click(String css) {
        until(10, d -> {
            d.findElement(By.cssSelector(css)).click();
            return true;
        }, "a clickable " + css);
    }

    /** Picks an option by its text in a select, again if the page redrew it in between. */
    void select(String css, String option) {
        until(10, d -> {
            new org.openqa.selenium.support.ui.Select(d.findElement(By.cssSelector(css))).selectByVisibleText(option);
            return true;
        }, "option '" + option + "' in " + css);
    }

    /** The visible text of an element, read again if the page redrew it in between. */
    String text(String css) {
        return until(10, d -> d.findElement(By.cssSelector(css)).getText(), "the text of " + css);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /**
     * Returns once the page has set the User Timing mark {@code name} ({@code performance.mark}), told by a
     * {@code PerformanceObserver} in the page rather than by polling, so a timing taken around this call
     * stops one WebDriver round trip after the mark.
     */
    void awaitMark(String name) {
        driver.executeAsyncScript("""
                const name = arguments[0], done = arguments[arguments.length - 1];
                if (performance.getEntriesByName(name).length > 0) { done(true); return; }
                new PerformanceObserver((list, observer) => {
                  if (list.getEntriesByName(name).length > 0) { observer.disconnect(); done(true); }
                }).observe({type: 'mark', buffered: true});""", name);
    }

    /** The number of data items of the first series of the ECharts chart in element {@code id}, or -1. */
    long chartPoints(String id) {
        Object n = script("const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                + "return c ? c.getOption().series[0].data.length : -1;", id);
        return ((Number) n).longValue();
    }

    /** Saves a screenshot of the whole page as {@code target/screenshots/<name>.png}. */
    void screenshot(String name) {
        long height = ((Number) script("window.scrollTo(0, 0); return document.documentElement.scrollHeight;"))
                .longValue();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) Math.min(6000, Math.max(1000, height))));
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save screenshot " + name, e);
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
        }
    }

    /**
     * Fails when the pages logged an error since the last call: a JavaScript exception or
     * console.error, or a failed request other than the answers the test provoked on purpose.
     *
     * @param expected parts of request URLs whose error answers (a 400 for a bad file, say) are expected
     */
    void assertNoErrors(String... expected) {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() < Level.SEVERE.intValue()) {
                continue;
            }
            String message = entry.getMessage();
            boolean provoked = message.contains("Failed to load resource")
                    && java.util.Arrays.stream(expected).anyMatch(message::contains);
            if (!provoked) {
                severe.add(message);
            }
        }
        if (!severe.isEmpty()) {
            List<String> errors = List.copyOf(severe);
            severe.clear();
            Assertions.fail("the browser logged errors:\n" + String.join("\n", errors));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
