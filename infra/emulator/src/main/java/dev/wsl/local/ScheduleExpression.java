package dev.wsl.local;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an EventBridge (Scheduler) schedule expression fires, in UTC as AWS evaluates it when the
 * template names no time zone: {@code rate(n unit)}, {@code cron(minutes hours day-of-month month
 * day-of-week year)} and {@code at(yyyy-mm-ddThh:mm:ss)}. Cron fields take numbers, {@code *},
 * ranges {@code a-b}, lists {@code a,b}, steps {@code a/n} and {@code *}{@code /n}, month and day
 * names ({@code JAN}, {@code MON}; days of week count 1 = {@code SUN} to 7 = {@code SAT}), and
 * {@code ?} in one of the two day fields. {@code L}, {@code W} and {@code #} are not supported:
 * {@link #parse} refuses them, and the local scheduler then runs that function only on demand.
 * Immutable and thread-safe.
 */
abstract sealed class ScheduleExpression {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minutes?|hours?|days?)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

    /** The first time the schedule fires strictly after {@code after}, or empty when it never fires again. */
    abstract Optional<Instant> next(Instant after);

    /** @throws IllegalArgumentException naming what is not understood */
    static ScheduleExpression parse(String expression) {
        String text = expression == null ? "" : expression.trim();
        Matcher m = RATE.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            if (n < 1) {
                throw new IllegalArgumentException("a rate must be at least 1: " + text);
            }
            return new Rate(switch (m.group(2)) {
                case "minute", "minutes" -> Duration.ofMinutes(n);
                case "hour", "hours" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        m = AT.matcher(text);
        if (m.matches()) {
            return new At(LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC));
        }
        m = CRON.matcher(text);
        if (m.matches()) {
            return Cron.of(m.group(1).trim());
        }
        throw new IllegalArgumentException("not a schedule expression (rate, cron or at): " + text);
    }

    /** {@code rate(...)}: every period, counted from when the schedule was created (here: the runtime's start). */
    static final class Rate extends ScheduleExpression {
        final Duration period;
        private final Instant origin;

        Rate(Duration period) {
            this(period, null);
        }

        private Rate(Duration period, Instant origin) {
            this.period = period;
            this.origin = origin;
        }

        /** The same rate, counted from {@code origin}. */
        Rate from(Instant origin) {
            return new Rate(period, origin);
        }

        @Override
        Optional<Instant> next(Instant after) {
            if (origin == null || after.isBefore(origin)) {
                return Optional.of((origin == null ? after : origin).plus(period));
            }
            long periods = Duration.between(origin, after).toMillis() / period.toMillis() + 1;
            return Optional.of(origin.plus(period.multipliedBy(periods)));
        }
    }

    /** {@code at(...)}: once. */
    static final class At extends ScheduleExpression {
        private final Instant when;

        At(Instant when) {
            this.when = when;
        }

        @Override
        Optional<Instant> next(Instant after) {
            return after.isBefore(when) ? Optional.of(when) : Optional.empty();
        }
    }

    /** {@code cron(...)} with six fields. */
    static final class Cron extends ScheduleExpression {
        private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
                Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
                Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
        private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
                "FRI", 6, "SAT", 7);
        private static final String NAMES = "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT";
        /** How far ahead to look before deciding a cron never fires again (e.g. a year field in the past). */
        private static final int HORIZON_DAYS = 366 * 5;

        private final BitSet minutes;
        private final BitSet hours;
        private final BitSet daysOfMonth;
        private final BitSet months;
        private final BitSet daysOfWeek;
        private final BitSet years;
        private final boolean anyDayOfMonth;
        private final boolean anyDayOfWeek;

        private Cron(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek, BitSet years,
                     boolean anyDayOfMonth, boolean anyDayOfWeek) {
            this.minutes = minutes;
            this.hours = hours;
            this.daysOfMonth = daysOfMonth;
            this.months = months;
            this.daysOfWeek = daysOfWeek;
            this.years = years;
            this.anyDayOfMonth = anyDayOfMonth;
            this.anyDayOfWeek = anyDayOfWeek;
        }

        static Cron of(String fields) {
            String[] f = fields.toUpperCase(Locale.ROOT).split("\\s+");
            if (f.length != 6) {
                throw new IllegalArgumentException("a cron expression has six fields (minutes hours day-of-month month"
                        + " day-of-week year): " + fields);
            }
            for (String field : f) {
                if (field.replaceAll(NAMES, "").matches(".*[A-Z#].*")) {
                    throw new IllegalArgumentException("L, W and # are not supported locally: " + fields);
                }
            }
            boolean domAny = f[2].equals("?");
            boolean dowAny = f[4].equals("?");
            if (domAny == dowAny) {
                throw new IllegalArgumentException("exactly one of day-of-month and day-of-week must be '?': " + fields);
            }
            return new Cron(field(f[0], 0, 59, Map.of()), field(f[1], 0, 23, Map.of()),
                    domAny ? all(1, 31) : field(f[2], 1, 31, Map.of()), field(f[3], 1, 12, MONTHS),
                    dowAny ? all(1, 7) : field(f[4], 1, 7, DAYS), field(f[5], 1970, 2199, Map.of()),
                    domAny || f[2].equals("*"), dowAny || f[4].equals("*"));
        }

        @Override
        Optional<Instant> next(Instant after) {
            LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate last = t.toLocalDate().plusDays(HORIZON_DAYS);
            for (LocalDate day = t.toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
                if (!years.get(day.getYear()) || !months.get(day.getMonthValue()) || !dayMatches(day)) {
                    continue;
                }
                int fromHour = day.equals(t.toLocalDate()) ? t.getHour() : 0;
                for (int h = hours.nextSetBit(fromHour); h >= 0; h = hours.nextSetBit(h + 1)) {
                    int fromMinute = day.equals(t.toLocalDate()) && h == t.getHour() ? t.getMinute() : 0;
                    int minute = minutes.nextSetBit(fromMinute);
                    if (minute >= 0) {
                        return Optional.of(day.atTime(h, minute).toInstant(ZoneOffset.UTC));
                    }
                }
            }
            return Optional.empty();
        }

        private boolean dayMatches(LocalDate day) {
            int dow = day.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : day.getDayOfWeek().getValue() + 1;
            boolean dom = daysOfMonth.get(day.getDayOfMonth());
            boolean week = daysOfWeek.get(dow);
            if (anyDayOfMonth) {
                return week;
            }
            if (anyDayOfWeek) {
                return dom;
            }
            return dom && week;
        }

        private static BitSet all(int min, int max) {
            BitSet set = new BitSet();
            set.set(min, max + 1);
            return set;
        }

        private static BitSet field(String text, int min, int max, Map<String, Integer> names) {
            BitSet set = new BitSet();
            for (String part : text.split(",")) {
                String range = part;
                int step = 1;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    range = part.substring(0, slash);
                    step = Integer.parseInt(part.substring(slash + 1));
                    if (step < 1) {
                        throw new IllegalArgumentException("a step must be at least 1: " + text);
                    }
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    from = value(range.substring(0, range.indexOf('-')), names);
                    to = value(range.substring(range.indexOf('-') + 1), names);
                } else {
                    from = value(range, names);
                    to = slash >= 0 ? max : from;
                }
                if (from < min || to > max || from > to) {
                    throw new IllegalArgumentException("out of range " + min + "-" + max + ": " + text);
                }
                for (int v = from; v <= to; v += step) {
                    set.set(v);
                }
            }
            return set;
        }

        private static int value(String text, Map<String, Integer> names) {
            Integer named = names.get(text);
            if (named != null) {
                return named;
            }
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a value: " + text);
            }
        }
    }
}
