package scorerci.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import scorerci.process.ExternalProcess;

/**
 * A resolved way to build the aarch64 binary: the programs to run and the environment they need.
 * The output always lands in {@code target/aarch64-unknown-linux-gnu/release} (cargo-zigbuild drops
 * the glibc suffix from the directory name).
 *
 * @param route which route this is
 * @param cargo plain cargo (for `cargo metadata` and version reporting)
 * @param build program and subcommand that build, e.g. [cargo-zigbuild, zigbuild]
 * @param target the --target value, e.g. aarch64-unknown-linux-gnu.2.34 for zigbuild
 * @param env variables to set (RUSTC, linker, PATH)
 * @param unsetEnv variables to remove (RUSTUP_TOOLCHAIN, which would override RUSTC)
 * @param rustc the rustc it uses, for version reporting
 */
public record Toolchain(
        ToolchainRoute route,
        String cargo,
        List<String> build,
        String target,
        Map<String, String> env,
        List<String> unsetEnv,
        String rustc) {
    public static final String TRIPLE = "aarch64-unknown-linux-gnu";
    public static final String LINKER_VARIABLE = "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER";

    public Toolchain {
        build = List.copyOf(build);
        env = Map.copyOf(env);
        unsetEnv = List.copyOf(unsetEnv);
    }

    public List<String> buildCommand(String bin) {
        List<String> command = new ArrayList<>(build);
        command.addAll(profileAndTarget());
        command.addAll(List.of("--bin", bin));
        return command;
    }

    /** What every build passes besides the binary's name; also what {@link #describe()} shows. */
    private List<String> profileAndTarget() {
        return List.of("--release", "--target", target);
    }

    /**
     * Gives a process the caller's environment plus this toolchain's variables, minus the ones it
     * must not see (also removed from the inherited JVM environment).
     */
    public ExternalProcess applyTo(ExternalProcess process, Map<String, String> base) {
        Map<String, String> vars = new java.util.HashMap<>(base);
        unsetEnv.forEach(vars::remove);
        vars.putAll(env);
        unsetEnv.forEach(process::unsetEnv);
        return process.env(vars);
    }

    /**
     * One line for logs: "system (/usr/bin/cargo build --release --target
     * aarch64-unknown-linux-gnu)".
     */
    public String describe() {
        List<String> words = new ArrayList<>(build);
        words.addAll(profileAndTarget());
        return route.cliName() + " (" + String.join(" ", words) + ")";
    }
}
