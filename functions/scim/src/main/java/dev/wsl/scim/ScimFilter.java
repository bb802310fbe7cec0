package dev.wsl.scim;

import dev.wsl.core.failure.InvalidInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of the SCIM filter language (RFC 7644 section 3.4.2.2) this service answers with keyed reads:
 * equality terms joined by {@code and}, each on an attribute that has a lookup item
 * ({@code userName}, {@code externalId}, {@code id}, {@code emails.value} or {@code emails[type eq "work"].value}
 * for users; {@code displayName} and {@code id} for groups; Entra's membership test {@code members[value eq "…"]}).
 * Anything else ({@code or}, {@code not}, other operators, other attributes) is refused as {@code invalidFilter}
 * rather than evaluated by reading the whole workspace. Attribute names are compared without case and may carry
 * their schema's URN. Immutable.
 *
 * @param terms the conjunction; never empty
 */
public record ScimFilter(List<Term> terms) {
    static final int MAX_LENGTH = 1024;

    /**
     * One equality: {@code attribute eq value}. {@code attribute} is lower-case and dotted
     * ({@code emails.value}); {@code valueFilter} is the type a multi-valued attribute was narrowed to
     * ({@code work} for {@code emails[type eq "work"]}), or null.
     */
    public record Term(String attribute, String valueFilter, String value) {}

    /** The value of the term on this attribute, or null when the filter has none. */
    public String valueOf(String attribute) {
        return terms.stream().filter(t -> t.attribute().equals(attribute)).map(Term::value).findFirst().orElse(null);
    }

    /** @throws InvalidInput {@code invalid-filter} for anything outside the subset */
    public static ScimFilter parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("The filter is empty.");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("The filter is longer than " + MAX_LENGTH + " characters.");
        }
        Parser p = new Parser(text);
        List<Term> terms = new ArrayList<>();
        terms.add(p.term());
        while (p.more()) {
            String word = p.word();
            if (!word.equalsIgnoreCase("and")) {
                throw invalid("Only equality terms joined by 'and' are supported; found '" + word + "'.");
            }
            terms.add(p.term());
        }
        return new ScimFilter(List.copyOf(terms));
    }

    static InvalidInput invalid(String detail) {
        return new InvalidInput(InvalidInput.Kind.FILTER, "invalid-filter", detail);
    }

    /** A hand-written scanner: attribute paths, the {@code eq} operator, quoted strings, booleans. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        boolean more() {
            skipSpace();
            return at < s.length();
        }

        Term term() {
            skipSpace();
            if (peek() == '(') {
                throw invalid("Grouping with parentheses is not supported.");
            }
            String path = word();
            if (path.equalsIgnoreCase("not")) {
                throw invalid("'not' is not supported.");
            }
            String attribute = canonical(path);
            String valueFilter = null;
            skipSpace();
            if (peek() == '[') {
                at++;
                String inner = canonical(word());
                String op = word();
                if (!op.equalsIgnoreCase("eq")) {
                    throw invalid("Only 'eq' is supported inside [ ].");
                }
                String innerValue = value();
                skipSpace();
                if (peek() != ']') {
                    throw invalid("Expected ']' at position " + (at + 1) + ".");
                }
                at++;
                if (attribute.equals("members") && inner.equals("value")) {
                    // Entra's membership test: members[value eq "id"].
                    return new Term("members.value", null, innerValue);
                }
                if (!attribute.equals("emails") || !inner.equals("type")) {
                    throw invalid("Only emails[type eq \"…\"] and members[value eq \"…\"] are supported.");
                }
                valueFilter = innerValue.toLowerCase(Locale.ROOT);
                if (at < s.length() && s.charAt(at) == '.') {
                    at++;
                    attribute = attribute + "." + canonical(word());
                } else {
                    throw invalid("Name the sub-attribute after emails[…], e.g. emails[type eq \"work\"].value.");
                }
            }
            String op = word();
            if (!op.equalsIgnoreCase("eq")) {
                throw invalid("Only the 'eq' operator is supported (found '" + op + "').");
            }
            return new Term(attribute, valueFilter, value());
        }

        /** A quoted string (JSON escapes), true, false or a number, as text. */
        String value() {
            skipSpace();
            if (peek() == '"') {
                StringBuilder out = new StringBuilder();
                at++;
                while (at < s.length() && s.charAt(at) != '"') {
                    char c = s.charAt(at++);
                    if (c == '\\') {
                        if (at >= s.length()) {
                            break;
                        }
                        char e = s.charAt(at++);
                        switch (e) {
                            case '"', '\\', '/' -> out.append(e);
                            case 'n' -> out.append('\n');
                            case 't' -> out.append('\t');
                            case 'u' -> {
                                if (at + 4 > s.length()) {
                                    throw invalid("A \\u escape needs four hex digits.");
                                }
                                try {
                                    out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                                } catch (NumberFormatException bad) {
                                    throw invalid("A \\u escape needs four hex digits.");
                                }
                                at += 4;
                            }
                            default -> throw invalid("Unknown escape \\" + e + " in a string.");
                        }
                    } else {
                        out.append(c);
                    }
                }
                if (at >= s.length()) {
                    throw invalid("A string is not closed.");
                }
                at++;
                return out.toString();
            }
            String word = word();
            if (word.equals("true") || word.equals("false") || word.matches("-?\\d+(\\.\\d+)?")) {
                return word;
            }
            throw invalid("A value must be a quoted string, true, false or a number (found '" + word + "').");
        }

        /** Letters, digits and the path characters up to a space, '[' or ']'. */
        String word() {
            skipSpace();
            int start = at;
            while (at < s.length() && !Character.isWhitespace(s.charAt(at)) && "[]()\"".indexOf(s.charAt(at)) < 0) {
                at++;
            }
            if (start == at) {
                throw invalid(at >= s.length() ? "The filter ends too early." : "Unexpected '" + s.charAt(at)
                        + "' at position " + (at + 1) + ".");
            }
            return s.substring(start, at);
        }

        private char peek() {
            return at < s.length() ? s.charAt(at) : '\0';
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }
    }

    /** Lower-case, without the core schemas' URN prefix ({@code urn:…:core:2.0:User:userName} → {@code username}). */
    static String canonical(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        for (String urn : List.of(ScimSchemas.USER.toLowerCase(Locale.ROOT) + ":",
                ScimSchemas.GROUP.toLowerCase(Locale.ROOT) + ":")) {
            if (lower.startsWith(urn)) {
                return lower.substring(urn.length());
            }
        }
        if (!lower.matches("[a-z][a-z0-9._$-]*")) {
            throw invalid("'" + path + "' is not an attribute path.");
        }
        return lower;
    }
}
