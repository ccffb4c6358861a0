package io.shendu.data;

/**
 * A data file that is missing, unreadable, truncated or malformed. The message names the file and says what was
 * expected and what was found (offset, magic number, counts).
 */
public final class DataFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataFileException(String message) {
        super(message);
    }

    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
