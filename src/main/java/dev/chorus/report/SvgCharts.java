package dev.chorus.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the self-contained HTML report: no script, no external file, printable.
 * Pure functions returning SVG markup.
 */
final class SvgCharts {

    private static final int W = 560;
    private static final int H = 260;
    private static final int PAD = 44;

    private SvgCharts() {
    }

    /**
     * A point of a chart; {@code highlight} draws it larger and in the accent colour. {@code low} and
     * {@code high}, when both are known, are the ends of an error bar through it (a 95 % interval).
     */
    record Point(double x, double y, String label, boolean highlight, Double low, Double high) {

        Point {
            if ((low == null) != (high == null)) {
                throw new IllegalArgumentException("an error bar needs both ends or neither: " + low + ", " + high);
            }
        }

        /** A point without an error bar. */
        Point(double x, double y, String label, boolean highlight) {
            this(x, y, label, highlight, null, null);
        }

        boolean hasBar() {
            return low != null;
        }
    }

    /** A scatter plot with axis titles; y = 0 drawn as a reference line when in range. */
    static String scatter(String title, String xTitle, String yTitle, List<Point> points) {
        return chart(title, xTitle, yTitle, points, false, 0);
    }

    /** A line chart (points joined in order) whose y axis reaches from at most 0 to at least {@code top}. */
    static String line(String title, String xTitle, String yTitle, List<Point> points, double top) {
        return chart(title, xTitle, yTitle, points, true, top);
    }

    private static String chart(String title, String xTitle, String yTitle, List<Point> points, boolean joined,
                                double top) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">", W, H, W, H, esc(title)));
        s.append("<title>").append(esc(title)).append("</title>");
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>", PAD, W - PAD - 10, H - PAD - 10));
        if (points.isEmpty()) {
            s.append(text(W / 2.0, H / 2.0, "no data yet", "middle")).append("</svg>");
            return s.toString();
        }
        double minX = points.stream().mapToDouble(Point::x).min().orElseThrow();
        double maxX = points.stream().mapToDouble(Point::x).max().orElseThrow();
        double minY = Math.min(0, points.stream().mapToDouble(p -> p.hasBar() ? Math.min(p.y(), p.low()) : p.y())
                .min().orElseThrow());
        double maxY = Math.max(top, points.stream().mapToDouble(p -> p.hasBar() ? Math.max(p.y(), p.high()) : p.y())
                .max().orElseThrow());
        if (maxX - minX < 1e-12) {
            minX -= 1;
            maxX += 1;
        }
        if (maxY - minY < 1e-12) {
            maxY += 1;
        }
        Scale sx = new Scale(minX, maxX, PAD + 8, W - 18);
        Scale sy = new Scale(minY, maxY, H - PAD - 8, 18);
        if (minY < 0 && maxY > 0) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" "
                    + "stroke-dasharray=\"4 3\"/>", PAD, W - 10, sy.at(0), sy.at(0)));
        }
        s.append(text(PAD - 4, sy.at(maxY) + 4, fmt(maxY), "end")).append(text(PAD - 4, sy.at(minY) + 4, fmt(minY), "end"));
        s.append(text(sx.at(minX), H - PAD + 14, fmt(minX), "middle")).append(text(sx.at(maxX), H - PAD + 14, fmt(maxX), "middle"));
        s.append(text(W / 2.0, H - 8, xTitle, "middle"));
        s.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\" "
                + "text-anchor=\"middle\">%s</text>", H / 2, H / 2, esc(yTitle)));
        if (joined && points.size() > 1) {
            StringBuilder path = new StringBuilder();
            for (Point p : points) {
                path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", sx.at(p.x()), sy.at(p.y())));
            }
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#3366cc\" stroke-width=\"1.5\"/>");
        }
        for (Point p : points) {
            if (p.hasBar()) {
                s.append(errorBar(sx.at(p.x()), sy.at(p.low()), sy.at(p.high()), colour(p)));
            }
        }
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>%s</title></circle>",
                    sx.at(p.x()), sy.at(p.y()), p.highlight() ? 6 : 3, colour(p), esc(p.label())));
        }
        return s.append("</svg>").toString();
    }

    private static String colour(Point p) {
        return p.highlight() ? "#d9480f" : "#3366cc";
    }

    /** A vertical error bar with caps at x from screen y {@code low} to {@code high}. */
    private static String errorBar(double x, double low, double high, String colour) {
        return String.format(Locale.ROOT, "<path class=\"error-bar\" d=\"M%.1f %.1f V%.1f M%.1f %.1f H%.1f M%.1f %.1f H%.1f\" "
                + "stroke=\"%s\" stroke-width=\"1.2\" fill=\"none\" opacity=\"0.7\"/>", x, low, high, x - 4, low, x + 4,
                x - 4, high, x + 4, colour);
    }

    private record Scale(double min, double max, double from, double to) {
        double at(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }
    }

    private static String text(double x, double y, String text, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">%s</text>",
                x, y, anchor, esc(text));
    }

    private static String fmt(double v) {
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%.3g", v); // 8.48e+05: fits left of the axis
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 || v == Math.rint(v) ? "%.0f" : "%.2f", v);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
