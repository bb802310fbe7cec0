package dev.wsl.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The console's files, read once from the class path ({@code console/} in this jar, or in the
 * directory Lambda unpacks it to): the page template {@code index.html} and everything under
 * {@code assets/}. The assets share one <em>version</em>, a hash of all their names and contents,
 * which becomes part of their URLs ({@code /assets/{version}/app.js}); relative imports between
 * modules resolve within that versioned folder, so a changed file changes every URL and a browser
 * can keep any asset forever. Immutable and thread-safe.
 */
public final class ConsoleAssets {

    static final String ROOT = "console/";
    static final String PAGE = "index.html";
    static final String ASSETS = "assets/";

    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "woff2", "font/woff2",
            "json", "application/json");

    /**
     * One asset: its bytes, gzipped bytes when that is smaller, and a strong validator of its
     * content (the same for both encodings' content, so each encoding appends its own suffix).
     */
    public record Asset(String path, String contentType, byte[] body, byte[] gzipped, String hash) {
        public Optional<byte[]> gzippedBody() {
            return Optional.ofNullable(gzipped);
        }
    }

    private final String page;
    private final Map<String, Asset> assets;
    private final String version;

    private ConsoleAssets(String page, Map<String, Asset> assets, String version) {
        this.page = page;
        this.assets = assets;
        this.version = version;
    }

    /** Reads {@code console/} from the class path of this class. */
    public static ConsoleAssets load() {
        return of(readTree(ConsoleAssets.class, ROOT));
    }

    /**
     * From files by their path under {@code console/} ({@code index.html}, {@code assets/...}).
     *
     * @throws IllegalArgumentException when the page is missing or an asset has no known content type
     */
    static ConsoleAssets of(Map<String, byte[]> files) {
        byte[] page = files.get(PAGE);
        if (page == null) {
            throw new IllegalArgumentException("the console has no " + PAGE);
        }
        MessageDigest all = sha256();
        Map<String, Asset> assets = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
            if (!file.getKey().startsWith(ASSETS)) {
                continue;
            }
            String path = file.getKey().substring(ASSETS.length());
            String type = TYPES.get(extension(path));
            if (type == null) {
                throw new IllegalArgumentException("console asset " + path + " has no known content type");
            }
            byte[] body = file.getValue();
            byte[] gzipped = type.startsWith("image/png") || type.startsWith("font/") ? null : gzip(body);
            String hash = HexFormat.of().formatHex(sha256().digest(body)).substring(0, 20);
            assets.put(path, new Asset(path, type, body, gzipped != null && gzipped.length < body.length ? gzipped : null,
                    hash));
            all.update(path.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(body);
            all.update((byte) 0);
        }
        String version = HexFormat.of().formatHex(all.digest()).substring(0, 12);
        return new ConsoleAssets(new String(page, StandardCharsets.UTF_8), Collections.unmodifiableMap(assets), version);
    }

    /** The page template, with its {@code {{placeholders}}} not yet filled in. */
    public String pageTemplate() {
        return page;
    }

    /** The hash of every asset's name and content; part of each asset's URL. */
    public String version() {
        return version;
    }

    /** Assets by their path under {@code assets/}, in name order. */
    public Map<String, Asset> assets() {
        return assets;
    }

    public Optional<Asset> asset(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every file under {@code root} on the class path of {@code anchor}, by its path below
     * {@code root}: from a directory (Lambda unpacks the jar to {@code /var/task}; tests run from
     * {@code target/classes}) or from a jar (the local runtime's shaded jar).
     */
    static Map<String, byte[]> readTree(Class<?> anchor, String root) {
        URL marker = anchor.getClassLoader().getResource(root + PAGE);
        if (marker == null) {
            throw new IllegalStateException("no " + root + PAGE + " on the class path");
        }
        Map<String, byte[]> files = new TreeMap<>();
        try {
            switch (marker.getProtocol()) {
                case "file" -> {
                    Path base = Path.of(marker.toURI()).getParent();
                    try (Stream<Path> walk = Files.walk(base)) {
                        for (Path p : walk.filter(Files::isRegularFile).toList()) {
                            files.put(base.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                        }
                    }
                }
                case "jar" -> {
                    JarURLConnection connection = (JarURLConnection) marker.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        for (JarEntry entry : Collections.list(jar.entries())) {
                            if (!entry.isDirectory() && entry.getName().startsWith(root)) {
                                try (var in = jar.getInputStream(entry)) {
                                    files.put(entry.getName().substring(root.length()), in.readAllBytes());
                                }
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException("cannot list " + marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console from " + marker, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
