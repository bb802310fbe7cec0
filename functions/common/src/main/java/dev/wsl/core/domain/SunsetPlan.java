package dev.wsl.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The phasing out of legacy API keys (PRODUCT.md section 5), as configured: an announcement,
 * optional brownout windows in which legacy keys are refused for a while, a cut-off after which
 * they are refused for good, and a clean-up delay after which they are deleted. Notices go out
 * {@code noticeLead} before each brownout and before the cut-off, once per key.
 */
public record SunsetPlan(Instant announcement, List<Window> brownouts, Instant cutoff, Duration cleanupDelay,
                         Duration noticeLead) {

    /** A brownout: legacy keys are refused from {@code start} (inclusive) to {@code end} (exclusive). */
    public record Window(Instant start, Instant end) {
        public Window {
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("a brownout must end after it starts: " + start + "/" + end);
            }
        }

        boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    public enum Phase { BEFORE_ANNOUNCEMENT, ANNOUNCED, BROWNOUT, CUT_OFF, CLEANUP }

    public static final String NOTICE_ANNOUNCEMENT = "announcement";
    public static final String NOTICE_CUTOFF = "cutoff";
    public static final String NOTICE_DISABLED = "disabled";

    public SunsetPlan {
        Objects.requireNonNull(announcement);
        Objects.requireNonNull(cutoff);
        brownouts = brownouts.stream().sorted(Comparator.comparing(Window::start)).toList();
        if (!announcement.isBefore(cutoff)) {
            throw new IllegalArgumentException("the announcement must come before the cut-off");
        }
        for (Window w : brownouts) {
            if (w.start().isBefore(announcement) || w.end().isAfter(cutoff)) {
                throw new IllegalArgumentException("brownouts must lie between the announcement and the cut-off: " + w);
            }
        }
        for (int i = 1; i < brownouts.size(); i++) {
            if (brownouts.get(i).start().isBefore(brownouts.get(i - 1).end())) {
                throw new IllegalArgumentException("brownouts must not overlap");
            }
        }
        if (cleanupDelay.isNegative() || noticeLead.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /**
     * From the template's parameters: dates as {@code YYYY-MM-DD} (midnight UTC), brownouts as a
     * comma-separated list of {@code start/end} ISO-8601 instants (may be empty), whole days.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SunsetPlan parse(String announcement, String brownouts, String cutoff, String cleanupDays,
                                   String noticeDays) {
        List<Window> windows = new ArrayList<>();
        if (brownouts != null && !brownouts.isBlank()) {
            for (String window : brownouts.split(",")) {
                String[] ends = window.trim().split("/");
                if (ends.length != 2) {
                    throw new IllegalArgumentException("a brownout is start/end: " + window);
                }
                windows.add(new Window(instant(ends[0]), instant(ends[1])));
            }
        }
        return new SunsetPlan(day(announcement), windows, day(cutoff), Duration.ofDays(Long.parseLong(cleanupDays.trim())),
                Duration.ofDays(Long.parseLong(noticeDays.trim())));
    }

    public Instant cleanupAt() {
        return cutoff.plus(cleanupDelay);
    }

    public Phase phaseAt(Instant now) {
        if (now.isBefore(announcement)) {
            return Phase.BEFORE_ANNOUNCEMENT;
        }
        if (!now.isBefore(cleanupAt())) {
            return Phase.CLEANUP;
        }
        if (!now.isBefore(cutoff)) {
            return Phase.CUT_OFF;
        }
        return brownoutAt(now).isPresent() ? Phase.BROWNOUT : Phase.ANNOUNCED;
    }

    public Optional<Window> brownoutAt(Instant now) {
        return brownouts.stream().filter(w -> w.contains(now)).findFirst();
    }

    /** The notices due at {@code now}, in order; the job sends each at most once per key. */
    public List<String> dueNotices(Instant now) {
        List<String> due = new ArrayList<>();
        if (now.isBefore(announcement) || !now.isBefore(cleanupAt())) {
            return due;
        }
        due.add(NOTICE_ANNOUNCEMENT);
        for (int i = 0; i < brownouts.size(); i++) {
            Window w = brownouts.get(i);
            if (!now.isBefore(w.start().minus(noticeLead)) && now.isBefore(w.end())) {
                due.add(brownoutNotice(i));
            }
        }
        if (!now.isBefore(cutoff.minus(noticeLead)) && now.isBefore(cutoff)) {
            due.add(NOTICE_CUTOFF);
        }
        if (!now.isBefore(cutoff)) {
            due.add(NOTICE_DISABLED);
        }
        return due;
    }

    public static String brownoutNotice(int index) {
        return "brownout-" + (index + 1);
    }

    /**
     * Why a legacy key is refused at {@code now}, as the LocalStack client shows it: what to do and
     * by when. Empty while legacy keys still activate.
     */
    public Optional<String> legacyKeyRefusal(Instant now) {
        String migrate = "Set LOCALSTACK_AUTH_TOKEN to your personal auth token (shown in the web app under"
                + " Auth token) instead of LOCALSTACK_API_KEY, and ask a workspace admin to assign you a license.";
        Phase phase = phaseAt(now);
        if (phase == Phase.CUT_OFF || phase == Phase.CLEANUP) {
            return Optional.of("Legacy API keys stopped working on " + date(cutoff) + ". " + migrate);
        }
        return brownoutAt(now).map(w -> "Legacy API keys are switched off for a scheduled brownout until " + w.end()
                + " and stop working for good on " + date(cutoff) + ". " + migrate);
    }

    /** A one-paragraph explanation of a notice, for emails. */
    public String describe(String notice) {
        if (notice.equals(NOTICE_ANNOUNCEMENT)) {
            return "Legacy API keys are being phased out. They stop working on " + date(cutoff)
                    + (brownouts.isEmpty() ? "" : ", with brownouts before that (" + brownoutList() + ")")
                    + " and are deleted on " + date(cleanupAt()) + ".";
        }
        if (notice.startsWith("brownout-")) {
            Window w = brownouts.get(Integer.parseInt(notice.substring("brownout-".length())) - 1);
            return "Brownout: legacy API keys will be refused from " + w.start() + " to " + w.end() + ".";
        }
        if (notice.equals(NOTICE_CUTOFF)) {
            return "Legacy API keys stop working on " + date(cutoff) + ".";
        }
        return "Legacy API keys stopped working on " + date(cutoff) + "; the remaining keys are deleted on "
                + date(cleanupAt()) + ".";
    }

    private String brownoutList() {
        return String.join(", ", brownouts.stream().map(w -> w.start() + " to " + w.end()).toList());
    }

    private static String date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    private static Instant day(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not a date (YYYY-MM-DD): null");
        }
        try {
            return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date (YYYY-MM-DD): " + text);
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: " + text);
        }
    }
}
