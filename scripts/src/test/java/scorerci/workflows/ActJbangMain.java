package scorerci.workflows;

import scorerci.cli.Main;

/**
 * What scripts/Pipeline.java does under JBang, for the act runs' ./jbang stand-in (see
 * ActWorkspace).
 */
public final class ActJbangMain {
    private ActJbangMain() {}

    public static void main(String[] args) {
        System.exit(Main.run(args));
    }
}
