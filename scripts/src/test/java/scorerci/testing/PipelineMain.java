package scorerci.testing;

/**
 * What scripts/Pipeline.java does, on the test classpath: for tests that need a real child process
 * to signal.
 */
public final class PipelineMain {
    private PipelineMain() {}

    public static void main(String[] args) {
        System.exit(scorerci.cli.Main.run(args));
    }

    /** A command line that runs the pipeline in a fresh JVM with this JVM's classpath. */
    public static java.util.List<String> command(String... args) {
        java.util.List<String> command =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xshare:auto",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                PipelineMain.class.getName()));
        command.addAll(java.util.List.of(args));
        return command;
    }

    private static final class Path {
        static java.nio.file.Path of(String first, String... more) {
            return java.nio.file.Path.of(first, more);
        }
    }
}
