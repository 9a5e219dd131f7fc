package dev.chorus.web;

import dev.chorus.access.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The dashboard's pages. Each is a small HTML shell: {@code dashboard/layout.html} on the class path
 * around the page's own {@code dashboard/<page>.html}, whose scripts (under {@code /dashboard/}) read
 * the REST API. Scripts and styles come from this jar and
 * ECharts from its mvnpm jar ({@code /_static/echarts/...}): the pages load nothing from elsewhere.
 *
 * <p>Quarkus serves static files as {@code Cache-Control: public, immutable, max-age=86400}, so a browser
 * keeps a script for a day without asking again. The pages therefore name each of this jar's scripts and
 * styles with its content's hash ({@code /dashboard/study.js?v=3f2a...}): a new release's page asks for
 * the new file at once instead of running yesterday's script against today's API. ECharts's path names
 * its version already.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "dashboard")
@RolesAllowed(Role.VIEWER_NAME)
public class DashboardPages {

    /** A script or style of this jar as a page names it, in {@code src} or {@code href}. */
    private static final Pattern ASSET = Pattern.compile("(?<=(?:src|href)=\")/dashboard/([a-z-]+\\.(?:js|css))(?=\")");

    /** File name to {@link #version}: a script's bytes never change while the jar runs. */
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private final Map<String, String> pages = new ConcurrentHashMap<>();

    @GET
    @Operation(summary = "Dashboard: the studies list")
    public String studies() {
        return page("studies.html", "Studies");
    }

    @GET
    @Path("studies/{id: [0-9]+}")
    @Operation(summary = "Dashboard: one study, followed live")
    public String study() {
        return page("study.html", "Study");
    }

    @GET
    @Path("trials/{id: [0-9]+}")
    @Operation(summary = "Dashboard: one trial")
    public String trial() {
        return page("trial.html", "Trial");
    }

    @GET
    @Path("new")
    @Operation(summary = "Dashboard: create a study from a search-space file")
    public String create() {
        return page("new.html", "New study");
    }

    @GET
    @Path("tokens")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Dashboard: API tokens (admins)")
    public String tokens() {
        return page("tokens.html", "Tokens");
    }

    /** The sign-in page, going on to {@code next} (a local path, already checked) and showing {@code message}. */
    static String signIn(String next, String message) {
        return layout("Sign in", read("sign-in.html").replace("{next}", escape(next))
                .replace("{message}", escape(message)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private String page(String name, String title) {
        return pages.computeIfAbsent(name, n -> layout(title, read(n)));
    }

    private static String layout(String title, String content) {
        String html = read("layout.html").replace("{title}", title).replace("{content}", content);
        return ASSET.matcher(html).replaceAll(m -> m.group() + "?v="
                + VERSIONS.computeIfAbsent(m.group(1), DashboardPages::version));
    }

    /** The first 12 hex digits of the SHA-256 of {@code META-INF/resources/dashboard/<file>}, as served. */
    static String version(String file) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes("META-INF/resources/dashboard/" + file));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String read(String name) {
        return new String(bytes("dashboard/" + name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = DashboardPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path; rebuild");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }
}
