package io.shendu.cli.demo;

/**
 * One runnable idea of the lecture: a thin program over the library that prints or draws its result. Demos hold
 * no logic that belongs in the library.
 */
public interface Demo {

    /** The name on the command line, e.g. {@code chain-rule}. */
    String name();

    /** One line for {@code shendu demo --list}. */
    String description();

    /** Runs the demo; {@code ctx.quick()} asks for a reduced run (used by the tests) that still prints real numbers. */
    void run(DemoContext ctx) throws Exception;
}
