package scorerci.pulumi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The question asked before `pulumi up` when --yes is not given. Staging and review take "yes" (or
 * "y"); production takes only its own name typed out. No answer (end of input, as in CI where stdin
 * is not a terminal) or any other answer declines.
 */
public final class Confirmation {
    private Confirmation() {}

    public static String question(DeployRequest request, ChangeSummary preview) {
        String what =
                "Apply "
                        + preview.describe(false)
                        + " to "
                        + request.environment().id()
                        + " ("
                        + request.stack()
                        + ")?";
        return request.environment().confirmByTypingName()
                ? what
                        + " Type the environment name ("
                        + request.environment().id()
                        + ") to apply: "
                : what + " Type yes to apply: ";
    }

    /** Asks on prompt, reads one line from answers; true only for the expected answer. */
    public static boolean ask(
            DeployRequest request,
            ChangeSummary preview,
            BufferedReader answers,
            PrintWriter prompt) {
        prompt.print(question(request, preview));
        prompt.flush();
        String answer;
        try {
            answer = answers.readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null) {
            prompt.println();
            prompt.flush();
            return false;
        }
        String given = answer.strip();
        if (request.environment().confirmByTypingName())
            return given.equals(request.environment().id());
        return given.equalsIgnoreCase("yes") || given.equalsIgnoreCase("y");
    }
}
