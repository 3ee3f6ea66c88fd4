package scorerci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The AWS SDK logs through SLF4J 1.7; with no binding on the class path slf4j-api prints "SLF4J:
 * Failed to load class org.slf4j.impl.StaticLoggerBinder" (three lines) before a command's own
 * one-line error. slf4j-nop is that binding, in pom.xml and (DependencyVersionsTest) in //DEPS.
 */
class LoggingBindingTest {
    @Test
    void anSlf4jBindingIsOnTheClassPathAndItIsTheSilentOne() throws Exception {
        Class<?> binder = Class.forName("org.slf4j.impl.StaticLoggerBinder");
        Object factory =
                binder.getMethod("getLoggerFactory")
                        .invoke(binder.getMethod("getSingleton").invoke(null));
        assertThat(factory.getClass().getName()).isEqualTo("org.slf4j.helpers.NOPLoggerFactory");
    }
}
