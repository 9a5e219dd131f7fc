package dev.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's PyTorch native library: DJL's CPU flavour by default, its CUDA 12.8 flavour with
 * {@code -Pcuda} (issue 18, item 6). The CUDA jar cannot be fetched here, so this checks what the profile
 * asks for (pom.xml with the profile's properties applied, as Maven interpolates them) and that the
 * default build's class path holds the CPU library of the same PyTorch version as {@code pytorch-jni}.
 */
class CudaProfileTest {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    @Test
    void theDefaultBuildTrainsOnDjlsCpuLibrary() throws Exception {
        Map<String, String> properties = properties(pom(), null);
        assertThat(nativeLibrary(pom(), properties)).isEqualTo("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64:runtime");
        assertThat(jni(pom(), properties)).isEqualTo("ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1:runtime");
    }

    @Test
    void theCudaProfileSwapsInDjlsCuda128LibraryForTheSamePytorch() throws Exception {
        Map<String, String> properties = properties(pom(), "cuda");
        // the flavour DJL publishes for PyTorch 2.7.1 on Linux (pytorch-engine's README, DJL 0.34 and 0.35)
        assertThat(nativeLibrary(pom(), properties)).isEqualTo("ai.djl.pytorch:pytorch-native-cu128:2.7.1:linux-x86_64:runtime");
        assertThat(jni(pom(), properties)).as("pytorch-jni is the same for both flavours")
                .isEqualTo("ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1:runtime");
    }

    @Test
    void theTestClassPathHoldsTheCpuLibraryOfPomsPytorchVersion() throws Exception {
        Properties built = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            assertThat(in).as("a pytorch-native jar on the class path").isNotNull();
            built.load(in);
        }
        assertThat(built.getProperty("flavor")).isEqualTo("cpu");
        assertThat(built.getProperty("classifier")).isEqualTo("linux-x86_64");
        assertThat(built.getProperty("version")).startsWith(properties(pom(), null).get("pytorch.version") + "-");
    }

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    /** The project's properties, with those of profile {@code profile} (when not null) applied over them. */
    private static Map<String, String> properties(Document pom, String profile) {
        Map<String, String> values = new HashMap<>();
        Element project = pom.getDocumentElement();
        putAll(values, child(project, "properties"));
        if (profile != null) {
            Element profiles = child(project, "profiles");
            Element found = null;
            for (Element p : children(profiles, "profile")) {
                if (text(p, "id").equals(profile)) {
                    found = p;
                }
            }
            assertThat(found).as("profile %s in pom.xml", profile).isNotNull();
            assertThat(child(found, "activation")).as("profile %s is off unless asked for", profile).isNull();
            putAll(values, child(found, "properties"));
        }
        return values;
    }

    private static String nativeLibrary(Document pom, Map<String, String> properties) {
        return dependency(pom, properties, "pytorch-native-");
    }

    private static String jni(Document pom, Map<String, String> properties) {
        return dependency(pom, properties, "pytorch-jni");
    }

    /** The one project dependency whose interpolated artifactId starts with {@code prefix}, as g:a:v[:c]:scope. */
    private static String dependency(Document pom, Map<String, String> properties, String prefix) {
        String found = null;
        for (Element d : children(child(pom.getDocumentElement(), "dependencies"), "dependency")) {
            String artifact = interpolate(text(d, "artifactId"), properties);
            if (artifact.startsWith(prefix)) {
                assertThat(found).as("one %s dependency", prefix).isNull();
                String classifier = text(d, "classifier");
                found = interpolate(text(d, "groupId"), properties) + ":" + artifact + ":"
                        + interpolate(text(d, "version"), properties) + (classifier.isEmpty() ? "" : ":" + classifier)
                        + ":" + text(d, "scope");
            }
        }
        assertThat(found).as("a %s dependency in pom.xml", prefix).isNotNull();
        return found;
    }

    private static String interpolate(String value, Map<String, String> properties) {
        Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = properties.get(m.group(1));
            assertThat(v).as("property %s defined", m.group(1)).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(interpolate(v, properties)));
        }
        return m.appendTail(out).toString();
    }

    private static void putAll(Map<String, String> values, Element properties) {
        if (properties == null) {
            return;
        }
        for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                values.put(e.getTagName(), e.getTextContent().trim());
            }
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static Iterable<Element> children(Element parent, String name) {
        NodeList all = parent.getChildNodes();
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }
}
