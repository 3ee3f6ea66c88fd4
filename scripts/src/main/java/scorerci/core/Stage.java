package scorerci.core;

/**
 * One step of the pipeline as an object: a typed request in, a typed result out. A stage never
 * prints a result or exits: it logs progress through {@link Log} and fails with {@link
 * PipelineException}. Commands parse their options into the request and render the result; commands
 * that chain steps (deploy downloads before it deploys) call the stage directly, not the other
 * command's argv.
 */
@FunctionalInterface
public interface Stage<Q, R> {
    R run(Q request);

    /**
     * This stage, then {@code after} on its result: how ci hands each stage's result to the
     * command's rendering of it, with the request and the stage object unchanged.
     */
    default <T> Stage<Q, T> andThen(java.util.function.Function<? super R, ? extends T> after) {
        return request -> after.apply(run(request));
    }
}
