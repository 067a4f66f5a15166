package dev.waitdaemon.config;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Expressions;
import io.smallrye.config.Priorities;

/**
 * The contract's values exactly as the template set them. SmallRye Config expands {@code ${…}} in every
 * value, environment variables included, so a generated password {@code p${x}q} would reach the pull as
 * {@code pq}, and {@code abc${} would fail the start-up with SmallRye's own message. The mapping stays
 * (it is how the contract is read everywhere); only expansion is turned off, for the lookups of the
 * contract's names, by running them through {@link Expressions#withoutExpansion} outside SmallRye's
 * expression step — a higher priority runs earlier in the chain. The contract is top-level environment
 * variables (WaitdaemonConfig's prefix is empty), and every setting of Quarkus's own has a dot, so those
 * keep their expressions.
 */
@Priority(VerbatimContractValues.PRIORITY)
public class VerbatimContractValues implements ConfigSourceInterceptor {

    /** Just outside SmallRye's expression step (Priorities.LIBRARY + 300). */
    static final int PRIORITY = Priorities.LIBRARY + 400;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (isContractName(name)) {
            return Expressions.withoutExpansion(() -> context.proceed(name));
        }
        return context.proceed(name);
    }

    static boolean isContractName(String name) {
        return name.indexOf('.') < 0;
    }
}
