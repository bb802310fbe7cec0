package dev.wsl.members;

import dev.wsl.core.domain.TxtLookup;
import dev.wsl.core.port.TxtResolver;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * TXT lookups over the DNS protocol with the JDK's own DNS client (JNDI's {@code com.sun.jndi.dns}, module
 * {@code jdk.naming.dns}; no dependency). The resolver is {@code DNS_RESOLVER} ({@code host:port}; the local
 * runtime and the tests set it to their DNS server on loopback), else the system's resolvers (in Lambda, the
 * function's VPC or AWS resolver from {@code /etc/resolv.conf}). Each lookup asks again: JNDI keeps no cache,
 * so a record published or removed a moment ago is seen as it is now (the resolver's own TTL aside).
 * Thread-safe: a context per lookup.
 */
public final class JndiTxtResolver implements TxtResolver {
    /** First wait for an answer; JNDI doubles it for each of the retries. */
    private static final String TIMEOUT_MILLIS = "1000";
    private static final String RETRIES = "2";

    private final String providerUrl;

    /** @param resolver {@code host:port} of the DNS server to ask, or null for the system's resolvers */
    public JndiTxtResolver(String resolver) {
        this.providerUrl = resolver == null || resolver.isBlank() ? "dns:" : "dns://" + resolver.strip();
    }

    @Override
    public TxtLookup txt(String name) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, providerUrl);
        env.put("com.sun.jndi.dns.timeout.initial", TIMEOUT_MILLIS);
        env.put("com.sun.jndi.dns.timeout.retries", RETRIES);
        DirContext context = null;
        try {
            context = new InitialDirContext(env);
            Attributes attributes = context.getAttributes(name, new String[] {"TXT"});
            Attribute txt = attributes.get("TXT");
            if (txt == null || txt.size() == 0) {
                return TxtLookup.none();
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < txt.size(); i++) {
                values.add(joined(String.valueOf(txt.get(i))));
            }
            return TxtLookup.found(values);
        } catch (NameNotFoundException e) {
            return TxtLookup.none();
        } catch (NamingException e) {
            return TxtLookup.failed("DNS did not answer for " + name + " (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (context != null) {
                try {
                    context.close();
                } catch (NamingException ignored) {
                    // nothing held open
                }
            }
        }
    }

    /**
     * One TXT record as JNDI renders it: its character-strings separated by spaces, a string with a space or a
     * quote in double quotes (backslash escapes). The record's value is its strings joined (RFC 7208 3.3).
     */
    static String joined(String rendered) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < rendered.length()) {
            char c = rendered.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                i++;
                while (i < rendered.length() && rendered.charAt(i) != '"') {
                    if (rendered.charAt(i) == '\\' && i + 1 < rendered.length()) {
                        i++;
                    }
                    out.append(rendered.charAt(i++));
                }
                i++;
            } else {
                while (i < rendered.length() && rendered.charAt(i) != ' ') {
                    out.append(rendered.charAt(i++));
                }
            }
        }
        return out.toString();
    }
}
