package org.labcommons.core.catalog.io;

import java.util.Map;

/**
 * A file that cannot be read as an asset register, or that breaks a limit: {@code code} is the
 * field-problem code on {@code file} and {@code import.<code>} its message key.
 */
public class SpreadsheetException extends RuntimeException {
    private final String code;
    private final Map<String, Object> args;

    public SpreadsheetException(String code, Map<String, Object> args) {
        super(code + " " + args);
        this.code = code;
        this.args = Map.copyOf(args);
    }

    public SpreadsheetException(String code) {
        this(code, Map.of());
    }

    public String code() {
        return code;
    }

    public Map<String, Object> args() {
        return args;
    }
}
