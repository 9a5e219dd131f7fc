package dev.chorus.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Seeded generators of malformed input for {@link FuzzTest}: search-space files, CSV files, PNG images
 * and JSON bodies. Every mutation here makes its input invalid for sure (a required key removed, a value
 * of the wrong type, a broken token that YAML cannot read, ...), so every answer must be a 4xx.
 */
final class FuzzInputs {

    private final SplittableRandom random;

    FuzzInputs(SplittableRandom random) {
        this.random = random;
    }

    /** Values that are wrong for the key, whatever else the file says. */
    static final Map<String, List<String>> BAD_VALUES = Map.ofEntries(
            Map.entry("name", List.of("", "Tiny", "has space", "x".repeat(65), "[tiny]", "{a: b}", "'tiny!'", "ü",
                    "\"\\0\"")),
            Map.entry("seed", List.of("-1", "abc", "1.5", "99999999999999999999", ".nan", "[7]", "true", "0x", "'7'")),
            Map.entry("rows", List.of("49", "0", "-300", "abc", "1e400", "2147483648", "[300]", "{a: 1}", ".inf",
                    "300.5", "'300'", "4000000")),
            Map.entry("features", List.of("1", "0", "-6", "abc", "[6]", "6.5", "5000000")),
            Map.entry("noise", List.of("-0.1", ".nan", ".inf", "abc", "[0.2]", "-1e308")),
            Map.entry("labelled", List.of("0", "1.5", "-0.5", "abc", ".nan", "2")),
            Map.entry("population", List.of("1", "0", "-4", "abc", "2147483648", "4.5", "[4]")),
            Map.entry("max-groups", List.of("0", "4", "99", "abc", "-1", "3.5")),
            Map.entry("trunk-width", List.of("[]", "[0]", "[-8]", "[8, 8]", "abc", "[abc]", "{min: 1, max: 2}")),
            Map.entry("trunk-depth", List.of("{min: 2, max: 1}", "{min: 0, max: 1}", "{min: 1}", "1", "{min: a, max: 1}",
                    "{min: 1, max: 1, step: 1}", "[1, 2]")),
            Map.entry("epochs", List.of("{min: 3, max: 2}", "{min: 0, max: 3}", "{max: 3}", "[2, 3]",
                    "{min: 2, max: 3.5}")),
            Map.entry("batch-size", List.of("[0]", "[]", "[64, 64]", "[-64]", "64x")),
            Map.entry("max-trials", List.of("0", "1000001", "-1", "abc", "1e9", "8.5", "", "[8]")),
            Map.entry("max-minutes", List.of("0", "-1", "abc", "1.5", "[10]")),
            Map.entry("models", List.of("maybe", "2", "[true]", "'true'")),
            Map.entry("sampler", List.of("nsga3", "[nsga2]", "{a: 1}", "''")),
            Map.entry("type", List.of("binery", "''", "[binary]", "'{a: 1}'", "regresion")),
            Map.entry("metric", List.of("bogus", "''", "[auc]", "r2x")));

    private static final List<String> BREAKERS = List.of("x: [unclosed", "\"unclosed", "- stray item", "]", "}",
            "key: value: another", "@reserved", "`reserved", "*undefined-alias", "!!binary notbase64!",
            "? complex");

    private static final Pattern KEY_VALUE = Pattern.compile("(?m)^(\\s*)([a-z-]+): ([^#\\n]*)$");

    /**
     * One malformed variant of {@code valid}, a study file whose last section is {@code budget} with
     * {@code max-trials}: a cut before max-trials' value, a line YAML cannot read, a key removed,
     * duplicated or unknown, or a value of the wrong type; sometimes several at once.
     */
    String mutateYaml(String valid) {
        String yaml = valid;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && !yaml.isBlank(); m++) {
            yaml = switch (random.nextInt(7)) {
                case 0 -> truncate(yaml);
                case 1 -> insertLine(yaml, BREAKERS.get(random.nextInt(BREAKERS.size())));
                case 2 -> insertLine(yaml, "\t" + pick(List.of("name: tab", "seed: 1", "x: 1")));
                case 3 -> removeRequired(yaml);
                // each appended key is wrong whether or not the file has it already
                case 4 -> yaml + "\n" + pick(List.of("name: Again!", "seed: -1", "unknown-" + random.nextInt(1000) + ": 1",
                        "budget: { max-trials: 0 }", "tasks: []"));
                case 5 -> insertUnknownKey(yaml);
                default -> badValue(yaml);
            };
        }
        return yaml;
    }

    private String truncate(String yaml) {
        int end = yaml.indexOf("max-trials: ");
        if (end < 0) {
            return yaml.substring(0, yaml.length() / 2);
        }
        return yaml.substring(0, random.nextInt(end + "max-trials: ".length()));
    }

    private String insertLine(String yaml, String line) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        List<Integer> content = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank() && !lines.get(i).strip().startsWith("#")) {
                content.add(i);
            }
        }
        if (content.isEmpty()) {
            return yaml + "\n" + line + "\n";
        }
        int at = content.get(random.nextInt(content.size()));
        lines.add(at, line);
        return String.join("\n", lines) + "\n";
    }

    private String removeRequired(String yaml) {
        String[] required = {"name:", "budget:", "  max-trials:", "    rows:", "    features:", "tasks:", "dataset:"};
        String key = required[random.nextInt(required.length)];
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return yaml + "\n\"unclosed";
        }
        lines.remove(at);
        // a section's own lines go with it
        while (!key.startsWith(" ") && at < lines.size() && (lines.get(at).startsWith(" ") || lines.get(at).isBlank())) {
            lines.remove(at);
        }
        return String.join("\n", lines) + "\n";
    }

    private String insertUnknownKey(String yaml) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        for (int tries = 0; tries < 20; tries++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            if (line.endsWith(":") && !line.strip().startsWith("#")) {
                String indent = " ".repeat(line.length() - line.stripLeading().length() + 2);
                lines.add(at + 1, indent + "bogus-" + random.nextInt(100) + ": 1");
                return String.join("\n", lines) + "\n";
            }
        }
        return yaml + "\nbogus: 1\n";
    }

    private String badValue(String yaml) {
        Matcher m = KEY_VALUE.matcher(yaml);
        List<int[]> spans = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        while (m.find()) {
            if (BAD_VALUES.containsKey(m.group(2))) {
                spans.add(new int[] {m.start(3), m.end(3)});
                keys.add(m.group(2));
            }
        }
        Matcher inline = Pattern.compile("(type|metric): ([a-z0-9_]+)").matcher(yaml);
        while (inline.find()) {
            spans.add(new int[] {inline.start(2), inline.end(2)});
            keys.add(inline.group(1));
        }
        if (spans.isEmpty()) {
            return yaml + "\n\"unclosed";
        }
        int i = random.nextInt(spans.size());
        String bad = pick(BAD_VALUES.get(keys.get(i)));
        if (keys.get(i).equals("metric") && bad.equals("r2x")) {
            bad = yaml.substring(spans.get(i)[0], spans.get(i)[1]).equals("rmse") ? "auc" : "rmse";
        }
        return yaml.substring(0, spans.get(i)[0]) + bad + yaml.substring(spans.get(i)[1]);
    }

    /** Bodies that are no study file at all: bytes, token soup, nesting, aliases, huge documents. */
    byte[] garbageYaml() {
        return switch (random.nextInt(10)) {
            case 0 -> bytes(1 + random.nextInt(3000));
            case 1 -> tokenSoup().getBytes(StandardCharsets.UTF_8);
            case 2 -> ("a: " + "[".repeat(60 + random.nextInt(5000))).getBytes(StandardCharsets.UTF_8);
            case 3 -> billionLaughs().getBytes(StandardCharsets.UTF_8);
            case 4 -> ("name: " + "9".repeat(10_000 + random.nextInt(100_000))).getBytes(StandardCharsets.UTF_8);
            case 5 -> ("# padding\n".repeat(330_000 + random.nextInt(50_000)) + "name: big\n")
                    .getBytes(StandardCharsets.UTF_8);
            case 6 -> pick(List.of("---\nname: a\n---\nname: b\n", "%YAML 9.9\n---\nname: x\n", "&a [*a]",
                    "a: &a\n  b: *a\n", "!!python/object/apply:os.system ['ls']", "!!java.net.URL [http://x]",
                    "<<: *nothing", "? [a, b]\n: c\n", "\uFEFF\uFEFFname: bom", "name: \u0000",
                    "{\"name\": \"tiny\"}", "[1, 2, 3]", "42", "null", "~", "'just a string'", "|\n  literal",
                    "name: tiny\nname: tiny\n", "\u202Ename: rtl\u202C")).getBytes(StandardCharsets.UTF_8);
            case 7 -> ("k" + random.nextInt(10) + ":\n").repeat(50_000).getBytes(StandardCharsets.UTF_8);
            case 8 -> nested(1 + random.nextInt(400)).getBytes(StandardCharsets.UTF_8);
            default -> (tokenSoup() + "\n" + tokenSoup()).getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    private String tokenSoup() {
        String[] tokens = {":", "-", "[", "]", "{", "}", ",", "&a", "*a", "!!str", "|", ">", "#", "'", "\"", "\n",
            "  ", "name", "tasks", "dataset", "budget", "1", "~", "?", "%", "@", "\t", "é", "💥", "\\", "null", "true"};
        StringBuilder out = new StringBuilder();
        int n = 1 + random.nextInt(200);
        for (int i = 0; i < n; i++) {
            out.append(tokens[random.nextInt(tokens.length)]).append(random.nextInt(3) == 0 ? " " : "");
        }
        return out.toString();
    }

    private String billionLaughs() {
        StringBuilder out = new StringBuilder("a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            out.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                out.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            out.append("]\n");
        }
        return out.toString();
    }

    private String nested(int depth) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            out.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return out.toString();
    }

    /** A valid CSV of {@code rows} rows: features x1, x2, city; tasks a (binary) and b (regression). */
    String csv(int rows) {
        StringBuilder out = new StringBuilder("x1,x2,city,a,b\n");
        for (int i = 0; i < rows; i++) {
            out.append(i % 7).append(',').append(i * 0.5).append(',').append(i % 3 == 0 ? "paris" : "\"rome, it\"")
                    .append(',').append(i % 2).append(',').append(i * 0.25).append('\n');
        }
        return out.toString();
    }

    /**
     * A malformed variant of {@link #csv(int)}: the spec still names tasks a and b. Each breaks the file
     * for sure: a missing or duplicated column, a row of the wrong width, an open quote, a label that is
     * no number or a single class, no rows, bytes that are not UTF-8.
     */
    byte[] mutateCsv(String valid) {
        List<String> lines = new ArrayList<>(valid.lines().toList());
        int row = 1 + random.nextInt(lines.size() - 1);
        String text = switch (random.nextInt(14)) {
            case 0 -> valid.replaceFirst("x1,x2,city,a,b", "x1,x2,city,b");
            case 1 -> valid.replaceFirst("x1,x2,city,a,b", "x1,x2,city,a,b,a");
            case 2 -> withRow(lines, row, lines.get(row) + "," + random.nextInt(9));
            case 3 -> withRow(lines, row, lines.get(row).substring(0, lines.get(row).lastIndexOf(',')));
            case 4 -> withRow(lines, row, lines.get(row) + "\"");
            case 5 -> withRow(lines, row, lines.get(row).substring(0, lines.get(row).lastIndexOf(',') + 1)
                    + pick(List.of("abc", "1e999", "--1", "one", "0..5", "1,5\"")));
            case 6 -> String.join("\n", lines.stream().map(l -> l.startsWith("x1") ? l
                    : l.substring(0, nthComma(l, 3) + 1) + "1" + l.substring(nthComma(l, 4))).toList());
            case 7 -> {
                List<String> three = new ArrayList<>(List.of(lines.getFirst()));
                for (int i = 1; i < lines.size(); i++) {
                    String l = lines.get(i);
                    three.add(l.substring(0, nthComma(l, 3) + 1) + (i % 3) + l.substring(nthComma(l, 4)));
                }
                yield String.join("\n", three); // a binary task with three classes
            }
            case 8 -> pick(List.of("", "\n\n\n", "\uFEFF", "x1,x2,city,a,b\n", "x1,x2,city,a,b\n\n  \n"));
            case 9 -> String.join("\n", lines.stream().map(l -> l.startsWith("x1") ? l
                    : l.substring(0, nthComma(l, 4) + 1)).toList());
            case 10 -> withRow(lines, row, lines.get(row) + ",".repeat(1 + random.nextInt(5000)));
            case 11 -> "a,b\n" + "1,2\n".repeat(5);
            case 12 -> valid.replace(',', ';');
            default -> null;
        };
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (random.nextBoolean()) {
            return bytes(1 + random.nextInt(4000));
        }
        byte[] utf8 = valid.getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(utf8, utf8.length + 2);
        int at = valid.indexOf('\n', valid.length() / 2) + 1;
        System.arraycopy(utf8, at, broken, at + 2, utf8.length - at);
        broken[at] = (byte) 0xC3;
        broken[at + 1] = (byte) 0x28; // an invalid two-byte sequence
        return broken;
    }

    private static int nthComma(String line, int n) {
        int at = -1;
        boolean quoted = false;
        int seen = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted && ++seen == n) {
                return i;
            }
            at = i;
        }
        return at + 1;
    }

    private static String withRow(List<String> lines, int row, String replacement) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(row, replacement);
        return String.join("\n", copy) + "\n";
    }

    /** A valid 8x8 PNG, gray or colour. */
    byte[] png(boolean colour) {
        BufferedImage image = new BufferedImage(8, 8, colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A file that is no readable PNG: empty, random bytes, text, a PNG cut short, or one whose header
     * claims a zero or a huge size.
     */
    byte[] brokenPng() {
        byte[] good = png(random.nextBoolean());
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> bytes(1 + random.nextInt(2000));
            case 2 -> "x1,x2\n1,2\n".getBytes(StandardCharsets.UTF_8);
            case 3 -> Arrays.copyOf(good, random.nextInt(good.length / 2));
            case 4 -> withSize(good, 0, random.nextInt(1, 9));
            default -> withSize(good, 100_000 + random.nextInt(1_000_000), 100_000 + random.nextInt(1_000_000));
        };
    }

    /** The PNG with its IHDR width and height replaced (bytes 16..23; the chunk's CRC is left stale). */
    private static byte[] withSize(byte[] png, int width, int height) {
        byte[] out = png.clone();
        for (int i = 0; i < 4; i++) {
            out[16 + i] = (byte) (width >>> (24 - 8 * i));
            out[20 + i] = (byte) (height >>> (24 - 8 * i));
        }
        return out;
    }

    /** A malformed JSON text made from a valid one: cut short, a token broken, or bytes. */
    String brokenJson(String valid) {
        return switch (random.nextInt(5)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            // right after the opening brace, where none of these can stand (inside a string any could)
            case 1 -> valid.charAt(0) + pick(List.of("]", ",", ":", "\"", "{", "tru", "nul", "'", "\\", "-"))
                    + valid.substring(1);
            case 2 -> "[".repeat(1001 + random.nextInt(5000));
            case 3 -> new String(bytes(1 + random.nextInt(500)), StandardCharsets.ISO_8859_1);
            default -> pick(List.of("", " ", "[]", "\"text\"", "42", "true", "{\"a\":}", "{,}", "{\"a\" 1}", "NaN",
                    "{\"a\": NaN}", "{\"a\": 01}", "{\"a\": 1e}", "{\"a\": .5}", "{'a': 1}", "{\"a\": \"\\x\"}"));
        };
    }

    byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** JSON values a worker might report that are not a value of {@code metric} (auc, accuracy or rmse). */
    static List<String> outOfRange(String metric) {
        List<String> notFinite = List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "1e400", "-1e400");
        List<String> out = new ArrayList<>(notFinite);
        out.addAll(metric.equals("rmse") ? List.of("-1e-9", "-0.5", "-1e308")
                : List.of("1e308", "-1e308", "1.0000001", "-0.0001", "2", "-1"));
        return out;
    }

    /** A UUID from the seed: a claim nobody holds. */
    java.util.UUID uuid() {
        return new java.util.UUID(random.nextLong(), random.nextLong());
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
