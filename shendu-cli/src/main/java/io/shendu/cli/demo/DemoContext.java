package io.shendu.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a demo may use: where to print, the folder for its pictures and files, whether to run the reduced
 * version, the seed, and the number of kernel threads in force.
 */
public record DemoContext(PrintWriter out, Path outputDir, boolean quick, long seed) {

    /** A file in the output folder (the folder is created if needed). */
    public Path file(String name) throws java.io.IOException {
        java.nio.file.Files.createDirectories(outputDir);
        return outputDir.resolve(name);
    }
}
