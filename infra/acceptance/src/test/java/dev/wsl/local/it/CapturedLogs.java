package dev.wsl.local.it;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the handlers of this JVM log while an action runs, to check that no secret is among it. */
final class CapturedLogs {
    private CapturedLogs() {}

    /** Everything printed to stdout, stderr and java.util.logging (System.Logger's default) meanwhile. */
    static String during(Runnable action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        StringBuilder logged = new StringBuilder();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.append(record.getLevel()).append(' ').append(record.getMessage()).append('\n');
                    if (record.getThrown() != null) {
                        logged.append(record.getThrown()).append('\n');
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        System.setOut(new PrintStream(new TeeStream(stdout, capture), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(stderr, capture), true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            root.removeHandler(handler);
        }
        return out.toString(StandardCharsets.UTF_8) + logged;
    }

    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream a;
        private final PrintStream b;

        TeeStream(PrintStream a, PrintStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
