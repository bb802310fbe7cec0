package dev.wsl.local;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An email the emulator recorded as sent through SES, in the same shape whichever emulator ran.
 *
 * @param to      the {@code To} addresses, joined with {@code ", "}
 * @param subject the subject line
 * @param body    the HTML part if the message had one, else the text part (moto keeps only one,
 *                and it prefers HTML, so LocalStack's record is reduced the same way)
 */
public record SentEmail(String to, String subject, String body) {

    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");

    public SentEmail {
        Objects.requireNonNull(to, "to");
        subject = subject == null ? "" : subject;
        body = body == null ? "" : body;
    }

    /** The distinct http(s) URLs in the body, in order, with HTML's {@code &amp;} undone. */
    public List<String> links() {
        LinkedHashSet<String> links = new LinkedHashSet<>();
        Matcher m = URL.matcher(body);
        while (m.find()) {
            String link = m.group().replace("&amp;", "&");
            while (!link.isEmpty() && ".,;:!?)]}".indexOf(link.charAt(link.length() - 1)) >= 0) {
                link = link.substring(0, link.length() - 1);
            }
            links.add(link);
        }
        return new ArrayList<>(links);
    }
}
